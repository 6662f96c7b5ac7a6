from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from alliance.accounts.access import access_for
from alliance.registry.models import District
from alliance.registry.selectors import (
    alliance_cohort_for,
    alliance_cohort_table,
    current_fiscal_year,
)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    if not access.is_state and len(access.district_codes) == 1:
        (code,) = access.district_codes
        return redirect("district_detail", code=code)
    fiscal_year = current_fiscal_year()
    cohort = alliance_cohort_for(fiscal_year) if access.is_state else None
    context = {
        "fiscal_year": fiscal_year,
        "cohort_table": alliance_cohort_table(cohort=cohort) if cohort else None,
        "my_districts": District.objects.filter(code__in=access.district_codes).order_by("name"),
    }
    return render(request, "web/home.html", context)


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
