"""Spending pages: spend-down and forecast as of a date, the import (upload, then the column
mapping), and the rows left to assign to a budget item."""

from __future__ import annotations

import csv
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alliance.accounts.access import access_for
from alliance.accounts.models import User
from alliance.accounts.roles import Role
from alliance.lib import clock
from alliance.lib.fiscal import FiscalYear, fiscal_year_of
from alliance.monitoring.expenditures import ExpenditureFileError, guess_mapping, table_rows
from alliance.monitoring.forms import (
    ActionForm,
    AgendaForm,
    AsOfForm,
    ExpenditureForm,
    MappingForm,
    MeetingRecordForm,
    UploadForm,
)
from alliance.monitoring.items import LINE, parse_item_key
from alliance.monitoring.models import (
    ActionItem,
    ActionStatus,
    AnnualReview,
    Expenditure,
    Meeting,
    PendingUpload,
    ProgressEntry,
    ProgressStatus,
    ReviewStage,
)
from alliance.monitoring.portfolio import LEVEL_NAMES, portfolio
from alliance.monitoring.rules import monitoring_rules
from alliance.monitoring.selectors import (
    default_as_of,
    meeting_dates,
    meeting_view,
    meetings_overview,
    plan_progress,
    plan_spending,
)
from alliance.monitoring.services import (
    MEETING_DISTRICT,
    MEETING_STATE,
    RECORD_KEEPERS,
    SPENDERS,
    SPENDING_STATES,
    action_add,
    action_close,
    agenda_add,
    annual_review_decide,
    annual_review_score,
    candidates,
    expenditure_add,
    expenditure_assign,
    expenditure_import,
    meeting_record,
    meetings_schedule,
    progress_enter,
    progress_override,
)
from alliance.plans.access import can_edit, plan_for_user
from alliance.plans.forms import form_errors
from alliance.plans.models import Goal, Plan
from alliance.plans.services import Conflict, PlanError
from alliance.plans.transitions import APPROVED_STATES
from alliance.reports.tables import FORMATS, table_download


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@require_GET
def spending(request: HttpRequest, code: str, fiscal_year: int) -> HttpResponse:
    plan = plan_for_user(request.user, code, fiscal_year)
    form = AsOfForm(request.GET or None)
    as_of = default_as_of(plan, clock.today())
    if form.is_bound and form.is_valid() and form.cleaned_data["as_of"]:
        as_of = form.cleaned_data["as_of"]
    data = plan_spending(plan, as_of)
    if request.GET.get("format") == "csv":
        return _spending_csv(plan, data.result)
    result = data.result
    curve = data.curve
    chart = {
        "type": "line",
        "money": True,
        "labels": [f"{m:%b %Y}" for m in curve.months],
        "series": [
            {"label": "Budget spent evenly", "values": [str(v) for v in curve.even],
             "color": "#71767a", "dashed": True},
            {"label": "Spent", "values": [None if v is None else str(v) for v in curve.actual],
             "color": "#005ea2"},
            {"label": "Forecast", "values": [None if v is None else str(v) for v in curve.forecast],
             "color": "#c05600", "dashed": True},
        ],
    }  # fmt: skip
    context = {
        "plan": plan,
        "district": plan.district,
        "data": data,
        "result": result,
        "form": AsOfForm(initial={"as_of": as_of}),
        "as_of": as_of,
        "meeting_days": meeting_dates(plan),  # as-of dates: the forecast each meeting saw
        "can_edit": can_edit(request.user, code),
        "can_import": can_edit(request.user, code) and plan.status in SPENDING_STATES,
        "chart": chart,
        # Budget revisions are amendments of the approved plan; budget-only ones go to state fiscal.
        "amendments": list(plan.amendments.select_related("opened_by")),
        "can_revise": can_edit(request.user, code) and plan.status in APPROVED_STATES,
    }
    return render(request, "monitoring/spending.html", context)


