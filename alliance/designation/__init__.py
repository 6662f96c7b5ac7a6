"""Identifying Alliance Districts: CSDE's four-step process, pure, and its designation cohorts."""
