"""`alliance ngas compute` reproduces CSDE's published figures from the rates alone.

The published points, totals and index are blanked in the input first, so nothing can leak from
them; every remaining difference must be one the rules file's notes explain.
"""

from __future__ import annotations

import csv
import gzip
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from alliance.accountability.compare import POINTS_TOLERANCE
from alliance.accountability.rules import load_rules

BUNDLED = settings.CT_DATA_DIR / "nga_2024_25_export.csv.gz"
SAMPLE_2014_15 = Path(__file__).parent / "fixtures" / "nga_2014_15_districts_sample.csv"
SAMPLE_2018_19 = Path(__file__).parent / "fixtures" / "nga_2018_19_districts_sample.csv"
RULES = load_rules()
PUBLISHED_COLUMNS = {"TotalPoints", "TotalPossiblePoints", "OutcomeRatePct"} | {
    name for cell in RULES.all_cells for name in (cell.points, cell.possible)
}


def read_text(path: Path) -> str:
    if path.suffix == ".gz":
        return gzip.decompress(path.read_bytes()).decode("utf-8-sig")
    return path.read_text(encoding="utf-8-sig")


def published_table(text: str) -> tuple[list[str], list[dict[str, str]], list[str]]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if "RptngDistrictName" in line)
    reader = csv.DictReader(lines[start:])
    return lines[:start], list(reader), list(reader.fieldnames or [])


def blanked_copy(source: Path, target: Path) -> list[dict[str, str]]:
    """Write the export with every published figure replaced by '.'; return the original rows."""
    title, rows, header = published_table(read_text(source))
    out = io.StringIO()
    out.write("\r\n".join(title) + "\r\n")
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("." if k in PUBLISHED_COLUMNS else v) for k, v in row.items()})
    target.write_text(out.getvalue(), encoding="utf-8")
    return rows


def unwrap(code: str) -> str:
    return code.strip().removeprefix('="').removesuffix('"')


def compare(published: list[dict[str, str]], computed: Path):
    ours = {
        (r["Category"], r["ReportingDistrictCode"], r["SchoolCode"]): r
        for r in csv.DictReader(computed.open(encoding="utf-8"))
    }
    cells = 0
    cell_differences = []
    index_differences = []
    for row in published:
        mine = ours[
            (row["Category"], unwrap(row["ReportingDistrictCode"]), unwrap(row["SchoolCode"]))
        ]
        for cell in RULES.for_school_year(row["schoolyear"]).cells:
            for column in (cell.points, cell.possible):
                theirs = row[column]
                if column == cell.possible and theirs == "0.000000":
                    theirs = "."  # 2014-15 prints 0 possible for cells that do not apply
                if (
                    column == cell.points
                    and theirs == "0.000000"
                    and row[cell.possible] in (".", "0.000000")
                ):
                    theirs = "."
                cells += 1
                if (theirs == ".") != (mine[column] == "."):
                    cell_differences.append((row["SchoolName"], row["RptngDistrictName"], column))
                elif (
                    theirs != "."
                    and abs(Decimal(theirs) - Decimal(mine[column])) > POINTS_TOLERANCE
                ):
                    cell_differences.append((row["SchoolName"], row["RptngDistrictName"], column))
        if abs(Decimal(row["OutcomeRatePct"]) - Decimal(mine["OutcomeRatePct"])) > Decimal("0.01"):
            index_differences.append((row["SchoolName"], row["RptngDistrictName"]))
    return cells, cell_differences, index_differences


def compute_blanked(source: Path, tmp_path: Path):
    """Run `ngas compute` on a copy with every published figure blanked; compare with them."""
    blanked = tmp_path / "blanked.csv"
    published = blanked_copy(source, blanked)
    out = tmp_path / "computed.csv"
    call_command("ngas", "compute", str(blanked), "--out", str(out))
    return published, *compare(published, out)


def test_2024_25_points_and_index_match_the_published_ones(tmp_path):
    published, cells, cell_differences, index_differences = compute_blanked(BUNDLED, tmp_path)
    assert cells > 50_000
    assert 1 - len(cell_differences) / cells >= Decimal("0.995")
    assert 1 - len(index_differences) / len(published) >= Decimal("0.99")
    # Every remaining difference is explained in the rules notes.
    assert cell_differences == []
    assert index_differences == [("State of Connecticut", "State of Connecticut")]
    assert any("state row: OutcomeRatePct is published rounded" in note for note in notes())


