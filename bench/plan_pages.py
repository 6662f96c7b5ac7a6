"""Time the plan, budget and workflow pages of a large plan: 60 strategies, 400 positions, 1,000
lines; the review page shows its frozen version beside the checklist, and an open amendment has
changed 100 of its lines (the redline page).

    .venv/bin/python bench/plan_pages.py [--runs 30]

Builds the plan in a fresh SQLite database (or DATABASE_URL), signs in as the district editor, and
requests each page `runs` times through Django's test client (no network). Prints p50 and p95 time
per page and the number of SQL queries each page issues.
"""

from __future__ import annotations

import argparse
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
    parser.add_argument("--runs", type=int, default=30)
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
        from alliance.plans.models import BudgetLine, Plan, Position, Strategy
        from alliance.plans.services import plan_create
        from alliance.registry.models import District, School
        from alliance.registry.services import registry_load

        call_command("migrate", verbosity=0)
        registry_load(data_dir=settings.CT_DATA_DIR)
        demo_users_create()
        bristol = District.objects.get(code="0170011")
        Plan.objects.filter(district=bristol, fiscal_year=2025).delete()
        plan = plan_create(district=bristol, fiscal_year=2025, user=None)
        schools = list(School.objects.filter(district=bristol))
        strategies = Strategy.objects.bulk_create(
            [
                Strategy(
                    plan=plan, focus_area="tiered_interventions", title=f"Strategy {i}", position=i
                )
                for i in range(60)
            ]
        )
        Position.objects.bulk_create(
            [
                Position(
                    plan=plan, strategy=strategies[i % 60], title=f"Position {i}",
                    staff_category=("direct_service", "administrative", "operational")[i % 3],
                    school=schools[i % len(schools)] if i % 4 else None,
                    fte=Decimal("1"), salary=Decimal("70000") + i, benefits_rate=Decimal("0.3"),
                )
                for i in range(400)
            ]
        )  # fmt: skip
        BudgetLine.objects.bulk_create(
            [
                BudgetLine(
                    plan=plan, strategy=strategies[i % 60], funding_area="supplies",
                    object_code="611",
                    description=f"Line {i}", school=schools[i % len(schools)] if i % 3 else None,
                    amount=Decimal("1000.25") + i,
                )
                for i in range(1000)
            ]
        )  # fmt: skip
        # A frozen approved version, and an amendment that has since changed 100 lines.
        from django.db.models import F

        from alliance.lib import clock
        from alliance.plans.export import plan_document
        from alliance.plans.models import Amendment, PlanVersion
        from alliance.plans.selectors import plan_contents
        from alliance.review.services import checklist_seed

        checklist_seed()
        leader = demo_users_create()[1]
        version = PlanVersion.objects.create(
            plan=plan, number=1, status="approved", created_at=clock.now(),
            document=plan_document(plan_contents(plan)),
        )  # fmt: skip
        Plan.objects.filter(pk=plan.pk).update(status="amending")
        Amendment.objects.create(
            plan=plan, number=1, reason="Bench", resume_status="approved", base_version=version,
            opened_by=leader, opened_at=clock.now(),
        )  # fmt: skip
        changed = BudgetLine.objects.filter(plan=plan).order_by("id").values("id")[:100]
        BudgetLine.objects.filter(id__in=changed).update(amount=F("amount") + 1)
        reviewer = Client()
        assert reviewer.login(username="state.reviewer", password=DEMO_PASSWORD)
        client = Client()
        assert client.login(username="district.editor", password=DEMO_PASSWORD)
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        print(
            f"plan pages on {engine}, {platform.machine()}, {os.cpu_count()} CPUs; "
            "60 strategies, 400 positions, 1,000 lines"
        )
        base = "/districts/0170011/plans/2025/"
        for name, who, url in (
            ("plan (strategies and goals)", client, base),
            ("budget (positions, lines, totals)", client, base + "budget/"),
            ("budget CSV", client, base + "budget/?format=csv"),
            ("review (frozen version beside the checklist)", reviewer, base + "review/"),
            ("amendment redline (100 changed lines)", reviewer, base + "amendments/1/"),
            ("version JSON export", reviewer, base + "versions/1/?format=json"),
            ("review queue", reviewer, "/review/?status=all"),
        ):
            who.get(url)  # warm caches and templates
            times = []
            for _ in range(args.runs):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = who.get(url)
                    times.append(time.perf_counter() - start)
                assert response.status_code == 200
            times.sort()
            p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
            print(
                f"  {name}: p50 {statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
                f"{len(queries.captured_queries)} queries"
            )


if __name__ == "__main__":
    main()
