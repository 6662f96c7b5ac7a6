"""Reads of a plan that pages and exports share, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from alliance.plans.budget import Budget, LineInput, PositionInput, budget
from alliance.plans.catalog import catalog
from alliance.plans.models import BudgetLine, Goal, Plan, Position, Strategy, StrategySchool
from alliance.plans.transitions import EDITABLE, STATUS_NAMES, WAITS_FOR


def plan_named(code: str, fiscal_year: int) -> Plan | None:
    """A district's plan for a fiscal year (by CSDE code), its district and last editor at hand."""
    return (
        Plan.objects.select_related("district", "updated_by")
        .filter(district__code=code, fiscal_year=fiscal_year)
        .first()
    )


@dataclass(frozen=True)
class PlanContents:
    plan: Plan
    strategies: list[Strategy]
    positions: list[Position]
    lines: list[BudgetLine]
    budget: Budget
    position_costs: dict[int, PositionInput]  # by position id: what it costs the grant


def position_input(position: Position, plan_rate: Decimal) -> PositionInput:
    """A position as the budget arithmetic sees it (load it with its school)."""
    p = position
    return PositionInput(
        key=str(p.pk),
        title=p.title,
        staff_category=p.staff_category,
        strategy=str(p.strategy_id),
        school=p.school.code if p.school else None,
        fte=p.fte,
        salary=p.salary,
        grant_share=p.grant_share,
        benefits_rate=plan_rate if p.benefits_rate is None else p.benefits_rate,
    )


def plan_contents(plan: Plan) -> PlanContents:
    strategies = list(
        Strategy.objects.filter(plan=plan).prefetch_related(
            Prefetch("goals", queryset=Goal.objects.select_related("school")),
            Prefetch("schools", queryset=StrategySchool.objects.select_related("school")),
        )
    )
    positions = list(Position.objects.filter(plan=plan).select_related("school", "strategy"))
    lines = list(BudgetLine.objects.filter(plan=plan).select_related("school", "strategy"))
    schools = {p.school.code: p.school.name for p in positions if p.school}
    schools.update({line.school.code: line.school.name for line in lines if line.school})
    costs = {p.pk: position_input(p, plan.benefits_rate) for p in positions}
    result = budget(
        allocation=plan.allocation,
        positions=costs.values(),
        lines=[
            LineInput(
                key=str(line.pk),
                funding_area=line.funding_area,
                object_code=line.object_code,
                strategy=str(line.strategy_id),
                school=line.school.code if line.school else None,
                amount=line.amount,
            )
            for line in lines
        ],
        catalog=catalog(),
        strategy_names={str(s.pk): s.title for s in strategies},
        school_names=schools,
    )
    return PlanContents(plan, strategies, positions, lines, result, costs)


@dataclass(frozen=True)
class PlanBanner:
    plan: Plan
    status_name: str
    waits_for: str
    on_district: bool  # the district has the next step


def plan_banner(district_id: int) -> PlanBanner | None:
    """The district's latest plan: its status and whom it waits for, for the district's pages."""
    plan = Plan.objects.filter(district_id=district_id).order_by("-fiscal_year").first()
    if plan is None:
        return None
    return PlanBanner(
        plan, STATUS_NAMES[plan.status], WAITS_FOR[plan.status], plan.status in EDITABLE
    )