def test_2014_15_rows_before_growth_come_out_as_well(tmp_path):
    _, _, cell_differences, index_differences = compute_blanked(SAMPLE_2014_15, tmp_path)
    assert index_differences == []
    # Ind10 rates of 2014-15 are published rounded to 3 decimals: explained in the notes.
    assert cell_differences == [
        ("District", "Hartford School District", "Ind10Points"),
        ("District", "North Stonington School District", "Ind10Points"),
    ]
    assert any("2014-15 and 2018-19, Ind10" in note for note in notes())


def test_2018_19_rows_come_out_as_well(tmp_path):
    _, _, cell_differences, index_differences = compute_blanked(SAMPLE_2018_19, tmp_path)
    assert index_differences == []
    # Fitness halved below 90% participation (Suffield), Ind6 counted at 0 without a rate (Norwich),
    # all reproduced; only the explained Ind10 rounding remains.
    assert cell_differences == [("District", "Waterbury School District", "Ind10Points")]
    assert any("2018-19 Waterbury 0.651" in note for note in notes())


def notes() -> list[str]:
    import yaml

    with (settings.PACKAGE_DIR / "rules" / "ngas.yaml").open(encoding="utf-8") as handle:
        return list(yaml.safe_load(handle)["notes"])


def test_the_output_has_the_exports_own_columns_and_plain_codes(tmp_path, capsys):
    out = tmp_path / "computed.csv"
    call_command("ngas", "compute", str(BUNDLED), "--out", str(out))
    printed = capsys.readouterr().out
    assert "Wrote 1194 entities of 2024-25" in printed
    assert "out-of-range values kept as published" in printed
    assert "Ind11ParticipationRate 1.595960 is outside 0-1" in printed
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 1194
    header = list(rows[0])
    assert header[:6] == [
        "RptngDistrictName", "ReportingDistrictCode", "SchoolName", "SchoolCode", "Category", "schoolyear",
    ]  # fmt: skip
    for column in ("Ind7points", "Ind7PointsPossible", "Ind2ELA_All_Possiblepoints", "TotalPoints",
                   "TotalPossiblePoints", "OutcomeRatePct", "AchievementGapFlag", "GradGapFlag"):  # fmt: skip
        assert column in header
    bristol = next(
        r
        for r in rows
        if r["ReportingDistrictCode"] == "0170011" and r["Category"] == "DistrictTot"
    )
    # Published 70.654941; rates are published rounded, so the 6th decimal may move.
    assert abs(Decimal(bristol["OutcomeRatePct"]) - Decimal("70.654941")) < Decimal("0.0001")
    assert len(bristol["OutcomeRatePct"].split(".")[1]) == 6
    assert bristol["TotalPossiblePoints"] == "1450.000000"
    assert bristol["Ind1ELA_All_Points"] == "42.118143"
    assert bristol["GradGapFlag"] == "0"
    union = next(r for r in rows if r["SchoolCode"] == "1450111")
    assert union["Ind8Points"] == "." and union["Ind8PointsPossible"] == "."


@pytest.mark.parametrize("with_title", [True, False])
def test_the_title_lines_are_optional(tmp_path, with_title):
    title, rows, header = published_table(read_text(SAMPLE_2014_15))
    text = io.StringIO()
    if with_title:
        text.write("\r\n".join(title) + "\r\n")
    writer = csv.DictWriter(text, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    source = tmp_path / "in.csv"
    source.write_text(text.getvalue(), encoding="utf-8")
    out = tmp_path / "out.csv"
    call_command("ngas", "compute", str(source), "--out", str(out))
    assert len(list(csv.DictReader(out.open()))) == 4


def test_a_bad_row_leaves_no_output_behind(tmp_path):
    text = read_text(SAMPLE_2014_15).replace("0.256540,8.692083", "lots,8.692083")
    source = tmp_path / "bad.csv"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "out.csv"
    out.write_text("earlier results\n", encoding="utf-8")

    with pytest.raises(
        CommandError,
        match=r"Nothing was written\. bad\.csv, row 5, column Ind4Rate: 'lots' is not a number",
    ):
        call_command("ngas", "compute", str(source), "--out", str(out))
    assert out.read_text(encoding="utf-8") == "earlier results\n"
    assert sorted(tmp_path.iterdir()) == sorted([source, out])  # no partial file left behind
