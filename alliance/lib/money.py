"""Money is Decimal, two places, rounded half up in one place.

Amounts in the bundled data are whole dollars; plan budgets later carry cents. Every rounding in the
product goes through ``to_cents`` so the policy is written once.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def to_cents(value: Decimal | int | str) -> Decimal:
    if isinstance(value, float):
        raise TypeError("money is never a float; pass a Decimal, an int or a string")
    try:
        amount = Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(f"{value!r} is not an amount of money") from exc
    if not amount.is_finite():
        raise ValueError(f"{value!r} is not an amount of money")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def total(amounts: Iterable[Decimal | None]) -> Decimal:
    return to_cents(sum((a for a in amounts if a is not None), ZERO))


def format_dollars(amount: Decimal | None, *, cents: bool = False) -> str:
    """$12,061,630 (or $12,061,630.00 with cents); negative amounts as -$1,000."""
    if amount is None:
        return "—"
    amount = to_cents(amount)
    sign = "-" if amount < 0 else ""
    body = (
        f"{abs(amount):,.2f}" if cents else f"{abs(amount).quantize(Decimal(1), ROUND_HALF_UP):,}"
    )
    return f"{sign}${body}"
