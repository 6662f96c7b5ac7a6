"""Connecticut state fiscal years and school years.

The state fiscal year runs July 1 to June 30 and is named by the calendar year in which it ends:
FY2025 = July 1, 2024 - June 30, 2025. A school year ("2024-25") covers the same twelve months,
so school year 2024-25 and FY2025 are the same period under two names.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

FIRST_MONTH = 7  # July: C.G.S. 4-70a sets the state fiscal year as July 1 - June 30.

_SCHOOL_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class FiscalYear:
    year: int  # the calendar year in which the fiscal year ends

    def __post_init__(self) -> None:
        if not 1900 <= self.year <= 2999:
            raise ValueError(f"fiscal year {self.year} is out of range")

    @property
    def start(self) -> dt.date:
        return dt.date(self.year - 1, FIRST_MONTH, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, FIRST_MONTH, 1) - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        return f"FY{self.year}"

    @property
    def school_year(self) -> str:
        return school_year_label(self.year)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        """365 or 366."""
        return (self.end - self.start).days + 1

    def date_of(self, month: int, day: int = 1) -> dt.date:
        """The date of a calendar month and day within this fiscal year (October is the first
        year's, April the second's)."""
        return dt.date(self.year - 1 if month >= FIRST_MONTH else self.year, month, day)

    def clamp(self, day: dt.date) -> dt.date:
        """The day itself within the year; its first day before it, its last day after it."""
        return min(max(day, self.start), self.end)

    def share_gone(self, day: dt.date) -> Decimal:
        """The share of the year's days gone by the end of `day`."""
        return Decimal(self.days_gone(day)) / self.days

    def days_gone(self, day: dt.date) -> int:
        """Days of the year up to and including `day` (0 before the year, all of them after)."""
        return max(0, (min(day, self.end) - self.start).days + 1)

    def __str__(self) -> str:
        return self.label


def fiscal_year_of(day: dt.date) -> FiscalYear:
    """The fiscal year a date falls in: June 30, 2025 is FY2025; July 1, 2025 is FY2026."""
    if isinstance(day, dt.datetime):
        raise TypeError("pass a date in Connecticut time, not a datetime")
    return FiscalYear(day.year + 1 if day.month >= FIRST_MONTH else day.year)


def school_year_label(end_year: int) -> str:
    """2025 -> '2024-25'."""
    return f"{end_year - 1}-{end_year % 100:02d}"


def school_year_end(label: str) -> int:
    """'2024-25' -> 2025; rejects labels whose two halves are not consecutive years."""
    match = _SCHOOL_YEAR.match(label)
    if not match:
        raise ValueError(f"{label!r} is not a school year like 2024-25")
    start = int(match.group(1))
    if (start + 1) % 100 != int(match.group(2)):
        raise ValueError(
            f"{label!r} is not a school year like 2024-25: the years are not consecutive"
        )
    return start + 1