def _spending_csv(plan: Plan, result: Any) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"alliance-plan-{plan.district.code}-fy{plan.fiscal_year}-spending-{result.as_of}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(
        ["breakdown", "key", "name", "budget", "spent", "remaining", "forecast", "unspent", "risk"]
    )
    for title, rows in (
        ("item", result.items),
        ("funding_area", result.by_funding_area),
        ("strategy", result.by_strategy),
        ("total", (result.total,)),
    ):
        for r in rows:
            writer.writerow([title, r.key, r.label, f"{r.budget:.2f}", f"{r.spent:.2f}",
                             f"{r.remaining:.2f}", f"{r.forecast:.2f}", f"{r.unspent:.2f}",
                             r.risk.name])  # fmt: skip
    return response


@require_http_methods(["GET", "POST"])
def spending_import(request: HttpRequest, code: str, fiscal_year: int) -> HttpResponse:
    """Step 1: the file. Step 2 (spending_map): which column holds what; then the import."""
    plan = plan_for_user(request.user, code, fiscal_year, edit=True)
    form = UploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"plan": plan, "district": plan.district, "form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            table_rows(upload.name, content)  # the file opens and has a header
        except ExpenditureFileError as exc:
            context["file_errors"] = exc
            return render(request, "monitoring/import.html", context, status=422)
        PendingUpload.objects.filter(plan=plan, uploaded_by=_user(request)).delete()
        pending = PendingUpload.objects.create(
            plan=plan, uploaded_by=_user(request), file_name=upload.name[:255], content=content,
            uploaded_at=clock.now(),
        )  # fmt: skip
        return redirect("spending_map", code=code, fiscal_year=fiscal_year, upload=pending.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "monitoring/import.html", context, status=status)


@require_http_methods(["GET", "POST"])
def spending_map(request: HttpRequest, code: str, fiscal_year: int, upload: int) -> HttpResponse:
    plan = plan_for_user(request.user, code, fiscal_year, edit=True)
    pending = get_object_or_404(PendingUpload, pk=upload, plan=plan, uploaded_by=request.user)
    content = bytes(pending.content)
    header, rows = table_rows(pending.file_name, content)
    preview = [cells for _, cells in zip(range(5), rows, strict=False)]
    if request.method == "POST":
        form = MappingForm(request.POST, header=header)
    else:
        form = MappingForm(initial=guess_mapping(header), header=header)
    context: dict[str, Any] = {
        "plan": plan, "district": plan.district, "form": form, "pending": pending,
        "header": header, "preview": [row for _, row in preview],
    }  # fmt: skip
    if request.method == "POST" and form.is_valid():
        mapping = {k: v for k, v in form.cleaned_data.items() if v}
        try:
            summary = expenditure_import(
                plan=plan, name=pending.file_name, content=content, mapping=mapping,
                user=_user(request),
            )  # fmt: skip
        except ExpenditureFileError as exc:
            context["file_errors"] = exc
            return render(request, "monitoring/map.html", context, status=422)
        except PlanError as exc:
            for texts in exc.fields.values():
                for text in texts:
                    form.add_error(None, text)
            return render(request, "monitoring/map.html", context, status=422)
        pending.delete()
        messages.success(
            request,
            f"Imported {summary.source.rows} rows from {summary.source.file_name}: "
            f"{summary.matched} charged to budget items, {summary.unmatched} to assign.",
        )
        if summary.unmatched:
            return redirect("spending_unmatched", code=code, fiscal_year=fiscal_year)
        return redirect("spending", code=code, fiscal_year=fiscal_year)
    return render(request, "monitoring/map.html", context, status=422 if form.is_bound else 200)


