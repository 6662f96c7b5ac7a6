"""Plans: those the caller may see (their district's, or every one for state staff), each whole in
the plan export's schema; and the approved plans, public records anyone signed in may read."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema

from alliance.accounts.access import access_for
from alliance.accounts.models import User
from alliance.api import schemas
from alliance.plans.access import plan_for_user
from alliance.plans.export import money, plan_document
from alliance.plans.models import Plan
from alliance.plans.records import plan_record, public_records
from alliance.plans.selectors import plan_contents
from alliance.plans.workflow import actions_for, open_amendment, plan_transition

router = Router(tags=["Plans"])


def _summary(plan: Plan) -> dict[str, object]:
    return {
        "district_code": plan.district.code, "district_name": plan.district.name,
        "fiscal_year": plan.fiscal_year, "status": plan.status,
        "status_name": plan.get_status_display(), "allocation": money(plan.allocation),
        "version": plan.version, "updated_at": plan.updated_at, "illustrative": plan.illustrative,
    }  # fmt: skip


class PlanFilters(Schema):
    fiscal_year: int | None = None
    status: str = ""
    district: str = ""


@router.get(
    "/plans",
    response=list[schemas.PlanSummary],
    summary="Plans the caller may see",
    description="Every plan in any status for state staff; a district's own plans for its people. "
    "Approved plans of other districts are under /approved-plans.",
)
def plans(request: HttpRequest, filters: Query[PlanFilters]) -> list[dict[str, object]]:
    access = access_for(request.user)
    rows = Plan.objects.select_related("district").order_by("district__name", "-fiscal_year")
    if not access.is_state:
        rows = rows.filter(district__code__in=access.district_codes)
    if filters.fiscal_year is not None:
        rows = rows.filter(fiscal_year=filters.fiscal_year)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.district:
        rows = rows.filter(district__code=filters.district)
    return [_summary(p) for p in rows]


@router.get(
    "/plans/{code}/{fiscal_year}",
    response={200: schemas.PlanDetail, 404: schemas.Problem},
    summary="One plan, whole",
)
def plan(request: HttpRequest, code: str, fiscal_year: int) -> dict[str, object]:
    found = plan_for_user(request.user, code, fiscal_year)
    return {**_summary(found), "document": plan_document(plan_contents(found))}


class ActionOut(Schema):
    action: str
    label: str
    note_required: bool
    note_label: str


class ActionIn(Schema):
    action: str
    note: str = ""


@router.get(
    "/plans/{code}/{fiscal_year}/actions",
    response={200: list[ActionOut], 404: schemas.Problem},
    summary="What the caller may do with the plan now",
    description="The workflow's actions open to you in the plan's status: submit, start the "
    "review, return for revision, recommend, approve, release funds, amend, and so on.",
    tags=["Workflow"],
)
def actions(request: HttpRequest, code: str, fiscal_year: int) -> list[dict[str, object]]:
    found = plan_for_user(request.user, code, fiscal_year)
    return [
        {"action": t.action, "label": t.label, "note_required": t.note_required,
         "note_label": t.note_label}
        for t in actions_for(found, request.user, open_amendment(found))
    ]  # fmt: skip


@router.post(
    "/plans/{code}/{fiscal_year}/actions",
    response={200: schemas.PlanSummary, **schemas.WRITE_PROBLEMS},
    summary="Take a workflow action",
    description="As the plan's status panel does: your roles must include the action (403), the "
    "plan must be in a status it starts from and meet its conditions (409, saying which), and "
    "some actions need a note (422). Submitting and approving freeze a version of the plan.",
    tags=["Workflow"],
)
def act(request: HttpRequest, code: str, fiscal_year: int, body: ActionIn) -> dict[str, object]:
    found = plan_for_user(request.user, code, fiscal_year)
    assert isinstance(request.user, User)
    moved = plan_transition(plan_id=found.pk, action=body.action, user=request.user, note=body.note)
    return _summary(moved)


class ApprovedFilters(Schema):
    fiscal_year: int | None = None
    name: str = ""


@router.get(
    "/approved-plans",
    response=list[schemas.ApprovedPlan],
    summary="Approved plans (public records)",
    description="The newest approved version of every plan that has one, for anyone signed in.",
    tags=["Approved plans"],
)
def approved_plans(request: HttpRequest, filters: Query[ApprovedFilters]) -> list[object]:
    records = public_records(fiscal_year=filters.fiscal_year, name=filters.name.strip())
    return [
        {**r.__dict__, "budget": money(r.budget), "allocation": money(r.allocation)}
        for r in records
    ]


@router.get(
    "/approved-plans/{code}/{fiscal_year}",
    response={200: schemas.ApprovedPlanDetail, 404: schemas.Problem},
    summary="An approved plan as it was approved",
    description="The frozen document of the newest approved version, or of ?version=N (an earlier "
    "approved one), in the plan export's schema.",
    tags=["Approved plans"],
)
def approved_plan(
    request: HttpRequest, code: str, fiscal_year: int, version: int | None = None
) -> dict[str, object]:
    versions = plan_record(code, fiscal_year)
    chosen = next((v for v in versions if version in (None, v.number)), None)
    if chosen is None:
        raise Http404("No approved plan, or no such approved version.")
    return {"version": chosen.number, "approved_at": chosen.created_at, "document": chosen.document}
