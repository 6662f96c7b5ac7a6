"""The plan vocabulary (alliance/rules/plans.yaml): focus areas, funding areas, object codes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

RULES_FILE = Path(__file__).resolve().parent.parent / "rules" / "plans.yaml"
PAYMENTS_FILE = RULES_FILE.with_name("payments.yaml")


@dataclass(frozen=True)
class Term:
    code: str
    name: str


@dataclass(frozen=True)
class FundingArea(Term):
    from_positions: str | None  # "salary", "benefits" or None for areas of other lines


@dataclass(frozen=True)
class Catalog:
    focus_areas: tuple[Term, ...]
    evidence_levels: tuple[Term, ...]
    staff_categories: tuple[Term, ...]
    funding_areas: tuple[FundingArea, ...]
    object_codes: tuple[Term, ...]
    salary_code: str
    benefits_code: str
    meetings: tuple[Term, ...]

    @property
    def line_areas(self) -> tuple[FundingArea, ...]:
        """The funding areas that other budget lines may use (not the ones positions fill)."""
        return tuple(a for a in self.funding_areas if a.from_positions is None)

    def name_of(self, terms: tuple[Term, ...], code: str) -> str:
        return next((t.name for t in terms if t.code == code), code)

    def family(self, object_code: str) -> str:
        """'322' -> '300': a sub-code rolls up to its family."""
        return f"{object_code[0]}00" if object_code[:1].isdigit() else object_code


def _terms(raw: list[dict[str, str]]) -> tuple[Term, ...]:
    return tuple(Term(str(t["code"]), str(t["name"])) for t in raw)


@cache
def catalog(path: Path = RULES_FILE) -> Catalog:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    areas = tuple(
        FundingArea(str(a["code"]), str(a["name"]), a.get("from_positions"))
        for a in data["funding_areas"]
    )
    staff = _terms(data["staff_categories"])
    salaried = {a.code for a in areas if a.from_positions == "salary"}
    if salaried != {s.code for s in staff}:
        raise ValueError("plans.yaml: every staff category needs a salary funding area of its code")
    return Catalog(
        focus_areas=_terms(data["focus_areas"]),
        evidence_levels=_terms(data["evidence_levels"]),
        staff_categories=staff,
        funding_areas=areas,
        object_codes=_terms(data["object_codes"]["families"]),
        salary_code=str(data["object_codes"]["salary_code"]),
        benefits_code=str(data["object_codes"]["benefits_code"]),
        meetings=_terms(data["monitoring_meetings"]),
    )


@dataclass(frozen=True)
class Installment:
    name: str
    month: int  # 1-12; months from July belong to the fiscal year's first calendar year
    share: Decimal | None  # None: the balance


@cache
def installments(path: Path = PAYMENTS_FILE) -> tuple[Installment, ...]:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return tuple(
        Installment(
            name=str(i["name"]),
            month=int(i["month"]),
            share=None if i["share"] == "balance" else Decimal(str(i["share"])),
        )
        for i in data["installments"]
    )
