"""Published against recomputed: which cells differ, by how much. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from alliance.accountability.engine import EntityResult
from alliance.accountability.export import ExportRow
from alliance.accountability.rules import YearRules

POINTS_TOLERANCE = Decimal("0.001")
INDEX_TOLERANCE = Decimal("0.01")


@dataclass(frozen=True)
class Difference:
    row: int
    entity: str
    column: str
    published: Decimal | None
    computed: Decimal | None

    @property
    def size(self) -> Decimal:
        if self.published is None or self.computed is None:
            return Decimal("Infinity")
        return abs(self.published - self.computed)


@dataclass(frozen=True)
class Comparison:
    cells_compared: int
    differences: tuple[Difference, ...]
    index_compared: int
    index_differences: tuple[Difference, ...]


def compare_row(rules: YearRules, row: ExportRow, result: EntityResult) -> Comparison:
    """Compare every point cell and the index of one entity with what CSDE published.

    A published possible of 0 counts as "does not apply" (2014-15 prints 0 where later years print
    "."), and a published "." for the points of a cell the rules count at 0 is the same as 0.
    """
    compared = 0
    differences: list[Difference] = []
    for cell in rules.cells:
        computed = result.cells.get(cell.key)
        published_possible = row.published_value(cell.possible)
        if published_possible == 0:
            published_possible = None
        published_points = row.published_value(cell.points)
        if published_possible is None and published_points == 0:
            published_points = None
        ours_points = computed.points if computed else None
        if computed and computed.rate is None and published_points is None:
            ours_points = None if cell.shown_when_rate_missing == "." else ours_points
        pairs = (
            (cell.points, published_points, ours_points),
            (cell.possible, published_possible, computed.possible if computed else None),
        )
        for column, published, ours in pairs:
            if published is None and ours is None:
                continue
            compared += 1
            if published is None or ours is None or abs(published - ours) > POINTS_TOLERANCE:
                differences.append(Difference(row.number, row.name, column, published, ours))
    index_differences: list[Difference] = []
    published_index = row.published_value("OutcomeRatePct")
    if not row.published_value("TotalPossiblePoints"):
        published_index = None  # 0 of 0 points: CSDE prints an index of 0, meaning none
    index_compared = 0
    if published_index is not None or result.index is not None:
        index_compared = 1
        if (
            published_index is None
            or result.index is None
            or abs(published_index - result.index) > INDEX_TOLERANCE
        ):
            index_differences.append(
                Difference(row.number, row.name, "OutcomeRatePct", published_index, result.index)
            )
    return Comparison(compared, tuple(differences), index_compared, tuple(index_differences))
