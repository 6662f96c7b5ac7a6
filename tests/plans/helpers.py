"""Moving a test plan along its workflow the way the demo users would."""

from __future__ import annotations

import datetime as dt

from alliance.accounts.models import User
from alliance.plans.models import Plan
from alliance.plans.workflow import board_approval_record, plan_transition
from alliance.review.models import ChecklistItem
from alliance.review.services import review_decide

TO_FUNDS_RELEASED = [
    ("submit", "district.leader"),
    ("start_review", "state.reviewer"),
    ("recommend", "state.reviewer"),
    ("approve", "commissioner"),
    ("release_funds", "state.fiscal"),
]


def review_all(plan: Plan, reviewer: User, decision: str = "approve") -> None:
    """The reviewer decides every checklist item, as recommending approval needs."""
    for item in ChecklistItem.objects.filter(active=True):
        review_decide(
            plan=plan, item=item, user=reviewer, decision=decision, comment="",
            expected_version=None,
        )  # fmt: skip


def board_approve(plan: Plan, users: dict[str, User]) -> None:
    board_approval_record(
        plan=plan, user=users["district.leader"], meeting_date=dt.date(2024, 6, 11),
        agenda_item="7.B", votes_for=8, votes_against=1,
    )  # fmt: skip


def walk(plan: Plan, users: dict[str, User], steps: list[tuple[str, str]]) -> Plan:
    """Take each (action, username) step; the checklist is completed before a recommendation."""
    for action, who in steps:
        if action == "recommend":
            review_all(plan, users["state.reviewer"])
        plan = plan_transition(plan_id=plan.pk, action=action, user=users[who])
    return plan


def funded_demo_plan(users: dict[str, User]) -> Plan:
    """Bristol's demo plan taken by the demo users through the whole workflow: funds released."""
    from alliance.demo.plan import demo_plan_create

    plan = demo_plan_create()
    board_approve(plan, users)
    return walk(plan, users, TO_FUNDS_RELEASED)