def spending_unmatched(
    request: HttpRequest, code: str, fiscal_year: int, *, form: Any = None, status: int = 200
) -> HttpResponse:
    """The rows left to assign, and the form to enter one by hand."""
    plan = plan_for_user(request.user, code, fiscal_year)
    rows = Expenditure.objects.filter(plan=plan, kind="").select_related("source")
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        table = [
            [e.day.isoformat(), e.object_code, e.description, e.vendor, f"{e.amount:.2f}",
             e.source.file_name if e.source else "entered", e.row or ""]
            for e in rows
        ]  # fmt: skip
        header = ["date", "object_code", "description", "vendor", "amount", "source", "row"]
        name = f"alliance-plan-{code}-fy{fiscal_year}-to-assign"
        return table_download(name, header, table, fmt)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    choices = _choices(plan)
    context = {
        "plan": plan, "district": plan.district, "page": page, "choices": choices,
        "can_edit": can_edit(request.user, code) and plan.status in SPENDING_STATES,
        "form": form or ExpenditureForm(choices=choices, prefix="spend"),
    }  # fmt: skip
    return render(request, "monitoring/unmatched.html", context, status=status)


def _choices(plan: Plan) -> list[tuple[str, str]]:
    return [(c.key, _choice_label(c.key, c.label, c.object_code)) for c in candidates(plan)]


@require_POST
def spending_add(request: HttpRequest, code: str, fiscal_year: int) -> HttpResponse:
    """An expenditure entered by hand (a journal entry, a payment the export missed)."""
    plan = plan_for_user(request.user, code, fiscal_year, edit=True)
    form = ExpenditureForm(request.POST, choices=_choices(plan), prefix="spend")
    if form.is_valid():
        try:
            entered = expenditure_add(plan=plan, user=_user(request), **form.cleaned_data)
            state = "charged" if entered.kind else "left to assign"
            messages.success(request, f"“{entered.description}” is entered and {state}.")
            return redirect("spending_unmatched", code=code, fiscal_year=fiscal_year)
        except PlanError as exc:
            form_errors(form, exc)
    return spending_unmatched(request, code, fiscal_year, form=form, status=422)


def _choice_label(key: str, label: str, object_code: str) -> str:
    kind = parse_item_key(key)[0]
    return f"Line: {label} ({object_code})" if kind == LINE else f"Position: {label} ({kind})"


@require_POST
def spending_assign(request: HttpRequest, code: str, fiscal_year: int, pk: int) -> HttpResponse:
    plan = plan_for_user(request.user, code, fiscal_year, edit=True)
    expenditure = get_object_or_404(Expenditure, pk=pk, plan=plan)
    try:
        expenditure_assign(
            expenditure=expenditure, item=request.POST.get("item", ""), user=_user(request)
        )
        messages.success(request, f"“{expenditure.description}” is charged.")
    except PlanError as exc:
        for texts in exc.fields.values():
            for text in texts:
                messages.error(request, f"“{expenditure.description}”: {text}")
    page = request.POST.get("page", "")
    url = reverse("spending_unmatched", args=[code, fiscal_year])
    return redirect(url + (f"?page={page}" if page.isdigit() else ""))


def _meeting(
    request: HttpRequest, code: str, fiscal_year: int, meeting: str
) -> tuple[Plan, Meeting]:
    plan = plan_for_user(request.user, code, fiscal_year)
    found = Meeting.objects.filter(plan=plan, code=meeting).first()
    if found is None:
        raise Http404("No such meeting.")
    return plan, found


@require_GET
def meetings(request: HttpRequest, code: str, fiscal_year: int) -> HttpResponse:
    plan = plan_for_user(request.user, code, fiscal_year)
    scheduled = meetings_schedule(plan)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        items = ActionItem.objects.filter(plan=plan).select_related("raised_at", "closed_at")
        rows = [
            [i.title, i.owner, i.get_side_display(), i.due.isoformat(),
             i.raised_at.get_code_display(), i.get_status_display(),
             i.closed_at.get_code_display() if i.closed_at else "", i.closing_note]
            for i in items
        ]  # fmt: skip
        header = ["action_item", "owner", "side", "due", "raised_at", "status", "closed_at",
                  "note"]  # fmt: skip
        name = f"alliance-plan-{code}-fy{fiscal_year}-action-items"
        return table_download(name, header, rows, fmt)
    context = {
        "plan": plan, "district": plan.district, "can_edit": can_edit(request.user, code),
        "summaries": meetings_overview(scheduled, clock.today()),
        "action_items": list(
            ActionItem.objects.filter(plan=plan).select_related("raised_at", "closed_at")
        ),
        "today": clock.today(),
    }  # fmt: skip
    return render(request, "monitoring/meetings.html", context)


