"""What the Board deck and the budget workbook show, gathered from a plan in a fixed number of
queries. The builders (deck.py, workbook.py) take this and never touch the database."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from alliance.accountability.models import AccountabilityResult
from alliance.accounts.models import Membership
from alliance.accounts.roles import Role
from alliance.lib import clock
from alliance.monitoring.forecast import SpendDown
from alliance.monitoring.models import Expenditure, Meeting
from alliance.monitoring.selectors import (
    default_as_of,
    meeting_dates,
    plan_progress,
    plan_spending,
)
from alliance.plans.catalog import catalog
from alliance.plans.models import Plan
from alliance.plans.selectors import PlanContents, plan_contents
from alliance.plans.transitions import STATUS_NAMES
from alliance.registry.models import Designation
from alliance.registry.selectors import alliance_cohort_for

_NUMBERED = re.compile(r"^(.*?)\s+\d+$")


@dataclass(frozen=True)
class StaffGroup:
    title: str
    count: int
    fte: Decimal
    cost: Decimal  # salaries and benefits to the grant


@dataclass(frozen=True)
class ProgressLine:
    goal: str
    baseline: Decimal | None
    target: Decimal
    unit: str
    latest: Decimal | None
    status: str


@dataclass(frozen=True)
class BoardData:
    plan: Plan
    contents: PlanContents
    district_name: str
    fiscal_year: int
    allocation: Decimal
    alliance_count: int
    cohort_span: str
    index: Decimal | None
    index_year: str
    presenters: list[str]
    board_meeting: dt.date | None
    meetings: list[tuple[str, dt.date]]
    by_area: list[tuple[str, Decimal]]
    staffing: list[tuple[str, list[StaffGroup]]]  # by staff category
    other_lines: list[tuple[str, list[tuple[str, Decimal]]]]  # by funding area
    strategies: list[tuple[str, str, str]]  # focus area, title, description
    progress: list[ProgressLine]
    spending: SpendDown | None
    expenditures: list[Expenditure]
    status_name: str


def board_data(plan: Plan) -> BoardData:
    contents = plan_contents(plan)
    terms = catalog()
    cohort = alliance_cohort_for(plan.fiscal)
    count = Designation.objects.filter(cohort=cohort).count() if cohort else 0
    result = (
        AccountabilityResult.objects.filter(district_code=plan.district.code, category="district")
        .select_related("year")
        .order_by("-year__school_year")
        .first()
    )
    leaders = (
        Membership.objects.filter(district=plan.district, role=Role.DISTRICT_LEADER)
        .select_related("user")
        .order_by("user__last_name")
    )
    meetings = list(Meeting.objects.filter(plan=plan))
    groups: dict[str, dict[str, list[Decimal]]] = defaultdict(dict)
    for position in contents.positions:
        cost = contents.position_costs[position.pk]
        match = _NUMBERED.match(position.title)
        title = match.group(1) if match else position.title
        acc = groups[position.staff_category].setdefault(
            title, [Decimal(0), Decimal(0), Decimal(0)]
        )
        acc[0] += 1
        acc[1] += position.fte
        acc[2] += cost.total_cost
    order = {t.code: i for i, t in enumerate(terms.staff_categories)}
    staffing = [
        (terms.name_of(terms.staff_categories, category),
         [StaffGroup(t, int(n), fte, cost) for t, (n, fte, cost) in sorted(
             titles.items(), key=lambda kv: -kv[1][2])])
        for category, titles in sorted(groups.items(), key=lambda kv: order.get(kv[0], 99))
    ]  # fmt: skip
    lines: dict[str, list[tuple[str, Decimal]]] = defaultdict(list)
    for line in contents.lines:
        lines[line.funding_area].append((line.description, line.amount))
    other = [
        (area.name, sorted(lines[area.code], key=lambda r: -r[1]))
        for area in terms.funding_areas
        if lines.get(area.code)
    ]
    progress = []
    if meetings:
        for goal in plan_progress(plan, meetings):
            latest = next((c for c in reversed(goal.cells) if c.entry), None)
            progress.append(ProgressLine(
                goal.goal.description, goal.goal.baseline, goal.goal.target, goal.goal.unit,
                latest.entry.value if latest and latest.entry else None,
                latest.status_name if latest else "Not reported",
            ))  # fmt: skip
    expenditures = list(
        Expenditure.objects.filter(plan=plan).select_related("line", "position", "source")
    )
    has_spending = bool(expenditures)
    approval = plan.board_approvals.first()
    return BoardData(
        plan=plan, contents=contents, district_name=plan.district.name,
        fiscal_year=plan.fiscal_year, allocation=plan.allocation, alliance_count=count,
        cohort_span=cohort.span if cohort else "", index=result.index if result else None,
        index_year=result.year.school_year if result else "",
        presenters=[str(c) for c in plan.contacts.all() if c.presents]
        or [m.user.get_full_name() or m.user.username for m in leaders],
        board_meeting=approval.meeting_date if approval else None, meetings=meeting_dates(plan),
        by_area=[(r.label, r.amount) for r in contents.budget.by_funding_area],
        staffing=staffing, other_lines=other,
        strategies=[(terms.name_of(terms.focus_areas, s.focus_area), s.title, s.description)
                    for s in contents.strategies],
        progress=progress,
        spending=plan_spending(plan, default_as_of(plan, clock.today())).result
        if has_spending else None,
        expenditures=expenditures,
        status_name=STATUS_NAMES[plan.status],
    )  # fmt: skip
