"""Plan pages over HTTP: who may do what, validation beside the field, conflicts, query counts."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.demo.plan import demo_plan_create
from alliance.plans.models import BudgetLine, Plan, Position, Strategy

pytestmark = pytest.mark.django_db
PLAN = "/districts/0170011/plans/2025/"


@pytest.fixture
def demo_plan(demo_users):
    return demo_plan_create()


def line_form(strategy: Strategy, **changes) -> dict[str, str]:
    data = {
        "funding_area": "supplies", "object_code": "600", "description": "Leveled readers",
        "vendor": "", "strategy": str(strategy.pk), "school": "", "amount": "1250.00",
    }  # fmt: skip
    data.update(changes)
    return data


def prefixed(prefix: str, data: dict[str, str]) -> dict[str, str]:
    return {f"{prefix}-{k}": v for k, v in data.items()}


def test_a_district_editor_starts_a_plan_with_the_real_allocation(client_for, demo_users):
    client = client_for("district.editor")
    response = client.post("/districts/0170011/plans/start/", {"fiscal_year": "2026"})
    assert response.status_code == 302 and response["Location"] == "/districts/0170011/plans/2026/"
    plan = Plan.objects.get(district__code="0170011", fiscal_year=2026)
    page = client.get("/districts/0170011/plans/2026/budget/").content.decode()
    assert f"${plan.allocation:,.2f}" in page


def test_starting_a_year_without_an_allocation_says_why(client_for, demo_users):
    response = client_for("district.editor").post(
        "/districts/0170011/plans/start/", {"fiscal_year": "2019"}
    )
    assert response.status_code == 422
    assert (
        "There is no ECS Alliance allocation for Bristol School District in FY2019."
        in response.content.decode()
    )


def test_board_viewer_reads_but_cannot_change(client_for, demo_plan):
    client = client_for("board.viewer")
    assert client.get(PLAN).status_code == 200
    assert client.get(PLAN + "budget/").status_code == 200
    strategy = demo_plan.strategies.first()
    assert client.post(PLAN + "lines/", prefixed("line", line_form(strategy))).status_code == 403
    assert (
        client.post("/districts/0170011/plans/start/", {"fiscal_year": "2026"}).status_code == 403
    )
    line = demo_plan.lines.first()
    assert client.post(PLAN + f"lines/{line.pk}/", {"version": "1"}).status_code == 403
    assert BudgetLine.objects.filter(plan=demo_plan).count() == 12


def test_hartford_editor_cannot_see_or_change_bristols_plan(client_for, demo_plan):
    client = client_for("hartford.editor")
    strategy = demo_plan.strategies.first()
    assert client.get(PLAN).status_code == 404
    assert client.post(PLAN + "lines/", prefixed("line", line_form(strategy))).status_code == 404
    line = demo_plan.lines.first()
    assert client.post(PLAN + f"lines/{line.pk}/delete/", {"version": "1"}).status_code == 404
    assert BudgetLine.objects.filter(pk=line.pk).exists()


def test_a_negative_amount_is_refused_beside_its_field_and_nothing_is_saved(client_for, demo_plan):
    strategy = demo_plan.strategies.first()
    response = client_for("district.editor").post(
        PLAN + "lines/",
        prefixed("line", line_form(strategy, amount="-5")),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_line-amount-error"' in html and "An amount cannot be negative." in html
    assert BudgetLine.objects.filter(plan=demo_plan).count() == 12


def test_adding_a_line_moves_the_totals(client_for, demo_plan):
    strategy = demo_plan.strategies.first()
    response = client_for("district.editor").post(
        PLAN + "lines/", prefixed("line", line_form(strategy)), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#editor"
    html = response.content.decode()
    assert "Leveled readers" in html
    assert "Over the allocation" in html and "-$1,250.00" in html


def test_two_sessions_editing_one_line_get_a_conflict_not_an_overwrite(client_for, demo_plan):
    line = demo_plan.lines.get(description="K-3 literacy academy")
    dana, lee = client_for("district.editor"), client_for("district.leader")
    url = PLAN + f"lines/{line.pk}/"
    form = {
        "version": str(line.version),
        **prefixed(f"lines-{line.pk}", line_form(line.strategy, description=line.description)),
    }
    first = dana.post(url, {**form, f"lines-{line.pk}-amount": "430000.00"})
    assert first.status_code == 302
    second = lee.post(url, {**form, f"lines-{line.pk}-amount": "410000.00"})
    assert second.status_code == 409
    html = second.content.decode()
    assert (
        "Changed by someone else" in html and "Dana Reyes changed this since you opened it" in html
    )
    assert "430000.00" in html and "410000.00" in html
    line.refresh_from_db()
    assert line.amount == Decimal("430000.00") and line.version == 2
    # Lee chooses to save his value over Dana's, knowingly: the form now carries version 2.
    third = lee.post(url, {**form, "version": "2", f"lines-{line.pk}-amount": "410000.00"})
    assert third.status_code == 302
    line.refresh_from_db()
    assert line.amount == Decimal("410000.00") and line.version == 3


def test_budget_csv_has_every_breakdown(client_for, demo_plan):
    response = client_for("board.viewer").get(PLAN + "budget/?format=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    areas = [r for r in rows if r["breakdown"] == "funding_area"]
    assert len(areas) == 11
    assert sum(Decimal(r["amount"]) for r in areas) == Decimal("12061630.00")
    totals = {r["name"]: r["amount"] for r in rows if r["breakdown"] == "total"}
    assert totals == {"Budget": "12061630.00", "Allocation": "12061630.00", "Difference": "0.00"}


def test_state_fiscal_sets_the_allocation_and_districts_cannot(client_for, demo_plan):
    data = {
        "allocation-allocation": "12100000.00",
        "allocation-allocation_source": "Revised ECS breakout",
    }
    assert client_for("district.leader").post(PLAN + "allocation/", data).status_code == 403
    assert client_for("state.fiscal").post(PLAN + "allocation/", data).status_code == 302
    demo_plan.refresh_from_db()
    assert demo_plan.allocation == Decimal("12100000.00")
    assert demo_plan.allocation_source == "Revised ECS breakout"


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("url", [PLAN, PLAN + "budget/", "/districts/0170011/plans/"])
def test_query_counts_do_not_grow_with_the_plan(client_for, demo_plan, url):
    client = client_for("district.editor")
    before = count(client, url)
    strategy = Strategy.objects.create(plan=demo_plan, focus_area="talent", title="More")
    Position.objects.bulk_create(
        [
            Position(
                plan=demo_plan,
                strategy=strategy,
                title=f"Extra {i}",
                staff_category="operational",
                fte=Decimal(1),
                salary=Decimal(1000),
            )
            for i in range(40)
        ]
    )
    BudgetLine.objects.bulk_create(
        [
            BudgetLine(
                plan=demo_plan,
                strategy=strategy,
                funding_area="other",
                object_code="800",
                description=f"Extra {i}",
                amount=Decimal(1),
            )
            for i in range(60)
        ]
    )
    assert count(client, url) == before
    assert before <= 20


def test_starting_next_year_from_this_years_plan(client_for, demo_plan):
    strategies = {s.title: s for s in demo_plan.strategies.all()}
    dropped = strategies["Gifted and talented and enrichment"]
    client = client_for("district.leader")
    page = client.get("/districts/0170011/plans/").content.decode()
    assert "Start from the latest plan" in page and f'name="decision-{dropped.pk}"' in page
    response = client.post(
        "/districts/0170011/plans/start/",
        {
            "fiscal_year": "2026",
            "copy_forward": "on",
            "salary_increase": "3",
            f"decision-{dropped.pk}": "drop",
        },
    )
    assert response.status_code == 302
    plan = Plan.objects.get(district__code="0170011", fiscal_year=2026)
    assert plan.strategies.count() == 5
    assert Position.objects.get(plan=plan, title="Grants manager").salary == Decimal("100940.00")


def test_strategies_and_goals_are_edited_in_place_too(client_for, demo_plan):
    client = client_for("district.editor")
    strategy = demo_plan.strategies.get(title="K-3 foundational literacy")
    form = client.get(PLAN + f"strategies/{strategy.pk}/", headers={"HX-Request": "true"})
    assert (
        form.status_code == 200
        and 'aria-label="Edit K-3 foundational literacy"' in form.content.decode()
    )
    data = {
        "version": "1",
        f"strategies-{strategy.pk}-focus_area": "k3_reading",
        f"strategies-{strategy.pk}-title": "K-3 literacy for every child",
        f"strategies-{strategy.pk}-description": strategy.description,
        f"strategies-{strategy.pk}-owner": strategy.owner,
        f"strategies-{strategy.pk}-evidence_level": strategy.evidence_level,
    }
    response = client.post(
        PLAN + f"strategies/{strategy.pk}/", data, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and response["HX-Retarget"] == "#editor"
    assert "K-3 literacy for every child" in response.content.decode()
    goal = strategy.goals.first()
    assert (
        client.post(PLAN + f"goals/{goal.pk}/delete/", {"version": str(goal.version)}).status_code
        == 302
    )
    assert not strategy.goals.exists()


def test_a_strategy_with_money_on_it_is_not_deleted(client_for, demo_plan):
    strategy = demo_plan.strategies.get(title="K-3 foundational literacy")
    response = client_for("district.editor").post(
        PLAN + f"strategies/{strategy.pk}/delete/", {"version": "1"}
    )
    assert response.status_code == 409
    assert "move or delete them first" in response.content.decode()
    assert Strategy.objects.filter(pk=strategy.pk).exists()


def test_a_goal_of_another_plan_is_not_reachable(client_for, demo_plan, demo_users):
    from alliance.plans.services import plan_create, strategy_add
    from alliance.registry.models import District

    hartford = plan_create(
        district=District.objects.get(code="0640011"), fiscal_year=2025, user=None
    )
    other = strategy_add(plan=hartford, user=None, focus_area="talent", title="Hartford strategy")
    assert client_for("district.editor").get(PLAN + f"strategies/{other.pk}/").status_code == 404
