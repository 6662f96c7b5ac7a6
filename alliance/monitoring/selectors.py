"""Reads of a plan's spending that pages share, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from alliance.lib.money import ZERO
from alliance.monitoring.forecast import (
    OTHER,
    PERSONNEL,
    Curve,
    Item,
    Spend,
    SpendDown,
    spend_curve,
    spend_down,
)
from alliance.monitoring.items import LINE, item_key
from alliance.monitoring.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Expenditure,
    Meeting,
    ProgressEntry,
)
from alliance.monitoring.progress import Judgement, judge
from alliance.monitoring.rules import monitoring_rules
from alliance.plans.budget import PositionInput
from alliance.plans.catalog import catalog
from alliance.plans.models import BudgetLine, Goal, Plan, Position
from alliance.plans.selectors import PlanContents, plan_contents


def default_as_of(plan: Plan, today: dt.date) -> dt.date:
    """Today while the plan's year runs; its last day once it is over; its first before."""
    return plan.fiscal.clamp(today)


def meeting_dates(plan: Plan) -> list[tuple[str, dt.date]]:
    """The year's meetings as scheduled, or on their default dates before they are."""
    scheduled = [(m.get_code_display(), m.day) for m in Meeting.objects.filter(plan=plan)]
    return scheduled or [(r.name, r.day_in(plan.fiscal)) for r in monitoring_rules().meetings]


def line_item(line: BudgetLine) -> Item:
    return Item(
        item_key(LINE, line.pk, None), f"{line.description} ({line.object_code})", OTHER,
        line.funding_area,
        str(line.strategy_id), line.amount,
    )  # fmt: skip


def position_items(position: Position, cost: PositionInput) -> list[Item]:
    """A position's salary and benefits, each paid from its vacant-until date if it has one."""
    return [
        Item(item_key(part, None, position.pk), f"{position.title} ({part})", PERSONNEL, area,
             str(position.strategy_id), amount, annual_cost=amount, starts=position.vacant_until)
        for part, area, amount in (
            ("salary", position.staff_category, cost.salary_cost),
            ("benefits", "benefits", cost.benefits_cost),
        )
    ]  # fmt: skip


def plan_items(contents: PlanContents) -> list[Item]:
    """The spend-down's rows: each line, and each position's salary and benefits."""
    items = [line_item(line) for line in contents.lines]
    for position in contents.positions:
        items += position_items(position, contents.position_costs[position.pk])
    return items


@dataclass(frozen=True)
class Spending:
    plan: Plan
    result: SpendDown
    unmatched_count: int
    unmatched_total: Decimal
    expenditure_count: int
    curve: Curve


def plan_spending(plan: Plan, as_of: dt.date) -> Spending:
    contents = plan_contents(plan)
    totals = (
        Expenditure.objects.filter(plan=plan, day__lte=as_of)
        .exclude(kind="")
        .values("kind", "line_id", "position_id")
        .annotate(total=Sum("amount"))
    )
    spends = [
        Spend(item_key(r["kind"], r["line_id"], r["position_id"]), as_of, r["total"])
        for r in totals
    ]
    unmatched = Expenditure.objects.filter(plan=plan, kind="", day__lte=as_of).aggregate(
        n=Count("id"), total=Sum("amount")
    )
    terms = catalog()
    result = spend_down(
        plan_items(contents), spends, year=plan.fiscal, as_of=as_of, rules=monitoring_rules(),
        area_names={a.code: a.name for a in terms.funding_areas},
        strategy_names={str(s.pk): s.title for s in contents.strategies},
    )  # fmt: skip
    by_month = (
        Expenditure.objects.filter(plan=plan, day__lte=as_of, day__gte=plan.fiscal.start)
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(total=Sum("amount"), n=Count("id"))
    )
    monthly = {_first_day(r["month"]): r["total"] for r in by_month}
    curve = spend_curve(
        year=plan.fiscal, as_of=as_of, monthly=monthly, budget=result.total.budget,
        forecast=result.total.forecast,
    )  # fmt: skip
    return Spending(
        plan=plan,
        result=result,
        unmatched_count=unmatched["n"] or 0,
        unmatched_total=unmatched["total"] or ZERO,
        expenditure_count=sum(r["n"] for r in by_month),
        curve=curve,
    )


def _first_day(month: dt.date | dt.datetime) -> dt.date:
    day = month.date() if isinstance(month, dt.datetime) else month
    return day.replace(day=1)


