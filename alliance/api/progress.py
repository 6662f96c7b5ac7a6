"""Progress on the plan's goals: each meeting's report, judged against the goal's target path or by
a reviewer; the district reports, never silently over someone else's report."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router

from alliance.accounts.models import User
from alliance.api import schemas
from alliance.lib.numbers import plain
from alliance.monitoring.selectors import GoalProgress, ProgressCell, plan_progress
from alliance.monitoring.services import meetings_schedule, progress_enter
from alliance.plans.access import plan_for_user
from alliance.plans.models import Goal
from alliance.plans.services import PlanError

router = Router(tags=["Progress"])


def _report(cell: ProgressCell) -> dict[str, Any]:
    entry, judgement, meeting = cell.entry, cell.judgement, cell.meeting
    return {
        "meeting": meeting.code, "meeting_name": meeting.get_code_display(), "day": meeting.day,
        "value": None if entry is None else plain(entry.value),
        "expected": None if judgement is None else f"{judgement.expected:.4f}",
        "status": cell.status_code if entry else "",
        "status_name": cell.status_name if entry else "Not reported",
        "note": entry.note if entry else "", "version": entry.version if entry else None,
        "override_reason": entry.override_reason if entry else "",
    }  # fmt: skip


def _goal(g: GoalProgress) -> dict[str, Any]:
    goal = g.goal
    return {
        "goal_id": goal.pk, "strategy": goal.strategy.title, "description": goal.description,
        "measure": goal.measure, "student_group": goal.student_group,
        "baseline": None if goal.baseline is None else plain(goal.baseline),
        "target": plain(goal.target), "reports": [_report(c) for c in g.cells],
    }  # fmt: skip


@router.get(
    "/plans/{code}/{fiscal_year}/progress",
    response={200: list[schemas.GoalProgress], 404: schemas.Problem},
    summary="Progress on the goals",
    description="Each goal's reports at the year's three meetings, judged against its target path "
    "(on track, at risk, off track: thresholds in the rules data) or by a reviewer.",
)
def progress(request: HttpRequest, code: str, fiscal_year: int) -> list[dict[str, Any]]:
    plan = plan_for_user(request.user, code, fiscal_year)
    return [_goal(g) for g in plan_progress(plan, meetings_schedule(plan))]


@router.put(
    "/plans/{code}/{fiscal_year}/progress/{int:goal_id}/{meeting}",
    response={200: schemas.GoalProgress, **schemas.WRITE_PROBLEMS},
    summary="Report progress on a goal",
    description="The value a goal reached by a meeting (fall, winter or spring), with a note. "
    "For the district's editors and leaders.",
)
def progress_report(
    request: HttpRequest, code: str, fiscal_year: int, goal_id: int, meeting: str,
    body: schemas.ProgressIn,
) -> dict[str, Any]:  # fmt: skip
    plan = plan_for_user(request.user, code, fiscal_year)
    scheduled = meetings_schedule(plan)
    found = next((m for m in scheduled if m.code == meeting), None)
    goal = Goal.objects.filter(pk=goal_id, strategy__plan=plan).select_related("strategy").first()
    if found is None or goal is None:
        raise Http404("No such goal or meeting in this plan.")
    if not body.value.is_finite():
        raise PlanError({"value": ["The value must be a number."]})
    assert isinstance(request.user, User)
    progress_enter(
        goal=goal, meeting=found, user=request.user, value=body.value, note=body.note,
        expected_version=body.version,
    )  # fmt: skip
    return next(_goal(g) for g in plan_progress(plan, scheduled) if g.goal.pk == goal.pk)
