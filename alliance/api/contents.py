"""A plan's contents through the API: its strategies, goals, positions, lines and contacts,
listed, added, changed and deleted by the same forms and services as the pages. Every change names
the version it read: a row someone else saved since is not overwritten (409, with its version)."""

# No `from __future__ import annotations`: the routes below are made in a loop, and django-ninja
# reads each one's body type (kind.schema_in) from its annotations when it is made.
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Model
from django.forms import ModelChoiceField, model_to_dict
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from alliance.accounts.models import User
from alliance.api import schemas
from alliance.lib.numbers import plain
from alliance.plans.access import plan_for_user
from alliance.plans.export import money
from alliance.plans.forms import ContactForm, GoalForm, LineForm, PositionForm, StrategyForm
from alliance.plans.models import BudgetLine, Goal, Plan, PlanContact, Position, Strategy
from alliance.plans.services import (
    PlanError,
    contact_add,
    contact_delete,
    contact_update,
    goal_add,
    line_add,
    position_add,
    row_delete,
    row_update,
    strategy_add,
    strategy_school_set,
)
from alliance.registry.models import School

router = Router(tags=["Plan contents"])
_MONEY_FIELDS = frozenset({"salary", "amount"})
_PLACES = {"fte": 2, "grant_share": 4, "benefits_rate": 4}  # as the plan export writes them


class _In(Schema):
    """A row's fields as sent: any left out keep their values (or take their defaults)."""

    model_config = ConfigDict(extra="forbid")  # a misspelt field is refused, not ignored


class StrategyIn(_In):
    focus_area: str | None = None
    title: str | None = None
    description: str | None = None
    owner: str | None = None
    evidence_level: str | None = None


class GoalIn(_In):
    strategy: int | None = None
    measure: str | None = None
    ngas_cell: str | None = None
    school: str | None = None
    description: str | None = None
    student_group: str | None = None
    baseline: Decimal | None = None
    baseline_year: str | None = None
    target: Decimal | None = None
    unit: str | None = None
    fall: bool | None = None
    winter: bool | None = None
    spring: bool | None = None


class PositionIn(_In):
    title: str | None = None
    staff_category: str | None = None
    strategy: int | None = None
    school: str | None = None
    fte: Decimal | None = None
    salary: Decimal | None = None
    grant_share: Decimal | None = None
    benefits_rate: Decimal | None = None
    vacant_until: dt.date | None = None


class LineIn(_In):
    funding_area: str | None = None
    object_code: str | None = None
    description: str | None = None
    vendor: str | None = None
    strategy: int | None = None
    school: str | None = None
    amount: Decimal | None = None


class _Row(Schema):
    id: int
    version: int


class StrategyOut(_Row):
    focus_area: str
    title: str
    description: str
    owner: str
    evidence_level: str


class GoalOut(_Row):
    strategy: int
    measure: str
    ngas_cell: str
    school: str | None
    description: str
    student_group: str
    baseline: str | None
    baseline_year: str
    target: str
    unit: str
    fall: bool
    winter: bool
    spring: bool


class PositionOut(_Row):
    title: str
    staff_category: str
    strategy: int
    school: str | None
    fte: str
    salary: str
    grant_share: str
    benefits_rate: str | None
    vacant_until: dt.date | None


class LineOut(_Row):
    funding_area: str
    object_code: str
    description: str
    vendor: str
    strategy: int
    school: str | None
    amount: str


class ContactIn(_In):
    name: str | None = None
    title: str | None = None
    email: str | None = None
    phone: str | None = None
    presents: bool | None = None


class ContactOut(_Row):
    name: str
    title: str
    email: str
    phone: str
    presents: bool


def _update(plan: Plan, user: User, obj: Any, version: int, changes: dict[str, Any]) -> None:
    row_update(obj=obj, plan=plan, user=user, expected_version=version, changes=changes)


def _delete(plan: Plan, user: User, obj: Any, version: int) -> None:
    row_delete(obj=obj, plan=plan, expected_version=version, user=user)


@dataclass(frozen=True)
class Kind:
    path: str  # the URL's word: strategies, goals, positions, lines, contacts
    noun: str
    model: type[Model]
    form: type[Any]
    plan_path: str  # how a row reaches its plan
    add: Any  # the service that adds one: (plan, user, cleaned data) -> row
    schema_in: type[Schema]
    schema_out: type[Schema]
    update: Any = _update  # (plan, user, row, version, changes)
    delete: Any = _delete  # (plan, user, row, version)
    any_status: bool = False  # changes whatever the plan's status (contacts)
    form_takes_plan: bool = True  # its choices are limited to the plan (not a contact's form)


