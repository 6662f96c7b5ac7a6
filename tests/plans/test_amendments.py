"""Amendments to an approved plan: a working copy, a redline with the reason, approval by state
fiscal staff when only the budget changes (the Commissioner otherwise), the old version kept."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.audit.models import AuditEntry
from alliance.demo.plan import demo_plan_create
from alliance.plans.export import plan_document
from alliance.plans.models import Amendment, BudgetLine, Plan, PlanVersion, Position
from alliance.plans.redline import redline
from alliance.plans.selectors import plan_contents
from alliance.plans.services import (
    PlanError,
    goal_add,
    row_delete,
    row_update,
    strategy_add,
    strategy_school_set,
)
from alliance.plans.workflow import amendment_redline, plan_transition
from alliance.registry.models import School

pytestmark = pytest.mark.django_db
PLAN = "/districts/0170011/plans/2025/"


def _move(plan: Plan, user, amount: Decimal) -> tuple[BudgetLine, BudgetLine]:
    """Move `amount` from the first line to the second, as an editor would, row by row."""
    source, target = BudgetLine.objects.filter(plan=plan).order_by("id")[:2]
    for line, delta in ((source, -amount), (target, amount)):
        row_update(
            obj=line, plan=plan, user=user, expected_version=line.version,
            changes={"amount": line.amount + delta},
        )  # fmt: skip
    return source, target


def test_moving_10000_between_two_lines_is_a_budget_only_amendment(funded, demo_users):
    plan = plan_transition(
        plan_id=funded.pk, action="open_amendment", user=demo_users["district.editor"],
        note="Move $10,000 from assessment software to coaching PD after the vendor's discount.",
    )  # fmt: skip
    assert plan.status == "amending"
    source, target = _move(plan, demo_users["district.editor"], Decimal("10000"))
    plan = plan_transition(
        plan_id=plan.pk, action="submit_amendment", user=demo_users["district.leader"]
    )
    amendment = Amendment.objects.get(plan=plan)
    assert plan.status == "amendment_submitted" and amendment.budget_only is True
    plan = plan_transition(
        plan_id=plan.pk, action="approve_budget_amendment", user=demo_users["state.fiscal"]
    )
    # The plan is back where it was, funded, and the result is a new frozen version.
    assert plan.status == "funds_released"
    amendment.refresh_from_db()
    assert amendment.status == "approved" and amendment.decided_by == demo_users["state.fiscal"]
    assert amendment.result_version.number == 3
    assert [v.number for v in PlanVersion.objects.filter(plan=plan)] == [3, 2, 1]
    old = amendment.base_version.document
    new = amendment.result_version.document
    assert {line["id"]: line["amount"] for line in old["lines"]}[source.pk] == "325000.00"
    assert {line["id"]: line["amount"] for line in new["lines"]}[source.pk] == "315000.00"
    lines = amendment_redline(amendment)
    assert [(r.kind, r.change, r.label) for r in lines.rows] == [
        ("line", "changed", f"{source.description} ({source.object_code})"),
        ("line", "changed", f"{target.description} ({target.object_code})"),
    ]
    assert [(f.label, f.before, f.after) for f in lines.rows[0].fields] == [
        ("Amount", "$325,000.00", "$315,000.00")
    ]
    assert lines.total_before == lines.total_after == Decimal("12061630.00")
    # Every step is in the audit trail: the amendment's own record and the two line changes.
    actions = AuditEntry.objects.filter(object_type="amendment").values_list("action", flat=True)
    assert sorted(actions) == ["create", "update", "update"]
    assert AuditEntry.objects.filter(object_type="budgetline", action="update").count() == 2


def test_the_redline_page_shows_the_reason_and_old_and_new_values(funded, demo_users, client_for):
    plan_transition(
        plan_id=funded.pk, action="open_amendment", user=demo_users["district.leader"],
        note="Vendor discount.",
    )  # fmt: skip
    _move(Plan.objects.get(pk=funded.pk), demo_users["district.editor"], Decimal("10000"))
    page = client_for("state.fiscal").get(PLAN + "amendments/1/").content.decode()
    assert "Vendor discount." in page
    assert "<del>$325,000.00</del>" in page and "<ins>$315,000.00</ins>" in page
    assert "state fiscal staff (only positions and lines change)" in page


def test_a_new_strategy_needs_the_commissioner(funded, demo_users):
    plan = plan_transition(
        plan_id=funded.pk, action="open_amendment", user=demo_users["district.leader"],
        note="Add summer learning.",
    )  # fmt: skip
    strategy = strategy_add(
        plan=plan, user=demo_users["district.leader"], focus_area="learning_time",
        title="Summer learning academy",
    )  # fmt: skip
    goal_add(
        strategy=strategy, user=demo_users["district.leader"], measure="local",
        description="Summer attendance", target=Decimal("80"), unit="%",
    )  # fmt: skip
    plan_transition(plan_id=plan.pk, action="submit_amendment", user=demo_users["district.leader"])
    with pytest.raises(PlanError, match="the Commissioner approves it"):
        plan_transition(
            plan_id=plan.pk, action="approve_budget_amendment", user=demo_users["state.fiscal"]
        )
    plan = plan_transition(
        plan_id=plan.pk, action="approve_amendment", user=demo_users["commissioner"]
    )
    assert plan.status == "funds_released"
    rows = amendment_redline(Amendment.objects.get(plan=plan)).rows
    assert [(r.kind, r.change, r.label) for r in rows] == [
        ("strategy", "added", "Summer learning academy"),
        ("goal", "added", "Summer attendance"),
    ]


def test_an_amendment_must_change_something_and_keep_the_budget_balanced(funded, demo_users):
    leader = demo_users["district.leader"]
    plan = plan_transition(
        plan_id=funded.pk, action="open_amendment", user=leader, note="Nothing yet."
    )
    with pytest.raises(PlanError) as error:
        plan_transition(plan_id=plan.pk, action="submit_amendment", user=leader)
    assert error.value.fields["__all__"] == ["The amendment changes nothing yet."]
    line = BudgetLine.objects.filter(plan=plan).order_by("id")[0]
    row_update(
        obj=line, plan=plan, user=leader, expected_version=line.version,
        changes={"amount": line.amount + 5},
    )  # fmt: skip
    with pytest.raises(PlanError) as error:
        plan_transition(plan_id=plan.pk, action="submit_amendment", user=leader)
    assert error.value.fields["__all__"] == [
        "The budget (12,061,635.00) must equal the allocation (12,061,630.00) to the cent."
    ]


def test_opening_an_amendment_needs_a_reason(funded, demo_users):
    with pytest.raises(PlanError, match="needs a note"):
        plan_transition(
            plan_id=funded.pk, action="open_amendment", user=demo_users["district.leader"]
        )


def test_the_redline_lists_added_removed_and_changed_rows():
    def doc(lines):
        return {
            "strategies": [{"id": 1, "title": "Coaching", "focus_area_name": "Talent",
                            "description": "", "owner": "", "evidence_level": "none",
                            "schools": [], "goals": []}],
            "positions": [],
            "lines": [{"id": i, "funding_area": "other", "object_code": "800",
                       "description": d, "vendor": "", "strategy_id": 1, "school_code": None,
                       "amount": a} for i, d, a in lines],
            "totals": {"budget": str(sum(Decimal(a) for _, _, a in lines)),
                       "by_funding_area": [{"code": "other", "name": "Other",
                                            "amount": str(sum(Decimal(a) for _, _, a in lines))}]},
        }  # fmt: skip

    before = doc([(1, "Books", "100.00"), (2, "Laptops", "50.00")])
    after = doc([(1, "Books", "120.00"), (3, "Tutoring", "30.00")])
    result = redline(before, after)
    assert [(r.change, r.label) for r in result.rows] == [
        ("changed", "Books (800)"),
        ("removed", "Laptops (800)"),
        ("added", "Tutoring (800)"),
    ]
    assert result.rows[0].fields[0].before == "$100.00"
    assert result.rows[0].fields[0].after == "$120.00"
    assert result.budget_only
    assert [(a.name, a.difference) for a in result.areas] == []  # 150 before, 150 after
    assert redline(before, before).empty


def test_versions_open_and_export_exactly_as_frozen(funded, client_for):
    page = client_for("board.viewer").get(PLAN + "versions/1/").content.decode()
    assert "Version 1, frozen when the plan was submitted" in page
    response = client_for("board.viewer").get(PLAN + "versions/2/?format=json")
    assert response.status_code == 200
    assert "alliance-plan-0170011-fy2025-v2.json" in response["Content-Disposition"]
    document = response.json()
    assert document == PlanVersion.objects.get(plan=funded, number=2).document
    assert document["status"] == "approved" and document["totals"]["budget"] == "12061630.00"
    assert document == plan_document(plan_contents(funded)) | {"status": "approved"}
    assert client_for("hartford.editor").get(PLAN + "versions/1/").status_code == 404
    assert client_for("board.viewer").get(PLAN + "versions/9/").status_code == 404


def test_the_approval_letter_is_a_printable_record(funded, client_for, demo_users):
    page = client_for("district.leader").get(PLAN + "letter/").content.decode()
    assert "Approval of the FY2025 Alliance District plan" in page
    assert "as frozen in version 2 of the plan" in page
    assert "$12,061,630.00" in page and "$3,015,407.50" in page
    assert "Approved by Casey Whitfield" in page
    assert "window.print()" in page


def test_no_letter_before_approval(demo_users, client_for):
    demo_plan_create()
    assert client_for("district.leader").get(PLAN + "letter/").status_code == 404


def test_amendment_and_version_pages_keep_their_query_counts(funded, demo_users, client_for):
    client = client_for("district.editor")
    plan = plan_transition(
        plan_id=funded.pk, action="open_amendment", user=demo_users["district.leader"],
        note="Rebalance.",
    )  # fmt: skip

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    before = {url: count(url) for url in (PLAN + "amendments/1/", PLAN + "versions/2/")}
    for line in BudgetLine.objects.filter(plan=plan).order_by("id")[:6]:
        row_update(
            obj=line, plan=plan, user=demo_users["district.editor"],
            expected_version=line.version, changes={"amount": line.amount + 1},
        )  # fmt: skip
    assert {url: count(url) for url in before} == before


def test_a_submitted_amendment_tells_the_state_and_its_approval_the_district(
    funded, demo_users, django_capture_on_commit_callbacks
):
    from django.core import mail

    plan = plan_transition(
        plan_id=funded.pk, action="open_amendment", user=demo_users["district.leader"],
        note="Vendor discount.",
    )  # fmt: skip
    _move(plan, demo_users["district.editor"], Decimal("10000"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        plan_transition(
            plan_id=plan.pk, action="submit_amendment", user=demo_users["district.leader"]
        )
    with django_capture_on_commit_callbacks(execute=True):
        plan_transition(
            plan_id=plan.pk, action="approve_budget_amendment", user=demo_users["state.fiscal"]
        )
    submitted, approved = mail.outbox
    assert submitted.subject == "Bristol FY2025 Alliance plan: Amendment submitted"
    assert set(submitted.to) == {
        "state.reviewer@example.org", "state.fiscal@example.org", "commissioner@example.org"
    }  # fmt: skip
    assert approved.subject == "Bristol FY2025 Alliance plan: Funds released"
    assert set(approved.to) == {"district.editor@example.org", "district.leader@example.org"}


def test_withdrawing_an_amendment_puts_the_approved_plan_back(funded, demo_users):
    editor, leader = demo_users["district.editor"], demo_users["district.leader"]
    plan = plan_transition(
        plan_id=funded.pk, action="open_amendment", user=leader, note="Try a new strategy."
    )
    _move(plan, editor, Decimal("10000"))
    position = Position.objects.filter(plan=plan).order_by("id")[0]
    row_delete(obj=position, plan=plan, expected_version=position.version, user=editor)
    strategy = plan.strategies.order_by("id")[0]
    row_update(
        obj=strategy, plan=plan, user=editor, expected_version=strategy.version,
        changes={"title": "Renamed"},
    )  # fmt: skip
    school = School.objects.filter(district=plan.district).order_by("code").first()
    strategy_school_set(strategy=strategy, school=school, tier=3, user=editor)
    added = strategy_add(plan=plan, user=editor, focus_area="talent", title="Residency")
    goal_add(
        strategy=added, user=editor, measure="local", description="Residents", target=1, unit="n"
    )
    amendment = Amendment.objects.get(plan=plan)
    assert len(amendment_redline(amendment).rows) == 6
    with pytest.raises(PermissionDenied):
        plan_transition(plan_id=plan.pk, action="withdraw_amendment", user=editor)
    plan = plan_transition(plan_id=plan.pk, action="withdraw_amendment", user=leader)
    assert plan.status == "funds_released"
    amendment.refresh_from_db()
    assert amendment.status == "withdrawn" and amendment.result_version is None
    # Every row is as approved again, the deleted position back under its own id.
    assert amendment_redline(amendment).empty
    assert Position.objects.filter(pk=position.pk).exists()
    assert plan_document(plan_contents(plan)) | {"status": "approved"} == (
        amendment.base_version.document
    )
    withdrawn = AuditEntry.objects.get(object_type="plan", action="withdraw_amendment")
    restored = AuditEntry.objects.filter(user=leader, id__gt=withdrawn.id).exclude(
        object_type__in=["plan", "amendment"]
    )
    assert sorted(restored.values_list("object_type", "action")) == [
        ("budgetline", "update"), ("budgetline", "update"), ("goal", "delete"),
        ("position", "create"), ("strategy", "delete"), ("strategy", "update"),
        ("strategyschool", "delete"),
    ]  # fmt: skip
    # A new amendment can be opened afterwards, numbered after the withdrawn one.
    plan_transition(plan_id=plan.pk, action="open_amendment", user=leader, note="Again.")
    assert Amendment.objects.get(plan=plan, status="open").number == 2
