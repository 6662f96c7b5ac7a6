from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alliance.plans.export import plan_document
from alliance.plans.selectors import plan_contents, plan_named

SCHEMA_HELP = """\
The JSON document (schema "alliance-grants/plan-export/1", described in docs/plan-export.md):
district {code, name}; fiscal_year; period {start, end}; status; illustrative; allocation;
allocation_source; benefits_rate; strategies [{id, focus_area, focus_area_name, title, description,
owner, evidence_level, schools [{code, name, tier}], goals [{id, measure, ngas_cell, school_code,
description, student_group, baseline, baseline_year, target, unit, meetings}]}]; positions [{id,
title, staff_category, strategy_id, school_code, fte, salary, grant_share, benefits_rate,
vacant_until}]; lines [{id, funding_area, object_code, description, vendor, strategy_id,
school_code, amount}]; totals {budget, allocation, difference, by_funding_area, by_object_code,
by_strategy, by_school: [{code, name, amount}]}. Money is a string with two decimals."""


class Command(BaseCommand):
    help = "Export data from the product. `alliance export plan` writes a whole plan as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        what = parser.add_subparsers(dest="what", required=True)
        plan = what.add_parser(
            "plan", help="one district's plan for a fiscal year", epilog=SCHEMA_HELP
        )
        plan.add_argument("--district", required=True, help="CSDE district code, e.g. 0170011")
        plan.add_argument("--fiscal-year", type=int, required=True, help="e.g. 2025 for FY2025")
        plan.add_argument("--format", choices=["json"], default="json")
        plan.add_argument("--out", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        plan = plan_named(options["district"], options["fiscal_year"])
        if plan is None:
            raise CommandError(
                f"No plan for district {options['district']} in FY{options['fiscal_year']}."
            )
        document = plan_document(plan_contents(plan))
        options["out"].write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        self.stdout.write(
            f"Wrote {plan} to {options['out']}: budget {document['totals']['budget']} of "
            f"{document['allocation']} allocated."
        )
