from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from alliance.accountability.selectors import imported_years
from alliance.accounts.access import access_for
from alliance.accounts.roles import Role
from alliance.designation.identify import identification_rules
from alliance.designation.selectors import district_results, identification_for_year
from alliance.designation.services import CohortExists, cohort_confirm
from alliance.registry.models import CohortKind, Designation, DesignationCohort
from alliance.registry.selectors import alliance_cohort_for, current_fiscal_year
from alliance.reports.tables import FORMATS, table_download


def _int(raw: str | None, default: int, *, low: int, high: int) -> int:
    try:
        value = int(raw) if raw else default
    except ValueError:
        return default
    return min(max(value, low), high)


@require_http_methods(["GET", "POST"])
def identify_page(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    if not access.is_state:
        raise Http404("No such page.")
    years = imported_years()
    defaults = identification_rules()["defaults"]
    source = request.POST if request.method == "POST" else request.GET
    year = source.get("year") or (years[0] if years else "")
    lowest = _int(source.get("lowest"), defaults["lowest"], low=1, high=200)
    min_enrollment = _int(
        source.get("min_enrollment"), defaults["min_enrollment"], low=0, high=100000
    )
    cohorts = list(DesignationCohort.objects.filter(kind=CohortKind.ALLIANCE))
    previous_code = source.get("previous") or (cohorts[-1].code if cohorts else "")
    previous = next((c for c in cohorts if c.code == previous_code), None)
    next_first = max((c.last_fiscal_year for c in cohorts), default=current_fiscal_year().year) + 1
    first_fiscal_year = _int(source.get("first_fiscal_year"), next_first, low=2013, high=2100)
    context: dict[str, Any] = {
        "years": years,
        "year": year,
        "lowest": lowest,
        "min_enrollment": min_enrollment,
        "cohorts": cohorts,
        "previous": previous,
        "first_fiscal_year": first_fiscal_year,
        "cohort_years": defaults["cohort_years"],
        "can_confirm": Role.STATE_ADMIN in access.state_roles,
    }
    if year and year in years:
        identification, enrollment_known = identification_for_year(
            school_year=year, lowest=lowest, min_enrollment=min_enrollment, previous_cohort=previous
        )
        if request.method == "POST":
            if Role.STATE_ADMIN not in access.state_roles:
                raise PermissionDenied("Only a state admin confirms a designation.")
            try:
                cohort = cohort_confirm(
                    identification=identification,
                    first_fiscal_year=first_fiscal_year,
                    years=defaults["cohort_years"],
                    basis=(
                        "C.G.S. 10-262u: CSDE's four-step identification, "
                        "confirmed by a state admin."
                    ),
                )
            except CohortExists as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request, f"{cohort.name} recorded: {cohort.designations.count()} districts."
                )
                return redirect("designations")
        context.update(identification=identification, enrollment_known=enrollment_known)
        fmt = request.GET.get("format", "")
        if request.method == "GET" and fmt in FORMATS:
            rows = [
                [o.district.code, o.district.name,
                 "" if o.district.index is None else f"{o.district.index:.6f}",
                 "" if o.district.enrollment is None else o.district.enrollment,
                 "yes" if o.eligible else "no", o.rank or "",
                 "yes" if o.step3_selected else "no", "yes" if o.step4_added else "no",
                 "yes" if o.designated else "no", o.reason]
                for o in identification.outcomes
            ]  # fmt: skip
            header = ["district_code", "district", "accountability_index", "enrollment",
                      "eligible", "rank", "step3_lowest", "step4_carried", "designated",
                      "reason"]  # fmt: skip
            return table_download(f"alliance-identification-{year}", header, rows, fmt)
    return render(request, "designation/identify.html", context)


def designations(request: HttpRequest) -> HttpResponse:
    """The designation lists, and the official Opportunity Districts beside the ten lowest."""
    cohorts = list(
        DesignationCohort.objects.prefetch_related(
            Prefetch(
                "designations",
                queryset=Designation.objects.select_related("district").order_by("district__name"),
            )
        )
    )
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        rows = [
            [c.name, c.get_kind_display(), c.first_fiscal_year, c.last_fiscal_year,
             d.district.code, d.district.name]
            for c in cohorts for d in c.designations.all()
        ]  # fmt: skip
        header = ["cohort", "kind", "first_fiscal_year", "last_fiscal_year", "district_code",
                  "district"]  # fmt: skip
        return table_download("alliance-designations", header, rows, fmt)
    years = imported_years()
    year = request.GET.get("year") or (years[0] if years else "")
    comparison = None
    opportunity = next((c for c in cohorts if c.kind == CohortKind.OPPORTUNITY), None)
    current = alliance_cohort_for(current_fiscal_year())
    if year in years and opportunity and current:
        official = {d.district.code for d in opportunity.designations.all()}
        in_current = {
            d.district.code
            for d in next(c for c in cohorts if c.pk == current.pk).designations.all()
        }
        ranked = list(
            district_results(year)
            .filter(district_code__in=in_current, index__isnull=False)
            .exclude(total_possible=0)
            .order_by("index", "district_code")
            .values("district_code", "district_name", "index")
        )
        lowest = ranked[: len(official)]
        lowest_codes = {r["district_code"] for r in lowest}
        names = {r["district_code"]: r["district_name"] for r in ranked}
        for c in opportunity.designations.all():
            names.setdefault(c.district.code, c.district.name)
        comparison = {
            "official": sorted(names[c] for c in official),
            "lowest": lowest,
            "official_codes": official,
            "only_official": sorted(names[c] for c in official - lowest_codes),
            "only_lowest": sorted(names[c] for c in lowest_codes - official),
        }
    return render(
        request,
        "designation/designations.html",
        {
            "cohorts": cohorts,
            "years": years,
            "year": year,
            "comparison": comparison,
            "current": current,
            "can_identify": access_for(request.user).is_state,
        },
    )
