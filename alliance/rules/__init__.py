"""Versioned, cited policy data: NGAS rules, and (with later work) focus areas, funding areas."""
