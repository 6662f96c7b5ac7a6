"""Time and peak memory of `alliance ngas compute`, against merely parsing the file with csv.

    .venv/bin/python bench/ngas_compute.py [--times 100]

Measures the bundled 2024-25 export and a synthetic one N times larger (made by
bench/make_synthetic_export.py). Each measurement runs in a fresh Python process, which reports its
wall time and its peak resident memory; the best of three runs is kept.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from make_synthetic_export import BUNDLED, make  # noqa: E402

# Peak memory from /proc (VmHWM): unlike ru_maxrss, it starts afresh at exec, so a child does not
# inherit the parent's high-water mark.
PEAK = """
def peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
"""

PARSE = (
    PEAK
    + """
import csv, json, sys, time
start = time.perf_counter()
with open(sys.argv[1], newline="", encoding="utf-8-sig") as handle:
    rows = sum(1 for _ in csv.reader(handle))
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "rss_mb": peak_mb(), "rows": rows}))
"""
)

COMPUTE = (
    PEAK
    + """
import json, os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings_test")
from pathlib import Path
from alliance.accountability.bulk import compute_file_bulk
from alliance.accountability.rules import load_rules
load_rules()  # reading the rules file and importing polars are start-up, not work per row
start = time.perf_counter()
count = compute_file_bulk(Path(sys.argv[1]), Path(sys.argv[2])).entities
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "rss_mb": peak_mb(), "rows": count}))
"""
)


def run(script: str, *args: str) -> dict[str, float]:
    best: dict[str, float] | None = None
    for _ in range(3):
        done = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", script, *args],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        result = json.loads(done.stdout.strip().splitlines()[-1])
        if best is None or result["seconds"] < best["seconds"]:
            best = result
    assert best is not None
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--times", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        small = work / "nga_2024_25.csv"
        small.write_bytes(gzip.decompress(BUNDLED.read_bytes()))
        large = work / f"nga_x{args.times}.csv"
        make(args.times, large)
        print(
            f"ngas compute on {platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}"
        )
        figures = {}
        for label, path in (("2024-25 export", small), (f"{args.times}x synthetic", large)):
            parse = run(PARSE, str(path))
            compute = run(COMPUTE, str(path), str(work / "out.csv"))
            figures[label] = (parse, compute)
            size = path.stat().st_size / 1e6
            print(
                f"  {label}: {compute['rows']:.0f} entities, {size:.1f} MB; csv parse "
                f"{parse['seconds']:.2f} s ({parse['rss_mb']:.0f} MB peak); compute "
                f"{compute['seconds']:.2f} s ({compute['rss_mb']:.0f} MB peak); "
                f"ratio {compute['seconds'] / parse['seconds']:.1f}x"
            )
        (_, c1), (_, c2) = figures.values()
        print(
            f"  growth: {c2['rows'] / c1['rows']:.0f}x the entities took "
            f"{c2['seconds'] / c1['seconds']:.0f}x the compute time"
        )


if __name__ == "__main__":
    main()
