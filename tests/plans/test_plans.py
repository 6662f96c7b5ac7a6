"""Plans in the database: creation, validation, access, concurrency, the demo and its export."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.http import Http404

from alliance.accountability.services import accountability_import
from alliance.demo.plan import demo_plan_create
from alliance.lib import clock
from alliance.plans.access import plan_for_user
from alliance.plans.models import BudgetLine, Goal, Plan, Position
from alliance.plans.services import (
    Conflict,
    PlanError,
    goal_add,
    line_add,
    plan_copy_forward,
    plan_create,
    row_update,
    strategy_add,
)
from alliance.registry.models import AllianceAllocation, District

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(demo_users):
    return plan_create(
        district=District.objects.get(code="0170011"),
        fiscal_year=2026,
        user=demo_users["district.editor"],
    )


@pytest.fixture
def strategy(plan, demo_users):
    return strategy_add(
        plan=plan,
        user=demo_users["district.editor"],
        focus_area="tiered_interventions",
        title="Interventions",
    )


def test_a_plan_takes_its_allocation_from_the_ecs_data(plan):

    expected = AllianceAllocation.objects.get(
        district=plan.district, fiscal_year=2026
    ).alliance_amount
    assert plan.allocation == expected
    assert "FY2026" in plan.allocation_source
    with pytest.raises(PlanError, match="already has a FY2026 plan"):
        plan_create(district=plan.district, fiscal_year=2026, user=None)


def test_no_plan_without_an_allocation():
    with pytest.raises(
        PlanError, match="no ECS Alliance allocation for Andover School District in FY2025"
    ):
        plan_create(district=District.objects.get(code="0010011"), fiscal_year=2025, user=None)


def test_bad_values_are_refused_with_the_field_named(plan, strategy, demo_users):
    with pytest.raises(PlanError) as error:
        line_add(
            plan=plan,
            user=None,
            strategy=strategy,
            funding_area="supplies",
            object_code="600",
            description="Books",
            amount=Decimal("-1"),
        )
    assert error.value.fields["amount"] == ["An amount cannot be negative."]
    assert BudgetLine.objects.count() == 0
    with pytest.raises(PlanError) as error:
        strategy_add(plan=plan, user=None, focus_area="not_in_the_statute", title="X")
    assert "focus_area" in error.value.fields


def test_two_people_editing_one_line_never_overwrite_each_other(plan, strategy, demo_users):
    line = line_add(
        plan=plan,
        user=None,
        strategy=strategy,
        funding_area="supplies",
        object_code="600",
        description="Books",
        amount=Decimal("100"),
    )
    dana, lee = demo_users["district.editor"], demo_users["district.leader"]
    first = BudgetLine.objects.get(pk=line.pk)
    second = BudgetLine.objects.get(pk=line.pk)
    row_update(
        obj=first, plan=plan, user=dana, expected_version=1, changes={"amount": Decimal("150")}
    )
    with pytest.raises(Conflict) as conflict:
        row_update(
            obj=second, plan=plan, user=lee, expected_version=1, changes={"amount": Decimal("175")}
        )
    assert conflict.value.current.amount == Decimal("150.00")
    assert conflict.value.attempted == {"amount": Decimal("175")}
    assert "Dana Reyes changed this since you opened it" in str(conflict.value)
    stored = BudgetLine.objects.get(pk=line.pk)
    assert stored.amount == Decimal("150.00") and stored.version == 2 and stored.updated_by == dana


def test_a_row_records_when_it_was_last_saved(plan, strategy, demo_users):
    """By the product's clock, whether it is created, saved or changed through row_update."""
    created, changed = (
        dt.datetime(2024, 5, 14, 10, tzinfo=clock.CONNECTICUT),
        dt.datetime(2024, 6, 2, 15, tzinfo=clock.CONNECTICUT),
    )
    with clock.pinned(created):
        line = line_add(plan=plan, user=None, strategy=strategy, funding_area="supplies",
                        object_code="600", description="Books", amount=Decimal("100"))  # fmt: skip
    assert BudgetLine.objects.get(pk=line.pk).updated_at == created
    with clock.pinned(changed):
        row_update(obj=line, plan=plan, user=demo_users["district.editor"], expected_version=1,
                   changes={"amount": Decimal("150")})  # fmt: skip
    assert BudgetLine.objects.get(pk=line.pk).updated_at == changed
    with clock.pinned(changed + dt.timedelta(days=1)):
        line.refresh_from_db()
        line.save(update_fields=["amount"])
    assert BudgetLine.objects.get(pk=line.pk).updated_at == changed + dt.timedelta(days=1)


def test_who_may_see_and_change_bristols_plan(plan, demo_users):
    assert plan_for_user(demo_users["district.editor"], "0170011", 2026, edit=True) == plan
    assert plan_for_user(demo_users["district.leader"], "0170011", 2026, edit=True) == plan
    assert plan_for_user(demo_users["board.viewer"], "0170011", 2026) == plan
    with pytest.raises(PermissionDenied):
        plan_for_user(demo_users["board.viewer"], "0170011", 2026, edit=True)
    with pytest.raises(Http404):
        plan_for_user(demo_users["hartford.editor"], "0170011", 2026)
    with pytest.raises(Http404):
        plan_for_user(demo_users["hartford.editor"], "0170011", 2026, edit=True)
    assert plan_for_user(demo_users["state.reviewer"], "0170011", 2026) == plan
    with pytest.raises(PermissionDenied):
        plan_for_user(demo_users["state.reviewer"], "0170011", 2026, edit=True)


