"""The plan workflow: guarded transitions, the permission matrix, concurrency, audit and email."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail

from alliance.accounts.models import Membership, User
from alliance.accounts.roles import Role
from alliance.audit.models import AuditEntry
from alliance.demo.plan import demo_plan_create
from alliance.lib import clock
from alliance.plans.export import plan_document
from alliance.plans.models import Amendment, Payment, Plan, PlanVersion
from alliance.plans.selectors import plan_contents
from alliance.plans.services import PlanError, line_add
from alliance.plans.transitions import RESUME, TRANSITIONS
from alliance.plans.workflow import board_approval_record, plan_transition
from alliance.review.models import ChecklistItem, ReviewResponse
from tests.plans.helpers import review_all

pytestmark = pytest.mark.django_db
PLAN = "/districts/0170011/plans/2025/"
USERS = [
    "district.editor", "district.leader", "board.viewer", "hartford.editor", "hartford.leader",
    "state.reviewer", "state.fiscal", "commissioner", "state.admin",
]  # fmt: skip
ALLOWED = {
    "submit": {"district.leader"},
    "withdraw": {"district.leader"},
    "start_review": {"state.reviewer"},
    "return": {"state.reviewer"},
    "recommend": {"state.reviewer"},
    "approve": {"commissioner"},
    "approve_with_conditions": {"commissioner"},
    "release_funds": {"state.fiscal"},
    "open_amendment": {"district.leader", "district.editor"},
    "submit_amendment": {"district.leader"},
    "withdraw_amendment": {"district.leader"},
    "return_amendment": {"state.reviewer", "state.fiscal", "commissioner"},
    "approve_amendment": {"commissioner"},
    "approve_budget_amendment": {"state.fiscal"},
}


@pytest.fixture
def plan(demo_users):
    plan = demo_plan_create()
    board_approval_record(
        plan=plan, user=demo_users["district.leader"], meeting_date=dt.date(2024, 6, 11),
        agenda_item="7.B", votes_for=8, votes_against=1,
    )  # fmt: skip
    return plan


def test_submission_needs_goals_a_balanced_budget_and_the_board(demo_users):
    plan = demo_plan_create()
    leader = demo_users["district.leader"]
    with pytest.raises(PlanError) as error:
        plan_transition(plan_id=plan.pk, action="submit", user=leader)
    assert error.value.fields["__all__"] == ["The Board of Education's approval is not recorded."]
    line_add(
        plan=plan,
        user=leader,
        strategy=plan.strategies.first(),
        funding_area="other",
        object_code="800",
        description="Extra",
        amount=Decimal("1"),
    )
    plan.strategies.first().goals.all().delete()
    with pytest.raises(PlanError) as error:
        plan_transition(plan_id=plan.pk, action="submit", user=leader)
    problems = error.value.fields["__all__"]
    assert "The strategy “Tiered academic interventions” has no goal." in problems
    assert (
        "The budget (12,061,631.00) must equal the allocation (12,061,630.00) to the cent."
        in problems
    )


def test_the_whole_path_freezes_versions_and_tells_people(
    plan, demo_users, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    steps = [
        ("submit", "district.leader", "submitted"),
        ("start_review", "state.reviewer", "under_review"),
        ("return", "state.reviewer", "returned"),
        ("submit", "district.leader", "submitted"),
        ("start_review", "state.reviewer", "under_review"),
        ("recommend", "state.reviewer", "recommended"),
        ("approve", "commissioner", "approved"),
        ("release_funds", "state.fiscal", "funds_released"),
    ]
    for action, who, status in steps:
        if action == "recommend":
            review_all(plan, demo_users["state.reviewer"])
        note = "Add a K-3 goal for each school." if action == "return" else ""
        # The email goes out once the transaction commits.
        with django_capture_on_commit_callbacks(execute=True):
            moved = plan_transition(plan_id=plan.pk, action=action, user=demo_users[who], note=note)
        assert moved.status == status
    assert [v.status for v in PlanVersion.objects.filter(plan=plan).order_by("number")] == [
        "submitted",
        "submitted",
        "approved",
    ]
    approved = PlanVersion.objects.get(plan=plan, number=3)
    assert approved.document["totals"]["budget"] == "12061630.00"
    # Released funds are paid with the ECS installments: 25% October, 25% January, balance April.
    payments = [(p.installment, p.month, p.amount) for p in Payment.objects.filter(plan=plan)]
    assert payments == [
        ("October installment", dt.date(2024, 10, 1), Decimal("3015407.50")),
        ("January installment", dt.date(2025, 1, 1), Decimal("3015407.50")),
        ("April installment (balance)", dt.date(2025, 4, 1), Decimal("6030815.00")),
    ]
    assert sum(amount for _, _, amount in payments) == Decimal("12061630.00")
    subjects = [m.subject for m in mail.outbox]
    assert "Bristol FY2025 Alliance plan: Submitted" in subjects
    returned = next(m for m in mail.outbox if m.subject.endswith("Returned for revision"))
    assert set(returned.to) == {"district.editor@example.org", "district.leader@example.org"}
    assert "Add a K-3 goal for each school." in returned.body
    history = list(
        AuditEntry.objects.filter(object_type="plan", object_id=plan.pk)
        .exclude(action="create")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert history == [a for a, _, _ in steps]


def test_a_plan_under_review_cannot_be_edited(plan, demo_users):
    plan_transition(plan_id=plan.pk, action="submit", user=demo_users["district.leader"])
    with pytest.raises(PlanError, match=r"The plan is submitted; it cannot change\."):
        line_add(
            plan=Plan.objects.get(pk=plan.pk),
            user=None,
            strategy=plan.strategies.first(),
            funding_area="other",
            object_code="800",
            description="Late",
            amount=Decimal("1"),
        )


def test_returning_or_approving_with_conditions_needs_a_note(plan, demo_users):
    plan_transition(plan_id=plan.pk, action="submit", user=demo_users["district.leader"])
    plan_transition(plan_id=plan.pk, action="start_review", user=demo_users["state.reviewer"])
    with pytest.raises(PlanError, match="needs a note"):
        plan_transition(
            plan_id=plan.pk, action="return", user=demo_users["state.reviewer"], note="  "
        )


def test_two_reviewers_at_once_one_succeeds_the_other_is_told_why(plan, demo_users):
    second = User.objects.create_user(
        "second.reviewer", email="second@example.org", first_name="Sam", last_name="Second"
    )
    Membership.objects.create(user=second, role=Role.STATE_REVIEWER)
    plan_transition(plan_id=plan.pk, action="submit", user=demo_users["district.leader"])
    plan_transition(plan_id=plan.pk, action="start_review", user=demo_users["state.reviewer"])
    with pytest.raises(PlanError) as error:
        plan_transition(plan_id=plan.pk, action="start_review", user=second)
    assert error.value.fields["__all__"] == [
        "The plan is under review; “Start the review” needs a plan that is submitted."
    ]
    assert AuditEntry.objects.filter(object_id=plan.pk, action="start_review").count() == 1


@pytest.fixture
def matrix_plan(plan, demo_users):
    """A plan every action's own conditions allow, so only the roles decide: a complete review,
    and an approved version with a budget-only amendment against it."""
    ReviewResponse.objects.bulk_create(
        ReviewResponse(plan=plan, item=item, decision="approve")
        for item in ChecklistItem.objects.filter(active=True)
    )
    document = plan_document(plan_contents(plan))
    document["lines"][0]["amount"] = "1.00"  # the approved version differs from the plan now
    base = PlanVersion.objects.create(
        plan=plan, number=1, status="approved", created_at=clock.now(), document=document
    )
    Amendment.objects.create(
        plan=plan, number=1, reason="Move funds", resume_status="funds_released",
        base_version=base, budget_only=True, opened_by=demo_users["district.leader"],
        opened_at=clock.now(), status="submitted",
    )  # fmt: skip
    return plan


@pytest.mark.parametrize("transition", TRANSITIONS, ids=[t.action for t in TRANSITIONS])
def test_permission_matrix_over_http(client_for, matrix_plan, transition):
    plan = matrix_plan
    source = sorted(transition.sources)[0]
    target = "funds_released" if transition.target == RESUME else transition.target
    for username in USERS:
        Amendment.objects.filter(plan=plan, number=1).update(status="submitted")
        Plan.objects.filter(pk=plan.pk).update(status=source)
        response = client_for(username).post(
            PLAN + f"actions/{transition.action}/", {"note": "Because."}
        )
        status = Plan.objects.get(pk=plan.pk).status
        if username in ALLOWED[transition.action]:
            assert response.status_code == 302 and status == target, username
        else:
            # Another district's people do not even learn the plan exists.
            other_district = username.startswith("hartford.")
            assert response.status_code == (404 if other_district else 403), username
            assert status == source, username


def test_board_approval_is_recorded_by_the_leader_only(client_for, demo_users):
    demo_plan_create()
    data = {
        "board-meeting_date": "2024-06-11",
        "board-agenda_item": "7.B",
        "board-votes_for": "8",
        "board-votes_against": "0",
        "board-abstentions": "1",
    }
    assert client_for("district.editor").post(PLAN + "board-approval/", data).status_code == 403
    assert client_for("district.leader").post(PLAN + "board-approval/", data).status_code == 302
    page = client_for("board.viewer").get(PLAN).content.decode()
    assert "approved on June 11, 2024, agenda item 7.B, 8–0 with 1 abstaining" in page
    tied = {**data, "board-votes_for": "3", "board-votes_against": "3"}
    response = client_for("district.leader").post(PLAN + "board-approval/", tied)
    assert (
        response.status_code == 422 and "more votes for than against" in response.content.decode()
    )


def test_the_district_sees_the_payment_schedule(client_for, plan, demo_users):
    for action, who in (("submit", "district.leader"), ("start_review", "state.reviewer"),
                        ("recommend", "state.reviewer"), ("approve", "commissioner"),
                        ("release_funds", "state.fiscal")):  # fmt: skip
        if action == "recommend":
            review_all(plan, demo_users["state.reviewer"])
        plan_transition(plan_id=plan.pk, action=action, user=demo_users[who])
    page = client_for("district.editor").get(PLAN).content.decode()
    assert "Status: Funds released" in page
    assert "October 2024" in page and "$3,015,407.50" in page and "$6,030,815.00" in page
