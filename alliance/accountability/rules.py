"""The NGAS rules file (alliance/rules/ngas.yaml) read into typed, immutable records. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import yaml

from alliance.lib.fiscal import school_year_end

RULES_FILE = Path(__file__).resolve().parent.parent / "rules" / "ngas.yaml"

SPANS = ("with_growth", "high_school", "other")
FORMULAS = ("ratio_to_target", "lower_is_better")


class RulesError(ValueError):
    """The rules file is wrong, or has nothing for the school year asked for."""


def _dec(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise RulesError(f"{where}: {value!r} is not a number")
    # str() first: a YAML float such as 0.05 becomes Decimal("0.05"), not its binary neighbour.
    return Decimal(str(value))


@dataclass(frozen=True)
class ParticipationBand:
    at_least: Decimal
    factor: Decimal


@dataclass(frozen=True)
class Cell:
    """One sub-indicator for one student group: a rate column in, points and possible points out."""

    key: str
    indicator: int
    name: str
    group: str
    measure: str
    rate: str
    points: str
    possible: str
    formula: str
    target: Decimal
    max_points: dict[str, Decimal]  # by span: with_growth, high_school, other
    zero_at: Decimal | None
    applies_with: str | None
    shown_when_rate_missing: str  # "." or "0": how the export prints points of a rate-less cell
    participation_rate: str | None
    participation_bands: tuple[ParticipationBand, ...]
    first_year: int
    last_year: int | None
    sources: tuple[str, ...]

    def in_force(self, school_year_end_: int) -> bool:
        return self.first_year <= school_year_end_ and (
            self.last_year is None or school_year_end_ <= self.last_year
        )

    def maximum(self, span: str) -> Decimal:
        return self.max_points[span]

    @property
    def lower_is_better(self) -> bool:
        return self.formula == "lower_is_better"


@dataclass(frozen=True)
class GapSubject:
    high_needs: str
    non_high_needs: str
    hurdle: str


@dataclass(frozen=True)
class YearRules:
    school_year: str
    cells: tuple[Cell, ...]
    growth_cells: tuple[str, ...]
    high_school_cells: tuple[str, ...]
    high_school_lowest_grade: int
    participation_column: str
    participation_threshold: Decimal
    participation_rates: tuple[str, ...]
    achievement_gap_column: str
    achievement_gap_cap: Decimal
    achievement_gap_subjects: tuple[GapSubject, ...]
    graduation_gap_column: str
    graduation_gap_cap: Decimal
    graduation_high_needs: str
    graduation_non_high_needs: str
    graduation_hurdle: str
    graduation_hurdle_scale: Decimal
    sources: dict[str, str]

    @cached_property
    def growth_rates(self) -> tuple[str, ...]:
        """Rate columns whose presence means growth results (none before 2015-16)."""
        return tuple(c.rate for c in self.cells if c.key in self.growth_cells)

    @cached_property
    def high_school_rates(self) -> tuple[str, ...]:
        return tuple(c.rate for c in self.cells if c.key in self.high_school_cells)

    @cached_property
    def rate_ceilings(self) -> tuple[tuple[str, Decimal], ...]:
        """Each input rate with its natural maximum: 100 for a Performance Index, else 1."""
        indexes = {c.rate for c in self.cells if c.indicator == 1}
        return tuple(
            (column, Decimal(100) if column in indexes else Decimal(1))
            for column in self.rate_columns
        )

    def cell(self, key: str) -> Cell:
        for cell in self.cells:
            if cell.key == key:
                return cell
        raise KeyError(key)

    @cached_property
    def rate_columns(self) -> tuple[str, ...]:
        columns: list[str] = []
        for cell in self.cells:
            for column in (cell.rate, cell.applies_with, cell.participation_rate):
                if column and column not in columns:
                    columns.append(column)
        return tuple(columns)


@dataclass(frozen=True)
class NgasRules:
    school_years: tuple[str, ...]
    by_year: dict[str, YearRules]
    all_cells: tuple[Cell, ...]

    def for_school_year(self, school_year: str) -> YearRules:
        try:
            return self.by_year[school_year]
        except KeyError:
            known = ", ".join(self.school_years)
            raise RulesError(
                f"there are no NGAS rules for school year {school_year!r} (rules exist for {known})"
            ) from None


def _cell(raw: dict[str, Any], sources: dict[str, str]) -> Cell:
    key = str(raw.get("key", "?"))
    where = f"cell {key}"
    formula = raw.get("formula")
    if formula not in FORMULAS:
        raise RulesError(f"{where}: formula {formula!r} is not one of {', '.join(FORMULAS)}")
    maxima = raw["max_points"]
    if isinstance(maxima, dict):
        if set(maxima) != set(SPANS):
            raise RulesError(f"{where}: max_points must give {', '.join(SPANS)}")
        max_points = {span: _dec(maxima[span], where) for span in SPANS}
    else:
        max_points = {span: _dec(maxima, where) for span in SPANS}
    participation = raw.get("participation") or {}
    bands = tuple(
        ParticipationBand(_dec(b["at_least"], where), _dec(b["factor"], where))
        for b in participation.get("bands", ())
    )
    if bands and [b.at_least for b in bands] != sorted((b.at_least for b in bands), reverse=True):
        raise RulesError(f"{where}: participation bands must run from the highest down")
    cited = tuple(raw.get("source", ()))
    for name in cited:
        if name not in sources:
            raise RulesError(f"{where}: source {name!r} is not in the sources list")
    if str(raw.get("shown_when_rate_missing", "0")) not in (".", "0"):
        raise RulesError(f"{where}: shown_when_rate_missing must be '.' or '0'")
    if not cited:
        raise RulesError(f"{where}: every cell needs a source")
    zero_at = raw.get("zero_at")
    if formula == "lower_is_better" and zero_at is None:
        raise RulesError(f"{where}: lower_is_better needs zero_at")
    return Cell(
        key=key,
        indicator=int(raw["indicator"]),
        name=str(raw["name"]),
        group=str(raw["group"]),
        measure=str(raw["measure"]),
        rate=str(raw["rate"]),
        points=str(raw["points"]),
        possible=str(raw["possible"]),
        formula=formula,
        target=_dec(raw["target"], where),
        max_points=max_points,
        zero_at=None if zero_at is None else _dec(zero_at, where),
        applies_with=raw.get("applies_with"),
        shown_when_rate_missing=str(raw.get("shown_when_rate_missing", "0")),
        participation_rate=participation.get("rate"),
        participation_bands=bands,
        first_year=school_year_end(str(raw.get("from", "2014-15"))),
        last_year=school_year_end(str(raw["until"])) if raw.get("until") else None,
        sources=cited,
    )


def parse_rules(data: dict[str, Any]) -> NgasRules:
    sources = {str(k): str(v) for k, v in data["sources"].items()}
    cells = tuple(_cell(raw, sources) for raw in data["cells"])
    keys = [c.key for c in cells]
    if len(set(keys)) != len(keys):
        raise RulesError("two cells share a key")
    span = data["span_rules"]
    part = data["participation_flag"]
    gap = data["achievement_gap"]
    grad = data["graduation_gap"]
    years = tuple(str(y) for y in data["school_years"])
    by_year = {}
    for year in years:
        end = school_year_end(year)
        by_year[year] = YearRules(
            school_year=year,
            cells=tuple(c for c in cells if c.in_force(end)),
            growth_cells=tuple(span["growth_cells"]),
            high_school_cells=tuple(span["high_school_cells"]),
            high_school_lowest_grade=int(span["high_school_lowest_grade"]),
            participation_column=str(part["column"]),
            participation_threshold=_dec(part["threshold"], "participation_flag"),
            participation_rates=tuple(part["rates"]),
            achievement_gap_column=str(gap["column"]),
            achievement_gap_cap=_dec(gap["cap"], "achievement_gap"),
            achievement_gap_subjects=tuple(
                GapSubject(s["high_needs"], s["non_high_needs"], s["hurdle"])
                for s in gap["subjects"]
            ),
            graduation_gap_column=str(grad["column"]),
            graduation_gap_cap=_dec(grad["cap"], "graduation_gap"),
            graduation_high_needs=str(grad["high_needs"]),
            graduation_non_high_needs=str(grad["non_high_needs"]),
            graduation_hurdle=str(grad["hurdle"]),
            graduation_hurdle_scale=_dec(grad["hurdle_scale"], "graduation_gap"),
            sources=sources,
        )
    return NgasRules(school_years=years, by_year=by_year, all_cells=cells)


@cache
def load_rules(path: Path = RULES_FILE) -> NgasRules:
    with path.open(encoding="utf-8") as handle:
        return parse_rules(yaml.safe_load(handle))
