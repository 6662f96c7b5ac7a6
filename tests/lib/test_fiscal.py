import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliance.lib.fiscal import FiscalYear, fiscal_year_of, school_year_end, school_year_label


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2024, 6, 30), 2024),
        (dt.date(2024, 7, 1), 2025),
        (dt.date(2025, 1, 1), 2025),
        (dt.date(2025, 6, 30), 2025),
        (dt.date(2025, 7, 1), 2026),
        (dt.date(2024, 12, 31), 2025),
        (dt.date(2026, 11, 30), 2027),
    ],
)
def test_a_date_falls_in_the_fiscal_year_ending_the_next_june_30(day, expected):
    assert fiscal_year_of(day) == FiscalYear(expected)


def test_fy2025_runs_from_july_1_2024_to_june_30_2025():
    fy = FiscalYear(2025)
    assert fy.start == dt.date(2024, 7, 1)
    assert fy.end == dt.date(2025, 6, 30)
    assert fy.label == "FY2025"
    assert fy.school_year == "2024-25"


def test_leap_years_do_not_move_the_boundaries():
    assert FiscalYear(2024).end == dt.date(2024, 6, 30)
    assert FiscalYear(2024).contains(dt.date(2024, 2, 29))


def test_a_datetime_is_refused_so_time_zones_cannot_shift_the_year():
    with pytest.raises(TypeError):
        fiscal_year_of(dt.datetime(2025, 6, 30, 23, 0))


@given(st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2998, 12, 31)))
def test_every_date_lies_inside_its_own_fiscal_year(day):
    fy = fiscal_year_of(day)
    assert fy.contains(day)
    assert (fy.end - fy.start).days in (364, 365)


def test_school_year_labels_round_trip():
    assert school_year_label(2025) == "2024-25"
    assert school_year_label(2000) == "1999-00"
    assert school_year_end("2024-25") == 2025
    assert school_year_end("1999-00") == 2000


@pytest.mark.parametrize("label", ["2024-26", "2024/25", "24-25", "2024-2025", ""])
def test_a_malformed_school_year_is_refused(label):
    with pytest.raises(ValueError, match="school year"):
        school_year_end(label)


def test_dates_days_and_shares_within_a_fiscal_year():
    fy = FiscalYear(2025)
    assert fy.date_of(10) == dt.date(2024, 10, 1) and fy.date_of(4, 15) == dt.date(2025, 4, 15)
    assert fy.days == 365 and FiscalYear(2024).days == 366
    assert fy.clamp(dt.date(2023, 1, 1)) == fy.start and fy.clamp(dt.date(2026, 1, 1)) == fy.end
    assert fy.days_gone(dt.date(2024, 6, 30)) == 0 and fy.days_gone(dt.date(2030, 1, 1)) == 365
    assert fy.share_gone(dt.date(2024, 12, 31)) == Decimal(184) / Decimal(365)
