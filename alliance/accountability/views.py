from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from alliance.accountability.models import AccountabilityResult
from alliance.accountability.rules import load_rules
from alliance.accountability.selectors import (
    cell_rows,
    imported_years,
    results_for_district,
    results_for_school,
)
from alliance.accounts.access import access_for
from alliance.designation.identify import TYPE_NAMES
from alliance.designation.path import Headroom, PathToExit, headroom_sorted
from alliance.designation.selectors import district_results, identification_for_year
from alliance.registry.access import district_for_user, school_for_user
from alliance.registry.models import Designation, DistrictType
from alliance.registry.selectors import alliance_cohort_for, current_fiscal_year
from alliance.reports.tables import FORMATS, table_download


def _pick_year(
    request: HttpRequest, results: list[AccountabilityResult]
) -> AccountabilityResult | None:
    wanted = request.GET.get("year")
    for result in results:
        if wanted in (None, "", result.year.school_year):
            return result
    raise Http404("No results for that school year.")


def _trend(results: list[AccountabilityResult]) -> dict[str, Any]:
    ordered = sorted(results, key=lambda r: r.year.school_year)
    return {
        "type": "line",
        "label": "Accountability Index",
        "money": False,
        "labels": [r.year.school_year for r in ordered if r.index is not None],
        "values": [f"{r.index:.1f}" for r in ordered if r.index is not None],
    }


def _gaps(result: AccountabilityResult) -> list[dict[str, Any]]:
    rules = load_rules().for_school_year(result.year.school_year)
    gaps = []
    for subject, label in zip(
        rules.achievement_gap_subjects, ("ELA", "Math", "Science"), strict=True
    ):
        high_needs = result.inputs.get(subject.high_needs)
        others = result.inputs.get(subject.non_high_needs)
        hurdle = result.inputs.get(subject.hurdle)
        gap = None
        if high_needs is not None and others is not None:
            gap = min(Decimal(others), rules.achievement_gap_cap) - Decimal(high_needs)
        gaps.append(
            {
                "subject": label,
                "gap": gap,
                "hurdle": None if hurdle is None else Decimal(hurdle),
                "flagged": gap is not None and hurdle is not None and gap > Decimal(hurdle),
            }
        )
    return gaps


def _profile(request: HttpRequest, results: list[AccountabilityResult]) -> dict[str, Any]:
    """What every accountability profile shows: the chosen year's indicators, gaps and trend."""
    result = _pick_year(request, results) if results else None
    context: dict[str, Any] = {"results": results, "result": result, "trend": _trend(results)}
    if result is not None:
        context.update(cells=cell_rows(result), gaps=_gaps(result))
    return context


CELLS_HEADER = [
    "school_year", "code", "indicator", "group", "rate", "points", "possible", "published_points",
]  # fmt: skip


def _cells_download(name: str, context: dict[str, Any], fmt: str) -> HttpResponse:
    """The profile's indicator table, for the year shown, as CSV or XLSX."""
    result = context["result"]
    if result is None:
        raise Http404("No accountability results yet.")

    def text(value: Decimal | None) -> str:
        return "" if value is None else f"{value:f}"

    rows = [
        [result.year.school_year, c.cell.key, c.cell.name, c.cell.group, text(c.rate),
         text(c.points), text(c.possible), text(c.published_points)]
        for c in context["cells"]
    ]  # fmt: skip
    return table_download(f"{name}-{result.year.school_year}", CELLS_HEADER, rows, fmt)


@require_GET
def district_accountability(request: HttpRequest, code: str) -> HttpResponse:
    district = district_for_user(request.user, code)
    context = {"district": district, **_profile(request, list(results_for_district(code)))}
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        return _cells_download(f"accountability-{code}", context, fmt)
    result = context["result"]
    if result is not None:
        identification, enrollment_known = identification_for_year(
            school_year=result.year.school_year
        )
        outcome = next((o for o in identification.outcomes if o.district.code == code), None)
        context.update(
            outcome=outcome,
            identification=identification,
            enrollment_known=enrollment_known,
            path=_path_to_exit(district.pk, result, identification.line, context["cells"]),
        )
    return render(request, "accountability/district.html", context)