def test_the_demo_plan_exports_exactly_the_real_allocation(tmp_path, demo_users):
    demo_plan_create()
    out = tmp_path / "plan.json"
    call_command(
        "export",
        "plan",
        "--district",
        "0170011",
        "--fiscal-year",
        "2025",
        "--format",
        "json",
        "--out",
        str(out),
    )
    document = json.loads(out.read_text())
    assert document["schema"] == "alliance-grants/plan-export/1"
    assert document["illustrative"] is True
    assert document["allocation"] == "12061630.00"
    assert document["totals"]["budget"] == "12061630.00"
    assert document["totals"]["difference"] == "0.00"
    areas = [r["name"] for r in document["totals"]["by_funding_area"]]
    assert areas == [
        "Direct-service staff", "Administrative staff", "Operational staff", "Benefits",
        "Progress monitoring", "Professional development", "Supplies", "Purchased services",
        "Family engagement", "Technology", "Other",
    ]  # fmt: skip
    for breakdown in ("by_funding_area", "by_object_code", "by_strategy", "by_school"):
        total = sum(Decimal(r["amount"]) for r in document["totals"][breakdown])
        assert total == Decimal("12061630.00"), breakdown
    assert all(len(r["amount"].split(".")[1]) == 2 for r in document["totals"]["by_funding_area"])
    assert len(document["strategies"]) == 6 and all(s["goals"] for s in document["strategies"])


def test_the_demo_plan_is_rebuilt_the_same(demo_users):
    first = demo_plan_create()
    second = demo_plan_create()
    assert Plan.objects.filter(district__code="0170011", fiscal_year=2025).count() == 1
    assert second.pk != first.pk
    assert second.lines.count() == 12 and second.positions.count() == 95


def test_copy_forward_keeps_changes_and_drops_strategies(demo_users):

    accountability_import(path=settings.CT_DATA_DIR / "nga_2024_25_export.csv.gz")
    source = demo_plan_create()
    strategies = {s.title: s for s in source.strategies.all()}
    dropped = strategies["Gifted and talented and enrichment"]
    changed = strategies["Family engagement and career development"]
    Goal.objects.filter(strategy__plan=source, ngas_cell="Ind1ELA_All").update(
        baseline=Decimal("1"), baseline_year="2018-19"
    )
    plan = plan_copy_forward(
        source=source, fiscal_year=2026, user=demo_users["district.leader"],
        decisions={dropped.pk: "drop", changed.pk: "change"}, salary_increase=Decimal("2.5"),
    )  # fmt: skip
    titles = {s.title: s for s in plan.strategies.all()}
    assert "Gifted and talented and enrichment" not in titles and len(titles) == 5
    assert titles["Family engagement and career development"].to_review
    assert not titles["Tiered academic interventions"].to_review
    assert (
        titles["Tiered academic interventions"].carried_from
        == strategies["Tiered academic interventions"]
    )
    # Positions come with a 2.5% raise, to the cent; the dropped strategy's stay behind.
    coach = Position.objects.get(plan=plan, title="Instructional coach 1")
    assert coach.salary == Decimal("90200.00")
    assert not Position.objects.filter(plan=plan, title__startswith="Gifted and talented").exists()
    assert Position.objects.filter(plan=plan).count() == 95 - 6
    # NGAS goals are re-based on the newest imported data; local goals keep their baseline.
    ela = Goal.objects.get(strategy__plan=plan, ngas_cell="Ind1ELA_All")
    assert ela.baseline == Decimal("63.1772") and ela.baseline_year == "2024-25"
    # The contacts come along, presenters included.
    assert [(c.name, c.presents) for c in plan.contacts.all()] == [
        (c.name, c.presents) for c in source.contacts.all()
    ] and plan.contacts.count() == 3

    assert (
        plan.allocation
        == AllianceAllocation.objects.get(district=plan.district, fiscal_year=2026).alliance_amount
    )
    with pytest.raises(PlanError, match="later fiscal year"):
        plan_copy_forward(
            source=plan, fiscal_year=2026, decisions={}, salary_increase=Decimal(0), user=None
        )


def test_an_ngas_goal_takes_its_baseline_from_the_imported_data(plan, strategy):

    accountability_import(path=settings.CT_DATA_DIR / "nga_2024_25_export.csv.gz")
    goal = goal_add(
        strategy=strategy, user=None, measure="ngas", ngas_cell="Ind4_All", description="Chronic absenteeism",
        target=Decimal("0.15"), unit="share of students",
    )  # fmt: skip
    assert goal.baseline == Decimal("0.1837") and goal.baseline_year == "2024-25"


def test_the_export_writes_a_goal_of_100_as_100(plan, strategy):
    from alliance.plans.export import plan_document
    from alliance.plans.selectors import plan_contents

    goal_add(
        strategy=strategy, user=None, measure="local", description="Families at conferences",
        baseline=Decimal("80"), target=Decimal("100"), unit="percent",
    )  # fmt: skip
    document = plan_document(plan_contents(plan))
    goal = next(
        g for s in document["strategies"] for g in s["goals"]
        if g["description"] == "Families at conferences"
    )  # fmt: skip
    assert (goal["baseline"], goal["target"]) == ("80", "100")  # not "1E+2"
