"""The year's three monitoring meetings through the API: their record, the agenda both sides build,
and the action items that come to every later meeting until closed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict, Field

from alliance.accounts.models import User
from alliance.api import schemas
from alliance.lib import clock
from alliance.monitoring.models import ActionItem, AgendaItem, Meeting
from alliance.monitoring.selectors import meeting_view
from alliance.monitoring.services import (
    action_add,
    action_close,
    agenda_add,
    meeting_record,
    meetings_schedule,
)
from alliance.plans.access import plan_for_user
from alliance.plans.models import Goal, Plan, Strategy

router = Router(tags=["Meetings"])


class AgendaOut(Schema):
    id: int
    title: str
    detail: str
    strategy: int | None
    goal: int | None
    side: str = Field(..., description="state or district: who added it.")
    added_by: str
    added_at: dt.datetime


class ActionOut(Schema):
    id: int
    version: int
    title: str
    owner: str
    side: str
    due: dt.date
    status: str = Field(..., description="open, done or dropped.")
    overdue: bool
    raised_at: str = Field(..., description="The meeting it was raised at: fall, winter, spring.")
    closed_at: str | None = Field(None, description="The meeting it was closed at, if any.")
    closing_note: str


class MeetingOut(Schema):
    meeting: str = Field(..., description="fall, winter or spring.")
    name: str
    version: int
    day: dt.date
    held: bool
    attendees: str
    notes: str
    decisions: str
    agenda: list[AgendaOut]
    action_items: list[ActionOut] = Field(
        ..., description="Those raised at earlier meetings and still open (or closed at this "
        "one), then those raised at this one.",
    )  # fmt: skip


class MeetingIn(Schema):
    model_config = ConfigDict(extra="forbid")
    day: dt.date | None = None
    held: bool | None = None
    attendees: str | None = None
    notes: str | None = None
    decisions: str | None = None


class AgendaIn(Schema):
    title: str
    detail: str = ""
    strategy: int | None = Field(None, description="The plan strategy it is about, by id.")
    goal: int | None = Field(None, description="The goal it is about, by id.")


class ActionIn(Schema):
    title: str
    owner: str = Field(..., description="Who does it.")
    due: dt.date


class ActionChange(Schema):
    status: str = Field(..., description="open, done or dropped (dropping needs a note).")
    note: str = ""
    meeting: str | None = Field(None, description="The meeting it is closed at, if any.")


def _agenda(item: AgendaItem) -> dict[str, Any]:
    return {
        "id": item.pk, "title": item.title, "detail": item.detail, "strategy": item.strategy_id,
        "goal": item.goal_id, "side": item.side, "added_by": str(item.added_by),
        "added_at": item.added_at,
    }  # fmt: skip


def _action(item: ActionItem, today: dt.date) -> dict[str, Any]:
    return {
        "id": item.pk, "version": item.version, "title": item.title, "owner": item.owner,
        "side": item.side, "due": item.due, "status": item.status,
        "overdue": item.overdue(today), "raised_at": item.raised_at.code,
        "closed_at": item.closed_at.code if item.closed_at else None,
        "closing_note": item.closing_note,
    }  # fmt: skip


def _meeting_out(meeting: Meeting) -> dict[str, Any]:
    view, today = meeting_view(meeting), clock.today()
    return {
        "meeting": meeting.code, "name": meeting.get_code_display(), "version": meeting.version,
        "day": meeting.day, "held": meeting.held, "attendees": meeting.attendees,
        "notes": meeting.notes, "decisions": meeting.decisions,
        "agenda": [_agenda(a) for a in view.agenda],
        "action_items": [_action(i, today) for i in [*view.carried, *view.raised]],
    }  # fmt: skip


def _meeting(plan: Plan, meeting: str) -> Meeting:
    found = next((m for m in meetings_schedule(plan) if m.code == meeting), None)
    if found is None:
        raise Http404("No such meeting: the plan's meetings are fall, winter and spring, once it "
                      "is approved.")  # fmt: skip
    return found


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@router.get(
    "/plans/{code}/{fiscal_year}/meetings",
    response={200: list[MeetingOut], 404: schemas.Problem},
    summary="The year's monitoring meetings",
    description="Fall, winter and spring, once the plan is approved (none before).",
)
def meetings(request: HttpRequest, code: str, fiscal_year: int) -> list[dict[str, Any]]:
    plan = plan_for_user(request.user, code, fiscal_year)
    return [_meeting_out(m) for m in meetings_schedule(plan)]


@router.patch(
    "/plans/{code}/{fiscal_year}/meetings/{meeting}",
    response={200: MeetingOut, **schemas.WRITE_PROBLEMS},
    summary="Keep a meeting's record",
    description="Its date, whether it was held, attendees, notes and decisions; only the fields "
    "sent change. `version` is the meeting's version as you read it. For the state reviewer and "
    "the district leader.",
)
def meeting_change(
    request: HttpRequest, code: str, fiscal_year: int, meeting: str, version: int,
    body: MeetingIn,
) -> dict[str, Any]:  # fmt: skip
    found = _meeting(plan_for_user(request.user, code, fiscal_year), meeting)
    changes = {k: v for k, v in body.dict(exclude_unset=True).items() if v is not None}
    kept = meeting_record(
        meeting=found, user=_user(request), expected_version=version, changes=changes
    )
    return _meeting_out(kept)


def _linked(plan: Plan, body: AgendaIn) -> tuple[Strategy | None, Goal | None]:
    strategy = (
        Strategy.objects.filter(plan=plan, pk=body.strategy).first() if body.strategy else None
    )
    goal = Goal.objects.filter(strategy__plan=plan, pk=body.goal).first() if body.goal else None
    if (body.strategy and strategy is None) or (body.goal and goal is None):
        raise HttpError(422, "Link the item to this plan's strategies and goals.")
    return strategy, goal


@router.post(
    "/plans/{code}/{fiscal_year}/meetings/{meeting}/agenda",
    response={201: AgendaOut, **schemas.WRITE_PROBLEMS},
    summary="Add an agenda item",
    description="Either side adds items, linked to a strategy or a goal if it is about one. For "
    "the district's editors and leaders and CSDE staff.",
)
def agenda_item_add(
    request: HttpRequest, code: str, fiscal_year: int, meeting: str, body: AgendaIn
) -> Status[dict[str, Any]]:
    found = _meeting(plan_for_user(request.user, code, fiscal_year), meeting)
    strategy, goal = _linked(found.plan, body)
    item = agenda_add(
        meeting=found, user=_user(request), title=body.title, detail=body.detail,
        strategy=strategy, goal=goal,
    )  # fmt: skip
    return Status(201, _agenda(AgendaItem.objects.select_related("added_by").get(pk=item.pk)))


@router.post(
    "/plans/{code}/{fiscal_year}/meetings/{meeting}/action-items",
    response={201: ActionOut, **schemas.WRITE_PROBLEMS},
    summary="Raise an action item",
    description="Something to do by a date, with who does it; it comes to every later meeting "
    "until it is closed.",
)
def action_item_add(
    request: HttpRequest, code: str, fiscal_year: int, meeting: str, body: ActionIn
) -> Status[dict[str, Any]]:
    found = _meeting(plan_for_user(request.user, code, fiscal_year), meeting)
    item = action_add(
        meeting=found, user=_user(request), title=body.title, owner=body.owner, due=body.due
    )
    return Status(201, _action(_item(found.plan, item.pk), clock.today()))


def _item(plan: Plan, pk: int) -> ActionItem:
    item = ActionItem.objects.filter(plan=plan, pk=pk).select_related("raised_at", "closed_at")
    found = item.first()
    if found is None:
        raise Http404("No such action item in this plan.")
    return found


@router.patch(
    "/plans/{code}/{fiscal_year}/action-items/{int:item_id}",
    response={200: ActionOut, **schemas.WRITE_PROBLEMS},
    summary="Close an action item (or open it again)",
    description="Done or dropped, at a meeting or between them; `version` is the item's version "
    "as you read it.",
)
def action_item_change(
    request: HttpRequest, code: str, fiscal_year: int, item_id: int, version: int,
    body: ActionChange,
) -> dict[str, Any]:  # fmt: skip
    plan = plan_for_user(request.user, code, fiscal_year)
    item = _item(plan, item_id)
    at = _meeting(plan, body.meeting) if body.meeting else None
    action_close(
        item=item, user=_user(request), status=body.status, note=body.note, meeting=at,
        expected_version=version,
    )  # fmt: skip
    return _action(_item(plan, item_id), clock.today())
