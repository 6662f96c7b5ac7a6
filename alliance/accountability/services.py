"""Writes of accountability data: importing an EdSight export for a school year."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from alliance.accountability.compare import Difference, compare_row
from alliance.accountability.engine import EntityResult
from alliance.accountability.export import ExportRow, compute_export, read_export
from alliance.accountability.models import AccountabilityResult, AccountabilityYear
from alliance.accounts.models import User
from alliance.lib import clock
from alliance.registry.models import District, School


@dataclass(frozen=True)
class ImportSummary:
    school_year: str
    entities: int
    cells_compared: int
    differences: tuple[Difference, ...]
    index_compared: int
    index_differences: tuple[Difference, ...]
    warnings: tuple[str, ...]
    replaced: bool

    def largest(self, count: int = 10) -> list[Difference]:
        return sorted(self.differences, key=lambda d: d.size, reverse=True)[:count]

    def report(self) -> str:
        lines = [
            f"{'Replaced' if self.replaced else 'Imported'} {self.school_year}: "
            f"{self.entities} entities, {self.cells_compared} cells compared, "
            f"{len(self.differences)} differ by more than 0.001 points; "
            f"{self.index_compared} indexes compared, {len(self.index_differences)} differ by "
            f"more than 0.01.",
        ]
        for d in self.largest():
            lines.append(
                f"  row {d.row} {d.entity}: {d.column} published {_show(d.published)}, "
                f"recomputed {_show(d.computed)}"
            )
        for d in self.index_differences[:10]:
            lines.append(
                f"  row {d.row} {d.entity}: index published {_show(d.published)}, "
                f"recomputed {_show(d.computed)}"
            )
        if self.warnings:
            lines.append(f"{len(self.warnings)} out-of-range values kept as published:")
            lines.extend(f"  {w}" for w in self.warnings[:10])
        return "\n".join(lines)


def _show(value: Decimal | None) -> str:
    return "." if value is None else f"{value:.6f}"


def _s(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.6f}"


def accountability_import(*, path: Path, user: User | None = None) -> ImportSummary:
    """Import an export for its school year, replacing any earlier import of that year atomically.

    The whole file is read and checked first; a bad cell raises DataFileError and nothing changes.
    """
    export = read_export(path)
    computed = compute_export(export)
    comparisons = [compare_row(export.rules, row, result) for row, result in computed]
    warnings = tuple(
        f"row {row.number} {row.name}: {w}" for row, result in computed for w in result.warnings
    )
    districts = dict(District.objects.values_list("code", "id"))
    schools = dict(School.objects.values_list("code", "id"))
    with transaction.atomic():
        replaced = AccountabilityYear.objects.filter(school_year=export.school_year).exists()
        AccountabilityYear.objects.filter(school_year=export.school_year).delete()
        year = AccountabilityYear.objects.create(
            school_year=export.school_year,
            source_file=export.file,
            imported_at=clock.now(),
            imported_by=user,
            entities=len(computed),
            cells_compared=sum(c.cells_compared for c in comparisons),
            cells_differing=sum(len(c.differences) for c in comparisons),
        )
        AccountabilityResult.objects.bulk_create(
            [
                _result(year, export.rules.cells, row, result, districts, schools)
                for row, result in computed
            ],
            batch_size=500,
        )
    return ImportSummary(
        school_year=export.school_year,
        entities=len(computed),
        cells_compared=year.cells_compared,
        differences=tuple(d for c in comparisons for d in c.differences),
        index_compared=sum(c.index_compared for c in comparisons),
        index_differences=tuple(d for c in comparisons for d in c.index_differences),
        warnings=warnings,
        replaced=replaced,
    )


def _result(
    year: AccountabilityYear,
    cells: tuple,  # type: ignore[type-arg]
    row: ExportRow,
    result: EntityResult,
    districts: dict[str, int],
    schools: dict[str, int],
) -> AccountabilityResult:
    stored = {}
    for cell in cells:
        ours = result.cells.get(cell.key)
        published_points = row.published_value(cell.points)
        published_possible = row.published_value(cell.possible)
        if ours is None and published_points is None and not published_possible:
            continue
        stored[cell.key] = {
            "rate": _s(ours.rate if ours else row.values.get(cell.rate)),
            "points": _s(ours.points) if ours else None,
            "possible": _s(ours.possible) if ours else None,
            "published_points": _s(published_points),
            "published_possible": _s(published_possible),
        }
    inputs = {column: _s(value) for column, value in row.values.items() if value is not None}
    return AccountabilityResult(
        year=year,
        category=row.category,
        district_code=row.district_code,
        school_code=row.school_code,
        name=row.name,
        district_name=row.district_name,
        district_id=districts.get(row.district_code) if row.category != "state" else None,
        school_id=schools.get(row.school_code) if row.category == "school" else None,
        span=result.span,
        total_points=result.total_points,
        total_possible=result.total_possible,
        index=result.index,
        published_total_points=row.published_value("TotalPoints"),
        published_total_possible=row.published_value("TotalPossiblePoints"),
        published_index=row.published_value("OutcomeRatePct"),
        achievement_gap_flag=result.achievement_gap_flag,
        graduation_gap_flag=result.graduation_gap_flag,
        participation_flag=result.participation_flag,
        cells=stored,
        inputs=inputs,
    )
