"""The review pages: a plan's checklist and comment threads beside what was submitted, the
state's review queue, and the checklist that state admins keep."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alliance.accounts.access import access_for
from alliance.accounts.models import User
from alliance.accounts.roles import Role
from alliance.audit.models import AuditEntry
from alliance.lib import clock
from alliance.plans.access import plan_for_user
from alliance.plans.models import Plan
from alliance.plans.services import Conflict, PlanError
from alliance.plans.transitions import (
    AMENDMENT_SUBMITTED,
    APPROVED,
    APPROVED_WITH_CONDITIONS,
    RECOMMENDED,
    STATUS_NAMES,
    SUBMITTED,
    UNDER_REVIEW,
    WAITS_FOR,
)
from alliance.plans.views import status_context
from alliance.reports.tables import FORMATS, table_download
from alliance.review.forms import ChecklistItemForm, CommentForm, DecisionForm
from alliance.review.models import ChecklistItem, Comment, Decision
from alliance.review.selectors import plan_review
from alliance.review.services import (
    COMMENTERS,
    checklist_item_save,
    comment_add,
    review_decide,
)

# What the state works on: the queue shows these unless asked for another status.
WAITING_ON_STATE = (SUBMITTED, UNDER_REVIEW, RECOMMENDED, APPROVED, APPROVED_WITH_CONDITIONS,
                    AMENDMENT_SUBMITTED)  # fmt: skip


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _review_context(request: HttpRequest, plan: Plan) -> dict[str, Any]:
    access = access_for(request.user)
    version = plan.versions.order_by("-number").first()
    return {
        "plan": plan,
        "district": plan.district,
        "review": plan_review(plan),
        "version": version,
        "document": version.document if version else None,
        "can_decide": Role.STATE_REVIEWER in access.state_roles and plan.status == UNDER_REVIEW,
        "can_comment": bool(
            (access.state_roles | access.roles_in(plan.district.code)) & COMMENTERS
        ),
        "decisions": Decision.choices,
        **status_context(request, plan),
    }


@require_GET
def plan_review_page(request: HttpRequest, code: str, fiscal_year: int) -> HttpResponse:
    plan = plan_for_user(request.user, code, fiscal_year)
    return render(request, "review/review.html", _review_context(request, plan))


@require_POST
def review_decide_view(
    request: HttpRequest, code: str, fiscal_year: int, item_id: int
) -> HttpResponse:
    plan = plan_for_user(request.user, code, fiscal_year)
    item = get_object_or_404(ChecklistItem, pk=item_id)
    form = DecisionForm(request.POST, prefix=f"item-{item.pk}")
    raw_version = request.POST.get("version", "")
    if form.is_valid():
        try:
            review_decide(
                plan=plan, item=item, user=_user(request), decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
                expected_version=int(raw_version) if raw_version else None,
            )  # fmt: skip
            messages.success(request, f"Saved your decision on “{item.text}”.")
        except Conflict as conflict:
            current = conflict.current
            messages.error(
                request,
                f"{conflict} “{item.text}” is now "
                f"{current.get_decision_display()}: {current.comment or 'no comment'}.",  # type: ignore[attr-defined]
            )
        except PlanError as exc:
            for texts in exc.fields.values():
                for text in texts:
                    messages.error(request, f"“{item.text}”: {text}")
    else:
        messages.error(request, f"“{item.text}”: choose Approve, Revise or N/A.")
    url = reverse("plan_review", args=[code, fiscal_year])
    return redirect(f"{url}#item-{item.pk}")


@require_POST
def comment_add_view(request: HttpRequest, code: str, fiscal_year: int) -> HttpResponse:
    plan = plan_for_user(request.user, code, fiscal_year)
    form = CommentForm(request.POST)
    parent_id = request.POST.get("parent", "")
    parent = (
        get_object_or_404(Comment, pk=int(parent_id), plan=plan) if parent_id.isdigit() else None
    )
    anchor = "comments"
    if form.is_valid():
        try:
            comment = comment_add(
                plan=plan, user=_user(request), section=form.cleaned_data["section"],
                body=form.cleaned_data["body"], parent=parent,
            )  # fmt: skip
            anchor = f"comment-{comment.pk}"
            messages.success(request, "Your comment is posted.")
        except PlanError as exc:
            for texts in exc.fields.values():
                for text in texts:
                    messages.error(request, text)
    else:
        messages.error(request, "Write the comment before posting it.")
    return redirect(f"{reverse('plan_review', args=[code, fiscal_year])}#{anchor}")


@dataclass(frozen=True)
class QueueRow:
    plan: Plan
    since: dt.datetime
    days: int

    @property
    def status_name(self) -> str:
        return STATUS_NAMES[self.plan.status]

    @property
    def waits_for(self) -> str:
        return WAITS_FOR[self.plan.status]


def _state_only(request: HttpRequest) -> None:
    if not access_for(request.user).is_state:
        raise PermissionDenied("The review queue is for CSDE staff.")


@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    """Every plan by status, oldest wait first: who reviews it and how long it has waited."""
    _state_only(request)
    plans = Plan.objects.select_related("district", "reviewer")
    counts: dict[str, int] = {}
    for status in plans.values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    chosen = {k: request.GET.get(k, "") for k in ("status", "fiscal_year", "reviewer")}
    if chosen["status"] == "all":
        pass
    elif chosen["status"] in STATUS_NAMES:
        plans = plans.filter(status=chosen["status"])
    else:
        plans = plans.filter(status__in=WAITING_ON_STATE)
    if chosen["fiscal_year"].isdigit():
        plans = plans.filter(fiscal_year=int(chosen["fiscal_year"]))
    if chosen["reviewer"] == "none":
        plans = plans.filter(reviewer__isnull=True)
    elif chosen["reviewer"].isdigit():
        plans = plans.filter(reviewer_id=int(chosen["reviewer"]))
    today = clock.today()
    rows = []
    for plan in plans.order_by("status_changed_at", "district__name"):
        since = plan.status_changed_at or plan.created_at
        rows.append(QueueRow(plan, since, (today - clock.local_date(since)).days))
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="alliance-review-queue.csv"'
        writer = csv.writer(response)
        writer.writerow(["district_code", "district", "fiscal_year", "status", "since",
                         "days_waiting", "reviewer", "allocation"])  # fmt: skip
        for row in rows:
            plan = row.plan
            writer.writerow([
                plan.district.code, plan.district.name, plan.fiscal_year, row.status_name,
                clock.local_date(row.since).isoformat(), row.days,
                plan.reviewer.get_full_name() if plan.reviewer else "", f"{plan.allocation:.2f}",
            ])  # fmt: skip
        return response
    reviewers = User.objects.filter(memberships__role=Role.STATE_REVIEWER).distinct()
    context = {
        "rows": rows,
        "counts": [(code, name, counts.get(code, 0)) for code, name in STATUS_NAMES.items()],
        "statuses": list(STATUS_NAMES.items()),
        "years": sorted(set(Plan.objects.values_list("fiscal_year", flat=True)), reverse=True),
        "reviewers": reviewers.order_by("last_name", "first_name"),
        "chosen": chosen,
    }
    return render(request, "review/queue.html", context)


@require_GET
def checklist_page(request: HttpRequest) -> HttpResponse:
    _state_only(request)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        rows = [
            [i.code, i.get_section_display(), i.text, i.source, "yes" if i.active else "no"]
            for i in ChecklistItem.objects.all()
        ]
        header = ["code", "section", "text", "source", "active"]
        return table_download("alliance-review-checklist", header, rows, fmt)
    return _render_checklist(request, ChecklistItemForm(prefix="new"), status=200)


def _render_checklist(
    request: HttpRequest, new_form: ChecklistItemForm, *, status: int, **forms: Any
) -> HttpResponse:
    can_edit = Role.STATE_ADMIN in access_for(request.user).state_roles
    items = list(ChecklistItem.objects.select_related("updated_by"))
    rows = [
        (
            item,
            forms.get(f"item-{item.pk}")
            or ChecklistItemForm(instance=item, prefix=f"item-{item.pk}"),
        )
        for item in items
    ]
    context = {
        "rows": rows,
        "new_form": new_form,
        "can_edit": can_edit,
        "entries": AuditEntry.objects.filter(district_code="", object_type="checklistitem")[:50],
    }
    return render(request, "review/checklist.html", context, status=status)


@require_http_methods(["POST"])
def checklist_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _state_only(request)
    item = get_object_or_404(ChecklistItem, pk=pk) if pk else None  # 0: a new item
    prefix = f"item-{pk}" if item else "new"
    form = ChecklistItemForm(request.POST, instance=item, prefix=prefix)
    if form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            checklist_item_save(
                user=_user(request), data=data, item=item,
                expected_version=int(request.POST.get("version", "0") or 0) if item else None,
            )  # fmt: skip
            messages.success(request, "The checklist is saved.")
            return redirect("review_checklist")
        except Conflict as conflict:
            form.add_error(None, str(conflict))
    if item is None:
        return _render_checklist(request, form, status=422)
    return _render_checklist(request, ChecklistItemForm(prefix="new"), status=422, **{prefix: form})
