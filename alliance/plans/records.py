"""Approved plans as public records: anyone signed in may read a plan as it was approved (DESIGN.md:
"Nobody sees another district's drafts. Approved plans are public records"). What is public is the
frozen approved version, never the working plan: an amendment in progress stays with the district
and the state until it is approved itself."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.fields.json import KT

from alliance.plans.models import PlanVersion
from alliance.plans.transitions import APPROVED_STATES


def approved_versions() -> QuerySet[PlanVersion]:
    """Every approved version, its plan and district at hand."""
    return PlanVersion.objects.filter(status__in=APPROVED_STATES).select_related("plan__district")


@dataclass(frozen=True)
class PublicRecord:
    """A line of the list of approved plans: the newest approved version of one plan."""

    district_code: str
    district_name: str
    fiscal_year: int
    version: int
    status: str
    approved_at: dt.datetime
    budget: Decimal
    allocation: Decimal


def public_records(*, fiscal_year: int | None = None, name: str = "") -> list[PublicRecord]:
    """The newest approved version of every plan that has one, by district and year (the totals
    read from the frozen documents in the query, the documents themselves left behind)."""
    newest = (
        PlanVersion.objects.filter(plan=OuterRef("plan"), status__in=APPROVED_STATES)
        .order_by("-number")
        .values("number")[:1]
    )
    versions = (
        approved_versions()
        .filter(number=Subquery(newest))
        .defer("document")
        .annotate(
            budget=KT("document__totals__budget"), allocation=KT("document__totals__allocation")
        )
        .order_by("plan__district__name", "-plan__fiscal_year")
    )
    if fiscal_year is not None:
        versions = versions.filter(plan__fiscal_year=fiscal_year)
    if name:
        versions = versions.filter(plan__district__name__icontains=name)
    return [
        PublicRecord(
            district_code=v.plan.district.code,
            district_name=v.plan.district.name,
            fiscal_year=v.plan.fiscal_year,
            version=v.number,
            status=v.get_status_display(),
            approved_at=v.created_at,
            budget=Decimal(v.budget),
            allocation=Decimal(v.allocation),
        )
        for v in versions
    ]


def public_years() -> list[int]:
    """The fiscal years that have an approved plan, newest first."""
    years = approved_versions().values_list("plan__fiscal_year", flat=True).distinct()
    return sorted(set(years), reverse=True)


def plan_record(code: str, fiscal_year: int) -> list[PlanVersion]:
    """A plan's approved versions, newest first (empty: nothing of it is public)."""
    return list(
        approved_versions()
        .filter(plan__district__code=code, plan__fiscal_year=fiscal_year)
        .order_by("-number")
    )
