"""Reading identification inputs from files: an index table, an enrollment table, a list. Pure."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from alliance.accountability.export import compute_export, read_export
from alliance.designation.identify import TYPE_NAMES, DistrictInput, Identification
from alliance.lib.datafile import DataFileError, read_rows

DISTRICT_TABLE_COLUMNS = (
    "school_year",
    "district_name",
    "district_code",
    "accountability_index_pct",
)


def read_indexes(path: Path) -> tuple[str, dict[str, tuple[str, Decimal | None]]]:
    """(school year, {code: (name, index)}) from an EdSight NGA export or a district index table.

    From an export, CSDE's published OutcomeRatePct is used where present (it is the official
    figure); where it is blank, the index is recomputed from the rates.
    """
    try:
        return _read_district_table(path)
    except DataFileError as exc:
        if (
            exc.message != "is missing from the header row"
            or exc.column not in DISTRICT_TABLE_COLUMNS
        ):
            raise
    export = read_export(path)
    indexes: dict[str, tuple[str, Decimal | None]] = {}
    for row, result in compute_export(export):
        if row.category != "district":
            continue
        published = row.published_value("OutcomeRatePct")
        indexes[row.district_code] = (
            row.district_name,
            published if published is not None else result.index,
        )
    return export.school_year, indexes


def _read_district_table(path: Path) -> tuple[str, dict[str, tuple[str, Decimal | None]]]:
    years: set[str] = set()
    indexes: dict[str, tuple[str, Decimal | None]] = {}
    for row in read_rows(path, required_columns=DISTRICT_TABLE_COLUMNS):
        code = row.code("district_code", digits=7)
        if code in indexes:
            raise row.error("district_code", f"{code} appears twice")
        years.add(row.text("school_year"))
        indexes[code] = (
            row.text("district_name"),
            row.amount("accountability_index_pct", required=False),
        )
    if len(years) != 1:
        raise DataFileError(
            path.name, None, "school_year", f"holds {len(years)} school years, not one"
        )
    return years.pop(), indexes


def read_enrollment(path: Path, school_year: str) -> dict[str, int | None]:
    counts: dict[str, int | None] = {}
    columns = ("school_year", "district_code", "enrollment_count")
    for row in read_rows(path, required_columns=columns):
        if row.text("school_year") != school_year:
            continue
        code = row.code("district_code", digits=7)
        counts[code] = row.optional_integer("enrollment_count", suppressed=("*",))
    if not counts:
        raise DataFileError(path.name, None, "school_year", f"has no {school_year} rows")
    return counts


def read_codes(path: Path, *, flag_column: str | None = None) -> frozenset[str]:
    required: Sequence[str] = ("district_code", flag_column) if flag_column else ("district_code",)
    codes = set()
    for row in read_rows(path, required_columns=required):
        if flag_column and not row.flag(flag_column):
            continue
        codes.add(row.code("district_code", digits=7))
    return frozenset(codes)


def district_inputs(
    indexes: dict[str, tuple[str, Decimal | None]], enrollment: dict[str, int | None]
) -> list[DistrictInput]:
    return [
        DistrictInput(code=code, name=name, index=index, enrollment=enrollment.get(code))
        for code, (name, index) in indexes.items()
    ]


OUTPUT_COLUMNS = (
    "district_code", "district_name", "org_type", "enrollment", "accountability_index",
    "eligible", "rank", "step3_selected", "step4_added", "designated", "reason",
)  # fmt: skip


def write_identification(path: Path, result: Identification) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(OUTPUT_COLUMNS)
        for o in result.outcomes:
            d = o.district
            writer.writerow(
                [
                    d.code,
                    d.name,
                    TYPE_NAMES.get(d.district_type, d.district_type),
                    "" if d.enrollment is None else d.enrollment,
                    "" if d.index is None else f"{d.index:.6f}",
                    _yes(o.eligible),
                    "" if o.rank is None else o.rank,
                    _yes(o.step3_selected),
                    _yes(o.step4_added),
                    _yes(o.designated),
                    o.reason,
                ]
            )


def _yes(value: bool) -> str:
    return "yes" if value else "no"
