"""`alliance ngas import`: loads a year, replaces it atomically, refuses bad files whole."""

from __future__ import annotations

import gzip
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from alliance.accountability.models import AccountabilityResult, AccountabilityYear
from alliance.accountability.services import accountability_import
from alliance.lib.datafile import DataFileError

pytestmark = pytest.mark.django_db

BUNDLED = settings.CT_DATA_DIR / "nga_2024_25_export.csv.gz"
SAMPLE = Path(__file__).parent / "fixtures" / "nga_2014_15_districts_sample.csv"


def text_of(path: Path) -> str:
    return gzip.decompress(path.read_bytes()).decode("utf-8-sig")


def write_variant(tmp_path: Path, old: str, new: str, source: Path = BUNDLED) -> Path:
    text = text_of(source) if source.suffix == ".gz" else source.read_text(encoding="utf-8-sig")
    assert old in text
    target = tmp_path / "export.csv"
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def test_import_stores_published_and_recomputed_figures(capsys):
    call_command("ngas", "import", str(BUNDLED))
    out = capsys.readouterr().out
    assert "Imported 2024-25: 1194 entities" in out
    assert "0 differ by more than 0.001 points" in out
    assert "State of Connecticut: index published 71.800000, recomputed 71.789778" in out
    assert "out-of-range values kept as published" in out
    assert "Ind11ParticipationRate" in out
    year = AccountabilityYear.objects.get(school_year="2024-25")
    assert year.entities == 1194 and year.cells_differing == 0
    bristol = AccountabilityResult.objects.get(
        year=year, category="district", district_code="0170011"
    )
    assert bristol.district is not None and bristol.district.name == "Bristol School District"
    assert bristol.published_index == Decimal("70.654941")
    assert bristol.index is not None and bristol.published_index is not None
    assert abs(bristol.index - bristol.published_index) < Decimal("0.001")
    assert bristol.cells["Ind1ELA_All"]["points"] == "42.118143"
    assert bristol.cells["Ind1ELA_All"]["published_points"] == "42.118143"
    schools = AccountabilityResult.objects.filter(
        year=year, category="school", district_code="0170011"
    )
    assert schools.count() >= 10
    assert all(s.school is not None and s.district == bristol.district for s in schools)


def test_reimporting_a_year_replaces_it(capsys):
    accountability_import(path=BUNDLED)
    summary = accountability_import(path=BUNDLED)
    assert summary.replaced
    assert AccountabilityYear.objects.count() == 1
    assert AccountabilityResult.objects.count() == 1194


def test_years_sit_side_by_side(capsys):
    accountability_import(path=BUNDLED)
    summary = accountability_import(path=SAMPLE)
    assert summary.school_year == "2014-15" and summary.entities == 4
    assert sorted(AccountabilityYear.objects.values_list("school_year", flat=True)) == [
        "2014-15",
        "2024-25",
    ]


BAD = [
    pytest.param(
        '"RptngDistrictName","ReportingDistrictCode"',
        '"DistrictName","ReportingDistrictCode"',
        "export.csv, row 3, column RptngDistrictName: is missing: this is not an EdSight Next "
        "Generation Accountability export",
        id="not-an-export",
    ),
    pytest.param(
        '"Ind4Rate","Ind4Points"',
        '"Ind4Ratio","Ind4Points"',
        "export.csv, row 3, column Ind4Rate: is missing from the header row",
        id="missing-rate-column",
    ),
    pytest.param(
        "0.183695,23.260928",
        "high,23.260928",
        "column Ind4Rate: 'high' is not a number",
        id="non-numeric-rate",
    ),
    pytest.param(
        '"2024-25"\r\n2024.000000,"Killingly',
        '"2023-24"\r\n2024.000000,"Killingly',
        "export.csv, row 5, column schoolyear: '2024-25' differs from '2023-24' above",
        id="mixed-years",
    ),
]


@pytest.mark.parametrize(("old", "new", "message"), BAD)
def test_a_bad_file_is_refused_whole_with_row_and_column(tmp_path, old, new, message):
    accountability_import(path=SAMPLE)
    before = (AccountabilityYear.objects.count(), AccountabilityResult.objects.count())
    path = write_variant(tmp_path, old, new)
    with pytest.raises(CommandError) as error:
        call_command("ngas", "import", str(path))
    assert str(error.value).startswith("Nothing was imported. ")
    assert message in str(error.value)
    assert (AccountabilityYear.objects.count(), AccountabilityResult.objects.count()) == before


def test_a_duplicated_entity_is_named(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    path = tmp_path / "dup.csv"
    path.write_text("\r\n".join([*lines, lines[4]]) + "\r\n", encoding="utf-8")
    with pytest.raises(
        DataFileError,
        match=r"dup\.csv, row 8, column ReportingDistrictCode: Hartford School District appears twice \(first on row 5\)",
    ):
        accountability_import(path=path)
    assert AccountabilityYear.objects.count() == 0


def test_a_school_year_without_rules_is_refused(tmp_path):
    path = write_variant(tmp_path, '"2014-15"', '"2019-20"', source=SAMPLE)
    text = path.read_text(encoding="utf-8").replace('"2014-15"', '"2019-20"')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(
        DataFileError, match=r"column schoolyear: there are no NGAS rules for school year '2019-20'"
    ):
        accountability_import(path=path)
    assert AccountabilityYear.objects.count() == 0


def test_compute_needs_no_database(tmp_path):
    # The command reads and writes files only; the test runs without the django_db mark elsewhere.
    shutil.copy(SAMPLE, tmp_path / "in.csv")
    call_command("ngas", "compute", str(tmp_path / "in.csv"), "--out", str(tmp_path / "out.csv"))
    assert (tmp_path / "out.csv").exists()
