"""The four-step identification, pure and through `alliance identify`, on the real 2015-16 data."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from alliance.designation.identify import DistrictInput, Parameters, identify

DATA = settings.CT_DATA_DIR


def official(column: str) -> set[str]:
    with (DATA / "alliance_and_opportunity_districts.csv").open() as handle:
        return {r["district_code"] for r in csv.DictReader(handle) if r[column] == "1"}


def run_cli(tmp_path, prev_file, *extra) -> dict[str, dict[str, str]]:
    out = tmp_path / "identified.csv"
    call_command(
        "identify",
        "--accountability", str(DATA / "ngas_district_accountability_2015_16.csv"),
        "--enrollment", str(DATA / "edsight_district_enrollment_2015_16_and_2016_17.csv"),
        "--previously-designated", str(prev_file),
        "--lowest", "30",
        "--min-enrollment", "1000",
        "--out", str(out),
        *extra,
    )  # fmt: skip
    with out.open(encoding="utf-8") as handle:
        return {r["district_code"]: r for r in csv.DictReader(handle)}


@pytest.fixture
def prev_file(tmp_path):
    path = tmp_path / "prev.csv"
    path.write_text(
        "district_code\n" + "\n".join(sorted(official("alliance_fy2013_fy2017_30"))) + "\n",
        encoding="utf-8",
    )
    return path


def test_2015_16_data_yields_the_official_33(tmp_path, prev_file, capsys):
    rows = run_cli(tmp_path, prev_file)
    designated = {code for code, r in rows.items() if r["designated"] == "yes"}
    assert designated == official("alliance_fy2018_fy2022_33")
    assert len(designated) == 33
    names = {r["district_name"]: r for r in rows.values()}
    for name in (
        "Bloomfield School District",
        "Windsor Locks School District",
        "Winchester School District",
    ):
        assert names[name]["step4_added"] == "yes" and names[name]["step3_selected"] == "no"
    for name in (
        "Groton School District",
        "Thompson School District",
        "Torrington School District",
    ):
        assert names[name]["step3_selected"] == "yes" and names[name]["step4_added"] == "no"
    assert "30 selected by step 3, 3 added by step 4: 33 designated" in capsys.readouterr().out


def test_every_district_gets_a_row_with_its_reason(tmp_path, prev_file):
    rows = run_cli(tmp_path, prev_file)
    assert len(rows) == 201
    assert list(next(iter(rows.values()))) == [
        "district_code", "district_name", "org_type", "enrollment", "accountability_index",
        "eligible", "rank", "step3_selected", "step4_added", "designated", "reason",
    ]  # fmt: skip
    assert rows["2410014"]["reason"].startswith("Step 1: RESC districts are not eligible")
    assert rows["0010011"]["reason"] == "Step 2: 2015-16 enrollment 250 is below 1,000."
    assert rows["0590011"]["rank"] == "30"
    bloomfield = rows["0110011"]["reason"]
    assert "rank 31 of 112" in bloomfield and "Step 4: added" in bloomfield
    eligible = [r for r in rows.values() if r["eligible"] == "yes"]
    assert sorted(int(r["rank"]) for r in eligible) == list(range(1, 113))


def test_the_previously_designated_list_can_be_a_flag_column(tmp_path):
    rows = run_cli(
        tmp_path,
        DATA / "alliance_and_opportunity_districts.csv",
        "--previously-designated-column", "alliance_fy2013_fy2017_30",
    )  # fmt: skip
    assert {c for c, r in rows.items() if r["designated"] == "yes"} == official(
        "alliance_fy2018_fy2022_33"
    )


def test_a_bad_enrollment_file_names_row_and_column(tmp_path, prev_file):
    bad = tmp_path / "enr.csv"
    bad.write_text(
        "school_year,district_name,district_code,enrollment_count\n2015-16,X,0170011,many\n"
    )
    with pytest.raises(
        CommandError, match=r"Nothing was written\. enr\.csv, row 2, column enrollment_count"
    ):
        call_command(
            "identify", "--accountability", str(DATA / "ngas_district_accountability_2015_16.csv"),
            "--enrollment", str(bad), "--previously-designated", str(prev_file), "--out", str(tmp_path / "o.csv"),
        )  # fmt: skip


def d(code: str, index: str | None, enrollment: int | None = 5000) -> DistrictInput:
    return DistrictInput(code, code, None if index is None else Decimal(index), enrollment)


def params(lowest: int = 2, previous: frozenset[str] = frozenset()) -> Parameters:
    return Parameters("2024-25", lowest, 1000, frozenset({"11", "12"}), previous)


def test_ties_are_broken_by_code_so_the_result_is_reproducible():
    result = identify(
        [d("0020011", "60"), d("0010011", "60"), d("0030011", "60")], params(lowest=2)
    )
    assert [o.district.code for o in result.outcomes if o.step3_selected] == ["0010011", "0020011"]


def test_the_line_is_the_first_district_outside_the_lowest():
    result = identify(
        [d("0010011", "50"), d("0020011", "60"), d("0030011", "70")], params(lowest=2)
    )
    assert result.cutoff == Decimal("60") and result.line == Decimal("70")


def test_a_district_without_an_index_is_not_ranked():
    result = identify([d("0010011", None), d("0020011", "60")], params(lowest=1))
    missing = next(o for o in result.outcomes if o.district.code == "0010011")
    assert not missing.eligible and missing.reason == "Step 3: no 2024-25 Accountability Index."
