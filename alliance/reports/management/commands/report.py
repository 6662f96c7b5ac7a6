from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alliance.plans.selectors import plan_named
from alliance.reports.data import board_data
from alliance.reports.deck import board_deck
from alliance.reports.workbook import budget_workbook

BUILDERS = {
    "board-deck": (board_deck, "the Board of Education presentation (.pptx)"),
    "workbook": (budget_workbook, "the budget workbook (.xlsx)"),
}


class Command(BaseCommand):
    help = "Write a plan's report: `alliance report board-deck` or `alliance report workbook`."

    def add_arguments(self, parser: CommandParser) -> None:
        what = parser.add_subparsers(dest="what", required=True)
        for name, (_, description) in BUILDERS.items():
            sub = what.add_parser(name, help=description)
            sub.add_argument("--district", required=True, help="CSDE district code, e.g. 0170011")
            sub.add_argument("--fiscal-year", type=int, required=True, help="e.g. 2025")
            sub.add_argument("--out", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        plan = plan_named(options["district"], options["fiscal_year"])
        if plan is None:
            raise CommandError(
                f"No plan for district {options['district']} in FY{options['fiscal_year']}."
            )
        build, description = BUILDERS[options["what"]]
        content = build(board_data(plan))
        options["out"].write_bytes(content)
        self.stdout.write(
            f"Wrote {description} of {plan} to {options['out']} ({len(content):,} bytes)."
        )
