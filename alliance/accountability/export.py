"""Reading EdSight "Next Generation Accountability" exports and writing computed results. Pure."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import TextIO

from alliance.accountability.engine import EntityResult, compute_entity
from alliance.accountability.rules import NgasRules, RulesError, YearRules, load_rules
from alliance.lib.datafile import DataFileError, Row, read_rows

IDENTITY = ("RptngDistrictName", "ReportingDistrictCode", "SchoolName", "SchoolCode", "Category")
REQUIRED = (*IDENTITY, "schoolyear")
CATEGORIES = {"StateTot": "state", "DistrictTot": "district", "SchoolTot": "school"}
MISSING = (".", "")
GRADES = {"PK": -1, "K": 0, **{str(g): g for g in range(1, 13)}}
SIX_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class ExportRow:
    number: int  # the line in the file
    category: str  # state, district or school
    district_code: str
    district_name: str
    school_code: str
    school_name: str
    school_type: str
    low_grade: str
    high_grade: str
    values: dict[str, Decimal | None]
    # CSDE's own points, totals and index, as written: compute ignores them, so they are parsed
    # only when compared (import, tests), and a blank or "." is simply no value.
    published: dict[str, str]

    def published_value(self, column: str) -> Decimal | None:
        raw = self.published.get(column, ".").strip()
        try:
            value = Decimal(raw)
        except InvalidOperation:
            return None
        return value if value.is_finite() else None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.category, self.district_code, self.school_code)

    @property
    def name(self) -> str:
        return self.school_name if self.category == "school" else self.district_name


@dataclass(frozen=True)
class Export:
    file: str
    school_year: str
    rules: YearRules
    rows: tuple[ExportRow, ...]

    def lowest_grades(self) -> dict[tuple[str, str, str], int | None]:
        return lowest_grades(self.rows)


def _number(row: Row, column: str) -> Decimal | None:
    raw = row.values.get(column, ".")
    if raw == "." or raw == "":
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raw = raw.strip()
        if raw in MISSING:
            return None
        raise row.error(column, f"{raw!r} is not a number")
    return value


PUBLISHED_TOTALS = ("TotalPoints", "TotalPossiblePoints", "OutcomeRatePct")


def value_columns(rules: YearRules) -> tuple[str, ...]:
    columns = list(rules.rate_columns)
    columns += list(rules.participation_rates)
    for subject in rules.achievement_gap_subjects:
        columns += [subject.high_needs, subject.non_high_needs, subject.hurdle]
    columns += [
        rules.graduation_high_needs,
        rules.graduation_non_high_needs,
        rules.graduation_hurdle,
    ]
    return tuple(dict.fromkeys(columns))


class ExportReader:
    """Streams the rows of an export, checking each; the school year and its rules are known once
    the first row is read. Any problem raises DataFileError naming the row and column."""

    def __init__(self, path: Path, *, rules: NgasRules | None = None) -> None:
        self.path = path
        self.all_rules = rules or load_rules()
        self.school_year: str | None = None
        self.rules: YearRules | None = None

    def __iter__(self) -> Iterator[ExportRow]:
        try:
            yield from self._rows()
        except DataFileError as exc:
            if exc.column in IDENTITY and exc.message == "is missing from the header row":
                raise DataFileError(
                    self.path.name,
                    exc.row,
                    exc.column,
                    "is missing: this is not an EdSight Next Generation Accountability export",
                ) from None
            raise
        if self.school_year is None:
            raise DataFileError(self.path.name, None, None, "has a header but no rows")

    def _rows(self) -> Iterator[ExportRow]:
        seen: dict[tuple[str, str, str], int] = {}
        columns: tuple[str, ...] = ()
        published_columns: tuple[str, ...] = ()
        for row in read_rows(self.path, required_columns=REQUIRED):
            year = row.text("schoolyear")
            if self.school_year is None:
                try:
                    self.rules = self.all_rules.for_school_year(year)
                except RulesError as exc:
                    raise row.error("schoolyear", str(exc)) from None
                self.school_year = year
                columns = value_columns(self.rules)
                published_columns = PUBLISHED_TOTALS + tuple(
                    name for c in self.rules.cells for name in (c.points, c.possible)
                )
                missing = [c for c in columns if c not in row.values]
                if missing:
                    raise DataFileError(
                        self.path.name, row.number - 1, missing[0], "is missing from the header row"
                    )
            elif year != self.school_year:
                raise row.error(
                    "schoolyear",
                    f"{year!r} differs from {self.school_year!r} above; one school year per file",
                )
            category_raw = row.text("Category")
            if category_raw not in CATEGORIES:
                raise row.error(
                    "Category", f"{category_raw!r} is not StateTot, DistrictTot or SchoolTot"
                )
            category = CATEGORIES[category_raw]
            entity = ExportRow(
                number=row.number,
                category=category,
                district_code=row.code("ReportingDistrictCode", digits=7),
                district_name=row.text("RptngDistrictName"),
                school_code=row.code("SchoolCode", digits=7),
                school_name=row.text("SchoolName"),
                school_type=row.values.get("SchoolOrgType", "").strip(),
                low_grade=row.values.get("SchoolLowGrade", "").strip(),
                high_grade=row.values.get("SchoolHighGrade", "").strip(),
                values={c: _number(row, c) for c in columns},
                published={c: row.values.get(c, ".") for c in published_columns},
            )
            if entity.key in seen:
                raise row.error(
                    "SchoolCode" if category == "school" else "ReportingDistrictCode",
                    f"{entity.name} appears twice (first on row {seen[entity.key]})",
                )
            seen[entity.key] = row.number
            yield entity


def read_export(path: Path, *, rules: NgasRules | None = None) -> Export:
    """Read and check a whole export into memory (for imports, which store every row)."""
    reader = ExportReader(path, rules=rules)
    rows = tuple(reader)
    assert reader.school_year is not None and reader.rules is not None
    return Export(path.name, reader.school_year, reader.rules, rows)


def lowest_grades(rows: Iterable[ExportRow]) -> dict[tuple[str, str, str], int | None]:
    """Each entity's lowest grade: a school's own; a district's from its schools in the file."""
    lowest: dict[tuple[str, str, str], int | None] = {}
    by_district: dict[str, int] = {}
    districts = []
    for row in rows:
        if row.category == "school":
            grade = GRADES.get(row.low_grade)
            lowest[row.key] = grade
            if grade is not None:
                by_district[row.district_code] = min(grade, by_district.get(row.district_code, 99))
        elif row.category == "district":
            districts.append(row.key)
        else:
            lowest[row.key] = GRADES["PK"]
    for key in districts:
        lowest[key] = by_district.get(key[1])
    return lowest


