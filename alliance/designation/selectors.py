"""Identification over the database: imported indexes and registry enrollment."""

from __future__ import annotations

from django.db.models import QuerySet

from alliance.accountability.models import AccountabilityResult, Category
from alliance.designation.identify import DistrictInput, Identification, Parameters, identify
from alliance.designation.identify import identification_rules as rules
from alliance.registry.models import Designation, DesignationCohort, Enrollment


def district_results(school_year: str) -> QuerySet[AccountabilityResult]:
    return AccountabilityResult.objects.filter(
        year__school_year=school_year, category=Category.DISTRICT
    )


def identification_for_year(
    *,
    school_year: str,
    lowest: int | None = None,
    min_enrollment: int | None = None,
    previous_cohort: DesignationCohort | None = None,
) -> tuple[Identification, bool]:
    """Run the four steps on an imported year. Returns (result, enrollment_known).

    When the registry has no enrollment for that school year, step 2 cannot run: every local and
    regional district counts as eligible, and the page says so.
    """
    defaults = rules()["defaults"]
    counts = dict(
        Enrollment.objects.filter(school_year=school_year).values_list("district__code", "students")
    )
    enrollment_known = bool(counts)
    rows = district_results(school_year).values_list("district_code", "district_name", "index")
    districts = [
        DistrictInput(
            code=code,
            name=name,
            index=index,
            enrollment=counts.get(code) if enrollment_known else 10**9,
        )
        for code, name, index in rows
    ]
    previous = (
        frozenset(
            Designation.objects.filter(cohort=previous_cohort).values_list(
                "district__code", flat=True
            )
        )
        if previous_cohort
        else frozenset()
    )
    parameters = Parameters(
        data_year=school_year,
        lowest=lowest or defaults["lowest"],
        min_enrollment=defaults["min_enrollment"] if min_enrollment is None else min_enrollment,
        district_types=frozenset(defaults["district_types"]),
        previously_designated=previous,
    )
    return identify(districts, parameters), enrollment_known
