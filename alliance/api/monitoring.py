"""Spending: the spend-down and forecast as of a date, the expenditures, and the import a finance
system can call each night; and the state's portfolio."""

# No `from __future__ import annotations` here: @paginate builds its parameters from the
# function's annotations, which it cannot read as strings.
import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.params.functions import File as file_param

from alliance.accounts.access import access_for
from alliance.accounts.models import User
from alliance.api import schemas
from alliance.api.registry import fiscal_year_param
from alliance.lib import clock
from alliance.lib.datafile import DataFileError
from alliance.monitoring.expenditures import (
    ExpenditureFileError,
    guess_mapping,
    table_rows,
)
from alliance.monitoring.forecast import Row
from alliance.monitoring.forms import UploadForm
from alliance.monitoring.items import parse_item_key
from alliance.monitoring.models import Expenditure
from alliance.monitoring.portfolio import portfolio as portfolio_rows
from alliance.monitoring.selectors import default_as_of, plan_spending
from alliance.monitoring.services import (
    candidates,
    expenditure_add,
    expenditure_assign,
    expenditure_import,
)
from alliance.plans.access import plan_for_user
from alliance.plans.export import money

router = Router(tags=["Spending"])


def _row(r: Row) -> dict[str, str]:
    return {
        "key": r.key, "name": r.label, "budget": money(r.budget), "spent": money(r.spent),
        "remaining": money(r.remaining), "forecast": money(r.forecast),
        "unspent": money(r.unspent), "risk": r.risk.code, "risk_name": r.risk.name,
    }  # fmt: skip


@router.get(
    "/plans/{code}/{fiscal_year}/spending",
    response={200: schemas.Spending, 404: schemas.Problem},
    summary="Spend-down and forecast",
    description="Budget, spent, remaining and the June 30 forecast per budget item, funding area "
    "and strategy, as of a date (default: today, or the year's last day once it is over), so the "
    "forecast a meeting saw can be replayed.",
)
def spending(
    request: HttpRequest, code: str, fiscal_year: int, as_of: dt.date | None = None
) -> dict[str, Any]:
    plan = plan_for_user(request.user, code, fiscal_year)
    data = plan_spending(plan, as_of or default_as_of(plan, clock.today()))
    result = data.result
    return {
        "district_code": code, "fiscal_year": fiscal_year, "as_of": result.as_of,
        "year_share": f"{result.year_share:.4f}", "total": _row(result.total),
        "by_funding_area": [_row(r) for r in result.by_funding_area],
        "by_strategy": [_row(r) for r in result.by_strategy],
        "items": [_row(r) for r in result.items],
        "unmatched_count": data.unmatched_count, "unmatched_total": money(data.unmatched_total),
    }  # fmt: skip


class ExpenditurePage(LimitOffsetPagination):
    """limit (at most 1,000) and offset; the answer gives the items and the count of all."""


