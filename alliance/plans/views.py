"""Plan pages. Writes go through the services; with htmx, a write answers with the re-rendered
budget region (422 with the messages beside the fields, 409 with both versions on a conflict)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from alliance.accounts.access import access_for
from alliance.accounts.models import User
from alliance.accounts.roles import Role
from alliance.audit.models import AuditEntry
from alliance.lib import clock
from alliance.monitoring.models import AnnualReview
from alliance.plans.access import can_edit, plan_for_user
from alliance.plans.budget import payment_schedule
from alliance.plans.catalog import catalog, installments
from alliance.plans.forms import (
    AllocationForm,
    BoardApprovalForm,
    ContactForm,
    GoalForm,
    LineForm,
    PlanStartForm,
    PositionForm,
    ServeSchoolForm,
    StrategyForm,
    form_errors,
)
from alliance.plans.models import (
    AMENDMENT_UNDECIDED,
    BudgetLine,
    Goal,
    Plan,
    PlanContact,
    PlanVersion,
    Position,
    Strategy,
)
from alliance.plans.records import plan_record, public_records, public_years
from alliance.plans.selectors import plan_contents
from alliance.plans.services import (
    CarryForward,
    Conflict,
    PlanError,
    contact_add,
    contact_delete,
    contact_update,
    goal_add,
    line_add,
    plan_copy_forward,
    plan_create,
    position_add,
    row_delete,
    row_update,
    strategy_add,
    strategy_school_set,
)
from alliance.plans.transitions import (
    AMENDING,
    APPROVED_STATES,
    EDITABLE,
    RETURNED,
    STATUS_NAMES,
    WAITS_FOR,
)
from alliance.plans.workflow import (
    actions_for,
    amendment_redline,
    board_approval_record,
    plan_transition,
)
from alliance.registry.access import district_for_user
from alliance.reports.tables import FORMATS, table_download
from alliance.review.selectors import plan_review


@dataclass(frozen=True)
class RowKind:
    """A kind of plan row that is edited in place: its model, form, page and layout."""

    model: type[Strategy] | type[Goal] | type[Position] | type[BudgetLine]
    form: type[StrategyForm] | type[GoalForm] | type[PositionForm] | type[LineForm]
    page: str  # "plan" or "budget": the page whose region a saved row refreshes
    plan_path: str  # how the row reaches its plan, for the permission-checked lookup
    block: bool  # shown as a block (strategies) rather than a table row


ROWS = {
    "strategies": RowKind(Strategy, StrategyForm, "plan", "plan", True),
    "goals": RowKind(Goal, GoalForm, "plan", "strategy__plan", False),
    "positions": RowKind(Position, PositionForm, "budget", "plan", False),
    "lines": RowKind(BudgetLine, LineForm, "budget", "plan", False),
}
ALLOCATION_EDITORS = frozenset({Role.STATE_ADMIN, Role.STATE_FISCAL})
APPROVAL_ACTIONS = ("approve", "approve_with_conditions")
GOALS_HEADER = [
    "strategy", "focus_area", "evidence_level", "lead", "goal", "measure", "ngas_cell",
    "student_group", "baseline", "baseline_year", "target", "unit",
]  # fmt: skip


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


@require_GET
def plan_list(request: HttpRequest, code: str) -> HttpResponse:
    district = district_for_user(request.user, code)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        rows = [
            [p.fiscal_year, p.get_status_display(), f"{p.allocation:.2f}", p.allocation_source]
            for p in district.plans.order_by("-fiscal_year")
        ]
        header = ["fiscal_year", "status", "allocation", "allocation_source"]
        return table_download(f"alliance-plans-{code}", header, rows, fmt)
    return _render_list(request, district, PlanStartForm(), status=200)


def _render_list(
    request: HttpRequest, district: Any, form: PlanStartForm, *, status: int
) -> HttpResponse:
    plans = list(district.plans.order_by("-fiscal_year"))
    latest = plans[0] if plans else None
    context = {
        "district": district,
        "plans": plans,
        "form": form,
        "can_edit": can_edit(request.user, district.code),
        "latest": latest,
        "latest_strategies": list(latest.strategies.all()) if latest else [],
        "choices": CarryForward.CHOICES,
    }
    return render(request, "plans/plan_list.html", context, status=status)


@require_POST
def plan_start(request: HttpRequest, code: str) -> HttpResponse:
    district = district_for_user(request.user, code)
    if not can_edit(request.user, code):
        raise PermissionDenied("Only the district's editors and leaders start its plans.")
    form = PlanStartForm(request.POST)
    if form.is_valid():
        fiscal_year = form.cleaned_data["fiscal_year"]
        latest = Plan.objects.filter(district=district).order_by("-fiscal_year").first()
        try:
            if form.cleaned_data["copy_forward"] and latest is not None:
                decisions = {
                    s.pk: request.POST.get(f"decision-{s.pk}", CarryForward.KEEP)
                    for s in latest.strategies.all()
                }
                plan = plan_copy_forward(
                    source=latest,
                    fiscal_year=fiscal_year,
                    decisions=decisions,
                    salary_increase=form.cleaned_data["salary_increase"] or Decimal(0),
                    user=_user(request),
                )
            else:
                plan = plan_create(district=district, fiscal_year=fiscal_year, user=_user(request))
        except PlanError as exc:
            form_errors(form, exc)
        else:
            return redirect("plan_detail", code=code, fiscal_year=plan.fiscal_year)
    return _render_list(request, district, form, status=422)


def _plan_context(request: HttpRequest, plan: Plan, **forms: Any) -> dict[str, Any]:
    contents = plan_contents(plan)
    editable = can_edit(request.user, plan.district.code)
    chart = {
        "type": "bar",
        "label": "Budget",
        "money": True,
        "labels": [r.label for r in contents.budget.by_funding_area],
        "values": [str(r.amount) for r in contents.budget.by_funding_area],
    }
    context = {
        "plan": plan,
        "district": plan.district,
        "contents": contents,
        "budget": contents.budget,
        "chart": chart,
        "can_edit": editable,
        "can_edit_allocation": bool(access_for(request.user).state_roles & ALLOCATION_EDITORS),
        "catalog": catalog(),
    }
    if editable:
        context.update(
            strategy_form=forms.get("strategy_form") or StrategyForm(plan=plan, prefix="strategy"),
            goal_form=forms.get("goal_form") or GoalForm(plan=plan, prefix="goal"),
            serve_form=forms.get("serve_form") or ServeSchoolForm(plan=plan, prefix="serve"),
            position_form=forms.get("position_form") or PositionForm(plan=plan, prefix="position"),
            line_form=forms.get("line_form") or LineForm(plan=plan, prefix="line"),
        )
    if context["can_edit_allocation"]:
        context["allocation_form"] = forms.get("allocation_form") or AllocationForm(
            instance=plan, prefix="allocation"
        )
    context["position_rows"] = [(p, contents.position_costs[p.pk]) for p in contents.positions]
    context.update(status_context(request, plan, board_form=forms.get("board_form")))
    return context


def status_context(
    request: HttpRequest, plan: Plan, *, board_form: BoardApprovalForm | None = None
) -> dict[str, Any]:
    """The status panel: where the plan is, what it waits for, what this person may do."""
    access = access_for(request.user)
    amendments = list(plan.amendments.all())
    amendment = next((a for a in amendments if a.status in AMENDMENT_UNDECIDED), None)
    versions = list(plan.versions.only("number", "status", "created_at"))
    return {
        "status_name": STATUS_NAMES[plan.status],
        "waits_for": WAITS_FOR[plan.status],
        "actions": actions_for(plan, request.user, amendment),
        "board_approvals": list(plan.board_approvals.all()),
        "payments": list(plan.payments.all()),
        "versions": versions,
        "amendments": amendments,
        "current_amendment": amendment,
        # What the reviewer asked for, while the district revises.
        "to_revise": plan_review(plan).to_revise if plan.status == RETURNED else [],
        "can_record_board": Role.DISTRICT_LEADER in access.roles_in(plan.district.code)
        and plan.status in (EDITABLE - {AMENDING}),
        "board_form": board_form or BoardApprovalForm(prefix="board"),
        "can_see_letter": any(v.status in APPROVED_STATES for v in versions),
        # Last year's annual review decides whether this year's funding continues.
        "previous_review": AnnualReview.objects.filter(
            plan__district_id=plan.district_id, plan__fiscal_year=plan.fiscal_year - 1
        )
        .select_related("plan")
        .first(),
    }


@require_GET
def plan_detail(request: HttpRequest, code: str, fiscal_year: int) -> HttpResponse:
    plan = plan_for_user(request.user, code, fiscal_year)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        rows = [
            [s.title, s.get_focus_area_display(), s.get_evidence_level_display(), s.owner,
             g.description, g.get_measure_display(), g.ngas_cell, g.student_group,
             "" if g.baseline is None else f"{g.baseline:f}", g.baseline_year, f"{g.target:f}",
             g.unit]
            for s in plan_contents(plan).strategies for g in s.goals.all()
        ]  # fmt: skip
        header = GOALS_HEADER
        return table_download(f"alliance-plan-{code}-fy{fiscal_year}-goals", header, rows, fmt)
    return render(request, "plans/plan.html", _plan_context(request, plan))


@require_GET
def plan_budget(request: HttpRequest, code: str, fiscal_year: int) -> HttpResponse:
    plan = plan_for_user(request.user, code, fiscal_year)
    if request.GET.get("format") == "csv":
        return _budget_csv(plan)
    return render(request, "plans/budget.html", _plan_context(request, plan))


def _budget_csv(plan: Plan) -> HttpResponse:
    budget = plan_contents(plan).budget
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"alliance-plan-{plan.district.code}-fy{plan.fiscal_year}-budget.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(["breakdown", "code", "name", "amount"])
    for title, rows in (
        ("funding_area", budget.by_funding_area),
        ("strategy", budget.by_strategy),
        ("school", budget.by_school),
        ("object_code", budget.by_object_code),
    ):
        for row in rows:
            writer.writerow([title, row.key, row.label, f"{row.amount:.2f}"])
    writer.writerow(["total", "", "Budget", f"{budget.total:.2f}"])
    writer.writerow(["total", "", "Allocation", f"{budget.allocation:.2f}"])
    writer.writerow(["total", "", "Difference", f"{budget.difference:.2f}"])
    return response


def _after_write(
    request: HttpRequest, plan: Plan, page: str, *, status: int = 200, **forms: Any
) -> HttpResponse:
    """htmx gets the page's editing region again; a plain form post is redirected (or re-rendered
    with its messages)."""
    template = "plans/plan.html" if page == "plan" else "plans/budget.html"
    if status == 200 and not _is_htmx(request):
        return redirect(
            "plan_detail" if page == "plan" else "plan_budget",
            code=plan.district.code,
            fiscal_year=plan.fiscal_year,
        )
    if not _is_htmx(request):
        return render(request, template, _plan_context(request, plan, **forms), status=status)
    response = render(
        request, template + "#editor", _plan_context(request, plan, **forms), status=status
    )
    # A row's own form targets its row; a saved row refreshes the whole region and its totals.
    return reswap(retarget(response, "#editor"), "outerHTML")


def _create(
    request: HttpRequest,
    code: str,
    fiscal_year: int,
    *,
    form_class: Any,
    prefix: str,
    save: Callable[[Plan, User | None, dict[str, Any]], object],
    page: str,
) -> HttpResponse:
    """Add something to a plan from its form: saved, or the form again with every message (422)."""
    plan = plan_for_user(request.user, code, fiscal_year, edit=True)
    form = form_class(request.POST, plan=plan, prefix=prefix)
    if form.is_valid():
        try:
            save(plan, _user(request), dict(form.cleaned_data))
            return _after_write(request, plan, page)
        except PlanError as exc:
            form_errors(form, exc)
    return _after_write(request, plan, page, status=422, **{f"{prefix}_form": form})


@require_POST
def strategy_create(request: HttpRequest, code: str, fiscal_year: int) -> HttpResponse:
    return _create(
        request, code, fiscal_year, form_class=StrategyForm, prefix="strategy", page="plan",
        save=lambda plan, user, data: strategy_add(plan=plan, user=user, **data),
    )  # fmt: skip


@require_POST
def goal_create(request: HttpRequest, code: str, fiscal_year: int) -> HttpResponse:
    return _create(
        request, code, fiscal_year, form_class=GoalForm, prefix="goal", page="plan",
        save=lambda plan, user, data: goal_add(strategy=data.pop("strategy"), user=user, **data),
    )  # fmt: skip


@require_POST
def school_serve(request: HttpRequest, code: str, fiscal_year: int) -> HttpResponse:
    return _create(
        request, code, fiscal_year, form_class=ServeSchoolForm, prefix="serve", page="plan",
        save=lambda plan, user, data: strategy_school_set(user=user, **data),
    )  # fmt: skip


@require_POST
def row_create(request: HttpRequest, code: str, fiscal_year: int, kind: str) -> HttpResponse:
    if kind == "positions":
        add: Callable[..., object] = position_add
    elif kind == "lines":
        add = line_add
    else:
        raise Http404("No such list.")
    return _create(
        request, code, fiscal_year, form_class=ROWS[kind].form, prefix=kind.removesuffix("s"),
        page="budget", save=lambda plan, user, data: add(plan=plan, user=user, **data),
    )  # fmt: skip


def _row(
    request: HttpRequest, code: str, fiscal_year: int, kind: str, pk: int
) -> tuple[Plan, RowKind, Any]:
    if kind not in ROWS:
        raise Http404("No such list.")
    plan = plan_for_user(request.user, code, fiscal_year, edit=True)
    row = ROWS[kind]
    obj = row.model._default_manager.filter(**{row.plan_path: plan}, pk=pk).first()
    if obj is None:
        raise Http404("That row was deleted.")
    return plan, row, obj


@require_http_methods(["GET", "POST"])
def row_edit(request: HttpRequest, code: str, fiscal_year: int, kind: str, pk: int) -> HttpResponse:
    """GET: the row as a form. POST: save it, unless someone saved it first (409, both shown)."""
    plan, row, obj = _row(request, code, fiscal_year, kind, pk)
    prefix = f"{kind}-{pk}"
    context = {"obj": obj, "kind": kind, "plan": plan, "block": row.block, "page": row.page}
    if request.method == "GET":
        form = row.form(instance=obj, plan=plan, prefix=prefix)
        return render(
            request, "plans/_row_form.html", {**context, "form": form, "version": obj.version}
        )
    expected = int(request.POST.get("version", "0") or 0)
    form = row.form(
        request.POST, instance=row.model._default_manager.get(pk=pk), plan=plan, prefix=prefix
    )
    if not form.is_valid():
        return render(
            request,
            "plans/_row_form.html",
            {**context, "form": form, "version": expected},
            status=422,
        )
    changes = {name: form.cleaned_data[name] for name in form.changed_data}
    try:
        if changes:
            row_update(
                obj=obj, plan=plan, user=_user(request), expected_version=expected, changes=changes
            )
    except Conflict as conflict:
        current = conflict.current
        conflict_context = {
            **context,
            "conflict": conflict,
            "form": form,
            "obj": current,
            "fields": _conflict_fields(form, current, changes),
        }
        return render(request, "plans/_conflict.html", conflict_context, status=409)
    except PlanError as exc:
        form_errors(form, exc)
        return render(
            request,
            "plans/_row_form.html",
            {**context, "form": form, "version": expected},
            status=422,
        )
    return _after_write(request, plan, row.page)


def _conflict_fields(
    form: BaseForm, current: Any, changes: dict[str, Any]
) -> list[tuple[Any, Any, Any]]:
    """What the person changed that someone else saved first: (label, theirs, mine)."""
    return [(form.fields[n].label, getattr(current, n), form.cleaned_data[n]) for n in changes]


@require_POST
def row_remove(
    request: HttpRequest, code: str, fiscal_year: int, kind: str, pk: int
) -> HttpResponse:
    plan, row, obj = _row(request, code, fiscal_year, kind, pk)
    try:
        version = int(request.POST.get("version", "0") or 0)
        row_delete(obj=obj, plan=plan, expected_version=version, user=_user(request))
    except Conflict:
        return HttpResponse(
            "Someone changed this row since you opened it; reload to see it.", status=409
        )
    except PlanError as exc:
        return HttpResponse(str(exc), status=409)
    return _after_write(request, plan, row.page)


@require_POST
def allocation_edit(request: HttpRequest, code: str, fiscal_year: int) -> HttpResponse:
    plan = plan_for_user(request.user, code, fiscal_year)
    if not access_for(request.user).state_roles & ALLOCATION_EDITORS:
        raise PermissionDenied("Only state fiscal staff and state admins set allocations.")
    form = AllocationForm(request.POST, instance=Plan.objects.get(pk=plan.pk), prefix="allocation")
    if form.is_valid():
        changes = {n: form.cleaned_data[n] for n in form.changed_data}
        try:
            if changes:
                row_update(
                    obj=plan,
                    plan=plan,
                    user=_user(request),
                    expected_version=plan.version,
                    changes=changes,
                )
            return redirect("plan_budget", code=code, fiscal_year=fiscal_year)
        except (PlanError, Conflict) as exc:
            form.add_error(None, str(exc))
    return render(
        request, "plans/budget.html", _plan_context(request, plan, allocation_form=form), status=422
    )


@require_GET
def plan_history(request: HttpRequest, code: str, fiscal_year: int) -> HttpResponse:
    """Every change to the plan, newest first; filter by kind of row, action and person; CSV."""
    plan = plan_for_user(request.user, code, fiscal_year)
    entries = AuditEntry.objects.filter(district_code=code, fiscal_year=fiscal_year)
    kinds = sorted(set(entries.values_list("object_type", flat=True)))
    people = sorted(set(entries.values_list("user_label", flat=True)))
    actions = sorted(set(entries.values_list("action", flat=True)))
    chosen = {k: request.GET.get(k, "") for k in ("object_type", "action", "user_label")}
    for field, value in chosen.items():
        if value:
            entries = entries.filter(**{field: value})
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        name = f"alliance-plan-{code}-fy{fiscal_year}-history.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        writer = csv.writer(response)
        writer.writerow(
            [
                "at",
                "user",
                "action",
                "object_type",
                "object_id",
                "object",
                "field",
                "before",
                "after",
            ]
        )
        for e in entries.iterator():
            for field, (before, after) in (e.changes or {"": [None, None]}).items():
                writer.writerow(
                    [
                        e.at.isoformat(),
                        e.user_label,
                        e.action,
                        e.object_type,
                        e.object_id,
                        e.object_label,
                        field,
                        before or "",
                        after or "",
                    ]
                )
        return response
    page = list(entries[:500])
    context = {
        "plan": plan,
        "district": plan.district,
        "entries": page,
        "kinds": kinds,
        "people": people,
        "chosen": chosen,
        "actions": actions,
        "truncated": len(page) == 500,
        "can_edit": can_edit(request.user, code),
    }
    return render(request, "plans/history.html", context)


@require_POST
def plan_transition_view(
    request: HttpRequest, code: str, fiscal_year: int, action: str
) -> HttpResponse:
    plan = plan_for_user(request.user, code, fiscal_year)
    user = _user(request)
    assert user is not None
    try:
        plan = plan_transition(
            plan_id=plan.pk, action=action, user=user, note=request.POST.get("note", "")
        )
    except PlanError as exc:
        for texts in exc.fields.values():
            for text in texts:
                messages.error(request, text)
    else:
        messages.success(request, f"The plan is now {STATUS_NAMES[plan.status].lower()}.")
    # Back to the page the action was taken on (the plan, its review or an amendment).
    back = request.POST.get("next", "")
    if back.startswith(
        f"/districts/{code}/plans/{fiscal_year}/"
    ) and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("plan_detail", code=code, fiscal_year=fiscal_year)


@require_POST
def board_approval_view(request: HttpRequest, code: str, fiscal_year: int) -> HttpResponse:
    plan = plan_for_user(request.user, code, fiscal_year, edit=True)
    user = _user(request)
    assert user is not None
    form = BoardApprovalForm(request.POST, prefix="board")
    if form.is_valid():
        try:
            board_approval_record(plan=plan, user=user, **form.cleaned_data)
            messages.success(request, "The Board's approval is recorded.")
            return redirect("plan_detail", code=code, fiscal_year=fiscal_year)
        except PlanError as exc:
            form_errors(form, exc)
    context = _plan_context(request, plan)
    context["board_form"] = form
    return render(request, "plans/plan.html", context, status=422)


@require_GET
def plan_version(request: HttpRequest, code: str, fiscal_year: int, number: int) -> HttpResponse:
    """A frozen version exactly as it was submitted or approved; ?format=json downloads it."""
    plan = plan_for_user(request.user, code, fiscal_year)
    version = plan.versions.select_related("created_by").filter(number=number).first()
    if version is None:
        raise Http404("No such version.")
    if request.GET.get("format") == "json":
        return _version_json(code, fiscal_year, version)
    context = {
        "plan": plan,
        "district": plan.district,
        "version": version,
        "document": version.document,
        "can_edit": False,
        "versions": list(plan.versions.only("number", "status", "created_at")),
    }
    return render(request, "plans/version.html", context)


def _version_json(code: str, fiscal_year: int, version: PlanVersion) -> JsonResponse:
    """A frozen version's document, downloaded as JSON (docs/plan-export.md)."""
    response = JsonResponse(version.document, json_dumps_params={"indent": 2})
    name = f"alliance-plan-{code}-fy{fiscal_year}-v{version.number}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def approval_letter(request: HttpRequest, code: str, fiscal_year: int) -> HttpResponse:
    """The printable record of the Commissioner's approval, with the payment schedule."""
    plan = plan_for_user(request.user, code, fiscal_year)
    approval = (
        AuditEntry.objects.filter(
            object_type="plan", object_id=plan.pk, action__in=APPROVAL_ACTIONS
        )
        .order_by("-at", "-id")
        .first()
    )
    if approval is None:
        raise Http404("The plan has not been approved.")
    version = (
        # Frozen in the approval's own transaction, with the moment the action began.
        plan.versions.filter(status__in=APPROVED_STATES, created_at__lte=approval.at)
        .order_by("-number")
        .first()
    )
    payments = [(p.installment, p.month, p.amount, True) for p in plan.payments.all()] or [
        (name, month, amount, False)
        for name, month, amount in payment_schedule(
            plan.allocation, plan.fiscal_year, installments()
        )
    ]
    board = plan.board_approvals.first()
    context = {
        "plan": plan,
        "district": plan.district,
        "approval": approval,
        "conditions": (approval.changes.get("note") or [None, ""])[1],
        "version": version,
        "payments": payments,
        "board": board,
        "contents": plan_contents(plan) if version is None else None,
        "totals": version.document["totals"] if version else None,
    }
    return render(request, "plans/letter.html", context)


