"""The budget a plan's positions and lines make, against its allocation. Pure, Decimal, to the cent.

A position's cost to the grant is salary x FTE x the share the grant pays, rounded to the cent;
its benefits are that cost x the benefits rate, rounded to the cent. Totals add rounded amounts,
so every breakdown sums exactly to the total.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from alliance.lib.fiscal import FiscalYear
from alliance.lib.money import ZERO, to_cents
from alliance.plans.catalog import Catalog, Installment

DISTRICT_WIDE = "District-wide"


@dataclass(frozen=True)
class PositionInput:
    key: str
    title: str
    staff_category: str
    strategy: str
    school: str | None
    fte: Decimal
    salary: Decimal
    grant_share: Decimal
    benefits_rate: Decimal

    @property
    def salary_cost(self) -> Decimal:
        return to_cents(self.salary * self.fte * self.grant_share)

    @property
    def benefits_cost(self) -> Decimal:
        return to_cents(self.salary_cost * self.benefits_rate)

    @property
    def total_cost(self) -> Decimal:
        return self.salary_cost + self.benefits_cost


@dataclass(frozen=True)
class LineInput:
    key: str
    funding_area: str
    object_code: str
    strategy: str
    school: str | None
    amount: Decimal


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    amount: Decimal


@dataclass(frozen=True)
class Budget:
    allocation: Decimal
    total: Decimal
    by_funding_area: tuple[Row, ...]
    by_strategy: tuple[Row, ...]
    by_school: tuple[Row, ...]
    by_object_code: tuple[Row, ...]

    @property
    def difference(self) -> Decimal:
        """Allocation minus budget: positive is money not yet budgeted, negative is overspent."""
        return self.allocation - self.total

    @property
    def balanced(self) -> bool:
        return self.difference == ZERO


def _add(totals: dict[str, Decimal], key: str, amount: Decimal) -> None:
    totals[key] = totals.get(key, ZERO) + amount


def budget(
    *,
    allocation: Decimal,
    positions: Iterable[PositionInput],
    lines: Iterable[LineInput],
    catalog: Catalog,
    strategy_names: dict[str, str],
    school_names: dict[str, str],
) -> Budget:
    areas: dict[str, Decimal] = {}
    strategies: dict[str, Decimal] = {}
    schools: dict[str, Decimal] = {}
    codes: dict[str, Decimal] = {}
    for p in positions:
        cost = p.salary_cost + p.benefits_cost
        _add(areas, p.staff_category, p.salary_cost)
        _add(areas, "benefits", p.benefits_cost)
        _add(strategies, p.strategy, cost)
        _add(schools, p.school or "", cost)
        _add(codes, catalog.salary_code, p.salary_cost)
        _add(codes, catalog.benefits_code, p.benefits_cost)
    for line in lines:
        amount = to_cents(line.amount)
        _add(areas, line.funding_area, amount)
        _add(strategies, line.strategy, amount)
        _add(schools, line.school or "", amount)
        _add(codes, catalog.family(line.object_code), amount)
    total = sum(areas.values(), ZERO)
    return Budget(
        allocation=to_cents(allocation),
        total=to_cents(total),
        by_funding_area=tuple(
            Row(a.code, a.name, areas.get(a.code, ZERO)) for a in catalog.funding_areas
        ),
        by_strategy=tuple(
            Row(key, strategy_names.get(key, key), amount)
            for key, amount in sorted(
                strategies.items(), key=lambda kv: strategy_names.get(kv[0], kv[0])
            )
        ),
        by_school=tuple(
            Row(key, school_names.get(key, DISTRICT_WIDE) if key else DISTRICT_WIDE, amount)
            for key, amount in sorted(
                schools.items(), key=lambda kv: (kv[0] != "", school_names.get(kv[0], ""))
            )
        ),
        by_object_code=tuple(
            Row(t.code, t.name, codes[t.code]) for t in catalog.object_codes if t.code in codes
        ),
    )


def payment_schedule(
    allocation: Decimal, fiscal_year: int, installments: Iterable[Installment]
) -> list[tuple[str, date, Decimal]]:
    """(name, month, amount) per installment; shares rounded to the cent, the balance exact."""
    rows: list[tuple[str, date, Decimal]] = []
    paid = ZERO
    items = list(installments)
    for i, item in enumerate(items):
        if item.share is None:
            if i != len(items) - 1:
                raise ValueError("Only the last installment may be the balance.")
            amount = to_cents(allocation) - paid
        else:
            amount = to_cents(allocation * item.share)
        paid += amount
        rows.append((item.name, FiscalYear(fiscal_year).date_of(item.month), amount))
    if paid != to_cents(allocation):
        raise ValueError("The installments must pay the whole allocation.")
    return rows
