"""The NGAS engine: rates in; points, possible points, the Accountability Index and flags out.

Pure Python on Decimal. A missing rate (EdSight's ".") leaves its cell out of both the points and
the possible points, unless the rules say the cell applies with another column (Ind6 with Ind5,
Ind11 with its participation rate), in which case a missing rate earns 0 of the possible points.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from alliance.accountability.rules import Cell, YearRules

ZERO = Decimal(0)
# Points are carried to 12 places (half up) before they are added up. Thirds never end, so without
# a fixed place the 6th decimal of an index that lands exactly on a half (87.2848305) would depend
# on the arithmetic's precision; with it, every path computes the same figure.
CARRY = Decimal("1e-12")
ONE = Decimal(1)
HUNDRED = Decimal(100)

Values = Mapping[str, Decimal | None]


@dataclass(frozen=True)
class CellResult:
    key: str
    rate: Decimal | None
    points: Decimal
    possible: Decimal


@dataclass(frozen=True)
class EntityResult:
    span: str
    cells: dict[str, CellResult]
    total_points: Decimal
    total_possible: Decimal
    index: Decimal | None
    achievement_gap_flag: int | None
    graduation_gap_flag: int | None
    participation_flag: int | None
    warnings: tuple[str, ...] = field(default=())


def cell_points(cell: Cell, rate: Decimal, *, span: str) -> Decimal:
    """Points for one cell's rate, before any participation scaling."""
    maximum = cell.maximum(span)
    if cell.formula == "lower_is_better":
        assert cell.zero_at is not None
        share = (cell.zero_at - rate) / (cell.zero_at - cell.target)
    else:
        share = rate / cell.target
    return maximum * min(max(share, ZERO), ONE)


def participation_factor(cell: Cell, participation: Decimal | None) -> Decimal:
    if not cell.participation_bands:
        return ONE
    if participation is None:
        return ZERO
    for band in cell.participation_bands:
        if participation >= band.at_least:
            return band.factor
    return ZERO


def entity_span(rules: YearRules, values: Values, *, lowest_grade: int | None) -> str:
    """Which Indicator 1 maxima apply: with_growth, high_school or other (see the rules file)."""
    growth_rates = rules.growth_rates
    if any(values.get(column) is not None for column in growth_rates):
        return "with_growth"
    if growth_rates:
        # A year with growth: no growth results, but high-school results, means high school only.
        high_school = any(values.get(column) is not None for column in rules.high_school_rates)
    else:
        # Before growth (2014-15) the grades decide; unknown grades count as not high-school-only.
        high_school = lowest_grade is not None and lowest_grade >= rules.high_school_lowest_grade
    return "high_school" if high_school else "other"


def compute_entity(
    rules: YearRules, values: Values, *, lowest_grade: int | None = None
) -> EntityResult:
    span = entity_span(rules, values, lowest_grade=lowest_grade)
    cells: dict[str, CellResult] = {}
    for cell in rules.cells:
        rate = values.get(cell.rate)
        applies = (
            values.get(cell.applies_with) is not None if cell.applies_with else rate is not None
        )
        if not applies:
            continue
        points = ZERO
        if rate is not None:
            factor = participation_factor(
                cell, values.get(cell.participation_rate) if cell.participation_rate else None
            )
            points = (cell_points(cell, rate, span=span) * factor).quantize(CARRY, ROUND_HALF_UP)
        cells[cell.key] = CellResult(cell.key, rate, points, cell.maximum(span))
    total = sum((c.points for c in cells.values()), ZERO)
    possible = sum((c.possible for c in cells.values()), ZERO)
    return EntityResult(
        span=span,
        cells=cells,
        total_points=total,
        total_possible=possible,
        index=HUNDRED * total / possible if possible else None,
        achievement_gap_flag=achievement_gap_flag(rules, values),
        graduation_gap_flag=graduation_gap_flag(rules, values),
        participation_flag=participation_flag(rules, values),
        warnings=tuple(range_warnings(rules, values)),
    )


def achievement_gap_flag(rules: YearRules, values: Values) -> int | None:
    subjects = [s for s in rules.achievement_gap_subjects if values.get(s.hurdle) is not None]
    if not subjects:
        return None
    for subject in subjects:
        high_needs = values.get(subject.high_needs)
        others = values.get(subject.non_high_needs)
        hurdle = values.get(subject.hurdle)
        if high_needs is None or others is None or hurdle is None:
            continue
        if min(others, rules.achievement_gap_cap) - high_needs > hurdle:
            return 1
    return 0


def graduation_gap(rules: YearRules, values: Values) -> Decimal | None:
    high_needs = values.get(rules.graduation_high_needs)
    others = values.get(rules.graduation_non_high_needs)
    if high_needs is None or others is None:
        return None
    return max(min(others, rules.graduation_gap_cap) - high_needs, ZERO)


def graduation_gap_flag(rules: YearRules, values: Values) -> int | None:
    hurdle = values.get(rules.graduation_hurdle)
    if hurdle is None:
        return None
    gap = graduation_gap(rules, values)
    if gap is None:
        return 0
    return 1 if gap * rules.graduation_hurdle_scale > hurdle else 0


def participation_flag(rules: YearRules, values: Values) -> int | None:
    rates = [values.get(c) for c in rules.participation_rates]
    present = [r for r in rates if r is not None]
    if not present:
        return None
    return 1 if any(r < rules.participation_threshold for r in present) else 0


def range_warnings(rules: YearRules, values: Values) -> list[str]:
    """Values outside their natural range, which CSDE sometimes publishes: kept, but reported."""
    warnings = []
    for column, ceiling in rules.rate_ceilings:
        value = values.get(column)
        if value is None:
            continue
        if value < 0 or value > ceiling:
            warnings.append(f"{column} {value} is outside 0-{ceiling}")
    return warnings
