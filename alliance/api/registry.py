"""Who am I, and the districts I may see."""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from alliance.accountability.selectors import cell_rows, results_for_district
from alliance.accounts.access import access_for
from alliance.api import schemas
from alliance.lib.fiscal import FiscalYear
from alliance.lib.numbers import plain
from alliance.registry.models import District
from alliance.registry.selectors import (
    AllianceStatus,
    DirectoryFilters,
    alliance_cohort_for,
    current_fiscal_year,
    district_directory,
)

router = Router(tags=["Districts"])


@router.get("/me", response=schemas.Me, summary="The person the request acts for")
def me(request: HttpRequest) -> dict[str, object]:
    access = access_for(request.user)
    user = request.user
    return {
        "username": user.get_username(),
        "name": user.get_full_name() if hasattr(user, "get_full_name") else "",
        "state_roles": sorted(r.value for r in access.state_roles),
        "districts": [
            {"code": code, "roles": sorted(r.value for r in roles)}
            for code, roles in sorted(access.district_roles.items())
        ],
    }


def fiscal_year_param(year: int | None) -> FiscalYear:
    """A fiscal year (named by its end: FY2025 is July 2024-June 2025), or the current one."""
    if year is None:
        return current_fiscal_year()
    if not 2013 <= year <= 2100:
        raise HttpError(422, f"fiscal_year {year} is outside 2013-2100.")
    return FiscalYear(year)


class DistrictFilters(Schema):
    fiscal_year: int | None = None
    alliance_status: str = ""
    district_type: str = ""
    search: str = ""


def _district(d: District, year: FiscalYear) -> dict[str, object]:
    ever, current = d.ever_alliance, d.current_alliance  # type: ignore[attr-defined]
    status = (
        AllianceStatus.CURRENT
        if current
        else AllianceStatus.FORMER
        if ever
        else AllianceStatus.NEVER
    )
    allocation = d.current_allocation  # type: ignore[attr-defined]
    return {
        "code": d.code, "name": d.name, "town": d.town.name if d.town else None,
        "district_type": d.district_type, "alliance_status": status,
        "opportunity_district": d.opportunity,  # type: ignore[attr-defined]
        "enrollment": d.latest_enrollment,  # type: ignore[attr-defined]
        "enrollment_year": d.latest_enrollment_year,  # type: ignore[attr-defined]
        "fiscal_year": year.year,
        "allocation": None if allocation is None else f"{allocation:.2f}",
    }  # fmt: skip


@router.get(
    "/districts",
    response=list[schemas.District],
    summary="Districts",
    description="Every district for state staff; a district's own people see their districts. "
    "alliance_status is current, former or never; district_type a CSDE type code.",
)
def districts(request: HttpRequest, filters: Query[DistrictFilters]) -> list[dict[str, object]]:
    year = fiscal_year_param(filters.fiscal_year)
    rows = district_directory(
        filters=DirectoryFilters(
            district_type=filters.district_type, alliance_status=filters.alliance_status,
            search=filters.search.strip(),
        ),
        fiscal_year=year, cohort=alliance_cohort_for(year),
    )  # fmt: skip
    access = access_for(request.user)
    if not access.is_state:
        rows = rows.filter(code__in=access.district_codes)
    return [_district(d, year) for d in rows]


@router.get(
    "/districts/{code}",
    response={200: schemas.District, 404: schemas.Problem},
    summary="One district",
)
def district(request: HttpRequest, code: str, fiscal_year: int | None = None) -> object:
    year = fiscal_year_param(fiscal_year)
    found = (
        district_directory(
            filters=DirectoryFilters(), fiscal_year=year, cohort=alliance_cohort_for(year)
        )
        .filter(code=code)
        .first()
    )
    # The same answer for a district the caller may not see as for one that does not exist.
    if found is None or not access_for(request.user).can_view_district(code):
        raise Http404("No such district.")
    return _district(found, year)


class IndicatorResult(Schema):
    key: str = Field(..., description="The NGAS cell, e.g. Ind1ELA_All.")
    indicator: int
    name: str
    group: str
    rate: str | None
    points: str | None = Field(None, description="Recomputed from the rate by the product.")
    possible: str | None
    published_points: str | None = Field(None, description="As CSDE published them.")


class AccountabilityYearResult(Schema):
    school_year: str
    index: str | None = Field(None, description="The Accountability Index, recomputed.")
    published_index: str | None
    total_points: str
    total_possible: str
    achievement_gap_flag: int | None
    graduation_gap_flag: int | None
    indicators: list[IndicatorResult]


def _number(value: Decimal | None) -> str | None:
    return None if value is None else plain(value)


@router.get(
    "/districts/{code}/accountability",
    response={200: list[AccountabilityYearResult], 404: schemas.Problem},
    summary="A district's Next Generation Accountability results",
    description="Every imported school year, newest first: the index and each indicator's rate "
    "and points as the product recomputes them, beside CSDE's published figures.",
    tags=["Accountability"],
)
def district_accountability(request: HttpRequest, code: str) -> list[dict[str, object]]:
    if not access_for(request.user).can_view_district(code):
        raise Http404("No such district.")
    return [
        {
            "school_year": r.year.school_year, "index": _number(r.index),
            "published_index": _number(r.published_index),
            "total_points": plain(r.total_points), "total_possible": plain(r.total_possible),
            "achievement_gap_flag": r.achievement_gap_flag,
            "graduation_gap_flag": r.graduation_gap_flag,
            "indicators": [
                {"key": c.cell.key, "indicator": c.cell.indicator, "name": c.cell.name,
                 "group": c.cell.group, "rate": _number(c.rate), "points": _number(c.points),
                 "possible": _number(c.possible),
                 "published_points": _number(c.published_points)}
                for c in cell_rows(r)
            ],
        }
        for r in results_for_district(code)
    ]  # fmt: skip
