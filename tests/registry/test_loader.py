"""Loading the bundled Connecticut data: complete, idempotent, and all-or-nothing."""

from __future__ import annotations

import gzip
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from alliance.lib.datafile import DataFileError
from alliance.registry.models import (
    AllianceAllocation,
    Designation,
    DesignationCohort,
    District,
    DistrictType,
    Enrollment,
    School,
    Town,
)
from alliance.registry.services import registry_load

pytestmark = pytest.mark.django_db

REGISTRY_MODELS = (
    Designation,
    DesignationCohort,
    AllianceAllocation,
    Enrollment,
    School,
    District,
    Town,
)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in REGISTRY_MODELS}


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "ct"
    shutil.copytree(settings.CT_DATA_DIR, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace text in a data file, compressed or not."""
    if path.suffix == ".gz":
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    text = text.replace(old, new, 1)
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(text.encode("utf-8")))
    else:
        path.write_text(text, encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_every_district_and_school_is_there_with_its_real_code():
    assert District.objects.count() == 205
    assert School.objects.count() == 994
    bristol = District.objects.get(code="0170011")
    assert bristol.name == "Bristol School District"
    assert bristol.district_type == DistrictType.LOCAL
    assert bristol.town is not None and bristol.town.name == "Bristol" and bristol.town.code == 17
    hartford = District.objects.get(code="0640011")
    assert hartford.name == "Hartford School District"
    assert District.objects.get(code="9000016").district_type == DistrictType.TECHNICAL
    assert (
        District.objects.get(code="2010012").town is None
    )  # regional districts serve several towns


def test_district_types_come_from_the_code_suffix():
    for district in District.objects.all():
        assert district.code.endswith(district.district_type)


def test_schools_carry_district_type_grades_and_title_i():
    school = School.objects.select_related("district").get(code="0010111")
    assert school.name == "Andover Elementary School"
    assert school.district.code == "0010011"
    assert school.get_school_type_display() == "Public school"
    assert school.grade_span == "PK–6"
    assert school.title_i_type == "Targeted Assistance"
    assert School.objects.filter(district__code="0170011").count() >= 10


def test_enrollment_by_school_year_keeps_suppressed_counts_as_suppressed():
    bristol = Enrollment.objects.filter(district__code="0170011")
    assert set(bristol.values_list("school_year", flat=True)) == {"2015-16", "2016-17", "2024-25"}
    union = Enrollment.objects.get(district__code="1450011", school_year="2024-25")
    assert union.suppressed and union.students is None


def test_bristol_fy2025_alliance_allocation_is_12061630():
    allocation = AllianceAllocation.objects.get(district__code="0170011", fiscal_year=2025)
    assert allocation.alliance_amount == Decimal("12061630.00")
    assert allocation.ecs_entitlement == (
        allocation.alliance_amount
        + allocation.non_alliance_amount
        + (allocation.education_diversity_amount or 0)
    )


def test_designation_cohorts_have_their_statutory_sizes():
    sizes = {c.code: c.designations.count() for c in DesignationCohort.objects.all()}
    assert sizes == {
        "alliance-fy2013-fy2017": 30,
        "alliance-fy2018-fy2022": 33,
        "alliance-fy2023-fy2027": 36,
        "opportunity-fy2019": 10,
    }
    current = DesignationCohort.objects.get(code="alliance-fy2023-fy2027")
    added = {"Enfield School District", "Plainfield School District", "Stratford School District"}
    names = set(current.districts.values_list("name", flat=True))
    assert added <= names
    opportunity = DesignationCohort.objects.get(code="opportunity-fy2019")
    assert "Hartford School District" in opportunity.districts.values_list("name", flat=True)


def test_loading_twice_changes_nothing():
    before = counts()
    bristol_id = District.objects.get(code="0170011").id
    summary = registry_load(data_dir=settings.CT_DATA_DIR)
    assert counts() == before
    assert District.objects.get(code="0170011").id == bristol_id
    assert summary.districts == 205 and summary.designations == 109


def test_a_reload_updates_changed_figures(data_copy):
    path = data_copy / "ecs_alliance_grants_by_town_fy.csv"
    edit(
        path,
        "17,BRISTOL,2025,53867287,12061630,148343,41657314",
        "17,BRISTOL,2025,53867288,12061631,148343,41657314",
    )
    registry_load(data_dir=data_copy)
    allocation = AllianceAllocation.objects.get(district__code="0170011", fiscal_year=2025)
    assert allocation.alliance_amount == Decimal("12061631.00")


MALFORMED = [
    pytest.param(
        "edsight_district_enrollment_2024_25.csv",
        "2024-25,Bristol School District,0170011,",
        "2024-25,Bristol School District,0170011,lots",
        "edsight_district_enrollment_2024_25.csv, row 21, column enrollment_count: "
        "'lots7713' is not a whole number",
        id="enrollment-not-a-number",
    ),
    pytest.param(
        "ecs_alliance_grants_by_town_fy.csv",
        "17,BRISTOL,2025,53867287,",
        "17,BRISTOL,2025,53867000,",
        "ecs_alliance_grants_by_town_fy.csv, row 110, column ecs_entitlement: "
        "53867000 is not the sum",
        id="allocation-does-not-add-up",
    ),
    pytest.param(
        "ecs_alliance_grants_by_town_fy.csv",
        "17,BRISTOL,2025,53867287,12061630,",
        "17,BRISTOL,2025,53867287,12O61630,",
        "ecs_alliance_grants_by_town_fy.csv, row 110, column alliance_portion: "
        "'12O61630' is not an amount of money",
        id="allocation-letter-o-for-zero",
    ),
    pytest.param(
        "nga_2024_25_export.csv.gz",
        '"=""0170011""","Bristol Eastern High School"',
        '"=""0170019""","Bristol Eastern High School"',
        "nga_2024_25_export.csv.gz, row 277, column ReportingDistrictCode: "
        "0170019 ends in 19, which is not a CSDE organisation type",
        id="unknown-organisation-type",
    ),
    pytest.param(
        "alliance_and_opportunity_districts.csv",
        "Bristol,17,0170011,1,1,1,0",
        "Bristol,17,0170011,1,1,0,0",
        "designation_cohorts.csv, row 4, column size: the law designates 36 districts but "
        "alliance_and_opportunity_districts.csv column alliance_fy2023_fy2027_36 names 35",
        id="designation-list-short",
    ),
    pytest.param(
        "edsight_district_enrollment_2024_25.csv",
        "school_year,district_name,district_code,enrollment_count",
        "school_year,district_name,district_code,count",
        "edsight_district_enrollment_2024_25.csv, row 1, column enrollment_count: "
        "is missing from the header row",
        id="missing-column",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "message"), MALFORMED)