def _path_to_exit(
    district_id: int, result: AccountabilityResult, line: Decimal | None, cells: list[Any]
) -> dict[str, Any] | None:
    """For a district designated now: the distance to the line, and its headroom by indicator."""
    cohort = alliance_cohort_for(current_fiscal_year())
    if cohort is None or line is None or result.index is None:
        return None
    if not Designation.objects.filter(cohort=cohort, district_id=district_id).exists():
        return None
    path = PathToExit(index=result.index, line=line, possible=result.total_possible)
    headroom = headroom_sorted(
        [
            Headroom(c.cell.key, c.cell.name, c.cell.group, c.points, c.possible)
            for c in cells
            if c.points is not None and c.possible is not None
        ]
    )
    return {"path": path, "headroom": headroom, "cohort": cohort}


@require_GET
def school_accountability(request: HttpRequest, code: str) -> HttpResponse:
    school = school_for_user(request.user, code)
    context = {"school": school, **_profile(request, list(results_for_school(code)))}
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        return _cells_download(f"accountability-school-{code}", context, fmt)
    return render(request, "accountability/school.html", context)


@require_GET
def ranking(request: HttpRequest, school_year: str) -> HttpResponse:
    if school_year not in imported_years():
        raise Http404("That school year has not been imported.")
    district_type = request.GET.get("type", "")
    identification, enrollment_known = identification_for_year(school_year=school_year)
    outcomes = {o.district.code: o for o in identification.outcomes}
    cohort = alliance_cohort_for(current_fiscal_year())
    alliance_codes = (
        set(Designation.objects.filter(cohort=cohort).values_list("district__code", flat=True))
        if cohort
        else set()
    )
    results = district_results(school_year).select_related("district").order_by("index", "name")
    results = results.exclude(total_possible=0)
    if district_type in DistrictType.values:
        results = results.filter(district_code__endswith=district_type)
    rows = [
        {
            "result": r,
            "outcome": outcomes.get(r.district_code),
            "type": TYPE_NAMES.get(r.district_code[-2:], ""),
            "alliance": r.district_code in alliance_codes,
        }
        for r in results
    ]
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        name = f"accountability-{school_year}"
        return table_download(name, RANKING_HEADER, _ranking_table(school_year, rows), fmt)
    access = access_for(request.user)
    return render(
        request,
        "accountability/ranking.html",
        {
            "school_year": school_year,
            "years": imported_years(),
            "rows": rows,
            "district_type": district_type,
            "type_choices": DistrictType.choices,
            "identification": identification,
            "enrollment_known": enrollment_known,
            "cohort": cohort,
            "visible_codes": None if access.is_state else access.district_codes,
        },
    )


RANKING_HEADER = [
    "school_year", "district_code", "district_name", "org_type", "accountability_index",
    "published_index", "total_points", "total_possible_points", "eligible",
    "rank_among_eligible", "achievement_gap_flag", "graduation_gap_flag",
    "current_alliance_district",
]  # fmt: skip


def _ranking_table(school_year: str, rows: list[dict[str, Any]]) -> list[list[object]]:
    table: list[list[object]] = []
    for row in rows:
        r: AccountabilityResult = row["result"]
        outcome = row["outcome"]
        table.append(
            [
                school_year,
                r.district_code,
                r.district_name,
                row["type"],
                "" if r.index is None else f"{r.index:.6f}",
                "" if r.published_index is None else f"{r.published_index:.6f}",
                f"{r.total_points:.6f}",
                f"{r.total_possible:.6f}",
                "yes" if outcome and outcome.eligible else "no",
                outcome.rank if outcome and outcome.rank else "",
                "" if r.achievement_gap_flag is None else r.achievement_gap_flag,
                "" if r.graduation_gap_flag is None else r.graduation_gap_flag,
                "yes" if row["alliance"] else "no",
            ]
        )
    return table
