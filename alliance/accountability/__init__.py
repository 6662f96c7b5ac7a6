"""The Next Generation Accountability System: rules, the pure engine, imports and profiles."""
