from __future__ import annotations

from decimal import Decimal

from django import template

from alliance.lib.money import format_dollars

register = template.Library()


@register.filter
def dollars(amount: Decimal | None, cents: bool = False) -> str:
    """$12,061,630 (or $12,061,630.00 with `dollars:True`); a missing amount shows as a dash."""
    return format_dollars(amount, cents=cents)


@register.filter
def percent(share: Decimal | None) -> str:
    """0.2239 -> 22.4%."""
    if share is None:
        return "—"
    return f"{share * 100:.1f}%"
