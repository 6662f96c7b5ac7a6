"""Time the Board deck and the budget workbook of the demo's Bristol FY2025 plan (its whole year:
95 positions, 12 lines, 2,379 expenditures, progress and meetings).

    .venv/bin/python bench/reports.py [--runs 10]

Builds `make run`'s demo data in a fresh SQLite database (or DATABASE_URL), then generates each
report `runs` times from the database (gathering the data and building the file). The target is
under 3 seconds each.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings_test")
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        from alliance.plans.models import Plan
        from alliance.reports.data import board_data
        from alliance.reports.deck import board_deck
        from alliance.reports.workbook import budget_workbook

        call_command("demo", no_serve=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
        plan = Plan.objects.get(district__code="0170011", fiscal_year=2025)
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        print(f"reports on {engine}, {platform.machine()}, {os.cpu_count()} CPUs; "
              f"the demo's {plan}")  # fmt: skip
        for name, build in (("Board deck (.pptx)", board_deck),
                            ("budget workbook (.xlsx)", budget_workbook)):  # fmt: skip
            times, size = [], 0
            for _ in range(args.runs):
                start = time.perf_counter()
                size = len(build(board_data(Plan.objects.get(pk=plan.pk))))
                times.append(time.perf_counter() - start)
            times.sort()
            p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
            print(f"  {name}: p50 {statistics.median(times) * 1000:.0f} ms, "
                  f"p95 {p95 * 1000:.0f} ms, {size:,} bytes (target: under 3 s)")  # fmt: skip


if __name__ == "__main__":
    main()
