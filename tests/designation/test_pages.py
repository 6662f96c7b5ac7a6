"""Identification in the product: run, review reasons, confirm into a five-year cohort."""

from __future__ import annotations

import pytest
import time_machine
from django.conf import settings

from alliance.accountability.services import accountability_import
from alliance.registry.models import DesignationCohort

pytestmark = pytest.mark.django_db
FY2027 = time_machine.travel("2026-11-30 12:00 -05:00", tick=False)


@pytest.fixture
def imported(db):
    accountability_import(path=settings.CT_DATA_DIR / "nga_2024_25_export.csv.gz")


PARAMS = {
    "year": "2024-25",
    "lowest": "30",
    "min_enrollment": "1000",
    "previous": "alliance-fy2023-fy2027",
    "first_fiscal_year": "2028",
}


@FY2027
def test_state_admin_reviews_every_reason_then_confirms_a_five_year_cohort(client_for, imported):
    client = client_for("state.admin")
    response = client.get("/designations/identify/", PARAMS)
    identification = response.context["identification"]
    assert len(identification.outcomes) == 199
    assert all(o.reason for o in identification.outcomes)
    designated = {o.district.code for o in identification.designated}
    previous = set(
        DesignationCohort.objects.get(code="alliance-fy2023-fy2027").districts.values_list(
            "code", flat=True
        )
    )
    assert previous <= designated  # step 4 keeps every district of the cohort in force
    assert "Confirm as Alliance Districts FY2028–FY2032" in response.content.decode()

    response = client.post("/designations/identify/", PARAMS)
    assert response.status_code == 302 and response["Location"] == "/designations/"
    cohort = DesignationCohort.objects.get(code="alliance-fy2028-fy2032")
    assert (cohort.first_fiscal_year, cohort.last_fiscal_year) == (2028, 2032)
    assert set(cohort.districts.values_list("code", flat=True)) == designated
    assert cohort.size == len(designated)
    assert "2024-25 Accountability Index" in cohort.source


@FY2027
def test_confirming_twice_changes_nothing_and_says_why(client_for, imported):
    client = client_for("state.admin")
    client.post("/designations/identify/", PARAMS)
    count = DesignationCohort.objects.get(code="alliance-fy2028-fy2032").designations.count()
    response = client.post("/designations/identify/", {**PARAMS, "lowest": "10"}, follow=True)
    assert "already exists; it was not changed" in response.content.decode()
    assert (
        DesignationCohort.objects.get(code="alliance-fy2028-fy2032").designations.count() == count
    )


def test_other_state_roles_review_but_cannot_confirm(client_for, imported):
    client = client_for("state.reviewer")
    response = client.get("/designations/identify/", PARAMS)
    assert response.status_code == 200
    assert b"Confirm as" not in response.content
    assert client.post("/designations/identify/", PARAMS).status_code == 403
    assert not DesignationCohort.objects.filter(code="alliance-fy2028-fy2032").exists()


def test_district_users_do_not_see_identification(client_for, imported):
    assert client_for("district.leader").get("/designations/identify/").status_code == 404


@FY2027
def test_opportunity_districts_beside_the_ten_lowest(client_for, imported):
    response = client_for("board.viewer").get("/designations/")
    comparison = response.context["comparison"]
    assert len(comparison["official"]) == 10 and len(comparison["lowest"]) == 10
    lowest = [r["index"] for r in comparison["lowest"]]
    assert lowest == sorted(lowest)
    assert set(comparison["only_official"]) == {
        "East Hartford School District",
        "Meriden School District",
    }
    assert set(comparison["only_lowest"]) == {
        "Middletown School District",
        "Winchester School District",
    }
    assert "Where they differ" in response.content.decode()
