"""Writes: confirming an identification into a designation cohort."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from alliance.designation.identify import Identification
from alliance.registry.models import CohortKind, Designation, DesignationCohort, District


class CohortExists(ValueError):
    pass


def cohort_confirm(
    *, identification: Identification, first_fiscal_year: int, years: int, basis: str
) -> DesignationCohort:
    """Record the designated districts as a cohort of `years` fiscal years; never overwrite one."""
    last = first_fiscal_year + years - 1
    code = f"alliance-fy{first_fiscal_year}-fy{last}"
    designated = [o.district.code for o in identification.designated]
    districts = dict(District.objects.filter(code__in=designated).values_list("code", "id"))
    params = identification.parameters
    try:
        with transaction.atomic():
            cohort = DesignationCohort.objects.create(
                code=code,
                kind=CohortKind.ALLIANCE,
                name=f"Alliance Districts FY{first_fiscal_year}-FY{last}",
                first_fiscal_year=first_fiscal_year,
                last_fiscal_year=last,
                size=len(designated),
                basis=basis,
                source=(
                    f"Identified in Alliance Grants on the {params.data_year} Accountability "
                    f"Index: the {params.lowest} lowest eligible districts with at least "
                    f"{params.min_enrollment:,} students, plus {len(params.previously_designated)} "
                    "previously designated."
                ),
            )
            Designation.objects.bulk_create(
                [
                    Designation(cohort=cohort, district_id=districts[c])
                    for c in designated
                    if c in districts
                ]
            )
    except IntegrityError as exc:
        raise CohortExists(f"A cohort {code} already exists; it was not changed.") from exc
    return cohort