def _meeting_context(
    request: HttpRequest, plan: Plan, meeting: Meeting, **forms: Any
) -> dict[str, Any]:
    access = access_for(request.user)
    roles = access.state_roles | access.roles_in(plan.district.code)
    view = meeting_view(meeting)
    record_form = forms.get("record_form") or MeetingRecordForm(instance=meeting, prefix="record")
    return {
        "plan": plan, "district": plan.district, "meeting": meeting, "view": view,
        "can_edit": can_edit(request.user, plan.district.code),
        "takes_part": bool(roles & (MEETING_DISTRICT | MEETING_STATE)),
        "keeps_record": bool(roles & RECORD_KEEPERS),
        "record_form": record_form,
        "agenda_form": forms.get("agenda_form") or AgendaForm(plan=plan, prefix="agenda"),
        "action_form": forms.get("action_form") or ActionForm(prefix="action"),
        "statuses": ActionStatus.choices,
        "today": clock.today(),
    }  # fmt: skip


@require_GET
def meeting_detail(request: HttpRequest, code: str, fiscal_year: int, meeting: str) -> HttpResponse:
    plan, found = _meeting(request, code, fiscal_year, meeting)
    return render(request, "monitoring/meeting.html", _meeting_context(request, plan, found))


def _back(meeting: Meeting, anchor: str = "") -> HttpResponse:
    url = reverse(
        "meeting_detail", args=[meeting.plan.district.code, meeting.plan.fiscal_year, meeting.code]
    )
    return redirect(url + (f"#{anchor}" if anchor else ""))


@require_POST
def meeting_record_view(
    request: HttpRequest, code: str, fiscal_year: int, meeting: str
) -> HttpResponse:
    plan, found = _meeting(request, code, fiscal_year, meeting)
    form = MeetingRecordForm(
        request.POST, instance=Meeting.objects.get(pk=found.pk), prefix="record"
    )
    if form.is_valid():
        changes = {n: form.cleaned_data[n] for n in form.changed_data}
        try:
            if changes:
                meeting_record(
                    meeting=found, user=_user(request), changes=changes,
                    expected_version=int(request.POST.get("version", "0") or 0),
                )  # fmt: skip
            messages.success(request, "The meeting's record is saved.")
            return _back(found, "record")
        except Conflict as conflict:
            form.add_error(None, str(conflict))
    context = _meeting_context(request, plan, found, record_form=form)
    return render(request, "monitoring/meeting.html", context, status=422)


@require_POST
def agenda_add_view(
    request: HttpRequest, code: str, fiscal_year: int, meeting: str
) -> HttpResponse:
    plan, found = _meeting(request, code, fiscal_year, meeting)
    form = AgendaForm(request.POST, plan=plan, prefix="agenda")
    if form.is_valid():
        try:
            agenda_add(meeting=found, user=_user(request), **form.cleaned_data)
            return _back(found, "agenda")
        except PlanError as exc:
            form_errors(form, exc)
    context = _meeting_context(request, plan, found, agenda_form=form)
    return render(request, "monitoring/meeting.html", context, status=422)


@require_POST
def action_add_view(
    request: HttpRequest, code: str, fiscal_year: int, meeting: str
) -> HttpResponse:
    plan, found = _meeting(request, code, fiscal_year, meeting)
    form = ActionForm(request.POST, prefix="action")
    if form.is_valid():
        try:
            action_add(meeting=found, user=_user(request), **form.cleaned_data)
            return _back(found, "actions")
        except PlanError as exc:
            form_errors(form, exc)
    context = _meeting_context(request, plan, found, action_form=form)
    return render(request, "monitoring/meeting.html", context, status=422)