@router.get(
    "/plans/{code}/{fiscal_year}/expenditures",
    response=list[schemas.ExpenditureOut],
    summary="Expenditures",
    description="Oldest first. unmatched=true: only the rows still to assign to a budget item.",
)
@paginate(ExpenditurePage)
def expenditures(
    request: HttpRequest,
    code: str,
    fiscal_year: int,
    unmatched: bool = False,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[Expenditure]:
    plan = plan_for_user(request.user, code, fiscal_year)
    rows = Expenditure.objects.filter(plan=plan).select_related("source").order_by("day", "pk")
    if unmatched:
        rows = rows.filter(kind="")
    if since:
        rows = rows.filter(day__gte=since)
    if until:
        rows = rows.filter(day__lte=until)
    return rows


@router.get(
    "/plans/{code}/{fiscal_year}/items",
    response={200: list[schemas.BudgetItem], 404: schemas.Problem},
    summary="Budget items",
    description="The plan's lines and its positions' salary and benefits: what an expenditure "
    "can be charged to.",
)
def items(request: HttpRequest, code: str, fiscal_year: int) -> list[dict[str, str]]:
    plan = plan_for_user(request.user, code, fiscal_year)
    return [
        {"key": c.key, "kind": parse_item_key(c.key)[0], "name": c.label,
         "object_code": c.object_code, "strategy": c.strategy}
        for c in candidates(plan)
    ]  # fmt: skip


@router.post(
    "/plans/{code}/{fiscal_year}/expenditures",
    response={201: schemas.ExpenditureOut, **schemas.WRITE_PROBLEMS},
    summary="Enter an expenditure",
    description="Charged to the item named, or matched to one as a file's row would be (else "
    "left to assign). For the district's editors and leaders, once the plan is approved.",
)
def expenditure_enter(
    request: HttpRequest, code: str, fiscal_year: int, body: schemas.ExpenditureIn
) -> Status[Expenditure]:
    plan = plan_for_user(request.user, code, fiscal_year, edit=True)
    assert isinstance(request.user, User)
    entered = expenditure_add(
        plan=plan, user=request.user, day=body.day, object_code=body.object_code.strip(),
        description=body.description.strip(), vendor=body.vendor.strip(), amount=body.amount,
        item=body.charged_to,
    )  # fmt: skip
    return Status(201, entered)


@router.patch(
    "/plans/{code}/{fiscal_year}/expenditures/{int:expenditure_id}",
    response={200: schemas.ExpenditureOut, **schemas.WRITE_PROBLEMS},
    summary="Charge an expenditure to a budget item",
    description="Assign a row left unmatched, or correct a match. For the district's editors "
    "and leaders.",
)
def expenditure_charge(
    request: HttpRequest, code: str, fiscal_year: int, expenditure_id: int,
    body: schemas.Assignment,
) -> Expenditure:  # fmt: skip
    plan = plan_for_user(request.user, code, fiscal_year, edit=True)
    found = Expenditure.objects.filter(plan=plan, pk=expenditure_id).first()
    if found is None:
        raise Http404("No such expenditure in this plan.")
    assert isinstance(request.user, User)
    charged = expenditure_assign(expenditure=found, item=body.charged_to, user=request.user)
    return Expenditure.objects.select_related("source").get(pk=charged.pk)


class Mapping(Schema):
    """Which of the file's columns holds each field, by the column's heading. Leave them all out
    to let the product guess from the headings, as the import page does."""

    date: str | None = None
    object_code: str | None = None
    description: str | None = None
    vendor: str | None = None
    amount: str | None = None
    item: str | None = None
    strategy: str | None = None


def _refused(name: str, errors: list[DataFileError], more: int = 0) -> Status[dict[str, Any]]:
    cells = [
        {"file": e.file, "row": e.row, "column": e.column, "message": e.message} for e in errors
    ]
    detail = f"{name} was refused and nothing was stored: " + "; ".join(str(e) for e in errors[:3])
    return Status(422, {"detail": detail, "cells": cells, "more": more})


THE_FILE = file_param(..., description="The CSV or XLSX file, a header row first.")


@router.post(
    "/plans/{code}/{fiscal_year}/expenditures/imports",
    response={201: schemas.ImportResult, **schemas.WRITE_PROBLEMS, 422: schemas.FileProblem},
    summary="Import a finance export",
    description="A CSV or XLSX file (at most 50 MB) as the finance system exports it, with the "
    "mapping of its columns. Every row is stored or none: a refused file names each bad cell "
    "(422). The same file twice, or a plan not yet approved, is a conflict (409). For the "
    "district's editors and leaders.",
)
def import_expenditures(
    request: HttpRequest,
    code: str,
    fiscal_year: int,
    mapping: Form[Mapping],
    file: UploadedFile = THE_FILE,
) -> Status[dict[str, Any]]:
    plan = plan_for_user(request.user, code, fiscal_year, edit=True)
    form = UploadForm(files={"file": file})
    if not form.is_valid():
        label = file.name or "file"
        return _refused(
            label, [DataFileError(label, None, None, str(e)) for e in form.errors["file"]]
        )
    name, content = file.name or "upload.csv", file.read()
    try:
        header, _ = table_rows(name, content)
    except ExpenditureFileError as exc:
        return _refused(name, exc.errors, exc.more)
    chosen = {k: v for k, v in mapping.dict().items() if v} or guess_mapping(header)
    assert isinstance(request.user, User)
    try:
        summary = expenditure_import(
            plan=plan, name=name, content=content, mapping=chosen, user=request.user
        )
    except ExpenditureFileError as exc:
        return _refused(name, exc.errors, exc.more)
    source = summary.source
    return Status(201, {
        "id": source.pk, "file_name": source.file_name, "rows": source.rows,
        "total": money(source.total), "matched": summary.matched, "unmatched": summary.unmatched,
        "imported_at": source.imported_at, "mapping": source.mapping,
    })  # fmt: skip


@router.get(
    "/portfolio",
    response={200: schemas.Portfolio, 403: schemas.Problem},
    summary="The state's portfolio",
    description="Every Alliance District of the fiscal year: plan status, spending against the "
    "year, forecast lapse, goals on track, overdue action items and a risk level. For CSDE staff.",
    tags=["Portfolio"],
)
def portfolio(
    request: HttpRequest, fiscal_year: int | None = None, as_of: dt.date | None = None
) -> dict[str, Any]:
    if not access_for(request.user).is_state:
        raise PermissionDenied("The portfolio is for CSDE staff.")
    year = fiscal_year_param(fiscal_year)
    day = as_of or year.clamp(clock.today())
    rows, year_share = portfolio_rows(year, day)
    return {
        "fiscal_year": year.year, "as_of": day, "year_share": f"{year_share:.4f}",
        "districts": [_portfolio_row(r) for r in rows],
    }  # fmt: skip


def _portfolio_row(r: Any) -> dict[str, Any]:
    t = r.total
    return {
        "district_code": r.district.code, "district_name": r.district.name,
        "allocation": None if r.allocation is None else money(r.allocation),
        "plan_status": r.plan.status if r.plan else None, "plan_status_name": r.status_name,
        "budget": money(t.budget) if t else None, "spent": money(t.spent) if t else None,
        "spent_share": f"{t.spent_share:.4f}" if t and t.spent_share is not None else None,
        "forecast_unspent": money(t.unspent) if t else None,
        "lapse_risk": t.risk.code if t else None, "goals": r.goals_total,
        "goals_judged": r.goals_judged, "goals_on_track": r.goals_on_track,
        "goals_off_track": r.goals_off_track, "overdue_action_items": r.overdue, "level": r.level,
    }  # fmt: skip
