from __future__ import annotations

from decimal import Decimal

from django import template

from alliance.lib.money import format_dollars

register = template.Library()


@register.filter
def dollars(amount: Decimal | str | None, cents: bool = False) -> str:
    """$12,061,630 (or $12,061,630.00 with `dollars:True`); a missing amount shows as a dash.
    Amounts from a plan document come as text ("12061630.00") and are read exactly."""
    if isinstance(amount, str):
        amount = Decimal(amount)
    return format_dollars(amount, cents=cents)


@register.filter
def percent(share: Decimal | None) -> str:
    """0.2239 -> 22.4%."""
    if share is None:
        return "—"
    return f"{share * 100:.1f}%"
