"""Time an expenditure import of 100,000 rows and compare it with PostgreSQL's COPY of the same rows
into a bare table.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench \
        .venv/bin/python bench/expenditure_import.py [--rows 100000] [--runs 5]

Builds Bristol's funded demo plan in the database, writes a finance export of `rows` rows (payroll
rows naming positions, line payments by object code, a few to assign), then:
- imports it with `expenditure_import` (read, check, match, store: the product's whole path) into
  an emptied and vacuumed expenditure table: once cold, reporting the peak memory the import adds
  to the process (resident set, sampled: polars allocates outside Python's tracemalloc), then
  `runs` times, reporting the median and the slowest;
- COPYs the same rows, as the import stored them (PostgreSQL's own text format, exported from the
  expenditure table), into a bare table of the same typed columns: no key, index or constraint.
  The target is an import at most 5 times this COPY;
- for comparison, COPYs the file itself into a bare table of five text columns.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import threading
import time
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
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings_test")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from alliance.demo.users import demo_users_create
    from alliance.monitoring.models import Expenditure, ExpenditureImport
    from alliance.monitoring.services import COPY_COLUMNS, expenditure_import
    from alliance.registry.services import registry_load
    from alliance.review.services import checklist_seed

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: the comparison is with its COPY.")
    call_command("migrate", verbosity=0)
    registry_load(data_dir=settings.CT_DATA_DIR)
    checklist_seed()
    users = {u.username: u for u in demo_users_create()}
    from tests.plans.helpers import funded_demo_plan

    plan = funded_demo_plan(users)
    content = make_ledger(plan, args.rows)
    mapping = {"date": "Posted", "object_code": "Account", "description": "Description",
               "vendor": "Vendor", "amount": "Amount"}  # fmt: skip

    table = Expenditure._meta.db_table

    def vacuum() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {table}")

    def run(name: str) -> float:
        ExpenditureImport.objects.filter(plan=plan).delete()
        vacuum()
        start = time.perf_counter()
        summary = expenditure_import(plan=plan, name=name, content=content, mapping=mapping,
                                     user=users["district.editor"])  # fmt: skip
        elapsed = time.perf_counter() - start
        assert summary.source.rows == args.rows
        return elapsed

    # Memory first: a cold import, before any earlier run has left polars' buffers to reuse.
    with PeakMemory() as memory:
        run("memory.csv")
    times = sorted(run(f"run{i}.csv") for i in range(args.runs))
    source = ExpenditureImport.objects.get(plan=plan)
    matched = Expenditure.objects.filter(source=source).exclude(kind="").count()
    columns = ", ".join(COPY_COLUMNS)
    stored = io.BytesIO()
    # The stored rows in PostgreSQL's own text format, and a bare table of the same columns.
    export = f"SELECT {columns} FROM {table} WHERE source_id = {source.pk} ORDER BY id"  # noqa: S608
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY ({export}) TO STDOUT") as copy:
            for block in copy:
                stored.write(block)
        cursor.execute("DROP TABLE IF EXISTS bench_bare")
        cursor.execute(f"CREATE TABLE bench_bare AS SELECT {columns} FROM {table} WITH NO DATA")  # noqa: S608
        cursor.execute("DROP TABLE IF EXISTS bench_file")
        cursor.execute(
            "CREATE TABLE bench_file (posted text, account text, description text, vendor text, "
            "amount text)"
        )
    bare = copy_times("bench_bare", f"({columns})", "", stored.getvalue(), args.runs)
    raw = copy_times("bench_file", "", "WITH (FORMAT csv, HEADER true)", content, args.runs)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_bare")
        cursor.execute("DROP TABLE bench_file")
    ExpenditureImport.objects.filter(plan=plan).delete()
    median = times[len(times) // 2]
    print(
        f"expenditure import, {args.rows:,} rows ({len(content) / 1e6:.1f} MB), PostgreSQL "
        f"{connection.pg_version // 10000}, {os.cpu_count()} CPUs, median of {args.runs} runs"
    )
    print(
        f"  import: {median:.2f} s (slowest {times[-1]:.2f} s, {args.rows / median:,.0f} rows/s); "
        f"{matched:,} rows matched to budget items"
    )
    print(f"  peak memory the import adds to the process: {memory.peak / 1e6:.0f} MB")
    print(f"  COPY of the same rows into a bare table: {bare:.2f} s")
    print(f"  ratio: {median / bare:.1f}x (target: at most 5x)")
    print(f"  for comparison, COPY of the file into a bare table of text columns: {raw:.2f} s "
          f"({median / raw:.1f}x)")  # fmt: skip


def copy_times(table: str, columns: str, options: str, data: bytes, runs: int) -> float:
    """The median time to COPY `data` into `table` and commit, emptied before each run."""
    from django.db import connection, transaction

    times = []
    for _ in range(runs):
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {table}")
        start = time.perf_counter()
        with (
            transaction.atomic(),
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} {columns} FROM STDIN {options}") as copy,
        ):
            copy.write(data)
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


class PeakMemory:
    """The most the process's resident memory grows while the block runs, sampled every 2 ms."""

    def __enter__(self) -> PeakMemory:
        self.base = self.peak_rss = _rss()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self) -> None:
        while not self.done.wait(0.002):
            self.peak_rss = max(self.peak_rss, _rss())

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.thread.join()
        self.peak_rss = max(self.peak_rss, _rss())

    @property
    def peak(self) -> int:
        return self.peak_rss - self.base


def _rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


if __name__ == "__main__":
    main()
