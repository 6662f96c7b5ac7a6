from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliance.lib.numbers import plain


@pytest.mark.parametrize(
    ("stored", "written"),
    [("100.0000", "100"), ("66.5000", "66.5"), ("0.0000", "0"), ("-0.0000", "0"),
     ("1200", "1200"), ("0.0500", "0.05"), ("-12.3400", "-12.34")],
)  # fmt: skip
def test_a_measure_is_written_without_trailing_zeros_or_an_exponent(stored, written):
    assert plain(Decimal(stored)) == written


@given(st.decimals(min_value=-(10**8), max_value=10**8, places=4, allow_nan=False))
def test_the_written_measure_reads_back_as_the_same_number(value):
    text = plain(value)
    assert Decimal(text) == value and "E" not in text