@require_POST
def action_close_view(
    request: HttpRequest, code: str, fiscal_year: int, meeting: str, pk: int
) -> HttpResponse:
    plan, found = _meeting(request, code, fiscal_year, meeting)
    item = get_object_or_404(ActionItem, pk=pk, plan=plan)
    try:
        action_close(
            item=item, user=_user(request), status=request.POST.get("status", ""),
            note=request.POST.get("note", ""), meeting=found,
            expected_version=int(request.POST.get("version", "0") or 0),
        )  # fmt: skip
        messages.success(request, f"“{item.title}” is saved.")
    except (PlanError, Conflict) as exc:
        messages.error(request, f"“{item.title}”: {exc}")
    return _back(found, "actions")


@require_GET
def progress(request: HttpRequest, code: str, fiscal_year: int) -> HttpResponse:
    plan = plan_for_user(request.user, code, fiscal_year)
    scheduled = meetings_schedule(plan)
    access = access_for(request.user)
    goals = plan_progress(plan, scheduled)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        rows = [
            [g.goal.description, c.meeting.get_code_display(), c.meeting.day.isoformat(),
             "" if g.goal.baseline is None else f"{g.goal.baseline:f}", f"{g.goal.target:f}",
             "" if c.entry is None else f"{c.entry.value:f}",
             "" if c.judgement is None else f"{c.judgement.expected:.4f}",
             c.status_name if c.entry else "", c.entry.override_reason if c.entry else ""]
            for g in goals for c in g.cells
        ]  # fmt: skip
        header = ["goal", "meeting", "date", "baseline", "target", "reported", "path",
                  "status", "reviewer_reason"]  # fmt: skip
        return table_download(f"alliance-plan-{code}-fy{fiscal_year}-progress", header, rows, fmt)
    context = {
        "plan": plan, "district": plan.district, "goals": goals,
        "charts": [(f"progress-{g.goal.pk}", g.chart) for g in goals],
        "can_edit": can_edit(request.user, code),
        "can_report": bool(access.roles_in(code) & SPENDERS) and bool(scheduled),
        "can_judge": Role.STATE_REVIEWER in access.state_roles,
        "statuses": ProgressStatus.choices,
    }  # fmt: skip
    return render(request, "monitoring/progress.html", context)


@require_POST
def progress_enter_view(
    request: HttpRequest, code: str, fiscal_year: int, goal: int, meeting: str
) -> HttpResponse:
    plan, found = _meeting(request, code, fiscal_year, meeting)
    target = get_object_or_404(Goal, pk=goal, strategy__plan=plan)
    raw_version = request.POST.get("version", "")
    try:
        value = Decimal(request.POST.get("value", "").replace(",", "").strip())
        if not value.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        messages.error(request, f"“{target.description}”, {found.get_code_display()}: the value "
                                "must be a number.")  # fmt: skip
    else:
        try:
            progress_enter(
                goal=target, meeting=found, user=_user(request), value=value,
                note=request.POST.get("note", ""), evidence=request.FILES.get("evidence"),
                expected_version=int(raw_version) if raw_version else None,
            )  # fmt: skip
            messages.success(request, f"Progress on “{target.description}” is saved.")
        except (PlanError, Conflict) as exc:
            text = "; ".join(t for ts in exc.fields.values() for t in ts) if isinstance(
                exc, PlanError) else str(exc)  # fmt: skip
            messages.error(request, f"“{target.description}”: {text}")
    return redirect(reverse("progress", args=[code, fiscal_year]) + f"#goal-{target.pk}")


@require_POST
def progress_override_view(
    request: HttpRequest, code: str, fiscal_year: int, pk: int
) -> HttpResponse:
    plan = plan_for_user(request.user, code, fiscal_year)
    entry = get_object_or_404(ProgressEntry.objects.select_related("goal", "meeting__plan"), pk=pk,
                              meeting__plan=plan)  # fmt: skip
    try:
        progress_override(
            entry=entry, user=_user(request), status=request.POST.get("status", ""),
            reason=request.POST.get("reason", ""),
            expected_version=int(request.POST.get("version", "0") or 0),
        )  # fmt: skip
        messages.success(request, f"Your judgement of “{entry.goal.description}” is saved.")
    except PlanError as exc:
        for texts in exc.fields.values():
            for text in texts:
                messages.error(request, f"“{entry.goal.description}”: {text}")
    except Conflict as exc:
        messages.error(request, f"“{entry.goal.description}”: {exc}")
    return redirect(reverse("progress", args=[code, fiscal_year]) + f"#goal-{entry.goal_id}")


