"""Make an EdSight NGA export N times larger than the bundled 2024-25 one (bench/ngas_compute.py).

Each copy keeps every rate and renumbers districts and schools (keeping each code's organisation
type suffix), so the file has N x 1,193 distinct entities plus the state row, in CSDE's layout.

    .venv/bin/python bench/make_synthetic_export.py --times 100 --out var/bench/nga_x100.csv
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "alliance" / "data" / "ct" / "nga_2024_25_export.csv.gz"


def excel(code: str) -> str:
    return f'="{code}"'


def unwrap(value: str) -> str:
    return value.removeprefix('="').removesuffix('"')


def make(times: int, out: Path) -> int:
    lines = gzip.decompress(BUNDLED.read_bytes()).decode("utf-8-sig").splitlines()
    title, header_line, body = lines[:2], lines[2], lines[3:]
    header = next(csv.reader([header_line]))
    rows = [r for r in csv.reader(body) if r]
    at = {name: i for i, name in enumerate(header)}
    districts = sorted({unwrap(r[at["ReportingDistrictCode"]]) for r in rows} - {"0000000"})
    schools = sorted({unwrap(r[at["SchoolCode"]]) for r in rows} - {"0000000"})
    district_no = {code: i for i, code in enumerate(districts)}
    school_no = {code: i for i, code in enumerate(schools)}
    out.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    buffer.write("\r\n".join([*title, header_line]) + "\r\n")
    writer = csv.writer(buffer, lineterminator="\r\n")
    count = 0
    for copy in range(times):
        for row in rows:
            row = list(row)
            category = row[at["Category"]]
            if category == "StateTot":
                if copy:
                    continue
            else:
                district = unwrap(row[at["ReportingDistrictCode"]])
                row[at["ReportingDistrictCode"]] = excel(
                    f"{copy * 250 + district_no[district]:05d}{district[-2:]}"
                )
                row[at["RptngDistrictName"]] += f" (copy {copy})"
                if category == "SchoolTot":
                    school = unwrap(row[at["SchoolCode"]])
                    row[at["SchoolCode"]] = excel(
                        f"{copy * 1000 + school_no[school]:05d}{school[-2:]}"
                    )
            writer.writerow(row)
            count += 1
    out.write_text(buffer.getvalue(), encoding="utf-8")
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=100)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    count = make(args.times, args.out)
    print(f"Wrote {count} entities to {args.out} ({args.out.stat().st_size / 1e6:.0f} MB).")


if __name__ == "__main__":
    main()
