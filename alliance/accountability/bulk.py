"""`ngas compute` for whole files at once: the engine's rules as polars column expressions.

The Decimal engine (engine.py) is the reference: imports and pages use it, and the tests require
this path to write, cell for cell, the same six-decimal strings on every bundled export. This path
exists because a statewide file is parsed, checked and computed here in a small multiple of the
time Python's csv module needs merely to split it (bench/ngas_compute.py).
"""

from __future__ import annotations

import csv
import gzip
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import polars as pl

from alliance.accountability.export import (
    CATEGORIES,
    GRADES,
    IDENTITY,
    REQUIRED,
    output_columns,
    value_columns,
)
from alliance.accountability.rules import Cell, NgasRules, RulesError, YearRules, load_rules
from alliance.lib.datafile import DataFileError

NOT_EXPORT = "is missing: this is not an EdSight Next Generation Accountability export"
# Exact decimal arithmetic, as in the engine: 20 places keeps every terminating result exact, so
# half-up rounding to 6 places agrees with Python's Decimal, ties included.
DECIMAL = pl.Decimal(38, 20)


def _d(value: object) -> pl.Expr:
    return pl.lit(Decimal(str(value))).cast(DECIMAL)


_HEADER_SEARCH_LINES = 10


@dataclass(frozen=True)
class BulkSummary:
    school_year: str
    entities: int
    warnings: tuple[str, ...]


def _read_bytes(path: Path) -> bytes:
    try:
        raw = path.read_bytes()
        if path.suffix == ".gz":
            raw = gzip.decompress(raw)
    except (OSError, EOFError) as exc:
        raise DataFileError(path.name, None, None, f"cannot be read ({exc})") from exc
    return raw.removeprefix(b"\xef\xbb\xbf")


def _frame(path: Path, rules: NgasRules) -> tuple[pl.DataFrame, int]:
    """The columns the rules read, as strings, and the line number of the header."""
    raw = _read_bytes(path)
    try:
        head = raw[:65536].decode("utf-8", errors="strict" if len(raw) <= 65536 else "ignore")
    except UnicodeDecodeError as exc:
        raise DataFileError(path.name, None, None, "is not UTF-8 text") from exc
    # The header is the first line naming every required column, as in lib.datafile.read_rows.
    header_line = None
    header: list[str] = []
    closest: tuple[int, int, str] = (0, 1, REQUIRED[0])
    for number, fields in enumerate(csv.reader(head.splitlines()[:_HEADER_SEARCH_LINES]), start=1):
        names = [f.strip() for f in fields]
        missing = [c for c in REQUIRED if c not in names]
        if not missing:
            header_line, header = number, names
            break
        if len(REQUIRED) - len(missing) > closest[0]:
            closest = (len(REQUIRED) - len(missing), number, missing[0])
    if header_line is None:
        _, number, column = closest
        raise DataFileError(path.name, number, column, NOT_EXPORT)
    wanted = {*REQUIRED, "SchoolLowGrade"}
    for year in rules.school_years:
        wanted.update(value_columns(rules.for_school_year(year)))
    try:
        frame = pl.read_csv(
            raw,
            skip_rows=header_line - 1,
            columns=[name for name in header if name in wanted],
            infer_schema=False,
            truncate_ragged_lines=False,
        )
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as exc:
        raise DataFileError(path.name, None, None, f"is not valid UTF-8 CSV ({exc})") from exc
    # Each row keeps its line in the file for messages; blank lines (a trailing one) are not rows.
    frame = frame.with_row_index("_line", offset=header_line + 1)
    frame = frame.filter(
        ~pl.all_horizontal(
            pl.exclude("_line").is_null() | (pl.exclude("_line").str.strip_chars() == "")
        )
    )
    return frame, header_line


