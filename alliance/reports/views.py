"""Downloads of a plan's Board deck and budget workbook."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from alliance.plans.access import plan_for_user
from alliance.reports.data import board_data
from alliance.reports.deck import board_deck
from alliance.reports.workbook import budget_workbook

PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, kind: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def deck_download(request: HttpRequest, code: str, fiscal_year: int) -> HttpResponse:
    plan = plan_for_user(request.user, code, fiscal_year)
    name = f"alliance-plan-{code}-fy{fiscal_year}-board-presentation.pptx"
    return _download(board_deck(board_data(plan)), PPTX, name)


@require_GET
def workbook_download(request: HttpRequest, code: str, fiscal_year: int) -> HttpResponse:
    plan = plan_for_user(request.user, code, fiscal_year)
    name = f"alliance-plan-{code}-fy{fiscal_year}-budget.xlsx"
    return _download(budget_workbook(board_data(plan)), XLSX, name)
