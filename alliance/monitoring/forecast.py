"""Spend-down and the forecast to June 30, as of a date. Pure: no Django, no clock.

Each budget item is a plan line or one position's salary or benefits. The forecast of an item is
what it has spent by the as-of date plus what it will spend in the rest of the fiscal year:
- a position: its annual cost to the grant for each remaining day, counted from the later of the
  day after the as-of date and its vacant-until date (payroll starts when the seat is filled);
- any other line: the run rate so far (spent / days passed) for each remaining day, never more than
  what is left of the line; before a day of the year has passed, the plan's amount stands.
Days are calendar days of the fiscal year (365 or 366). Amounts round to the cent per item; totals
add the rounded items.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from alliance.lib.fiscal import FiscalYear
from alliance.lib.money import ZERO, to_cents
from alliance.monitoring.rules import MonitoringRules, Threshold

PERSONNEL, OTHER = "personnel", "other"


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    kind: str  # PERSONNEL or OTHER
    funding_area: str
    strategy: str
    budget: Decimal
    annual_cost: Decimal = ZERO  # a position's yearly cost to the grant (its budget, unprorated)
    starts: dt.date | None = None  # a vacant position's first paid day


@dataclass(frozen=True)
class Spend:
    item: str  # Item.key
    day: dt.date
    amount: Decimal


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    budget: Decimal
    spent: Decimal
    forecast: Decimal
    year_share: Decimal
    risk: Threshold

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.spent

    @property
    def unspent(self) -> Decimal:
        """Projected to lapse on June 30 (negative: projected overspend)."""
        return self.budget - self.forecast

    @property
    def spent_share(self) -> Decimal | None:
        return None if not self.budget else self.spent / self.budget

    @property
    def unspent_share(self) -> Decimal | None:
        return None if not self.budget else self.unspent / self.budget


@dataclass(frozen=True)
class SpendDown:
    as_of: dt.date
    year_share: Decimal  # share of the fiscal year's days gone by the as-of date
    items: tuple[Row, ...]
    by_funding_area: tuple[Row, ...]
    by_strategy: tuple[Row, ...]
    total: Row


def _days(start: dt.date, end: dt.date) -> int:
    """Days from start to end, both counted; 0 when end is before start."""
    return max(0, (end - start).days + 1)


def item_forecast(item: Item, spent: Decimal, *, year: FiscalYear, as_of: dt.date) -> Decimal:
    days_in_year = year.days
    passed = year.days_gone(as_of)
    remaining_from = max(as_of + dt.timedelta(days=1), year.start)
    if item.kind == PERSONNEL:
        if item.starts is not None:
            remaining_from = max(remaining_from, item.starts)
        paid_days = _days(remaining_from, year.end)
        return to_cents(spent + item.annual_cost * paid_days / days_in_year)
    if passed == 0:
        return max(item.budget, spent)
    left = max(item.budget - spent, ZERO)
    run = spent / passed * _days(remaining_from, year.end)
    return to_cents(spent + min(left, run))


def _row(
    key: str, label: str, budget: Decimal, spent: Decimal, forecast: Decimal, year_share: Decimal,
    risk_for: Callable[[Decimal], Threshold],
) -> Row:  # fmt: skip
    unspent_share = (budget - forecast) / budget if budget else ZERO
    return Row(key, label, budget, spent, forecast, year_share, risk_for(unspent_share))


def spend_down(
    items: Iterable[Item],
    spends: Iterable[Spend],
    *,
    year: FiscalYear,
    as_of: dt.date,
    rules: MonitoringRules,
    area_names: dict[str, str] | None = None,
    strategy_names: dict[str, str] | None = None,
) -> SpendDown:
    """Budget, spent, forecast and lapse risk per item, funding area, strategy and in total.
    Spending dated after the as-of date is left out, so a past meeting's forecast can be replayed.
    """
    items = list(items)
    spent: dict[str, Decimal] = {i.key: ZERO for i in items}
    for spend in spends:
        if spend.day <= as_of and spend.item in spent:
            spent[spend.item] += spend.amount
    year_share = year.share_gone(as_of)
    rows = [
        _row(
            i.key,
            i.label,
            i.budget,
            to_cents(spent[i.key]),
            item_forecast(i, spent[i.key], year=year, as_of=as_of),
            year_share,
            rules.risk_for,
        )
        for i in items
    ]

    def group(key_of: Callable[[Item], str], names: dict[str, str]) -> tuple[Row, ...]:
        sums: dict[str, list[Decimal]] = {}
        for item, row in zip(items, rows, strict=True):
            acc = sums.setdefault(key_of(item), [ZERO, ZERO, ZERO])
            acc[0] += row.budget
            acc[1] += row.spent
            acc[2] += row.forecast
        return tuple(
            _row(k, names.get(k, k), b, s, f, year_share, rules.risk_for)
            for k, (b, s, f) in sums.items()
        )

    total = _row(
        "total", "Total", sum((r.budget for r in rows), ZERO), sum((r.spent for r in rows), ZERO),
        sum((r.forecast for r in rows), ZERO), year_share, rules.risk_for,
    )  # fmt: skip
    return SpendDown(
        as_of=as_of,
        year_share=year_share,
        items=tuple(rows),
        by_funding_area=group(lambda i: i.funding_area, area_names or {}),
        by_strategy=group(lambda i: i.strategy, strategy_names or {}),
        total=total,
    )


@dataclass(frozen=True)
class Curve:
    """Cumulative spending by month: the budget spent evenly, the actual, and the forecast."""

    months: tuple[dt.date, ...]  # the first day of each month of the fiscal year
    even: tuple[Decimal, ...]
    actual: tuple[Decimal | None, ...]  # through the as-of month
    forecast: tuple[Decimal | None, ...]  # from the as-of month to June


def spend_curve(
    *, year: FiscalYear, as_of: dt.date, monthly: dict[dt.date, Decimal], budget: Decimal,
    forecast: Decimal,
) -> Curve:  # fmt: skip
    """`monthly` holds what was spent in each month (keyed by its first day) up to the as-of
    date. The forecast runs in a straight line from the actual at the as-of month to June."""
    months = []
    day = year.start
    while day <= year.end:
        months.append(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    even = tuple(to_cents(budget * (i + 1) / len(months)) for i in range(len(months)))
    last = dt.date(as_of.year, as_of.month, 1)
    actual: list[Decimal | None] = []
    running = ZERO
    for month in months:
        running += monthly.get(month, ZERO)
        actual.append(running if month <= last else None)
    if last < months[0]:
        start_index, start_value = -1, ZERO
    else:
        start_index = min(
            months.index(last) if last in months else len(months) - 1, len(months) - 1
        )
        start_value = actual[start_index] or ZERO
    steps = len(months) - 1 - start_index
    curve: list[Decimal | None] = []
    for i in range(len(months)):
        if i < start_index:
            curve.append(None)
        elif i == start_index:
            curve.append(start_value)
        else:
            curve.append(
                to_cents(start_value + (forecast - start_value) * (i - start_index) / steps)
            )
    return Curve(tuple(months), even, tuple(actual), tuple(curve))
