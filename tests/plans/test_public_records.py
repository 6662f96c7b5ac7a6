"""Approved plans are public records: anyone signed in reads a plan as it was approved, and nobody
outside the district and the state sees a draft or an amendment in progress."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.demo.plan import demo_plan_create
from alliance.plans.models import BudgetLine, Plan, PlanVersion
from alliance.plans.services import row_update
from alliance.plans.workflow import plan_transition
from alliance.registry.models import District

pytestmark = pytest.mark.django_db
LIST = "/plans/approved/"
RECORD = "/plans/approved/0170011/2025/"


def test_another_districts_leader_reads_an_approved_plan_but_not_the_working_one(
    funded, client_for
):
    hartford = client_for("hartford.leader")
    listing = hartford.get(LIST).content.decode()
    assert "1 approved plan." in listing and f'href="{RECORD}"' in listing
    assert "$12,061,630" in listing
    record = hartford.get(RECORD)
    page = record.content.decode()
    assert record.status_code == 200
    assert "Bristol FY2025 Alliance plan" in page and "a public record" in page
    strategy = funded.strategies.first()
    assert strategy is not None and strategy.title in page
    assert "$12,061,630.00" in page
    assert "The working plan" not in page  # no way into the district's own pages
    assert hartford.get("/districts/0170011/plans/2025/").status_code == 404
    assert hartford.get("/districts/0170011/plans/2025/spending/").status_code == 404


def test_a_plan_not_yet_approved_is_not_public(demo_users, client_for):
    demo_plan_create()
    hartford = client_for("hartford.leader")
    assert "0 approved plans." in hartford.get(LIST).content.decode()
    assert hartford.get(RECORD).status_code == 404
    assert hartford.get(RECORD + "?format=json").status_code == 404


def test_an_amendment_in_progress_stays_private_until_approved(funded, demo_users, client_for):
    leader = demo_users["district.leader"]
    plan = plan_transition(
        plan_id=funded.pk, action="open_amendment", user=leader, note="More devices."
    )
    line = BudgetLine.objects.filter(plan=plan).earliest("pk")
    approved_amount = line.amount
    row_update(obj=line, plan=plan, user=leader, expected_version=line.version,
               changes={"amount": approved_amount + Decimal("1000.00")})  # fmt: skip
    board = client_for("board.viewer")
    document = board.get(RECORD + "?format=json").json()
    recorded = next(r for r in document["lines"] if r["id"] == line.pk)
    assert Decimal(recorded["amount"]) == approved_amount
    # The district's own people see the working plan's link beside the public record.
    assert "The working plan" in board.get(RECORD).content.decode()


def test_each_approved_version_can_be_read_and_downloaded(funded, client_for):
    client = client_for("hartford.editor")
    approved = PlanVersion.objects.filter(plan=funded, status="approved").get()
    submitted = PlanVersion.objects.filter(plan=funded, status="submitted").first()
    page = client.get(RECORD + f"?version={approved.number}").content.decode()
    assert f"version {approved.number}" in page
    download = client.get(RECORD + f"?version={approved.number}&format=json")
    assert download["Content-Disposition"] == (
        f'attachment; filename="alliance-plan-0170011-fy2025-v{approved.number}.json"'
    )
    assert download.json()["totals"]["budget"] == "12061630.00"
    assert submitted is not None  # a submitted version is the district's and CSDE's, not public
    assert client.get(RECORD + f"?version={submitted.number}").status_code == 404


def test_the_list_filters_and_downloads_as_on_screen(funded, client_for):
    client = client_for("board.viewer")
    assert "1 approved plan." in client.get(LIST + "?q=brist&fiscal_year=2025").content.decode()
    assert "0 approved plans." in client.get(LIST + "?q=hartford").content.decode()
    assert "0 approved plans." in client.get(LIST + "?fiscal_year=2024").content.decode()
    response = client.get(LIST + "?q=brist&format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0] == ["district_code", "district", "fiscal_year", "version", "status",
                       "approved_on", "budget", "allocation"]  # fmt: skip
    assert [r[:3] + r[-2:] for r in rows[1:]] == [
        ["0170011", "Bristol School District", "2025", "12061630.00", "12061630.00"]
    ]


def test_signing_in_is_needed(funded, client):
    assert client.get(LIST).status_code == 302
    assert client.get(RECORD).status_code == 302


def _approved_copy(funded: Plan, code: str) -> None:
    """Another district's plan with an approved version (its content borrowed from Bristol's)."""
    document = PlanVersion.objects.filter(plan=funded).earliest("number").document
    plan = Plan.objects.create(
        district=District.objects.get(code=code), fiscal_year=2025, status="approved",
        allocation=funded.allocation, allocation_source="test", benefits_rate=funded.benefits_rate,
    )  # fmt: skip
    PlanVersion.objects.create(plan=plan, number=1, status="approved",
                               created_at=funded.created_at, document=document)  # fmt: skip


def test_the_list_query_count_does_not_grow_with_the_plans(funded, client_for):
    client = client_for("hartford.leader")
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    for code in ("0640011", "0150011", "0930011"):
        _approved_copy(funded, code)
    with CaptureQueriesContext(connection) as four:
        page = client.get(LIST).content.decode()
    assert "4 approved plans." in page
    assert len(four) == len(one)
