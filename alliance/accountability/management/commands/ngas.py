from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alliance.accountability.bulk import compute_file_bulk
from alliance.lib.datafile import DataFileError


class Command(BaseCommand):
    help = "Next Generation Accountability: recompute an EdSight export, or import one."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        compute = actions.add_parser(
            "compute", help="Recompute points, totals, index and flags from the rates alone."
        )
        compute.add_argument("input", type=Path, help="EdSight NGA export (.csv or .csv.gz)")
        compute.add_argument("--out", type=Path, required=True, help="CSV to write")
        imported = actions.add_parser(
            "import", help="Load an export for its school year (replaces that year)."
        )
        imported.add_argument("input", type=Path, help="EdSight NGA export (.csv or .csv.gz)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "compute":
                self._compute(options["input"], options["out"])
            else:
                self._import(options["input"])
        except DataFileError as exc:
            raise CommandError(
                f"Nothing was {'written' if options['action'] == 'compute' else 'imported'}. {exc}"
            ) from exc

    def _compute(self, source: Path, out: Path) -> None:
        summary = compute_file_bulk(source, out)
        self.stdout.write(f"Wrote {summary.entities} entities of {summary.school_year} to {out}.")
        if summary.warnings:
            self.stdout.write(f"{len(summary.warnings)} out-of-range values kept as published:")
            for warning in summary.warnings[:10]:
                self.stdout.write(f"  {warning}")

    def _import(self, source: Path) -> None:
        # Imported here so `ngas compute` never touches the database layer.
        from alliance.accountability.services import accountability_import

        summary = accountability_import(path=source)
        self.stdout.write(summary.report())
