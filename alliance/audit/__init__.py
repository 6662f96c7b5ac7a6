"""The audit trail: who changed what in a plan, when, from what to what. Append-only."""
