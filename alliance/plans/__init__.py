"""Alliance plans: strategies, goals, positions, budget lines, and the budget they make."""
