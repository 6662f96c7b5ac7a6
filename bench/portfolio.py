"""Time the state portfolio and a plan's spending page, as pages and through the API, with 36 funded
plans of 10,000 expenditures each (360,000 in all).

    .venv/bin/python bench/portfolio.py [--runs 10] [--expenditures 10000]

Builds, in a fresh SQLite database (or DATABASE_URL), a funded FY2025 plan for every Alliance
District (20 lines and 40 positions each) with its expenditures spread over the year, then requests
/portfolio/ as the state reviewer and one plan's spending page as its district editor through
Django's test client, then the same through the API and a page of 1,000 expenditures. Prints p50
and p95 per request and the number of SQL queries each issues.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--expenditures", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings_test")
        os.environ.setdefault("ALLOWED_HOSTS", "testserver")
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from alliance.demo.users import DEMO_PASSWORD, demo_users_create
        from alliance.lib.fiscal import FiscalYear
        from alliance.monitoring.models import Expenditure
        from alliance.plans.models import BudgetLine, Plan, Position, Strategy
        from alliance.plans.services import plan_create
        from alliance.registry.models import Designation, District
        from alliance.registry.selectors import alliance_cohort_for
        from alliance.registry.services import registry_load

        call_command("migrate", verbosity=0)
        registry_load(data_dir=settings.CT_DATA_DIR)
        users = {u.username: u for u in demo_users_create()}
        year = FiscalYear(2025)
        cohort = alliance_cohort_for(year)
        districts = District.objects.filter(
            pk__in=Designation.objects.filter(cohort=cohort).values("district")
        )
        Plan.objects.filter(fiscal_year=2025).delete()
        for district in districts:
            plan = plan_create(district=district, fiscal_year=2025, user=None)
            strategy = Strategy.objects.create(plan=plan, focus_area="talent", title="Talent")
            lines = BudgetLine.objects.bulk_create(
                BudgetLine(plan=plan, strategy=strategy, funding_area="supplies",
                           object_code=f"6{i:02d}", description=f"Line {i}",
                           amount=Decimal(50000)) for i in range(20)
            )  # fmt: skip
            positions = Position.objects.bulk_create(
                Position(plan=plan, strategy=strategy, title=f"Teacher {i}",
                         staff_category="direct_service", fte=Decimal(1),
                         salary=Decimal(70000)) for i in range(40)
            )  # fmt: skip
            Plan.objects.filter(pk=plan.pk).update(status="funds_released")
            Expenditure.objects.bulk_create(
                (
                    Expenditure(
                        plan=plan, day=year.start + dt.timedelta(days=i % 365), object_code="600",
                        description=f"Row {i}", amount=Decimal("12.34"),
                        **({"kind": "line", "line": lines[i % 20]} if i % 3 else
                           {"kind": "salary", "position": positions[i % 40]}),
                        entered_by=users["district.editor"],
                    )
                    for i in range(args.expenditures)
                ),
                batch_size=5000,
            )  # fmt: skip
        if connection.vendor == "postgresql":
            # As autovacuum leaves a table: statistics gathered and block ranges summarized.
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM ANALYZE {Expenditure._meta.db_table}")
        reviewer, editor = Client(), Client()
        assert reviewer.login(username="state.reviewer", password=DEMO_PASSWORD)
        assert editor.login(username="district.editor", password=DEMO_PASSWORD)
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        total = Expenditure.objects.count()
        print(f"portfolio on {engine}, {platform.machine()}, {os.cpu_count()} CPUs; "
              f"{districts.count()} funded plans, {total:,} expenditures")  # fmt: skip
        for name, client, url in (
            ("portfolio", reviewer, "/portfolio/?fiscal_year=2025&as_of=2025-02-15"),
            ("spending page (one plan)", editor,
             "/districts/0170011/plans/2025/spending/?as_of=2025-02-15"),
            ("API portfolio", reviewer, "/api/v1/portfolio?fiscal_year=2025&as_of=2025-02-15"),
            ("API spending (one plan)", editor,
             "/api/v1/plans/0170011/2025/spending?as_of=2025-02-15"),
            ("API expenditures, a page of 1,000", editor,
             "/api/v1/plans/0170011/2025/expenditures?limit=1000&offset=5000"),
        ):  # fmt: skip
            client.get(url)
            times = []
            for _ in range(args.runs):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(url)
                    times.append(time.perf_counter() - start)
                assert response.status_code == 200
            times.sort()
            p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
            print(f"  {name}: p50 {statistics.median(times) * 1000:.0f} ms, "
                  f"p95 {p95 * 1000:.0f} ms, {len(queries.captured_queries)} queries")  # fmt: skip


if __name__ == "__main__":
    main()
