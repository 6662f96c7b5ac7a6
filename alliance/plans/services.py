"""Writes to plans. Each checks the plan is editable, validates, saves atomically, and refuses to
overwrite a row someone else changed since the editor loaded it (optimistic concurrency)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from alliance.accounts.models import User
from alliance.plans.models import BudgetLine, Goal, Plan, PlanStatus, Position, Strategy, Versioned
from alliance.registry.models import AllianceAllocation, District

V = TypeVar("V", bound=Versioned)


class PlanError(ValueError):
    """A write the plan cannot take; `fields` maps each field to its message."""

    def __init__(self, fields: dict[str, list[str]]) -> None:
        self.fields = fields
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in fields.items()))


@dataclass
class Conflict(Exception):
    """Someone saved this row after the editor loaded it. Both versions are kept for the user."""

    current: Versioned
    attempted: dict[str, Any]

    def __str__(self) -> str:
        who = self.current.updated_by or "someone"
        return f"{who} changed this since you opened it; nothing was overwritten."


def _editable(plan: Plan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise PlanError(
            {"__all__": [f"The plan is {plan.get_status_display().lower()}; it cannot change."]}
        )


def _validate(obj: Versioned, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise PlanError(exc.message_dict) from None


def plan_create(*, district: District, fiscal_year: int, user: User | None) -> Plan:
    """A new draft plan, its allocation taken from the ECS Alliance data for that year."""
    allocation = AllianceAllocation.objects.filter(
        district=district, fiscal_year=fiscal_year
    ).first()
    if allocation is None:
        raise PlanError(
            {
                "fiscal_year": [
                    f"There is no ECS Alliance allocation for {district} in FY{fiscal_year}."
                ]
            }
        )
    previous = (
        Plan.objects.filter(district=district, fiscal_year__lt=fiscal_year)
        .order_by("-fiscal_year")
        .first()
    )
    plan = Plan(
        district=district,
        fiscal_year=fiscal_year,
        allocation=allocation.alliance_amount,
        allocation_source=f"{allocation.source}, FY{fiscal_year}",
        benefits_rate=previous.benefits_rate if previous else Decimal("0"),
        updated_by=user,
    )
    if Plan.objects.filter(district=district, fiscal_year=fiscal_year).exists():
        raise PlanError({"fiscal_year": [f"{district} already has a FY{fiscal_year} plan."]})
    _validate(plan)
    plan.save()
    return plan


def _add(obj: V, plan: Plan, user: User | None) -> V:
    _editable(plan)
    obj.updated_by = user
    _validate(obj)
    obj.save()
    return obj


def strategy_add(*, plan: Plan, user: User | None, **fields: Any) -> Strategy:
    return _add(Strategy(plan=plan, **fields), plan, user)


def goal_add(*, strategy: Strategy, user: User | None, **fields: Any) -> Goal:
    return _add(Goal(strategy=strategy, **fields), strategy.plan, user)


def position_add(*, plan: Plan, user: User | None, **fields: Any) -> Position:
    _same_plan(plan, fields.get("strategy"))
    return _add(Position(plan=plan, **fields), plan, user)


def line_add(*, plan: Plan, user: User | None, **fields: Any) -> BudgetLine:
    _same_plan(plan, fields.get("strategy"))
    return _add(BudgetLine(plan=plan, **fields), plan, user)


def _same_plan(plan: Plan, strategy: Strategy | None) -> None:
    if strategy is not None and strategy.plan_id != plan.pk:
        raise PlanError({"strategy": ["That strategy belongs to another plan."]})


def row_update(
    *, obj: V, plan: Plan, user: User | None, expected_version: int, changes: dict[str, Any]
) -> V:
    """Change fields of a row, unless it moved on since `expected_version`: then raise Conflict.

    The check and the write are one UPDATE ... WHERE version = expected, so two saves racing each
    other cannot both win.
    """
    _editable(plan)
    if "strategy" in changes:
        _same_plan(plan, changes["strategy"])
    for name, value in changes.items():
        setattr(obj, name, value)
    _validate(obj)
    model = type(obj)
    values = {name: getattr(obj, name) for name in changes}
    with transaction.atomic():
        updated = model._default_manager.filter(pk=obj.pk, version=expected_version).update(
            **values, version=F("version") + 1, updated_by=user
        )
        if not updated:
            current = model._default_manager.select_related("updated_by").get(pk=obj.pk)
            raise Conflict(current=current, attempted=values)
    obj.refresh_from_db()
    return obj


def row_delete(*, obj: Versioned, plan: Plan, expected_version: int) -> None:
    _editable(plan)
    with transaction.atomic():
        deleted, _ = type(obj)._default_manager.filter(pk=obj.pk, version=expected_version).delete()
        if not deleted:
            current = (
                type(obj)._default_manager.select_related("updated_by").filter(pk=obj.pk).first()
            )
            if current is not None:
                raise Conflict(current=current, attempted={})