@require_GET
def amendment_detail(
    request: HttpRequest, code: str, fiscal_year: int, number: int
) -> HttpResponse:
    """The redline: what the amendment adds, removes and changes, from what to what, and why."""
    plan = plan_for_user(request.user, code, fiscal_year)
    amendment = (
        plan.amendments.select_related("base_version", "result_version", "opened_by", "decided_by")
        .filter(number=number)
        .first()
    )
    if amendment is None:
        raise Http404("No such amendment.")
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        lines = amendment_redline(amendment)
        rows = [[r.kind_name, r.change, r.label, f.label, f.before, f.after]
                for r in lines.rows for f in r.fields]  # fmt: skip
        name = f"alliance-plan-{code}-fy{fiscal_year}-amendment-{number}"
        header = ["row_kind", "change", "row", "field", "before", "after"]
        return table_download(name, header, rows, fmt)
    context = {
        **status_context(request, plan),
        "plan": plan,
        "district": plan.district,
        "amendment": amendment,
        "redline": amendment_redline(amendment),
        "can_edit": can_edit(request.user, code),
    }
    return render(request, "plans/amendment.html", context)


@require_GET
def plan_print(request: HttpRequest, code: str, fiscal_year: int) -> HttpResponse:
    """The whole plan, one section per printed page, with page numbers and no navigation."""
    plan = plan_for_user(request.user, code, fiscal_year)
    contents = plan_contents(plan)
    context = {
        "plan": plan,
        "district": plan.district,
        "contents": contents,
        "budget": contents.budget,
        "position_rows": [(p, contents.position_costs[p.pk]) for p in contents.positions],
        "board": plan.board_approvals.first(),
        "printed": clock.today(),
    }
    return render(request, "plans/print.html", context)


