"""Accountability profiles, school pages and the statewide ranking: content, access, query counts."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from alliance.accountability.models import AccountabilityResult
from alliance.accountability.services import accountability_import
from alliance.registry.models import School

pytestmark = pytest.mark.django_db
FY2027 = time_machine.travel("2026-11-30 12:00 -05:00", tick=False)
BUNDLED = settings.CT_DATA_DIR / "nga_2024_25_export.csv.gz"


@pytest.fixture
def imported(db):
    accountability_import(path=BUNDLED)


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@FY2027
def test_district_profile_shows_indicators_index_rank_and_trend(client_for, imported):
    response = client_for("district.editor").get("/districts/0170011/accountability/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bristol School District: accountability" in html
    cells = {row.cell.key: row for row in response.context["cells"]}
    assert len(cells) == 22
    assert cells["Ind1ELA_All"].points == Decimal("42.118143")
    assert cells["Ind1ELA_All"].published_points == Decimal("42.118143")
    assert cells["Ind4_All"].cell.target == Decimal("0.05")
    outcome = response.context["outcome"]
    assert outcome.rank == 33 and response.context["identification"].eligible_count == 107
    assert "33 of 107" in html
    assert response.context["trend"]["labels"] == ["2024-25"]
    gaps = {g["subject"]: g for g in response.context["gaps"]}
    assert gaps["ELA"]["gap"] == Decimal("72.041166") - Decimal("57.727307")


@FY2027
def test_path_to_exit_for_a_designated_district_below_the_line(client_for, imported):
    response = client_for("hartford.editor").get("/districts/0640011/accountability/")
    path = response.context["path"]
    assert path is not None
    line = response.context["identification"].line
    result = response.context["result"]
    assert path["path"].line == line
    assert path["path"].index_gap == line - result.index
    assert path["path"].points_needed == (line - result.index) * result.total_possible / 100
    headroom = [h.headroom for h in path["headroom"]]
    assert headroom == sorted(headroom, reverse=True)
    assert "Path to exit" in response.content.decode()


@FY2027
def test_no_path_to_exit_for_a_district_that_is_not_designated(client_for, imported):
    response = client_for("state.reviewer").get("/districts/0010011/accountability/")
    assert response.context["path"] is None


def test_accountability_pages_keep_districts_apart(client_for, imported):
    client = client_for("district.editor")
    assert client.get("/districts/0640011/accountability/").status_code == 404
    hartford_school = School.objects.filter(district__code="0640011").first()
    bristol_school = School.objects.filter(district__code="0170011").first()
    assert client.get(f"/schools/{hartford_school.code}/").status_code == 404
    assert client.get(f"/schools/{bristol_school.code}/").status_code == 200
    assert client_for("state.fiscal").get(f"/schools/{hartford_school.code}/").status_code == 200


def test_school_page_shows_its_indicators(client_for, imported):
    school = School.objects.get(name="Bristol Eastern High School")
    response = client_for("board.viewer").get(f"/schools/{school.code}/")
    result = AccountabilityResult.objects.get(category="school", school_code=school.code)
    assert response.context["result"] == result
    assert result.span == "high_school"
    ela = next(r for r in response.context["cells"] if r.cell.key == "Ind1ELA_All")
    assert ela.possible == Decimal("150")


def test_a_year_not_imported_is_404(client_for, imported):
    client = client_for("state.reviewer")
    assert client.get("/accountability/2019-20/").status_code == 404
    assert client.get("/districts/0170011/accountability/?year=2018-19").status_code == 404


def test_no_results_yet_is_said_plainly(client_for):
    response = client_for("state.reviewer").get("/districts/0170011/accountability/")
    assert b"No Next Generation Accountability results" in response.content


@FY2027
def test_ranking_lists_districts_lowest_first_with_rank_and_csv(client_for, imported):
    client = client_for("state.reviewer")
    response = client.get("/accountability/2024-25/")
    rows = response.context["rows"]
    indexes = [r["result"].index for r in rows]
    assert indexes == sorted(indexes)
    ranked = [r for r in rows if r["outcome"] and r["outcome"].rank]
    assert [r["outcome"].rank for r in ranked] == list(range(1, 108))
    assert sum(r["alliance"] for r in rows) == 36
    regional = client.get("/accountability/2024-25/", {"type": "12"}).context["rows"]
    assert regional and all(r["result"].district_code.endswith("12") for r in regional)
    download = client.get("/accountability/2024-25/", {"type": "12", "format": "csv"})
    lines = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert len(lines) == len(regional)
    assert lines[0]["school_year"] == "2024-25" and lines[0]["org_type"] == "Regional"
    # The same rows as a workbook, numbers as numbers and district codes as text.
    workbook = client.get("/accountability/2024-25/", {"type": "12", "format": "xlsx"})
    assert workbook["Content-Disposition"] == 'attachment; filename="accountability-2024-25.xlsx"'
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    cells = list(sheet.iter_rows(values_only=True))
    assert list(cells[0]) == list(lines[0].keys()) and len(cells) == 1 + len(regional)
    assert cells[1][1] == lines[0]["district_code"] and isinstance(cells[1][4], float)


@FY2027
@pytest.mark.parametrize(
    ("username", "url"),
    [
        ("district.editor", "/districts/0170011/accountability/"),
        ("hartford.editor", "/districts/0640011/accountability/"),
        ("state.reviewer", "/accountability/2024-25/"),
        ("state.reviewer", "/designations/"),
        ("state.admin", "/designations/identify/?year=2024-25"),
    ],
)
def test_query_counts_do_not_grow_with_the_data(client_for, imported, username, url):
    client = client_for(username)
    before = queries(client, url)
    accountability_import(
        path=settings.BASE_DIR
        / "tests"
        / "accountability"
        / "fixtures"
        / "nga_2014_15_districts_sample.csv"
    )
    extra = [
        AccountabilityResult(
            year=AccountabilityResult.objects.first().year,
            category="school",
            district_code="0170011",
            school_code=f"99{i:05d}",
            name=f"Extra {i}",
            district_name="Bristol School District",
            span="other",
            total_points=Decimal(1),
            total_possible=Decimal(2),
            index=Decimal(50),
        )
        for i in range(50)
    ]
    AccountabilityResult.objects.bulk_create(extra)
    assert queries(client, url) == before
    assert before <= 15