KINDS = (
    Kind("strategies", "strategy", Strategy, StrategyForm, "plan",
         lambda plan, user, data: strategy_add(plan=plan, user=user, **data),
         StrategyIn, StrategyOut),
    Kind("goals", "goal", Goal, GoalForm, "strategy__plan",
         lambda plan, user, data: goal_add(strategy=data.pop("strategy"), user=user, **data),
         GoalIn, GoalOut),
    Kind("positions", "position", Position, PositionForm, "plan",
         lambda plan, user, data: position_add(plan=plan, user=user, **data),
         PositionIn, PositionOut),
    Kind("lines", "line", BudgetLine, LineForm, "plan",
         lambda plan, user, data: line_add(plan=plan, user=user, **data),
         LineIn, LineOut),
    Kind("contacts", "contact", PlanContact, ContactForm, "plan",
         lambda plan, user, data: contact_add(plan=plan, user=user, **data),
         ContactIn, ContactOut,
         update=lambda plan, user, obj, version, changes: contact_update(
             contact=obj, user=user, expected_version=version, changes=changes),
         delete=lambda plan, user, obj, version: contact_delete(
             contact=obj, user=user, expected_version=version),
         any_status=True, form_takes_plan=False),
)  # fmt: skip


def row_out(kind: Kind, obj: Any) -> dict[str, Any]:
    """A row as the API gives it: schools by CSDE code, strategies by id, numbers as strings."""
    out: dict[str, Any] = {"id": obj.pk, "version": obj.version}
    for name in kind.schema_out.model_fields:
        if name in out:
            continue
        if name == "strategy":
            out[name] = obj.strategy_id
        elif name == "school":
            out[name] = obj.school.code if obj.school_id else None
        else:
            value = getattr(obj, name)
            if isinstance(value, Decimal) and name in _MONEY_FIELDS:
                value = money(value)
            elif isinstance(value, Decimal) and name in _PLACES:
                value = f"{value:.{_PLACES[name]}f}"
            elif isinstance(value, Decimal):
                value = plain(value)
            out[name] = value
    return out


def _form(kind: Kind, plan: Plan, obj: Any, sent: dict[str, Any]) -> Any:
    """The page's form for the row, bound to its values now with what the caller sent on top."""
    current = model_to_dict(obj, fields=kind.form._meta.fields)
    if "school" in current:
        current["school"] = obj.school.code if obj.school_id else None
    data = {k: "" if v is None else v for k, v in {**current, **sent}.items()}
    plan_choices = {"plan": plan} if kind.form_takes_plan else {}
    form = kind.form(data, instance=obj, **plan_choices)
    if "school" in form.fields:
        field = form.fields["school"]
        assert isinstance(field, ModelChoiceField)
        field.to_field_name = "code"  # the API names schools by their CSDE codes
        form.initial["school"] = current["school"]  # by code: an unchanged school is unchanged
    return form


def _invalid(form: Any) -> PlanError:
    return PlanError({name: list(texts) for name, texts in form.errors.items()})


def _rows(kind: Kind, plan: Plan) -> Any:
    rows = kind.model._default_manager.filter(**{kind.plan_path: plan})
    return rows.select_related("school") if kind.noun in ("goal", "position", "line") else rows


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _found(kind: Kind, plan: Plan, row_id: int) -> Any:
    obj = _rows(kind, plan).filter(pk=row_id).first()
    if obj is None:
        raise Http404(f"No such {kind.noun} in this plan.")
    return obj


