"""Time an expenditure import of 100,000 rows and compare it with PostgreSQL's COPY of the same rows
into a bare table.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench \
        .venv/bin/python bench/expenditure_import.py [--rows 100000]

Builds Bristol's funded demo plan in the database, writes a finance export of `rows` rows (payroll
rows naming positions, line payments by object code, a few to assign), then:
- imports it with `expenditure_import` (read, parse, match, store: the product's whole path),
  reporting wall time and peak Python memory (tracemalloc, in a second run);
- loads the same file with COPY ... FROM STDIN (CSV) into a bare temporary table of text columns.
The target is an import at most 5 times the COPY.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_ledger(plan, rows: int) -> bytes:
    from alliance.plans.selectors import plan_contents

    contents = plan_contents(plan)
    positions = [p.title for p in contents.positions]
    lines = [(line.object_code, line.description) for line in contents.lines]
    out = ["Posted,Account,Description,Vendor,Amount"]
    for i in range(rows):
        day = f"{(i % 12) + 1:02d}/{(i % 27) + 1:02d}/{2024 if (i % 12) + 1 >= 7 else 2025}"
        kind = i % 10
        if kind < 6:
            title = positions[i % len(positions)]
            code = "111" if kind < 4 else "211"
            out.append(
                f'{day},{code},"{title} payroll {i}",Payroll,"${1000 + i % 5000:,}.{i % 100:02d}"'
            )
        elif kind < 9:
            code, description = lines[i % len(lines)]
            out.append(f'{day},{code},"{description}",Vendor {i % 40},"{(i % 900) + 10}.50"')
        else:
            out.append(f'{day},399,"Miscellaneous {i}",Vendor,({i % 300}.00)')
    return ("\n".join(out) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings_test")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from alliance.demo.plan import demo_plan_create
    from alliance.demo.users import demo_users_create
    from alliance.monitoring.models import Expenditure, ExpenditureImport
    from alliance.monitoring.services import expenditure_import
    from alliance.registry.services import registry_load
    from alliance.review.services import checklist_seed

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: the comparison is with its COPY.")
    call_command("migrate", verbosity=0)
    registry_load(data_dir=settings.CT_DATA_DIR)
    checklist_seed()
    users = {u.username: u for u in demo_users_create()}
    from tests.plans.helpers import TO_FUNDS_RELEASED, board_approve, walk

    plan = demo_plan_create()
    board_approve(plan, users)
    plan = walk(plan, users, TO_FUNDS_RELEASED)
    content = make_ledger(plan, args.rows)
    mapping = {"date": "Posted", "object_code": "Account", "description": "Description",
               "vendor": "Vendor", "amount": "Amount"}  # fmt: skip

    def run(name: str) -> float:
        ExpenditureImport.objects.filter(plan=plan).delete()
        start = time.perf_counter()
        summary = expenditure_import(plan=plan, name=name, content=content, mapping=mapping,
                                     user=users["district.editor"])  # fmt: skip
        elapsed = time.perf_counter() - start
        assert summary.source.rows == args.rows
        return elapsed

    run("warm.csv")
    times = sorted(run(f"run{i}.csv") for i in range(3))
    tracemalloc.start()
    run("memory.csv")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    matched = Expenditure.objects.filter(plan=plan).exclude(kind="").count()

    copies = []
    with connection.cursor() as cursor:
        for _ in range(3):
            cursor.execute("DROP TABLE IF EXISTS bench_copy")
            cursor.execute(
                "CREATE TEMP TABLE bench_copy (posted text, account text, description text, "
                "vendor text, amount text)"
            )
            start = time.perf_counter()
            with cursor.cursor.copy(
                "COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)"
            ) as copy:
                copy.write(content)
            copies.append(time.perf_counter() - start)
    copy_time = sorted(copies)[1]
    median = times[1]
    print(f"expenditure import, {args.rows:,} rows ({len(content) / 1e6:.1f} MB), PostgreSQL "
          f"{connection.pg_version // 10000}, {os.cpu_count()} CPUs")  # fmt: skip
    print(
        f"  import: median {median:.2f} s of 3 runs ({args.rows / median:,.0f} rows/s); "
        f"{matched:,} rows matched to budget items"
    )
    print(f"  peak Python memory during the import: {peak / 1e6:.0f} MB")
    print(f"  COPY of the same file into a bare table: {copy_time:.2f} s")
    print(f"  ratio: {median / copy_time:.1f}x (target: at most 5x)")
    ExpenditureImport.objects.filter(plan=plan).delete()


if __name__ == "__main__":
    main()