@require_GET
def evidence_file(request: HttpRequest, code: str, fiscal_year: int, pk: int) -> FileResponse:
    """An evidence file, to those who may see the plan, as a download (never rendered inline)."""
    plan = plan_for_user(request.user, code, fiscal_year)
    entry = get_object_or_404(ProgressEntry, pk=pk, meeting__plan=plan)
    if not entry.evidence:
        raise Http404("No evidence file.")
    name = entry.evidence.name.rsplit("/", 1)[-1]
    return FileResponse(entry.evidence.open("rb"), as_attachment=True, filename=name)


@require_GET
def annual_review(request: HttpRequest, code: str, fiscal_year: int) -> HttpResponse:
    plan = plan_for_user(request.user, code, fiscal_year)
    return render(request, "monitoring/annual_review.html", _review_context(request, plan))


def _review_context(request: HttpRequest, plan: Plan, **extra: Any) -> dict[str, Any]:
    access = access_for(request.user)
    review = (
        AnnualReview.objects.filter(plan=plan).select_related("scored_by", "decided_by").first()
    )
    as_of = default_as_of(plan, clock.today())
    scheduled = meetings_schedule(plan)
    goals = plan_progress(plan, scheduled)
    latest = [next((c for c in reversed(g.cells) if c.entry), None) for g in goals]
    statuses: dict[str, int] = {}
    for cell in latest:
        name = cell.status_name if cell else "Not reported"
        statuses[name] = statuses.get(name, 0) + 1
    items = list(ActionItem.objects.filter(plan=plan).values_list("status", flat=True))
    rules = monitoring_rules()
    return {
        "plan": plan, "district": plan.district, "review": review, "rules": rules,
        "spending": plan_spending(plan, as_of), "as_of": as_of,
        "goal_statuses": sorted(statuses.items()), "items_total": len(items),
        "items_closed": sum(1 for s in items if s != ActionStatus.OPEN),
        "can_score": Role.STATE_REVIEWER in access.state_roles
        and (review is None or review.stage != ReviewStage.DECIDED),
        "can_decide": Role.COMMISSIONER in access.state_roles
        and review is not None and review.stage == ReviewStage.SCORED,
        "scores": [
            (c, (review.scores.get(c.code) if review else None) or {}) for c in rules.criteria
        ],
        "scale": range(rules.score_min, rules.score_max + 1),
        "can_edit": can_edit(request.user, plan.district.code),
        **extra,
    }  # fmt: skip


@require_POST
def annual_review_score_view(request: HttpRequest, code: str, fiscal_year: int) -> HttpResponse:
    plan = plan_for_user(request.user, code, fiscal_year)
    scores = {}
    for criterion in monitoring_rules().criteria:
        raw = request.POST.get(f"score-{criterion.code}", "")
        scores[criterion.code] = (
            int(raw) if raw.isdigit() else 0,
            request.POST.get(f"comment-{criterion.code}", ""),
        )
    raw_version = request.POST.get("version", "")
    try:
        annual_review_score(
            plan=plan, user=_user(request), scores=scores,
            expected_version=int(raw_version) if raw_version else None,
        )  # fmt: skip
    except PlanError as exc:
        errors = [t for ts in exc.fields.values() for t in ts]
        return render(
            request, "monitoring/annual_review.html",
            _review_context(request, plan, errors=errors, posted=request.POST), status=422,
        )  # fmt: skip
    except Conflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The annual review is scored.")
    return redirect("annual_review", code=code, fiscal_year=fiscal_year)