def _register(kind: Kind) -> None:
    base = f"/plans/{{code}}/{{fiscal_year}}/{kind.path}"
    when = (
        "whatever the plan's status" if kind.any_status
        else "while the plan is a draft, returned for revision, or amended"
    )  # fmt: skip
    one = f"{base}/{{int:row_id}}"

    @router.get(
        base, response={200: list[kind.schema_out], 404: schemas.Problem},  # type: ignore[name-defined]
        summary=f"The plan's {kind.path}", operation_id=f"{kind.noun}_list",
    )  # fmt: skip
    def listed(request: HttpRequest, code: str, fiscal_year: int) -> list[dict[str, Any]]:
        plan = plan_for_user(request.user, code, fiscal_year)
        return [row_out(kind, obj) for obj in _rows(kind, plan).order_by("pk")]

    @router.post(
        base, response={201: kind.schema_out, **schemas.WRITE_PROBLEMS},
        summary=f"Add a {kind.noun}", operation_id=f"{kind.noun}_add",
        description=f"The {kind.noun}'s fields as on the plan's pages (schools by CSDE code, "
        "strategies by id); a field left out takes its usual default. For the district's "
        f"editors and leaders {when}.",
    )  # fmt: skip
    def added(
        request: HttpRequest,
        code: str,
        fiscal_year: int,
        body: kind.schema_in,  # type: ignore[name-defined]
    ) -> Status[dict[str, Any]]:
        plan = plan_for_user(request.user, code, fiscal_year, edit=True)
        blank = kind.model(plan=plan) if kind.plan_path == "plan" else kind.model()
        form = _form(kind, plan, blank, body.dict(exclude_unset=True))
        if not form.is_valid():
            raise _invalid(form)
        obj = kind.add(plan, _user(request), dict(form.cleaned_data))
        return Status(201, row_out(kind, _found(kind, plan, obj.pk)))

    @router.patch(
        one, response={200: kind.schema_out, **schemas.WRITE_PROBLEMS},
        summary=f"Change a {kind.noun}", operation_id=f"{kind.noun}_change",
        description="Only the fields sent change. `version` is the row's version as you read "
        "it: a row saved by someone else since is not overwritten (409).",
    )  # fmt: skip
    def changed(
        request: HttpRequest, code: str, fiscal_year: int, row_id: int, version: int,
        body: kind.schema_in,  # type: ignore[name-defined]
    ) -> dict[str, Any]:  # fmt: skip
        plan = plan_for_user(request.user, code, fiscal_year, edit=True)
        form = _form(kind, plan, _found(kind, plan, row_id), body.dict(exclude_unset=True))
        if not form.is_valid():
            raise _invalid(form)
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        row = _found(kind, plan, row_id)  # as saved: validating the form changed its instance
        if changes:
            kind.update(plan, _user(request), row, version, changes)  # and reloads it
        return row_out(kind, row)

    @router.delete(
        one, response={204: None, **schemas.WRITE_PROBLEMS},
        summary=f"Delete a {kind.noun}", operation_id=f"{kind.noun}_delete",
        description="`version` is the row's version as you read it.",
    )  # fmt: skip
    def deleted(
        request: HttpRequest, code: str, fiscal_year: int, row_id: int, version: int
    ) -> Status[None]:
        plan = plan_for_user(request.user, code, fiscal_year, edit=True)
        obj = _found(kind, plan, row_id)
        kind.delete(plan, _user(request), obj, version)
        return Status(204, None)


for _kind in KINDS:
    _register(_kind)


class ServedIn(Schema):
    tier: int = Field(..., description="The intervention tier: 1, 2 or 3.")


class ServedOut(Schema):
    strategy: int
    school: str = Field(..., description="The school's CSDE code.")
    name: str
    tier: int


@router.put(
    "/plans/{code}/{fiscal_year}/strategies/{int:strategy_id}/schools/{school_code}",
    response={200: ServedOut, **schemas.WRITE_PROBLEMS},
    summary="Serve a school with a strategy",
    description="At an intervention tier (1, 2 or 3), or change the tier it is served at. The "
    "school is one of the district's, by its CSDE code.",
)
def school_served(
    request: HttpRequest, code: str, fiscal_year: int, strategy_id: int, school_code: str,
    body: ServedIn,
) -> dict[str, Any]:  # fmt: skip
    plan = plan_for_user(request.user, code, fiscal_year, edit=True)
    strategy = Strategy.objects.filter(plan=plan, pk=strategy_id).select_related("plan").first()
    school = School.objects.filter(district_id=plan.district_id, code=school_code).first()
    if strategy is None or school is None:
        raise Http404("No such strategy in this plan, or no such school in its district.")
    served = strategy_school_set(strategy=strategy, school=school, tier=body.tier,
                                 user=_user(request))  # fmt: skip
    return {"strategy": strategy.pk, "school": school.code, "name": school.name,
            "tier": served.tier}  # fmt: skip