def _numbers(
    frame: pl.DataFrame, columns: tuple[str, ...], name: str, header_line: int
) -> pl.DataFrame:
    """Cast value columns to floats; '.' and blanks are missing; anything else must be a number."""
    exprs = []
    for column in columns:
        raw = pl.col(column).str.strip_chars()
        missing = raw.is_null() | raw.is_in([".", ""])
        exprs.append(
            pl.when(missing).then(None).otherwise(raw).cast(DECIMAL, strict=False).alias(column)
        )
        bad = frame.filter(~missing.fill_null(True) & raw.cast(DECIMAL, strict=False).is_null())
        if bad.height:
            row = bad.row(0, named=True)
            raise DataFileError(
                name, row["_line"], column, f"{row[column].strip()!r} is not a number"
            )
    return frame.with_columns(exprs)


def compute_file_bulk(source: Path, out: Path, *, rules: NgasRules | None = None) -> BulkSummary:
    rules = rules or load_rules()
    frame, header_line = _frame(source, rules)
    name = source.name
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise DataFileError(name, header_line, missing[0], NOT_EXPORT)
    if frame.height == 0:
        raise DataFileError(name, None, None, "has a header but no rows")
    years = frame.get_column("schoolyear").str.strip_chars()
    school_year = years[0]
    try:
        year_rules = rules.for_school_year(school_year)
    except RulesError as exc:
        raise DataFileError(name, frame.item(0, "_line"), "schoolyear", str(exc)) from None
    other = frame.filter(years != school_year)
    if other.height:
        row = other.row(0, named=True)
        raise DataFileError(
            name,
            row["_line"],
            "schoolyear",
            f"{row['schoolyear'].strip()!r} differs from {school_year!r} above; "
            "one school year per file",
        )
    columns = value_columns(year_rules)
    absent = [c for c in columns if c not in frame.columns]
    if absent:
        raise DataFileError(name, header_line, absent[0], "is missing from the header row")
    frame = _identity(frame, name, header_line)
    frame = _numbers(frame, columns, name, header_line)
    frame = _spans(frame, year_rules)
    result = _compute(frame, year_rules, rules)
    warnings = _warnings(frame, year_rules, header_line)
    partial = out.with_name(out.name + ".part")
    try:
        result.write_csv(partial, include_header=True, null_value=".")
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return BulkSummary(school_year, frame.height, warnings)


def _identity(frame: pl.DataFrame, name: str, header_line: int) -> pl.DataFrame:
    unwrap = {
        c: pl.col(c).str.strip_chars().str.strip_prefix('="').str.strip_suffix('"')
        for c in IDENTITY
    }
    frame = frame.with_columns(**unwrap)
    indexed = frame
    for column in IDENTITY:
        empty = indexed.filter(pl.col(column).is_null() | (pl.col(column) == ""))
        if empty.height:
            raise DataFileError(name, empty.item(0, "_line"), column, "is empty")
    wrong = indexed.filter(~pl.col("Category").is_in(list(CATEGORIES)))
    if wrong.height:
        row = wrong.row(0, named=True)
        raise DataFileError(
            name,
            row["_line"],
            "Category",
            f"{row['Category']!r} is not StateTot, DistrictTot or SchoolTot",
        )
    for column in ("ReportingDistrictCode", "SchoolCode"):
        bad = indexed.filter(~pl.col(column).str.contains(r"^\d{7}$"))
        if bad.height:
            row = bad.row(0, named=True)
            raise DataFileError(
                name, row["_line"], column, f"{row[column]!r} is not a 7-digit code"
            )
    key = ["Category", "ReportingDistrictCode", "SchoolCode"]
    dup = indexed.filter(pl.struct(key).is_duplicated())
    if dup.height:
        first = dup.row(0, named=True)
        second = dup.filter(
            pl.struct(key)
            == pl.struct(
                pl.lit(first["Category"]).alias("Category"),
                pl.lit(first["ReportingDistrictCode"]).alias("ReportingDistrictCode"),
                pl.lit(first["SchoolCode"]).alias("SchoolCode"),
            )
        ).row(1, named=True)
        entity = (
            first["SchoolName"] if first["Category"] == "SchoolTot" else first["RptngDistrictName"]
        )
        raise DataFileError(
            name,
            second["_line"],
            "SchoolCode" if first["Category"] == "SchoolTot" else "ReportingDistrictCode",
            f"{entity} appears twice (first on row {first['_line']})",
        )
    return frame


