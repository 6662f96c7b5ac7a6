"""Putting a plan's rows back as a frozen version has them: withdrawing an amendment returns the
working copy to the approved plan. Rows keep their ids (a deleted row comes back with its own), so
the amendment's redline against that version is empty afterwards. Every change is audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from alliance.accounts.models import User
from alliance.audit.services import audit_record, snapshot
from alliance.plans.models import BudgetLine, Goal, Plan, Position, Strategy, StrategySchool
from alliance.plans.services import PlanError
from alliance.registry.models import School

MEETINGS = ("fall", "winter", "spring")


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _strategy_fields(row: dict[str, Any], order: int) -> dict[str, Any]:
    return {
        "focus_area": row["focus_area"], "title": row["title"], "description": row["description"],
        "owner": row["owner"], "evidence_level": row["evidence_level"], "position": order,
    }  # fmt: skip


def _goal_fields(
    row: dict[str, Any], strategy_id: int, schools: dict[str, School]
) -> dict[str, Any]:
    return {
        "strategy_id": strategy_id, "measure": row["measure"], "ngas_cell": row["ngas_cell"] or "",
        "school": schools.get(row["school_code"] or ""), "description": row["description"],
        "student_group": row["student_group"], "baseline": _decimal(row["baseline"]),
        "baseline_year": row["baseline_year"] or "", "target": Decimal(row["target"]),
        "unit": row["unit"], **{m: m in row["meetings"] for m in MEETINGS},
    }  # fmt: skip


def _position_fields(
    row: dict[str, Any], schools: dict[str, School], rate: Decimal
) -> dict[str, Any]:
    benefits = Decimal(row["benefits_rate"])
    return {
        "strategy_id": row["strategy_id"], "title": row["title"],
        "staff_category": row["staff_category"], "school": schools.get(row["school_code"] or ""),
        "fte": Decimal(row["fte"]), "salary": Decimal(row["salary"]),
        "grant_share": Decimal(row["grant_share"]),
        # The document writes the plan's rate out; a position that used it goes back to using it.
        "benefits_rate": None if benefits == rate else benefits,
        "vacant_until": dt.date.fromisoformat(row["vacant_until"]) if row["vacant_until"] else None,
    }  # fmt: skip


def _line_fields(row: dict[str, Any], schools: dict[str, School]) -> dict[str, Any]:
    return {
        "strategy_id": row["strategy_id"], "funding_area": row["funding_area"],
        "object_code": row["object_code"], "description": row["description"],
        "vendor": row["vendor"], "school": schools.get(row["school_code"] or ""),
        "amount": Decimal(row["amount"]),
    }  # fmt: skip


class _Restorer:
    def __init__(self, plan: Plan, user: User) -> None:
        self.plan, self.user = plan, user

    def audit(self, action: str, obj: models.Model, before: Any = None, after: Any = None) -> None:
        audit_record(
            user=self.user, action=action, obj=obj, district_code=self.plan.district.code,
            fiscal_year=self.plan.fiscal_year, before=before, after=after,
        )  # fmt: skip

    def delete_missing(self, rows: models.QuerySet[Any], keep: set[int]) -> None:
        for row in rows.exclude(pk__in=keep):
            before = snapshot(row)
            try:
                with transaction.atomic():
                    row.delete()
            except models.ProtectedError:
                raise PlanError(
                    {"__all__": [f"Expenditures are charged to “{row}”, which the approved plan "
                                 "does not have: charge them elsewhere first."]}
                ) from None  # fmt: skip
            self.audit("delete", row, before=before)

    def put(self, model: type[Any], pk: int, fields: dict[str, Any], **fixed: Any) -> Any:
        """The row with this id as the document has it: changed, recreated, or left alone."""
        row = model._default_manager.filter(pk=pk).first()
        if row is None:
            row = model(pk=pk, **fixed, **fields, updated_by=self.user)
            row.save(force_insert=True)
            self.audit("create", row, after=snapshot(row))
            return row
        before = snapshot(row)
        for name, value in fields.items():
            setattr(row, name, value)
        after = snapshot(row)
        if after != before:
            row.version += 1
            row.updated_by = self.user
            row.save()
            self.audit("update", row, before=before, after=after)
        return row


def plan_restore(*, plan: Plan, document: dict[str, Any], user: User) -> None:
    """Make the plan's rows what `document` (a frozen version of this plan) says. Call inside the
    transaction that holds the plan's row lock."""
    restorer = _Restorer(plan, user)
    codes = {x["code"] for s in document["strategies"] for x in s["schools"]}
    codes |= {g["school_code"] for s in document["strategies"] for g in s["goals"]}
    codes |= {r["school_code"] for r in [*document["positions"], *document["lines"]]}
    schools = {s.code: s for s in School.objects.filter(code__in=codes - {None})}
    goals = [(g, s["id"]) for s in document["strategies"] for g in s["goals"]]
    # What the version does not have goes first, rows before the strategies they belong to.
    restorer.delete_missing(
        BudgetLine.objects.filter(plan=plan), {r["id"] for r in document["lines"]}
    )
    restorer.delete_missing(
        Position.objects.filter(plan=plan), {r["id"] for r in document["positions"]}
    )
    restorer.delete_missing(Goal.objects.filter(strategy__plan=plan), {g["id"] for g, _ in goals})
    restorer.delete_missing(
        Strategy.objects.filter(plan=plan), {s["id"] for s in document["strategies"]}
    )
    for order, row in enumerate(document["strategies"]):
        strategy = restorer.put(Strategy, row["id"], _strategy_fields(row, order), plan=plan)
        wanted = {x["code"]: x["tier"] for x in row["schools"]}
        for served in StrategySchool.objects.filter(strategy=strategy).select_related("school"):
            tier = wanted.pop(served.school.code, None)
            before = snapshot(served)
            if tier is None:
                served.delete()
                restorer.audit("delete", served, before=before)
            elif served.tier != tier:
                served.tier = tier
                served.save(update_fields=["tier"])
                restorer.audit("update", served, before=before, after=snapshot(served))
        for code, tier in wanted.items():
            served = StrategySchool.objects.create(
                strategy=strategy, school=schools[code], tier=tier
            )
            restorer.audit("create", served, after=snapshot(served))
    for goal, strategy_id in goals:
        restorer.put(Goal, goal["id"], _goal_fields(goal, strategy_id, schools))
    rate = plan.benefits_rate
    for row in document["positions"]:
        restorer.put(Position, row["id"], _position_fields(row, schools, rate), plan=plan)
    for row in document["lines"]:
        restorer.put(BudgetLine, row["id"], _line_fields(row, schools), plan=plan)
