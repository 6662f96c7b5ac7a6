"""Showing NGAS figures: rates on their own scale, points to a chosen precision, flags in words."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template

from alliance.accountability.rules import Cell

register = template.Library()


@register.filter
def points(value: Decimal | None, places: int = 2) -> str:
    if value is None:
        return "—"
    quantum = Decimal(1).scaleb(-int(places))
    return f"{Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP):,}"


@register.filter
def rate(value: Decimal | None, cell: Cell) -> str:
    """A Performance Index as 63.2; a fraction as a percentage, 18.4%."""
    if value is None:
        return "—"
    if cell.indicator == 1:
        return points(value, 1)
    return f"{points(Decimal(value) * 100, 1)}%"


@register.filter
def flag(value: int | None) -> str:
    if value is None:
        return "does not apply"
    return "yes" if value else "no"