def _spans(frame: pl.DataFrame, rules: YearRules) -> pl.DataFrame:
    """Indicator 1's maxima for each row, decided as engine.entity_span decides them."""
    if rules.growth_rates:
        growth = pl.any_horizontal([pl.col(c).is_not_null() for c in rules.growth_rates])
        high_school = pl.any_horizontal([pl.col(c).is_not_null() for c in rules.high_school_rates])
    else:
        grade = (
            pl.col("SchoolLowGrade")
            .str.strip_chars()
            .replace_strict({k: v for k, v in GRADES.items()}, default=None, return_dtype=pl.Int64)
        )
        frame = frame.with_columns(_grade=grade)
        lowest = (
            frame.filter(pl.col("Category") == "SchoolTot")
            .group_by("ReportingDistrictCode")
            .agg(_district_grade=pl.col("_grade").min())
        )
        frame = frame.join(lowest, on="ReportingDistrictCode", how="left", maintain_order="left")
        lowest_grade = (
            pl.when(pl.col("Category") == "SchoolTot")
            .then(pl.col("_grade"))
            .when(pl.col("Category") == "DistrictTot")
            .then(pl.col("_district_grade"))
            .otherwise(pl.lit(GRADES["PK"]))
        )
        growth = pl.lit(False)
        high_school = lowest_grade.fill_null(-99) >= rules.high_school_lowest_grade
    span = (
        pl.when(growth)
        .then(pl.lit("with_growth"))
        .when(high_school)
        .then(pl.lit("high_school"))
        .otherwise(pl.lit("other"))
    )
    return frame.with_columns(_span=span)


def _maximum(cell: Cell) -> pl.Expr:
    m = cell.max_points
    return (
        pl.when(pl.col("_span") == "with_growth")
        .then(_d(m["with_growth"]))
        .when(pl.col("_span") == "high_school")
        .then(_d(m["high_school"]))
        .otherwise(_d(m["other"]))
    )