def test_a_malformed_file_names_file_row_and_column_and_writes_nothing(
    data_copy, file, old, new, message
):
    path = data_copy / file
    edit(path, old, new)
    # Also change a name that an earlier file would write, to show nothing lands before the error.
    edit(
        data_copy / "nga_2024_25_export.csv.gz",
        '"Andover School District"',
        '"Andover Renamed School District"',
    )
    before = counts()
    with pytest.raises(DataFileError) as error:
        registry_load(data_dir=data_copy)
    assert str(error.value).startswith(message)
    assert counts() == before
    assert District.objects.get(code="0010011").name == "Andover School District"


def test_the_error_names_the_row_a_spreadsheet_shows(data_copy):
    path = data_copy / "edsight_district_enrollment_2024_25.csv"
    row = line_of(path, "Bristol School District")
    edit(
        path,
        "2024-25,Bristol School District,0170011,",
        "2024-25,Bristol School District,0170011,x",
    )
    with pytest.raises(
        DataFileError, match=rf"^edsight_district_enrollment_2024_25.csv, row {row}, "
    ):
        registry_load(data_dir=data_copy)


def test_an_empty_database_stays_empty_when_a_file_is_malformed(data_copy):
    for model in REGISTRY_MODELS:
        model.objects.all().delete()
    edit(data_copy / "designation_cohorts.csv", ",36,", ",37,")
    with pytest.raises(DataFileError, match=r"designation_cohorts\.csv, row 4, column size"):
        registry_load(data_dir=data_copy)
    assert set(counts().values()) == {0}


def test_a_failure_while_writing_rolls_back_everything(monkeypatch):
    for model in REGISTRY_MODELS:
        model.objects.all().delete()

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Designation.objects, "bulk_create", explode)
    with pytest.raises(RuntimeError):
        registry_load(data_dir=settings.CT_DATA_DIR)
    assert set(counts().values()) == {0}


def test_the_command_reports_what_it_loaded(capsys):
    call_command("load_registry")
    assert "205 districts, 994 schools" in capsys.readouterr().out


def test_the_command_says_nothing_was_loaded_on_a_bad_file(data_copy):
    (data_copy / "ecs_alliance_grants_by_town_fy.csv").unlink()
    with pytest.raises(
        CommandError, match=r"Nothing was loaded\. ecs_alliance_grants_by_town_fy\.csv"
    ):
        call_command("load_registry", data_dir=data_copy)