@require_GET
def public_plans(request: HttpRequest) -> HttpResponse:
    """Every approved plan, as approved: open to anyone signed in (public records)."""
    year = request.GET.get("fiscal_year", "")
    name = request.GET.get("q", "").strip()
    records = public_records(fiscal_year=int(year) if year.isdigit() else None, name=name)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        header = ["district_code", "district", "fiscal_year", "version", "status", "approved_on",
                  "budget", "allocation"]  # fmt: skip
        rows = [
            [r.district_code, r.district_name, r.fiscal_year, r.version, r.status,
             clock.local_date(r.approved_at).isoformat(), f"{r.budget:.2f}", f"{r.allocation:.2f}"]
            for r in records
        ]  # fmt: skip
        return table_download("alliance-approved-plans", header, rows, fmt)
    context = {
        "records": records,
        "years": public_years(),
        "chosen": {"fiscal_year": year, "q": name},
    }
    return render(request, "plans/public_list.html", context)


@require_GET
def public_plan(request: HttpRequest, code: str, fiscal_year: int) -> HttpResponse:
    """One plan as approved (?version=N for an earlier approved version; ?format=json)."""
    versions = plan_record(code, fiscal_year)
    wanted = request.GET.get("version", "")
    version = next((v for v in versions if wanted in ("", str(v.number))), None)
    if version is None:
        raise Http404("No approved plan.")
    if request.GET.get("format") == "json":
        return _version_json(code, fiscal_year, version)
    plan = version.plan
    context = {
        "version": version,
        "versions": versions,
        "plan": plan,
        "district": plan.district,
        "document": version.document,
        "is_newest": version.number == versions[0].number,
        "insider": access_for(request.user).can_view_district(code),
    }
    return render(request, "plans/public_plan.html", context)