def six(value: Decimal | None) -> str:
    if value is None:
        return "."
    return f"{value.quantize(SIX_PLACES, rounding=ROUND_HALF_UP):f}"


def output_columns(rules: NgasRules) -> list[str]:
    columns = [*IDENTITY, "schoolyear"]
    for cell in rules.all_cells:
        columns += [cell.points, cell.possible]
    return [
        *columns,
        "TotalPoints",
        "TotalPossiblePoints",
        "OutcomeRatePct",
        "AchievementGapFlag",
        "GradGapFlag",
        "Ind3PartRateFlag",
    ]


CATEGORY_NAMES = {v: k for k, v in CATEGORIES.items()}


def compute_export(export: Export) -> list[tuple[ExportRow, EntityResult]]:
    lowest = export.lowest_grades()
    return [
        (row, compute_entity(export.rules, row.values, lowest_grade=lowest.get(row.key)))
        for row in export.rows
    ]


def write_results(
    path: Path, export: Export, results: Iterable[tuple[ExportRow, EntityResult]], rules: NgasRules
) -> int:
    with path.open("w", newline="", encoding="utf-8") as handle:
        return _write(handle, export.school_year, results, rules)


def _write(
    handle: TextIO,
    school_year: str,
    results: Iterable[tuple[ExportRow, EntityResult]],
    rules: NgasRules,
) -> int:
    columns = output_columns(rules)
    count = 0
    writer = csv.writer(handle)
    writer.writerow(columns)
    for row, result in results:
        out: dict[str, str] = {
            "RptngDistrictName": row.district_name,
            "ReportingDistrictCode": row.district_code,
            "SchoolName": row.school_name,
            "SchoolCode": row.school_code,
            "Category": CATEGORY_NAMES[row.category],
            "schoolyear": school_year,
            # As CSDE prints them: an entity with nothing to score shows 0 of 0 and an index
            # of 0. It has no index really, and the product never ranks it.
            "TotalPoints": six(result.total_points),
            "TotalPossiblePoints": six(result.total_possible),
            "OutcomeRatePct": six(result.index if result.index is not None else Decimal(0)),
            "AchievementGapFlag": _flag(result.achievement_gap_flag),
            "GradGapFlag": _flag(result.graduation_gap_flag),
            "Ind3PartRateFlag": _flag(result.participation_flag),
        }
        for cell in rules.all_cells:
            computed = result.cells.get(cell.key)
            out[cell.points] = six(computed.points if computed else None)
            if computed and computed.rate is None and cell.shown_when_rate_missing == ".":
                out[cell.points] = "."
            out[cell.possible] = six(computed.possible if computed else None)
        writer.writerow([out[c] for c in columns])
        count += 1
    return count


def _flag(value: int | None) -> str:
    return "." if value is None else str(value)


__all__: Sequence[str] = [
    "Export",
    "ExportReader",
    "ExportRow",
    "compute_export",
    "read_export",
    "write_results",
]
