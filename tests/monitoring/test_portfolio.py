"""The state's portfolio dashboard: every Alliance District of the year, one row each, with the
same figures as each plan's own spending page, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from alliance.lib.fiscal import FiscalYear
from alliance.monitoring.models import Expenditure, Meeting
from alliance.monitoring.portfolio import portfolio
from alliance.monitoring.rules import monitoring_rules
from alliance.monitoring.selectors import plan_spending
from alliance.monitoring.services import (
    action_add,
    expenditure_import,
    meetings_schedule,
    progress_enter,
)
from alliance.plans.models import BudgetLine, Goal, Plan, Strategy
from alliance.plans.services import plan_create
from alliance.registry.models import District

pytestmark = pytest.mark.django_db
DEC_31 = dt.date(2024, 12, 31)
LEDGER = (
    "Date,Object,Description,Amount\n"
    '2024-09-15,700,Chromebooks for intervention groups,"$120,000.00"\n'
    '2024-10-31,111,Instructional coach 12 payroll October,"7,333.33"\n'
)
MAPPING = {"date": "Date", "object_code": "Object", "description": "Description",
           "amount": "Amount"}  # fmt: skip


@pytest.fixture
def funded(funded: Plan, demo_users) -> Plan:
    """The funded plan with two expenditures loaded."""
    expenditure_import(plan=funded, name="ledger.csv", content=LEDGER.encode(), mapping=MAPPING,
                       user=demo_users["district.editor"])  # fmt: skip
    return funded


def test_every_alliance_district_with_the_plans_own_figures(funded):
    rows, share = portfolio(FiscalYear(2025), DEC_31)
    assert len(rows) == 36 and share == Decimal(184) / Decimal(365)
    bristol = next(r for r in rows if r.district.code == "0170011")
    own = plan_spending(funded, DEC_31).result.total
    assert bristol.total == own
    assert bristol.status_name == "Funds released" and bristol.allocation == Decimal("12061630")
    others = [r for r in rows if r is not bristol]
    assert {r.level for r in others} == {"none"} and {r.status_name for r in others} == {"No plan"}


def test_the_risk_level_follows_the_rules():
    rule = monitoring_rules().portfolio
    assert rule.level(lapse="low", off_track=0, judged=5, overdue=0) == "low"
    assert rule.level(lapse="medium", off_track=0, judged=5, overdue=0) == "medium"
    assert rule.level(lapse="low", off_track=1, judged=6, overdue=0) == "medium"
    assert rule.level(lapse="low", off_track=2, judged=5, overdue=0) == "high"
    assert rule.level(lapse="low", off_track=0, judged=5, overdue=3) == "high"
    assert rule.level(lapse="over", off_track=0, judged=0, overdue=0) == "high"


def test_goals_and_overdue_items_count(funded, demo_users):
    meetings = {m.code: m for m in meetings_schedule(funded)}
    goal = Goal.objects.filter(strategy__plan=funded, measure="local").order_by("id")[0]
    Goal.objects.filter(pk=goal.pk).update(baseline=Decimal("50"))
    goal.refresh_from_db()
    progress_enter(goal=goal, meeting=meetings["fall"], user=demo_users["district.editor"],
                   value=Decimal("40"))  # fmt: skip
    action_add(meeting=meetings["fall"], user=demo_users["state.reviewer"], title="Hire",
               owner="HR", due=dt.date(2024, 12, 1))  # fmt: skip
    rows, _ = portfolio(FiscalYear(2025), DEC_31)
    bristol = next(r for r in rows if r.district.code == "0170011")
    assert (bristol.goals_judged, bristol.goals_off_track, bristol.overdue) == (1, 1, 1)
    assert bristol.level == "high"  # one judged goal, and it is off track


def test_the_page_filters_sorts_and_downloads(funded, client_for):
    client = client_for("state.fiscal")
    page = client.get("/portfolio/?fiscal_year=2025&as_of=2024-12-31").content.decode()
    assert "Alliance portfolio, FY2025" in page and "36 districts" in page
    assert page.index("Bristol School District") < page.index("Ansonia")  # the riskiest first
    only = client.get("/portfolio/?fiscal_year=2025&as_of=2024-12-31&level=none").content.decode()
    assert "35 districts" in only and "Bristol School District" not in only
    csv = client.get("/portfolio/?fiscal_year=2025&as_of=2024-12-31&format=csv").content.decode()
    line = next(x for x in csv.splitlines() if x.startswith("0170011,"))
    assert line.startswith("0170011,Bristol School District,12061630.00,Funds released,")
    workbook = client.get("/portfolio/?fiscal_year=2025&as_of=2024-12-31&format=xlsx")
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    bristol = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "0170011")
    assert bristol[1:4] == ("Bristol School District", 12061630, "Funds released")
    assert client_for("district.leader").get("/portfolio/").status_code == 403


def test_the_portfolio_query_count_does_not_grow(funded, demo_users, client_for):
    client = client_for("state.reviewer")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/portfolio/?fiscal_year=2025&as_of=2025-03-01").status_code == 200
        return len(captured.captured_queries)

    meetings_schedule(funded)
    before = count()
    hartford = plan_create(district=District.objects.get(code="0640011"), fiscal_year=2025,
                           user=None)  # fmt: skip
    strategy = Strategy.objects.create(plan=hartford, focus_area="talent", title="Residency")
    lines = BudgetLine.objects.bulk_create(
        BudgetLine(plan=hartford, strategy=strategy, funding_area="supplies", object_code="600",
                   description=f"Line {i}", amount=Decimal(1000)) for i in range(5)
    )  # fmt: skip
    Plan.objects.filter(pk=hartford.pk).update(status="funds_released")
    Expenditure.objects.bulk_create(
        Expenditure(plan=hartford, day=dt.date(2024, 9, 1), object_code="600", description="x",
                    amount=Decimal(10), kind="line", line=line,
                    entered_by=demo_users["hartford.editor"]) for line in lines
    )  # fmt: skip
    assert Meeting.objects.filter(plan=funded).count() == 3
    assert count() == before
