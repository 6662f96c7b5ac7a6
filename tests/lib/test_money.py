from decimal import Decimal

import pytest

from alliance.lib.money import format_dollars, to_cents, total


def test_amounts_round_half_up_to_the_cent():
    assert to_cents("0.005") == Decimal("0.01")
    assert to_cents("0.004") == Decimal("0.00")
    assert to_cents("-0.005") == Decimal("-0.01")
    assert to_cents(12061630) == Decimal("12061630.00")


def test_a_float_is_refused():
    with pytest.raises(TypeError):
        to_cents(0.1)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["abc", "NaN", "Infinity"])
def test_text_that_is_not_money_is_refused(value):
    with pytest.raises(ValueError, match="not an amount"):
        to_cents(value)


def test_total_ignores_missing_amounts_and_starts_at_zero():
    assert total([]) == Decimal("0.00")
    assert total([Decimal("1.10"), None, Decimal("2.205")]) == Decimal("3.31")


def test_dollars_are_shown_as_users_write_them():
    assert format_dollars(Decimal("12061630")) == "$12,061,630"
    assert format_dollars(Decimal("1234.5"), cents=True) == "$1,234.50"
    assert format_dollars(Decimal("-1000")) == "-$1,000"
    assert format_dollars(None) == "—"
