"""The demo's workflow story, so a newcomer finds plans at every stage:

- Bristol's FY2025 plan went the whole way: the Board approved it, CSDE returned it once with a
  checklist item to revise, the district fixed it and resubmitted, the reviewer recommended it, the
  Commissioner approved it and state fiscal staff released the funds; then its year ran (see
  year.py: meetings, expenditures, progress, a revision, the annual review). Its history is in the
  audit trail, as the demo users made each step.
- Hartford's small FY2025 plan is submitted and waits for review: sign in as state.reviewer.

Bristol's story happens on its dates (May 2024 to July 2025: the clock is pinned for each step), so
its history, letters and versions read as they would; Hartford's submission happens as the demo
runs, so the review queue shows it waiting now.

Both plans are illustrative splits of the real FY2025 allocations, and say so. A second run keeps
what is there: the audit trail is append-only, so rebuilding would only repeat history.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.test.utils import override_settings

from alliance.accounts.models import User
from alliance.demo.plan import demo_plan_create
from alliance.demo.users import BRISTOL, DEMO_USERS, HARTFORD
from alliance.demo.year import bristol_year, on, vacancies_set
from alliance.plans.models import Goal, Plan
from alliance.plans.selectors import plan_contents
from alliance.plans.services import (
    goal_add,
    line_add,
    plan_create,
    position_add,
    row_update,
    strategy_add,
)
from alliance.plans.workflow import board_approval_record, plan_transition
from alliance.registry.models import District
from alliance.review.models import ChecklistItem, Decision, ReviewResponse
from alliance.review.services import comment_add, review_decide

FISCAL_YEAR = 2025
RETURN_ITEM = "goals.measurable"


def _users() -> dict[str, User]:
    names = [demo.username for demo in DEMO_USERS]
    return {u.username: u for u in User.objects.filter(username__in=names)}


def _review(plan: Plan, reviewer: User, *, revise: str | None = None, note: str = "") -> None:
    """Decide every checklist item: approve, except `revise` which is sent back with `note`."""
    current = {r.item_id: r for r in ReviewResponse.objects.filter(plan=plan)}
    for item in ChecklistItem.objects.filter(active=True):
        decision = Decision.REVISE if item.code == revise else Decision.APPROVE
        previous = current.get(item.pk)
        review_decide(
            plan=plan, item=item, user=reviewer, decision=decision,
            comment=note if decision == Decision.REVISE else "",
            expected_version=previous.version if previous else None,
        )  # fmt: skip


def bristol_story(users: dict[str, User]) -> Plan:
    """Written in May 2024, approved in July, funded; then its year (year.py), all on those dates."""
    leader, editor, reviewer = (
        users["district.leader"],
        users["district.editor"],
        users["state.reviewer"],
    )
    with on(dt.date(2024, 5, 14)):
        plan = demo_plan_create()
    with on(dt.date(2024, 5, 20)):
        vacancies_set(plan, editor)
    with on(dt.date(2024, 6, 12)):
        board_approval_record(
            plan=plan, user=leader, meeting_date=dt.date(2024, 6, 11), agenda_item="7.B",
            votes_for=8, votes_against=1,
        )  # fmt: skip
    with on(dt.date(2024, 6, 14)):
        plan_transition(plan_id=plan.pk, action="submit", user=leader)
    with on(dt.date(2024, 6, 17)):
        plan_transition(plan_id=plan.pk, action="start_review", user=reviewer)
    with on(dt.date(2024, 6, 24)):
        note = "Give the K-3 reading goal its baseline from last winter's benchmark."
        _review(plan, reviewer, revise=RETURN_ITEM, note=note)
        comment = comment_add(
            plan=plan, user=reviewer, section="goals",
            body="The K-3 reading goal has a target but no baseline; what was last winter's "
                 "result?",
        )  # fmt: skip
        plan_transition(plan_id=plan.pk, action="return", user=reviewer, note=note)
    plan.refresh_from_db()
    with on(dt.date(2024, 6, 26)):
        goal = Goal.objects.get(strategy__plan=plan, description__startswith="K-3 students")
        row_update(
            obj=goal, plan=plan, user=editor, expected_version=goal.version,
            changes={"baseline": Decimal("52"), "baseline_year": "2023-24"},
        )  # fmt: skip
        comment_add(
            plan=plan, user=editor, section="goals", parent=comment,
            body="52% of K-3 students were at or above benchmark in winter 2023-24; added.",
        )  # fmt: skip
    with on(dt.date(2024, 6, 27)):
        plan_transition(plan_id=plan.pk, action="submit", user=leader)
    with on(dt.date(2024, 7, 1)):
        plan_transition(plan_id=plan.pk, action="start_review", user=reviewer)
        _review(plan, reviewer)
    with on(dt.date(2024, 7, 3)):
        plan_transition(plan_id=plan.pk, action="recommend", user=reviewer)
    with on(dt.date(2024, 7, 10)):
        plan_transition(plan_id=plan.pk, action="approve", user=users["commissioner"])
    with on(dt.date(2024, 7, 15)):
        plan = plan_transition(plan_id=plan.pk, action="release_funds", user=users["state.fiscal"])
    bristol_year(plan, users)
    plan.refresh_from_db()
    return plan


# Hartford's small plan: three strategies, a few positions, lines; the rest buys curriculum.
HARTFORD_STRATEGIES = [
    ("tiered_interventions", "Reading and math interventions in every elementary school",
     "Interventionists give Tier 2 and Tier 3 support guided by benchmark assessments.",
     "Chief Academic Officer", "Ind1ELA_All", "District ELA Performance Index", "58", "index points"),
    ("wraparound", "Attendance and family partnership",
     "Attendance teams and family liaisons reach chronically absent students' families.",
     "Director of Family Engagement", "Ind4_All", "Chronic absenteeism, all students", "0.25",
     "share of students"),
    ("talent", "Teacher residency and coaching",
     "A residency brings new teachers in with a coach for their first two years.",
     "Chief Talent Officer", "", "Residents retained into a second year", "85", "% of residents"),
]  # fmt: skip


def hartford_story(users: dict[str, User]) -> Plan:
    district = District.objects.get(code=HARTFORD)
    leader = users["hartford.leader"]
    plan = plan_create(district=district, fiscal_year=FISCAL_YEAR, user=leader)
    Plan.objects.filter(pk=plan.pk).update(illustrative=True)
    plan.refresh_from_db()
    row_update(
        obj=plan, plan=plan, user=leader, expected_version=plan.version,
        changes={"benefits_rate": Decimal("0.3000")},
    )  # fmt: skip
    plan.refresh_from_db()
    strategies = []
    for order, (area, title, description, owner, cell, goal, target, unit) in enumerate(
        HARTFORD_STRATEGIES
    ):
        strategy = strategy_add(
            plan=plan, user=leader, focus_area=area, title=title, description=description,
            owner=owner, evidence_level="tier2", position=order,
        )  # fmt: skip
        goal_add(
            strategy=strategy, user=leader, measure="ngas" if cell else "local", ngas_cell=cell,
            description=goal, target=Decimal(target), unit=unit, winter=True, spring=True,
        )  # fmt: skip
        strategies.append(strategy)
    for number in range(1, 41):
        position_add(
            plan=plan, user=leader, strategy=strategies[0], title=f"Interventionist {number}",
            staff_category="direct_service", fte=Decimal(1), salary=Decimal("84000"),
        )  # fmt: skip
    for number in range(1, 16):
        position_add(
            plan=plan, user=leader, strategy=strategies[1], title=f"Family liaison {number}",
            staff_category="direct_service", fte=Decimal(1), salary=Decimal("58000"),
        )  # fmt: skip
    line_add(
        plan=plan, user=leader, strategy=strategies[2], funding_area="professional_development",
        object_code="300", description="Teacher residency coaching partner", amount=Decimal("900000"),
    )  # fmt: skip
    rest = plan_contents(plan).budget.difference
    line_add(
        plan=plan, user=leader, strategy=strategies[0], funding_area="supplies", object_code="600",
        description="Intervention curriculum and assessment materials", amount=rest,
    )  # fmt: skip
    board_approval_record(
        plan=plan, user=leader, meeting_date=dt.date(2024, 6, 18), agenda_item="9.A",
        votes_for=7, votes_against=2,
    )  # fmt: skip
    return plan_transition(plan_id=plan.pk, action="submit", user=leader)


def demo_story_create() -> list[Plan]:
    """Bristol approved and funded, Hartford submitted; plans already there are kept."""
    users = _users()
    plans = []
    # The story's steps are not news to anyone: their notifications go nowhere.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), \
            transaction.atomic():  # fmt: skip
        for code, story in ((BRISTOL, bristol_story), (HARTFORD, hartford_story)):
            plan = Plan.objects.filter(district__code=code, fiscal_year=FISCAL_YEAR).first()
            plans.append(plan if plan is not None else story(users))
    return plans
