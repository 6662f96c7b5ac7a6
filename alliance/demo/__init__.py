"""The demo: bundled data, one sign-in per role, and (as later issues add them) a demo plan."""