@require_POST
def annual_review_decide_view(request: HttpRequest, code: str, fiscal_year: int) -> HttpResponse:
    plan = plan_for_user(request.user, code, fiscal_year)
    review = get_object_or_404(AnnualReview, plan=plan)
    try:
        annual_review_decide(
            review=review, user=_user(request), decision=request.POST.get("decision", ""),
            note=request.POST.get("note", ""),
            expected_version=int(request.POST.get("version", "0") or 0),
        )  # fmt: skip
        messages.success(request, "The decision is recorded.")
    except PlanError as exc:
        for texts in exc.fields.values():
            for text in texts:
                messages.error(request, text)
    except Conflict as exc:
        messages.error(request, str(exc))
    return redirect("annual_review", code=code, fiscal_year=fiscal_year)


PORTFOLIO_HEADER = [
    "district_code", "district", "allocation", "plan_status", "budget", "spent", "spent_share",
    "year_share", "forecast_unspent", "lapse_risk", "goals", "goals_judged", "goals_on_track",
    "goals_off_track", "overdue_action_items", "risk_level",
]  # fmt: skip
SORTS = {
    "district": lambda r: r.district.name,
    "status": lambda r: r.status_name,
    "spent": lambda r: r.total.spent_share or 0 if r.total else -1,
    "unspent": lambda r: r.total.unspent if r.total else Decimal(-1),
    "goals": lambda r: r.goals_on_track,
    "overdue": lambda r: r.overdue,
    "level": lambda r: ("none", "low", "medium", "high").index(r.level),
}


@require_GET
def portfolio_page(request: HttpRequest) -> HttpResponse:
    """Every Alliance District of a fiscal year: plan status, spending, lapse, goals, action items
    and a risk level; sortable, filterable, CSV."""
    if not access_for(request.user).is_state:
        raise PermissionDenied("The portfolio is for CSDE staff.")
    today = clock.today()
    raw_year = request.GET.get("fiscal_year", "")
    year = FiscalYear(int(raw_year)) if raw_year.isdigit() and 2013 <= int(raw_year) <= 2100 else (
        fiscal_year_of(today)
    )  # fmt: skip
    form = AsOfForm(request.GET or None)
    as_of = year.clamp(today)
    if form.is_bound and form.is_valid() and form.cleaned_data["as_of"]:
        as_of = form.cleaned_data["as_of"]
    rows, year_share = portfolio(year, as_of)
    level = request.GET.get("level", "")
    if level in LEVEL_NAMES:
        rows = [r for r in rows if r.level == level]
    sort = request.GET.get("sort", "level")
    key = SORTS.get(sort.lstrip("-"), SORTS["level"])
    # The riskiest first by default; "-" reverses any column.
    descending = sort.lstrip("-") == "level"
    rows.sort(key=key, reverse=descending != sort.startswith("-"))
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        table = []
        for r in rows:
            t = r.total
            table.append([
                r.district.code, r.district.name,
                "" if r.allocation is None else f"{r.allocation:.2f}", r.status_name,
                f"{t.budget:.2f}" if t else "", f"{t.spent:.2f}" if t else "",
                f"{t.spent_share:.4f}" if t and t.spent_share is not None else "",
                f"{year_share:.4f}", f"{t.unspent:.2f}" if t else "", t.risk.name if t else "",
                r.goals_total, r.goals_judged, r.goals_on_track, r.goals_off_track, r.overdue,
                r.level_name,
            ])  # fmt: skip
        name = f"alliance-portfolio-fy{year.year}-{as_of}"
        return table_download(name, PORTFOLIO_HEADER, table, fmt)
    context = {
        "rows": rows, "year": year, "as_of": as_of, "year_share": year_share,
        "form": AsOfForm(initial={"as_of": as_of}), "levels": LEVEL_NAMES, "level": level,
        "sort": sort, "years": range(fiscal_year_of(today).year + 1, 2012, -1),
        "counts": {name: sum(1 for r in rows if r.level == code)
                   for code, name in LEVEL_NAMES.items()},
    }  # fmt: skip
    return render(request, "monitoring/portfolio.html", context)
