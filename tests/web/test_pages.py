"""The pages each role reaches, what they show, and that their query counts stay flat."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.registry.models import (
    AllianceAllocation,
    Designation,
    DesignationCohort,
    District,
    Enrollment,
    School,
)

pytestmark = pytest.mark.django_db

FY2027 = time_machine.travel("2026-11-30 12:00 -05:00", tick=False)


def rows_of_csv(response) -> list[dict[str, str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_healthz_answers_ok_without_signing_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_sign_in_page_works_and_wrong_passwords_are_explained(client, demo_users):
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/accounts/login/", {"username": "district.editor", "password": "nope"})
    assert response.status_code == 200
    assert b"do not match an account" in response.content
    response = client.post(
        "/accounts/login/", {"username": "district.editor", "password": "alliance-demo"}
    )
    assert response.status_code == 302


def test_signing_out_needs_a_post_and_ends_the_session(client_for):
    client = client_for("state.reviewer")
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


@FY2027
@pytest.mark.parametrize(
    "username", ["state.reviewer", "state.fiscal", "commissioner", "state.admin"]
)
def test_state_home_lists_the_36_current_alliance_districts_with_allocations(client_for, username):
    response = client_for(username).get("/")
    assert response.status_code == 200
    table = response.context["cohort_table"]
    assert table.cohort.code == "alliance-fy2023-fy2027"
    assert len(table.rows) == 36
    assert [fy.label for fy in table.fiscal_years] == [f"FY{y}" for y in range(2023, 2028)]
    bristol = next(row for row in table.rows if row.district.code == "0170011")
    assert bristol.amounts[2] == Decimal("12061630.00")  # FY2025
    html = response.content.decode()
    assert "Alliance Districts FY2023-FY2027" in html
    assert "$12,061,630" in html
    expected_total = sum(
        AllianceAllocation.objects.filter(
            fiscal_year=2025, district__designations__cohort=table.cohort
        ).values_list("alliance_amount", flat=True)
    )
    assert table.totals[2] == expected_total


@FY2027
@pytest.mark.parametrize("username", ["district.editor", "district.leader", "board.viewer"])
def test_district_users_land_on_their_own_district(client_for, username):
    response = client_for(username).get("/")
    assert response.status_code == 302
    assert response["Location"] == "/districts/0170011/"


def test_a_user_without_roles_is_told_what_to_do(client, django_user_model):
    django_user_model.objects.create_user("newcomer", password="pw-12345-long")
    client.login(username="newcomer", password="pw-12345-long")
    response = client.get("/")
    assert b"Your account has no role yet" in response.content


@FY2027
def test_bristol_page_shows_fy2025_allocation_and_profile(client_for):
    response = client_for("district.editor").get("/districts/0170011/")
    html = response.content.decode()
    assert "$12,061,630" in html
    assert "Alliance District FY2023–FY2027" in html
    assert "Town of Bristol" in html
    assert "Bristol Eastern High School" in html
    chart = response.context["allocation_chart"]
    assert chart["labels"] == ["FY2018", "FY2023", "FY2024", "FY2025", "FY2026", "FY2027"]
    assert chart["values"][3] == "12061630.00"
    history = {cohort.code: designated for cohort, designated in response.context["history"]}
    assert history == {
        "alliance-fy2013-fy2017": True,
        "alliance-fy2018-fy2022": True,
        "alliance-fy2023-fy2027": True,
        "opportunity-fy2019": False,
    }


def test_a_district_without_allocations_says_so(client_for):
    html = client_for("state.reviewer").get("/districts/0010011/").content.decode()
    assert "No ECS Alliance allocation for this district" in html


@FY2027
def test_directory_lists_every_district_with_36_current_alliance_districts(client_for):
    response = client_for("state.reviewer").get("/districts/")
    districts = list(response.context["districts"])
    assert len(districts) == District.objects.count() == 205
    assert sum(d.current_alliance for d in districts) == 36
    assert "Showing <strong>205</strong> districts" in response.content.decode()


@FY2027
def test_directory_filters_by_type_and_alliance_status(client_for):
    client = client_for("state.reviewer")
    current = client.get("/districts/", {"alliance": "current"}).context["districts"]
    assert len(current) == 36
    former = client.get("/districts/", {"alliance": "former"}).context["districts"]
    assert len(former) == 0  # every earlier Alliance District is still designated
    regional = client.get("/districts/", {"type": "12"}).context["districts"]
    assert {d.district_type for d in regional} == {"12"}
    assert len(regional) == District.objects.filter(district_type="12").count()
    found = client.get("/districts/", {"q": "bristol"}).context["districts"]
    assert [d.code for d in found] == ["0170011"]


@FY2027
def test_directory_sorts_by_each_column(client_for):
    client = client_for("state.reviewer")
    by_allocation = list(
        client.get("/districts/", {"alliance": "current", "sort": "-allocation"}).context[
            "districts"
        ]
    )
    amounts = [d.current_allocation for d in by_allocation]
    assert amounts == sorted(amounts, reverse=True)
    largest = (
        AllianceAllocation.objects.filter(fiscal_year=2027).order_by("-alliance_amount").first()
    )
    assert largest is not None and by_allocation[0].code == largest.district.code
    by_enrollment = list(client.get("/districts/", {"sort": "enrollment"}).context["districts"])
    counted = [d.latest_enrollment for d in by_enrollment if d.latest_enrollment is not None]
    assert counted == sorted(counted)
    assert by_enrollment[-1].latest_enrollment is None  # suppressed counts sort last
    html = client.get("/districts/", {"sort": "-allocation"}).content.decode()
    assert 'aria-sort="descending"' in html


@FY2027
def test_directory_csv_has_the_same_rows_as_the_screen(client_for):
    client = client_for("state.reviewer")
    rows = rows_of_csv(client.get("/districts/", {"alliance": "current", "format": "csv"}))
    assert len(rows) == 36
    bristol = next(r for r in rows if r["district_code"] == "0170011")
    assert bristol["district_name"] == "Bristol School District"
    assert bristol["current_alliance_district"] == "yes"
    assert bristol["alliance_allocation_fy2027"] == str(
        AllianceAllocation.objects.get(district__code="0170011", fiscal_year=2027).alliance_amount
    )
    everyone = rows_of_csv(client.get("/districts/", {"format": "csv"}))
    assert len(everyone) == 205
    assert {r["district_code"] for r in everyone} == set(
        District.objects.values_list("code", flat=True)
    )


@FY2027
def test_htmx_requests_get_only_the_table(client_for):
    response = client_for("state.reviewer").get(
        "/districts/", {"type": "14"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="directory"')
    assert "<html" not in html


def test_district_users_see_the_directory_but_only_link_their_own_district(client_for):
    html = client_for("district.editor").get("/districts/").content.decode()
    assert 'href="/districts/0170011/"' in html
    assert 'href="/districts/0640011/"' not in html
    assert "Hartford School District" in html


def _add_districts(count: int) -> None:
    cohort = DesignationCohort.objects.get(code="alliance-fy2023-fy2027")
    for i in range(count):
        district = District.objects.create(
            code=f"{800 + i:03d}0013", name=f"Load Test Charter {i}", district_type="13"
        )
        Enrollment.objects.create(
            district=district, school_year="2024-25", students=100 + i, source="t"
        )
        AllianceAllocation.objects.create(
            district=district,
            fiscal_year=2027,
            alliance_amount=Decimal("1000.00"),
            ecs_entitlement=Decimal("1000.00"),
            non_alliance_amount=Decimal("0.00"),
            source="t",
        )
        Designation.objects.create(cohort=cohort, district=district)
        School.objects.create(
            code=f"{800 + i:03d}1113",
            name=f"School {i}",
            district=District.objects.get(code="0170011"),
            school_type="Public Schools",
            low_grade="K",
            high_grade="5",
        )


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@FY2027
@pytest.mark.parametrize(
    ("username", "url"),
    [
        ("state.reviewer", "/"),
        ("state.reviewer", "/districts/"),
        ("state.reviewer", "/districts/?alliance=current&sort=-allocation"),
        ("state.reviewer", "/districts/?format=csv"),
        ("district.editor", "/districts/0170011/"),
    ],
)
def test_query_counts_do_not_grow_with_the_data(client_for, username, url):
    client = client_for(username)
    before = count_queries(client, url)
    _add_districts(40)
    after = count_queries(client, url)
    assert after == before
    assert before <= 12


def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    from django.db import connection as conn
    from django.db.utils import OperationalError

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(conn, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"database unavailable"