@dataclass(frozen=True)
class MeetingView:
    meeting: Meeting
    agenda: list[AgendaItem]
    carried: list[ActionItem]  # open items raised at earlier meetings, and those closed here
    raised: list[ActionItem]  # raised at this meeting


def meeting_view(meeting: Meeting) -> MeetingView:
    agenda = list(
        AgendaItem.objects.filter(meeting=meeting).select_related("strategy", "goal", "added_by")
    )
    items = list(
        ActionItem.objects.filter(plan_id=meeting.plan_id).select_related("raised_at", "closed_at")
    )
    carried = [
        i for i in items
        if i.raised_at.day < meeting.day
        and (i.status == ActionStatus.OPEN or i.closed_at_id == meeting.pk)
    ]  # fmt: skip
    raised = [i for i in items if i.raised_at_id == meeting.pk]
    return MeetingView(meeting, agenda, carried, raised)


@dataclass(frozen=True)
class MeetingSummary:
    meeting: Meeting
    agenda_count: int
    open_count: int
    overdue_count: int


def meetings_overview(meetings: list[Meeting], today: dt.date) -> list[MeetingSummary]:
    """Per meeting: its agenda's length, and the action items open (and overdue) as of it."""
    if not meetings:
        return []
    plan_id = meetings[0].plan_id
    agenda = dict(
        AgendaItem.objects.filter(meeting__plan_id=plan_id)
        .values_list("meeting_id")
        .annotate(n=Count("id"))
    )
    items = list(ActionItem.objects.filter(plan_id=plan_id).select_related("raised_at"))
    summaries = []
    for meeting in meetings:
        open_items = [
            i for i in items if i.raised_at.day <= meeting.day and i.status == ActionStatus.OPEN
        ]
        on = min(today, meeting.day) if meeting.held else today
        summaries.append(
            MeetingSummary(
                meeting,
                agenda.get(meeting.pk, 0),
                len(open_items),
                sum(1 for i in open_items if i.overdue(on)),
            )
        )
    return summaries


@dataclass(frozen=True)
class ProgressCell:
    meeting: Meeting
    entry: ProgressEntry | None
    judgement: Judgement | None

    @property
    def status_code(self) -> str:
        """The reviewer's judgement if given, else the target path's ("" when not judged)."""
        if self.entry is not None and self.entry.override:
            return self.entry.override
        return self.judgement.status.code if self.judgement else ""

    @property
    def status_name(self) -> str:
        names = {t.code: t.name for t in monitoring_rules().progress}
        return names.get(self.status_code, "Not judged")


@dataclass(frozen=True)
class GoalProgress:
    goal: Goal
    cells: list[ProgressCell]
    chart: dict[str, object]


def plan_progress(plan: Plan, meetings: list[Meeting]) -> list[GoalProgress]:
    goals = list(
        Goal.objects.filter(strategy__plan=plan)
        .select_related("strategy")
        .order_by("strategy__position", "strategy_id", "id")
    )
    entries = {
        (e.goal_id, e.meeting_id): e
        for e in ProgressEntry.objects.filter(meeting__plan=plan).select_related("updated_by")
    }
    rules = monitoring_rules()
    result = []
    for goal in goals:
        cells = []
        for meeting in meetings:
            entry = entries.get((goal.pk, meeting.pk))
            judgement = None if entry is None else judge(
                baseline=goal.baseline, target=goal.target, value=entry.value, year=plan.fiscal,
                day=meeting.day, rules=rules,
            )  # fmt: skip
            cells.append(ProgressCell(meeting, entry, judgement))
        path = [
            None if goal.baseline is None
            else str(goal.baseline + (goal.target - goal.baseline) * plan.fiscal.share_gone(m.day))
            for m in meetings
        ]  # fmt: skip
        chart = {
            "type": "line",
            "money": False,
            "labels": ["Baseline", *[m.get_code_display() for m in meetings], "Target"],
            "series": [
                {"label": "Reported",
                 "values": [None if goal.baseline is None else str(goal.baseline),
                            *[str(c.entry.value) if c.entry else None for c in cells], None],
                 "color": "#005ea2"},
                {"label": "Target path",
                 "values": [None if goal.baseline is None else str(goal.baseline), *path,
                            str(goal.target)],
                 "color": "#71767a", "dashed": True},
            ],
        }  # fmt: skip
        result.append(GoalProgress(goal, cells, chart))
    return result
