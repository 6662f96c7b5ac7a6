"""Reads of accountability results that pages share; each with a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from alliance.accountability.models import AccountabilityResult, AccountabilityYear, Category
from alliance.accountability.rules import Cell, load_rules


def imported_years() -> list[str]:
    return list(
        AccountabilityYear.objects.order_by("-school_year").values_list("school_year", flat=True)
    )


def results_for_district(code: str) -> QuerySet[AccountabilityResult]:
    """The district's own row in every imported year, newest first."""
    return (
        AccountabilityResult.objects.filter(category=Category.DISTRICT, district_code=code)
        .select_related("year")
        .order_by("-year__school_year")
    )


def results_for_school(code: str) -> QuerySet[AccountabilityResult]:
    return (
        AccountabilityResult.objects.filter(category=Category.SCHOOL, school_code=code)
        .select_related("year")
        .order_by("-year__school_year")
    )


@dataclass(frozen=True)
class CellRow:
    cell: Cell
    rate: Decimal | None
    points: Decimal | None
    possible: Decimal | None
    published_points: Decimal | None

    @property
    def headroom(self) -> Decimal | None:
        if self.points is None or self.possible is None:
            return None
        return self.possible - self.points

    @property
    def differs(self) -> bool:
        if self.points is None or self.published_points is None:
            return False
        return abs(self.points - self.published_points) > Decimal("0.001")


def cell_rows(result: AccountabilityResult) -> list[CellRow]:
    """Every cell of the result's school year, in indicator order, with the stored figures."""
    rules = load_rules().for_school_year(result.year.school_year)
    rows = []
    for cell in rules.cells:
        rows.append(
            CellRow(
                cell=cell,
                rate=result.cell_decimal(cell.key, "rate"),
                points=result.cell_decimal(cell.key, "points"),
                possible=result.cell_decimal(cell.key, "possible"),
                published_points=result.cell_decimal(cell.key, "published_points"),
            )
        )
    return rows
