"""Time loading the bundled registry into a fresh database: a first load and a reload.

.venv/bin/python bench/registry_load.py
"""

from __future__ import annotations

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
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings_test")
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        from alliance.registry.services import registry_load

        call_command("migrate", verbosity=0)
        start = time.perf_counter()
        summary = registry_load(data_dir=settings.CT_DATA_DIR)
        first = time.perf_counter() - start
        reloads = []
        for _ in range(5):
            start = time.perf_counter()
            registry_load(data_dir=settings.CT_DATA_DIR)
            reloads.append(time.perf_counter() - start)
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        print(f"registry_load on {engine}, {platform.machine()}, {os.cpu_count()} CPUs")
        print(f"  loaded: {summary}")
        print(f"  first load: {first * 1000:.0f} ms")
        print(f"  reload (median of 5): {statistics.median(reloads) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
