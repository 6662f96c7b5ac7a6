from __future__ import annotations

import csv
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django_htmx.middleware import HtmxDetails

from alliance.accounts.access import access_for
from alliance.lib.fiscal import FiscalYear
from alliance.monitoring.models import AnnualReview, ReviewStage
from alliance.plans.selectors import plan_banner
from alliance.registry.access import district_for_user
from alliance.registry.models import CohortKind, DesignationCohort, District, DistrictType
from alliance.registry.selectors import (
    SORT_FIELDS,
    AllianceStatus,
    DirectoryFilters,
    alliance_cohort_for,
    current_fiscal_year,
    district_directory,
)
from alliance.reports.tables import FORMATS, table_download


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _filters(request: HttpRequest) -> DirectoryFilters:
    sort = request.GET.get("sort", "name")
    descending = sort.startswith("-")
    sort = sort.lstrip("-")
    return DirectoryFilters(
        district_type=request.GET.get("type", ""),
        alliance_status=request.GET.get("alliance", ""),
        search=request.GET.get("q", "").strip()[:100],
        sort=sort if sort in SORT_FIELDS else "name",
        descending=descending,
    )


@require_GET
def district_list(request: HtmxHttpRequest) -> HttpResponse:
    filters = _filters(request)
    fiscal_year = current_fiscal_year()
    cohort = alliance_cohort_for(fiscal_year)
    districts = district_directory(filters=filters, fiscal_year=fiscal_year, cohort=cohort)
    if request.GET.get("format") == "csv":
        return _directory_csv(districts, fiscal_year)
    access = access_for(request.user)
    context = {
        "districts": districts,
        "filters": filters,
        "fiscal_year": fiscal_year,
        "cohort": cohort,
        "type_choices": DistrictType.choices,
        "status_choices": AllianceStatus.CHOICES,
        "visible_codes": None if access.is_state else access.district_codes,
        "columns": _sort_columns(filters, fiscal_year),
    }
    template = "registry/district_list.html"
    if request.htmx:
        template += "#directory"
    return render(request, template, context)


@dataclass(frozen=True)
class SortColumn:
    key: str
    label: str
    numeric: bool
    aria_sort: str  # "" when the table is not sorted by this column
    next_sort: str  # the ?sort= value a click on the heading asks for


def _sort_columns(filters: DirectoryFilters, fiscal_year: FiscalYear) -> list[SortColumn]:
    columns = [
        ("name", "District", False),
        ("code", "Code", False),
        ("type", "Type", False),
        ("enrollment", "Students", True),
        ("allocation", f"{fiscal_year.label} Alliance allocation", True),
    ]
    result = []
    for key, label, numeric in columns:
        active = filters.sort == key
        aria = ("descending" if filters.descending else "ascending") if active else ""
        next_sort = f"-{key}" if active and not filters.descending else key
        result.append(SortColumn(key, label, numeric, aria, next_sort))
    return result


def _directory_csv(districts: object, fiscal_year: FiscalYear) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="districts.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "district_code",
            "district_name",
            "district_type",
            "town",
            "students",
            "students_school_year",
            "current_alliance_district",
            "opportunity_district_fy2019",
            f"alliance_allocation_fy{fiscal_year.year}",
        ]
    )
    for d in districts:  # type: ignore[attr-defined]
        writer.writerow(
            [
                d.code,
                d.name,
                d.get_district_type_display(),
                d.town.name if d.town else "",
                "" if d.latest_enrollment is None else d.latest_enrollment,
                d.latest_enrollment_year or "",
                "yes" if d.current_alliance else "no",
                "yes" if d.opportunity else "no",
                "" if d.current_allocation is None else f"{d.current_allocation:.2f}",
            ]
        )
    return response


def _district_table(district: District, table: str, fmt: str) -> HttpResponse:
    """One of the district page's tables: allocations (the default), enrollment or schools."""
    code = district.code
    if table == "schools":
        rows: list[list[object]] = [
            [s.code, s.name, s.get_school_type_display(), s.low_grade, s.high_grade,
             s.title_i_type]
            for s in district.schools.all()
        ]  # fmt: skip
        header = ["school_code", "school", "type", "low_grade", "high_grade", "title_i_type"]
        return table_download(f"alliance-schools-{code}", header, rows, fmt)
    if table == "enrollment":
        rows = [[e.school_year, "" if e.students is None else e.students]
                for e in district.enrollments.all()]  # fmt: skip
        return table_download(f"alliance-enrollment-{code}", ["school_year", "students"], rows, fmt)
    rows = [[a.fiscal.label, f"{a.alliance_amount:.2f}", a.source]
            for a in district.allocations.all()]  # fmt: skip
    header = ["fiscal_year", "alliance_allocation", "source"]
    return table_download(f"alliance-allocations-{code}", header, rows, fmt)


@require_GET
def district_detail(request: HttpRequest, code: str) -> HttpResponse:
    district = district_for_user(request.user, code)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        return _district_table(district, request.GET.get("table", "allocations"), fmt)
    cohorts = list(DesignationCohort.objects.all())
    designated = {d.cohort_id for d in district.designations.all()}
    allocations = list(district.allocations.all())
    enrollments = list(district.enrollments.all())
    fiscal_year = current_fiscal_year()
    current = next(
        (c for c in cohorts if c.kind == CohortKind.ALLIANCE and c.covers(fiscal_year.year)), None
    )
    chart = {
        "type": "bar",
        "label": "Alliance allocation",
        "money": True,
        "labels": [a.fiscal.label for a in allocations],
        "values": [str(a.alliance_amount) for a in allocations],
    }
    enrollment_chart = {
        "type": "line",
        "label": "Students",
        "money": False,
        "labels": [e.school_year for e in enrollments if e.students is not None],
        "values": [e.students for e in enrollments if e.students is not None],
    }
    context = {
        "district": district,
        "schools": list(district.schools.all()),
        "enrollments": enrollments,
        "allocations": allocations,
        "history": [(c, c.id in designated) for c in cohorts],
        "current_cohort": current,
        "is_current_alliance": current is not None and current.id in designated,
        "is_opportunity": any(
            c.kind == CohortKind.OPPORTUNITY and c.id in designated for c in cohorts
        ),
        "fiscal_year": fiscal_year,
        "allocation_chart": chart,
        "enrollment_chart": enrollment_chart,
        "roles": sorted(r.label for r in access_for(request.user).roles_in(code)),
        "banner": plan_banner(district.pk),
        "decision": AnnualReview.objects.filter(plan__district=district, stage=ReviewStage.DECIDED)
        .select_related("plan")
        .order_by("-plan__fiscal_year")
        .first(),
    }
    return render(request, "registry/district_detail.html", context)
