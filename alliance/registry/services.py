"""Writes to the registry. Reference data arrives only through ``registry_load``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from alliance.registry.ctdata import read_registry
from alliance.registry.models import (
    AllianceAllocation,
    Designation,
    DesignationCohort,
    District,
    Enrollment,
    School,
    Town,
)


@dataclass(frozen=True)
class LoadSummary:
    towns: int
    districts: int
    schools: int
    enrollments: int
    allocations: int
    cohorts: int
    designations: int

    def __str__(self) -> str:
        return (
            f"{self.districts} districts, {self.schools} schools, {self.towns} towns, "
            f"{self.enrollments} enrollment counts, {self.allocations} Alliance allocations, "
            f"{self.cohorts} designation cohorts ({self.designations} designations)"
        )


def registry_load(*, data_dir: Path) -> LoadSummary:
    """Load (or refresh) the registry from a folder of CSDE files; idempotent and all-or-nothing.

    Every file is read and checked before the first write, and the writes share one transaction,
    so a bad cell leaves the database exactly as it was. Rows are upserted by their natural keys;
    nothing is deleted, because later records (plans, memberships) point at districts.
    """
    data = read_registry(data_dir)
    with transaction.atomic():
        Town.objects.bulk_create(
            [Town(code=t.code, name=t.name) for t in data.towns.values()],
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name"],
        )
        District.objects.bulk_create(
            [
                District(
                    code=d.code, name=d.name, district_type=d.district_type, town_id=d.town_code
                )
                for d in data.districts.values()
            ],
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "district_type", "town"],
        )
        district_ids = dict(District.objects.values_list("code", "id"))
        School.objects.bulk_create(
            [
                School(
                    code=s.code,
                    name=s.name,
                    district_id=district_ids[s.district_code],
                    school_type=s.school_type,
                    low_grade=s.low_grade,
                    high_grade=s.high_grade,
                    title_i_type=s.title_i_type,
                )
                for s in data.schools.values()
            ],
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=[
                "name",
                "district",
                "school_type",
                "low_grade",
                "high_grade",
                "title_i_type",
            ],
        )
        Enrollment.objects.bulk_create(
            [
                Enrollment(
                    district_id=district_ids[e.district_code],
                    school_year=e.school_year,
                    students=e.students,
                    suppressed=e.students is None,
                    source=e.source,
                )
                for e in data.enrollments.values()
            ],
            update_conflicts=True,
            unique_fields=["district", "school_year"],
            update_fields=["students", "suppressed", "source"],
        )
        AllianceAllocation.objects.bulk_create(
            [
                AllianceAllocation(
                    district_id=district_ids[a.district_code],
                    fiscal_year=a.fiscal_year,
                    alliance_amount=a.alliance_amount,
                    ecs_entitlement=a.ecs_entitlement,
                    education_diversity_amount=a.education_diversity_amount,
                    non_alliance_amount=a.non_alliance_amount,
                    source=a.source,
                )
                for a in data.allocations.values()
            ],
            update_conflicts=True,
            unique_fields=["district", "fiscal_year"],
            update_fields=[
                "alliance_amount",
                "ecs_entitlement",
                "education_diversity_amount",
                "non_alliance_amount",
                "source",
            ],
        )
        DesignationCohort.objects.bulk_create(
            [
                DesignationCohort(
                    code=c.code,
                    kind=c.kind,
                    name=c.name,
                    first_fiscal_year=c.first_fiscal_year,
                    last_fiscal_year=c.last_fiscal_year,
                    size=c.size,
                    basis=c.basis,
                    source=c.source,
                )
                for c in data.cohorts.values()
            ],
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=[
                "kind",
                "name",
                "first_fiscal_year",
                "last_fiscal_year",
                "size",
                "basis",
                "source",
            ],
        )
        cohort_ids = dict(DesignationCohort.objects.values_list("code", "id"))
        # A cohort's list is replaced whole: it is defined by the file, not edited in the product.
        Designation.objects.filter(cohort_id__in=cohort_ids.values()).delete()
        designations = Designation.objects.bulk_create(
            [
                Designation(cohort_id=cohort_ids[c.code], district_id=district_ids[code])
                for c in data.cohorts.values()
                for code in c.district_codes
            ]
        )
    return LoadSummary(
        towns=len(data.towns),
        districts=len(data.districts),
        schools=len(data.schools),
        enrollments=len(data.enrollments),
        allocations=len(data.allocations),
        cohorts=len(data.cohorts),
        designations=len(designations),
    )
