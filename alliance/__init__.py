"""Alliance Grants: Connecticut's Alliance District grant program, end to end."""