def _cell(cell: Cell) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(applies, points, possible) for one cell, as the Decimal engine computes them."""
    rate = pl.col(cell.rate)
    applies = pl.col(cell.applies_with).is_not_null() if cell.applies_with else rate.is_not_null()
    maximum = _maximum(cell)
    if cell.lower_is_better:
        assert cell.zero_at is not None
        share = (_d(cell.zero_at) - rate) / _d(cell.zero_at - cell.target)
    else:
        share = rate / _d(cell.target)
    points = maximum * share.clip(_d(0), _d(1))
    if cell.participation_bands:
        participation = pl.col(cell.participation_rate or "")
        factor: pl.Expr = _d(0)
        for band in reversed(cell.participation_bands):
            factor = (
                pl.when(participation >= _d(band.at_least)).then(_d(band.factor)).otherwise(factor)
            )
        points = points * factor.fill_null(_d(0))
    points = points.round(12, mode="half_away_from_zero")  # engine.CARRY: 12 places, half up
    points = pl.when(applies).then(points.fill_null(_d(0))).otherwise(None)
    possible = pl.when(applies).then(maximum).otherwise(None)
    return applies, points, possible


def _six(expr: pl.Expr) -> pl.Expr:
    """Six decimals, half away from zero, written out in full (50.000000, not 50.0)."""
    return expr.round(6, mode="half_away_from_zero").cast(pl.Decimal(38, 6)).cast(pl.String)


def _compute(frame: pl.DataFrame, rules: YearRules, all_rules: NgasRules) -> pl.DataFrame:
    cells = {cell.key: _cell(cell) for cell in rules.cells}
    points_cols = []
    possible_cols = []
    out: dict[str, pl.Expr] = {
        "RptngDistrictName": pl.col("RptngDistrictName"),
        "ReportingDistrictCode": pl.col("ReportingDistrictCode"),
        "SchoolName": pl.col("SchoolName"),
        "SchoolCode": pl.col("SchoolCode"),
        "Category": pl.col("Category"),
        "schoolyear": pl.lit(rules.school_year),
    }
    for cell in all_rules.all_cells:
        if cell.key not in cells:
            out[cell.points] = pl.lit(None, dtype=pl.String)
            out[cell.possible] = pl.lit(None, dtype=pl.String)
            continue
        _, points, possible = cells[cell.key]
        points_cols.append(points.fill_null(_d(0)))
        possible_cols.append(possible.fill_null(_d(0)))
        shown = _six(points)
        if cell.shown_when_rate_missing == ".":
            shown = pl.when(pl.col(cell.rate).is_null()).then(None).otherwise(shown)
        out[cell.points] = shown
        out[cell.possible] = _six(possible)
    total = pl.sum_horizontal(points_cols)
    possible_total = pl.sum_horizontal(possible_cols)
    out["TotalPoints"] = _six(total)
    out["TotalPossiblePoints"] = _six(possible_total)
    # Both branches of a when/then are evaluated, so never divide by zero: 0 of 0 is printed as 0.
    divisor = pl.when(possible_total > _d(0)).then(possible_total).otherwise(None)
    out["OutcomeRatePct"] = _six((_d(100) * total / divisor).fill_null(_d(0)))
    out["AchievementGapFlag"] = _achievement_flag(rules)
    out["GradGapFlag"] = _graduation_flag(rules)
    out["Ind3PartRateFlag"] = _participation_flag(rules)
    columns = output_columns(all_rules)
    return frame.select([out[c].alias(c) for c in columns])


def _flag(expr: pl.Expr) -> pl.Expr:
    return expr.cast(pl.Int8).cast(pl.String)


def _achievement_flag(rules: YearRules) -> pl.Expr:
    any_hurdle = pl.any_horizontal(
        [pl.col(s.hurdle).is_not_null() for s in rules.achievement_gap_subjects]
    )
    over = pl.any_horizontal(
        [
            # min_horizontal skips nulls, so a missing value must make the comparison null first.
            pl.when(pl.col(s.non_high_needs).is_not_null())
            .then(
                pl.min_horizontal(pl.col(s.non_high_needs), _d(rules.achievement_gap_cap))
                - pl.col(s.high_needs)
                > pl.col(s.hurdle)
            )
            .fill_null(False)
            for s in rules.achievement_gap_subjects
        ]
    )
    return _flag(pl.when(any_hurdle).then(over).otherwise(None))


def _graduation_flag(rules: YearRules) -> pl.Expr:
    gap = pl.max_horizontal(
        pl.min_horizontal(pl.col(rules.graduation_non_high_needs), _d(rules.graduation_gap_cap))
        - pl.col(rules.graduation_high_needs),
        _d(0),
    )
    both = (
        pl.col(rules.graduation_high_needs).is_not_null()
        & pl.col(rules.graduation_non_high_needs).is_not_null()
    )
    over = (
        pl.when(both)
        .then(gap * _d(rules.graduation_hurdle_scale) > pl.col(rules.graduation_hurdle))
        .otherwise(False)
    )
    return _flag(pl.when(pl.col(rules.graduation_hurdle).is_not_null()).then(over).otherwise(None))


def _participation_flag(rules: YearRules) -> pl.Expr:
    present = pl.any_horizontal([pl.col(c).is_not_null() for c in rules.participation_rates])
    below = pl.any_horizontal(
        [
            (pl.col(c) < _d(rules.participation_threshold)).fill_null(False)
            for c in rules.participation_rates
        ]
    )
    return _flag(pl.when(present).then(below).otherwise(None))


def _warnings(frame: pl.DataFrame, rules: YearRules, header_line: int) -> tuple[str, ...]:
    names = (
        pl.when(pl.col("Category") == "SchoolTot")
        .then(pl.col("SchoolName"))
        .otherwise(pl.col("RptngDistrictName"))
    )
    found: list[tuple[int, str]] = []
    indexed = frame.with_columns(_name=names)
    for column, ceiling in rules.rate_ceilings:
        bad = indexed.filter((pl.col(column) < _d(0)) | (pl.col(column) > _d(ceiling)))
        for line, entity, value in bad.select("_line", "_name", column).iter_rows():
            found.append(
                (line, f"row {line} {entity}: {column} {value:.6f} is outside 0-{ceiling}")
            )
    return tuple(message for _, message in sorted(found))