@require_http_methods(["GET", "POST"])
def plan_contacts(request: HttpRequest, code: str, fiscal_year: int) -> HttpResponse:
    """The plan's contacts and Board presenters; editors add one by POST."""
    plan = plan_for_user(request.user, code, fiscal_year, edit=request.method == "POST")
    form = ContactForm(prefix="contact")
    if request.method == "POST":
        form = ContactForm(request.POST, prefix="contact")
        if form.is_valid():
            try:
                contact = contact_add(plan=plan, user=_user(request), **form.cleaned_data)
            except PlanError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, f"{contact.name} is added.")
                return redirect("plan_contacts", code=code, fiscal_year=fiscal_year)
        return _contacts_page(request, plan, add_form=form, status=422)
    return _contacts_page(request, plan, add_form=form)


@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, code: str, fiscal_year: int, pk: int) -> HttpResponse:
    plan = plan_for_user(request.user, code, fiscal_year, edit=True)
    contact = get_object_or_404(PlanContact, plan=plan, pk=pk)
    if request.method == "GET":
        form = ContactForm(instance=contact, prefix="edit")
        return _contacts_page(request, plan, editing=contact, edit_form=form)
    form = ContactForm(request.POST, instance=PlanContact.objects.get(pk=pk), prefix="edit")
    expected = int(request.POST.get("version", "0") or 0)
    if form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            if changes:
                contact_update(contact=contact, user=_user(request), expected_version=expected,
                               changes=changes)  # fmt: skip
        except Conflict as conflict:
            current = cast(PlanContact, conflict.current)
            return _contacts_page(
                request, plan, editing=current, edit_form=form, conflict=conflict,
                fields=_conflict_fields(form, current, changes), status=409,
            )  # fmt: skip
        except PlanError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"{contact.name} is saved.")
            return redirect("plan_contacts", code=code, fiscal_year=fiscal_year)
    return _contacts_page(
        request, plan, editing=contact, edit_form=form, version=expected, status=422
    )


