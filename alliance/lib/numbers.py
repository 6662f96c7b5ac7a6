"""Measures (a goal's baseline, target and the values reported) as people write them."""

from __future__ import annotations

from decimal import Decimal


def plain(value: Decimal) -> str:
    """66.5000 as '66.5' and 100.0000 as '100' (str(Decimal.normalize()) would say '1E+2')."""
    if value == 0:
        return "0"  # not '-0'
    return f"{value.normalize():f}"
