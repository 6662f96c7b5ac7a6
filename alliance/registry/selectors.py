"""Reads of the registry that pages share. Each returns with a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery

from alliance.lib import clock
from alliance.lib.fiscal import FiscalYear, fiscal_year_of
from alliance.registry.models import (
    AllianceAllocation,
    CohortKind,
    Designation,
    DesignationCohort,
    District,
    DistrictType,
    Enrollment,
)


def current_fiscal_year() -> FiscalYear:
    return fiscal_year_of(clock.today())


def alliance_cohort_for(fiscal_year: FiscalYear) -> DesignationCohort | None:
    """The Alliance designation in force in a fiscal year, if the data has one."""
    return (
        DesignationCohort.objects.filter(
            kind=CohortKind.ALLIANCE,
            first_fiscal_year__lte=fiscal_year.year,
            last_fiscal_year__gte=fiscal_year.year,
        )
        .order_by("-first_fiscal_year")
        .first()
    )


class AllianceStatus:
    CURRENT = "current"
    FORMER = "former"
    NEVER = "never"
    CHOICES = (
        (CURRENT, "Current Alliance District"),
        (FORMER, "Former Alliance District"),
        (NEVER, "Never designated"),
    )


SORT_FIELDS = {
    "name": "name",
    "code": "code",
    "type": "district_type",
    "enrollment": "latest_enrollment",
    "allocation": "current_allocation",
}


@dataclass(frozen=True)
class DirectoryFilters:
    district_type: str = ""
    alliance_status: str = ""
    search: str = ""
    sort: str = "name"
    descending: bool = False


def district_directory(
    *, filters: DirectoryFilters, fiscal_year: FiscalYear, cohort: DesignationCohort | None
) -> QuerySet[District]:
    """Every district with what the directory shows, in one query."""
    latest = Enrollment.objects.filter(district=OuterRef("pk")).order_by("-school_year")
    designations = Designation.objects.filter(
        district=OuterRef("pk"), cohort__kind=CohortKind.ALLIANCE
    )
    current_designation = designations.filter(cohort=cohort) if cohort else designations.none()
    districts = District.objects.select_related("town").annotate(
        latest_enrollment=Subquery(latest.values("students")[:1]),
        latest_enrollment_year=Subquery(latest.values("school_year")[:1]),
        ever_alliance=Exists(designations),
        current_alliance=Exists(current_designation),
        opportunity=Exists(
            Designation.objects.filter(district=OuterRef("pk"), cohort__kind=CohortKind.OPPORTUNITY)
        ),
        current_allocation=Subquery(
            AllianceAllocation.objects.filter(
                district=OuterRef("pk"), fiscal_year=fiscal_year.year
            ).values("alliance_amount")[:1]
        ),
    )
    if filters.district_type in DistrictType.values:
        districts = districts.filter(district_type=filters.district_type)
    if filters.alliance_status == AllianceStatus.CURRENT:
        districts = districts.filter(current_alliance=True)
    elif filters.alliance_status == AllianceStatus.FORMER:
        districts = districts.filter(ever_alliance=True, current_alliance=False)
    elif filters.alliance_status == AllianceStatus.NEVER:
        districts = districts.filter(ever_alliance=False)
    if filters.search:
        districts = districts.filter(
            Q(name__icontains=filters.search) | Q(code__startswith=filters.search)
        )
    field = SORT_FIELDS.get(filters.sort, "name")
    # Blank enrollments and allocations sort last either way, on SQLite and PostgreSQL alike.
    key = F(field).desc(nulls_last=True) if filters.descending else F(field).asc(nulls_last=True)
    return districts.order_by(key, "name")


def district_profile(*, code: str) -> District | None:
    """A district with everything its profile page shows, in a fixed number of queries."""
    return (
        District.objects.select_related("town")
        .prefetch_related(
            "schools",
            Prefetch("enrollments", queryset=Enrollment.objects.order_by("school_year")),
            Prefetch("allocations", queryset=AllianceAllocation.objects.order_by("fiscal_year")),
            Prefetch(
                "designations",
                queryset=Designation.objects.select_related("cohort"),
            ),
        )
        .filter(code=code)
        .first()
    )


@dataclass(frozen=True)
class CohortRow:
    district: District
    opportunity: bool
    amounts: list[Decimal | None]  # one per fiscal year of the cohort


@dataclass(frozen=True)
class CohortTable:
    cohort: DesignationCohort
    fiscal_years: list[FiscalYear]
    rows: list[CohortRow]
    totals: list[Decimal]


def alliance_cohort_table(*, cohort: DesignationCohort) -> CohortTable:
    """The cohort's districts with their Alliance allocation in each of its fiscal years."""
    years = [FiscalYear(y) for y in range(cohort.first_fiscal_year, cohort.last_fiscal_year + 1)]
    districts = (
        District.objects.filter(designations__cohort=cohort)
        .annotate(
            opportunity=Exists(
                Designation.objects.filter(
                    district=OuterRef("pk"), cohort__kind=CohortKind.OPPORTUNITY
                )
            )
        )
        .prefetch_related(
            Prefetch(
                "allocations",
                queryset=AllianceAllocation.objects.filter(
                    fiscal_year__gte=cohort.first_fiscal_year,
                    fiscal_year__lte=cohort.last_fiscal_year,
                ),
            )
        )
        .order_by("name")
    )
    rows = []
    totals = [Decimal("0.00") for _ in years]
    for district in districts:
        by_year = {a.fiscal_year: a.alliance_amount for a in district.allocations.all()}
        amounts = [by_year.get(fy.year) for fy in years]
        for i, amount in enumerate(amounts):
            if amount is not None:
                totals[i] += amount
        rows.append(CohortRow(district, bool(getattr(district, "opportunity", False)), amounts))
    return CohortTable(cohort=cohort, fiscal_years=years, rows=rows, totals=totals)
