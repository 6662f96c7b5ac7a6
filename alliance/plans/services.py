"""Writes to plans. Each checks the plan is editable, validates, saves atomically, and refuses to
overwrite a row someone else changed since the editor loaded it (optimistic concurrency)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, ProtectedError

from alliance.accountability.models import AccountabilityResult
from alliance.accounts.models import User
from alliance.audit.models import AuditEntry
from alliance.audit.services import audit_entry, audit_record, snapshot
from alliance.lib import clock
from alliance.lib.money import to_cents
from alliance.plans.models import (
    BudgetLine,
    Goal,
    GoalMeasure,
    Plan,
    PlanContact,
    Position,
    Strategy,
    StrategySchool,
    Versioned,
)
from alliance.plans.transitions import EDITABLE
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
    if plan.status not in EDITABLE:
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
    with transaction.atomic():
        plan.save()
        _audit(user, "create", plan, plan, after=snapshot(plan))
    return plan


def _audit(user: User | None, action: str, obj: Any, plan: Plan, **values: Any) -> None:
    audit_record(
        user=user,
        action=action,
        obj=obj,
        district_code=plan.district.code,
        fiscal_year=plan.fiscal_year,
        **values,
    )


def _audit_created(user: User | None, rows: list[Any], plan: Plan) -> None:
    """One entry per row made in bulk (copy forward), written in one statement."""
    AuditEntry.objects.bulk_create(
        [
            audit_entry(
                user=user,
                action="create",
                obj=row,
                district_code=plan.district.code,
                fiscal_year=plan.fiscal_year,
                after=snapshot(row),
            )
            for row in rows
        ]
    )


def _add(obj: V, plan: Plan, user: User | None) -> V:
    _editable(plan)
    obj.updated_by = user
    _validate(obj)
    with transaction.atomic():
        obj.save()
        _audit(user, "create", obj, plan, after=snapshot(obj))
    return obj


def strategy_add(*, plan: Plan, user: User | None, **fields: Any) -> Strategy:
    return _add(Strategy(plan=plan, **fields), plan, user)


def goal_add(*, strategy: Strategy, user: User | None, **fields: Any) -> Goal:
    """A goal; an NGAS goal without a baseline takes the newest imported value of its indicator."""
    goal = Goal(strategy=strategy, **fields)
    if goal.measure == GoalMeasure.NGAS and goal.baseline is None and goal.ngas_cell:
        goal.baseline, goal.baseline_year = ngas_baseline(
            district_code=strategy.plan.district.code,
            school_code=goal.school.code if goal.school else None,
            cell=goal.ngas_cell,
        )
    return _add(goal, strategy.plan, user)


def ngas_baseline(
    *, district_code: str, school_code: str | None, cell: str
) -> tuple[Decimal | None, str]:
    """The newest imported rate of an NGAS cell for a district (or one of its schools)."""
    results = AccountabilityResult.objects.filter(district_code=district_code).select_related(
        "year"
    )
    if school_code:
        results = results.filter(category="school", school_code=school_code)
    else:
        results = results.filter(category="district")
    for result in results.order_by("-year__school_year"):
        rate = result.cells.get(cell, {}).get("rate")
        if rate is not None:
            return Decimal(rate).quantize(Decimal("0.0001")), result.year.school_year
    return None, ""


def position_add(*, plan: Plan, user: User | None, **fields: Any) -> Position:
    _same_plan(plan, fields.get("strategy"))
    return _add(Position(plan=plan, **fields), plan, user)


def line_add(*, plan: Plan, user: User | None, **fields: Any) -> BudgetLine:
    _same_plan(plan, fields.get("strategy"))
    return _add(BudgetLine(plan=plan, **fields), plan, user)


def strategy_school_set(
    *, strategy: Strategy, school: Any, tier: int, user: User | None
) -> StrategySchool:
    """Serve a school with a strategy at an intervention tier (or change the tier)."""
    _editable(strategy.plan)
    if school.district_id != strategy.plan.district_id:
        raise PlanError({"school": ["That school is not in the plan's district."]})
    if tier not in (1, 2, 3):
        raise PlanError({"tier": ["The tier is 1, 2 or 3."]})
    with transaction.atomic():
        existing = StrategySchool.objects.filter(strategy=strategy, school=school).first()
        before = snapshot(existing) if existing else None
        served, created = StrategySchool.objects.update_or_create(
            strategy=strategy, school=school, defaults={"tier": tier}
        )
        action = "create" if created else "update"
        _audit(user, action, served, strategy.plan, before=before, after=snapshot(served))
    return served


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
    return _change(obj, plan, user, expected_version, changes)


def _change(
    obj: V, plan: Plan, user: User | None, expected_version: int, changes: dict[str, Any]
) -> V:
    """Apply `changes` with a new version and audit them, unless someone saved the row since
    `expected_version` (then Conflict, nothing written)."""
    before = snapshot(obj)
    for name, value in changes.items():
        setattr(obj, name, value)
    _validate(obj)
    model = type(obj)
    values = {name: getattr(obj, name) for name in changes}
    with transaction.atomic():
        updated = model._default_manager.filter(pk=obj.pk, version=expected_version).update(
            **values, version=F("version") + 1, updated_by=user, updated_at=clock.now()
        )
        if not updated:
            current = model._default_manager.select_related("updated_by").get(pk=obj.pk)
            raise Conflict(current=current, attempted=values)
        obj.refresh_from_db()
        _audit(user, "update", obj, plan, before=before, after=snapshot(obj))
    return obj


def plan_lock(plan: Plan) -> None:
    """Hold the plan's row until the transaction ends. Expenditures are charged to a plan's lines
    and positions under this lock, and a line or position is deleted under it, so no expenditure
    is left charged to an item that is gone (their table has no database foreign keys)."""
    list(Plan.objects.select_for_update().filter(pk=plan.pk).values_list("pk"))


def row_delete(
    *, obj: Versioned, plan: Plan, expected_version: int, user: User | None = None
) -> None:
    _editable(plan)
    if isinstance(obj, Strategy) and (obj.positions.exists() or obj.lines.exists()):
        raise PlanError(
            {"strategy": ["Positions or lines serve this strategy: move or delete them first."]}
        )
    before = snapshot(obj)
    try:
        with transaction.atomic():
            plan_lock(plan)
            _delete_row(obj, plan, expected_version, user, before)
    except ProtectedError:
        raise PlanError(
            {"__all__": ["Expenditures are charged to this row: charge them elsewhere first."]}
        ) from None


def _delete_row(
    obj: Versioned, plan: Plan, expected_version: int, user: User | None, before: dict[str, Any]
) -> None:
    deleted, _ = type(obj)._default_manager.filter(pk=obj.pk, version=expected_version).delete()
    if deleted:
        _audit(user, "delete", obj, plan, before=before)
        return
    current = type(obj)._default_manager.select_related("updated_by").filter(pk=obj.pk).first()
    if current is not None:
        raise Conflict(current=current, attempted={})


class CarryForward:
    KEEP = "keep"
    CHANGE = "change"
    DROP = "drop"
    CHOICES = ((KEEP, "Keep"), (CHANGE, "Keep, to change"), (DROP, "Drop"))


def plan_copy_forward(
    *,
    source: Plan,
    fiscal_year: int,
    decisions: dict[int, str],
    salary_increase: Decimal,
    user: User | None,
) -> Plan:
    """Start a year's plan from an earlier one.

    Each strategy is kept, kept to change (marked for review), or dropped, by `decisions`
    (strategy id -> keep / change / drop; unnamed strategies are kept). Kept strategies bring their
    schools, goals (NGAS goals re-based on the newest imported data), positions (salaries raised by
    `salary_increase` percent, to the cent) and lines. The allocation is the new year's.
    """
    if fiscal_year <= source.fiscal_year:
        raise PlanError({"fiscal_year": ["A plan is carried forward to a later fiscal year."]})
    unknown = {
        d
        for d in decisions.values()
        if d not in (CarryForward.KEEP, CarryForward.CHANGE, CarryForward.DROP)
    }
    if unknown:
        raise PlanError({"decisions": [f"Unknown choice {sorted(unknown)[0]!r}."]})
    factor = Decimal(1) + salary_increase / Decimal(100)
    if factor <= 0:
        raise PlanError({"salary_increase": ["A salary change cannot remove the whole salary."]})
    with transaction.atomic():
        plan = plan_create(district=source.district, fiscal_year=fiscal_year, user=user)
        if plan.benefits_rate != source.benefits_rate:
            before = snapshot(plan)
            plan.benefits_rate = source.benefits_rate
            plan.save(update_fields=["benefits_rate"])
            _audit(user, "update", plan, plan, before=before, after=snapshot(plan))
        carried: dict[int, Strategy] = {}
        created: list[Any] = []
        for old in source.strategies.prefetch_related("schools", "goals__school"):
            choice = decisions.get(old.pk, CarryForward.KEEP)
            if choice == CarryForward.DROP:
                continue
            new = Strategy.objects.create(
                plan=plan, focus_area=old.focus_area, title=old.title, description=old.description,
                owner=old.owner, evidence_level=old.evidence_level, position=old.position,
                carried_from=old, to_review=choice == CarryForward.CHANGE, updated_by=user,
            )  # fmt: skip
            carried[old.pk] = new
            created.append(new)
            created += StrategySchool.objects.bulk_create(
                [
                    StrategySchool(strategy=new, school_id=s.school_id, tier=s.tier)
                    for s in old.schools.all()
                ]
            )
            for goal in old.goals.all():
                fields = {
                    f.name: getattr(goal, f.name)
                    for f in Goal._meta.concrete_fields
                    if f.name not in ("id", "strategy", "version", "updated_at", "updated_by")
                }
                if goal.measure == GoalMeasure.NGAS:
                    fields["baseline"], fields["baseline_year"] = ngas_baseline(
                        district_code=plan.district.code,
                        school_code=goal.school.code if goal.school else None,
                        cell=goal.ngas_cell,
                    )
                    if fields["baseline"] is None:
                        fields["baseline"], fields["baseline_year"] = (
                            goal.baseline,
                            goal.baseline_year,
                        )
                created.append(Goal.objects.create(strategy=new, updated_by=user, **fields))
        created += Position.objects.bulk_create(
            [
                Position(
                    plan=plan, strategy=carried[p.strategy_id], title=p.title,
                    staff_category=p.staff_category, school_id=p.school_id, fte=p.fte,
                    salary=to_cents(p.salary * factor), grant_share=p.grant_share,
                    benefits_rate=p.benefits_rate, updated_by=user,
                )
                for p in source.positions.all()
                if p.strategy_id in carried
            ]
        )  # fmt: skip
        created += BudgetLine.objects.bulk_create(
            [
                BudgetLine(
                    plan=plan, strategy=carried[line.strategy_id], funding_area=line.funding_area,
                    object_code=line.object_code, description=line.description, vendor=line.vendor,
                    school_id=line.school_id, amount=line.amount, updated_by=user,
                )
                for line in source.lines.all()
                if line.strategy_id in carried
            ]
        )  # fmt: skip
        created += contacts_carry(source=source, plan=plan, user=user)
        _audit_created(user, created, plan)
    return plan


# A plan's contacts, and who presents the plan to the Board. The district's editors and leaders
# keep them whatever the plan's status: they are not part of its versions (a new superintendent is
# not an amendment). Every change is audited, and two editors never overwrite each other.


def contact_add(*, plan: Plan, user: User | None, **fields: Any) -> PlanContact:
    contact = PlanContact(plan=plan, updated_by=user, **fields)
    _validate(contact)
    with transaction.atomic():
        contact.save()
        _audit(user, "create", contact, plan, after=snapshot(contact))
    return contact


def contact_update(
    *, contact: PlanContact, user: User | None, expected_version: int, changes: dict[str, Any]
) -> PlanContact:
    """Change the contact unless someone saved it since `expected_version` (then Conflict)."""
    return _change(contact, contact.plan, user, expected_version, changes)


def contact_delete(*, contact: PlanContact, user: User | None, expected_version: int) -> None:
    with transaction.atomic():
        _delete_row(contact, contact.plan, expected_version, user, snapshot(contact))


def contacts_carry(*, source: Plan, plan: Plan, user: User | None) -> list[PlanContact]:
    """The earlier plan's contacts, for the next year's plan (copy forward)."""
    return PlanContact.objects.bulk_create(
        [
            PlanContact(
                plan=plan,
                name=c.name,
                title=c.title,
                email=c.email,
                phone=c.phone,
                presents=c.presents,
                updated_by=user,
            )
            for c in source.contacts.all()
        ]
    )
