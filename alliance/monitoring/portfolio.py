"""The state's portfolio: every Alliance District of a fiscal year with its plan's status, spending
against the year, forecast lapse, goals on track, overdue action items and one risk level.

Batched: a fixed number of queries whatever the number of districts, lines and expenditures.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from alliance.lib.fiscal import FiscalYear
from alliance.monitoring.forecast import Row, Spend, spend_down
from alliance.monitoring.items import item_key
from alliance.monitoring.models import ActionItem, ActionStatus, Expenditure, ProgressEntry
from alliance.monitoring.progress import judge
from alliance.monitoring.rules import monitoring_rules
from alliance.monitoring.selectors import line_item, position_items
from alliance.monitoring.services import SPENDING_STATES as _FUNDED
from alliance.plans.models import BudgetLine, Goal, Plan, Position
from alliance.plans.selectors import position_input
from alliance.plans.transitions import STATUS_NAMES
from alliance.registry.models import AllianceAllocation, Designation, District
from alliance.registry.selectors import alliance_cohort_for

LEVEL_NAMES = {"high": "High", "medium": "Medium", "low": "Low", "none": "No approved plan"}


@dataclass(frozen=True)
class PortfolioRow:
    district: District
    allocation: Decimal | None
    plan: Plan | None
    total: Row | None  # the plan's spend-down in total, once it is approved
    goals_total: int
    goals_judged: int
    goals_on_track: int
    goals_off_track: int
    overdue: int
    level: str

    @property
    def status_name(self) -> str:
        return STATUS_NAMES[self.plan.status] if self.plan else "No plan"

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES[self.level]


def portfolio(year: FiscalYear, as_of: dt.date) -> tuple[list[PortfolioRow], Decimal]:
    """The rows, and the share of the year gone by the as-of date."""
    rules = monitoring_rules()
    cohort = alliance_cohort_for(year)
    districts = (
        list(
            District.objects.filter(
                pk__in=Designation.objects.filter(cohort=cohort).values("district")
            ).order_by("name")
        )
        if cohort
        else []
    )
    allocations = dict(
        AllianceAllocation.objects.filter(
            district__in=districts, fiscal_year=year.year
        ).values_list("district_id", "alliance_amount")
    )
    plans = {
        p.district_id: p for p in Plan.objects.filter(district__in=districts, fiscal_year=year.year)
    }
    ids = [p.pk for p in plans.values()]
    lines: dict[int, list[BudgetLine]] = defaultdict(list)
    for line in BudgetLine.objects.filter(plan_id__in=ids):
        lines[line.plan_id].append(line)
    positions: dict[int, list[Position]] = defaultdict(list)
    for position in Position.objects.filter(plan_id__in=ids).select_related("school"):
        positions[position.plan_id].append(position)
    spends: dict[int, list[Spend]] = defaultdict(list)
    totals = (
        Expenditure.objects.filter(plan_id__in=ids, day__lte=as_of)
        .exclude(kind="")
        .values("plan_id", "kind", "line_id", "position_id")
        .annotate(total=Sum("amount"))
    )
    for r in totals:
        key = item_key(r["kind"], r["line_id"], r["position_id"])
        spends[r["plan_id"]].append(Spend(key, as_of, r["total"]))
    goals: dict[int, list[Goal]] = defaultdict(list)
    for goal in Goal.objects.filter(strategy__plan_id__in=ids).select_related("strategy"):
        goals[goal.strategy.plan_id].append(goal)
    latest: dict[int, ProgressEntry] = {}
    for reported in (
        ProgressEntry.objects.filter(meeting__plan_id__in=ids, meeting__day__lte=as_of)
        .select_related("meeting")
        .order_by("meeting__day")
    ):
        latest[reported.goal_id] = reported  # the last one wins
    overdue = dict(
        ActionItem.objects.filter(plan_id__in=ids, status=ActionStatus.OPEN, due__lt=as_of)
        .values_list("plan_id")
        .annotate(n=Count("id"))
    )
    rows = []
    for district in districts:
        plan = plans.get(district.pk)
        total = None
        on_track = off_track = judged = 0
        if plan is not None:
            items = [line_item(line) for line in lines[plan.pk]]
            for position in positions[plan.pk]:
                items += position_items(position, position_input(position, plan.benefits_rate))
            if plan.status in _FUNDED:
                total = spend_down(
                    items, spends[plan.pk], year=year, as_of=as_of, rules=rules
                ).total
            for goal in goals[plan.pk]:
                entry = latest.get(goal.pk)
                if entry is None:
                    continue
                judgement = judge(
                    baseline=goal.baseline, target=goal.target, value=entry.value, year=year,
                    day=entry.meeting.day, rules=rules,
                )  # fmt: skip
                status = entry.override or (judgement.status.code if judgement else "")
                if status:
                    judged += 1
                    on_track += status == "on_track"
                    off_track += status == "off_track"
        late = overdue.get(plan.pk, 0) if plan else 0
        level = (
            rules.portfolio.level(
                lapse=total.risk.code if total else None, off_track=off_track, judged=judged,
                overdue=late,
            )
            if total is not None
            else "none"
        )  # fmt: skip
        rows.append(
            PortfolioRow(
                district=district,
                allocation=allocations.get(district.pk),
                plan=plan,
                total=total,
                goals_total=len(goals[plan.pk]) if plan else 0,
                goals_judged=judged,
                goals_on_track=on_track,
                goals_off_track=off_track,
                overdue=late,
                level=level,
            )
        )
    return rows, year.share_gone(as_of)