@require_POST
def contact_remove(request: HttpRequest, code: str, fiscal_year: int, pk: int) -> HttpResponse:
    plan = plan_for_user(request.user, code, fiscal_year, edit=True)
    contact = get_object_or_404(PlanContact, plan=plan, pk=pk)
    try:
        contact_delete(contact=contact, user=_user(request),
                       expected_version=int(request.POST.get("version", "0") or 0))  # fmt: skip
    except Conflict:
        messages.error(request, f"{contact.name} was changed by someone else; nothing was deleted.")
    else:
        messages.success(request, f"{contact.name} is removed.")
    return redirect("plan_contacts", code=code, fiscal_year=fiscal_year)


def _contacts_page(
    request: HttpRequest, plan: Plan, *, add_form: ContactForm | None = None,
    editing: PlanContact | None = None, edit_form: ContactForm | None = None,
    version: int | None = None, status: int = 200, **extra: Any,
) -> HttpResponse:  # fmt: skip
    editable = can_edit(request.user, plan.district.code)
    context = {
        "plan": plan,
        "district": plan.district,
        "contacts": list(plan.contacts.all()),
        "can_edit": editable,
        "add_form": add_form or ContactForm(prefix="contact"),
        "editing": editing,
        "edit_form": edit_form,
        "version": version if version is not None else (editing.version if editing else None),
        **extra,
    }
    return render(request, "plans/contacts.html", context, status=status)
