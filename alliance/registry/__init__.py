"""Districts, schools, towns, enrollment, Alliance allocations and designations."""
