"""CSDE's four-step identification of Alliance Districts, explained for every district. Pure.

1. keep local and regional districts; 2. keep those with at least the minimum enrollment in the
index's data year; 3. rank the kept ones by index, lowest first, and select the N lowest;
4. add every previously designated district that steps 1-3 did not select.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

RULES_FILE = Path(__file__).resolve().parent.parent / "rules" / "identification.yaml"

TYPE_NAMES = {
    "11": "Local",
    "12": "Regional",
    "13": "Charter",
    "14": "RESC",
    "15": "Unified/state agency",
    "16": "Technical high school system",
    "18": "College-affiliated",
    "22": "Endowed academy",
}


@dataclass(frozen=True)
class DistrictInput:
    code: str
    name: str
    index: Decimal | None
    enrollment: int | None  # None: no count (suppressed or absent) for the data year

    @property
    def district_type(self) -> str:
        return self.code[-2:]


@dataclass(frozen=True)
class Parameters:
    data_year: str
    lowest: int
    min_enrollment: int
    district_types: frozenset[str]
    previously_designated: frozenset[str]


@dataclass(frozen=True)
class Outcome:
    district: DistrictInput
    eligible: bool
    rank: int | None  # among eligible districts, 1 = lowest index
    step3_selected: bool
    step4_added: bool
    reason: str

    @property
    def designated(self) -> bool:
        return self.step3_selected or self.step4_added


@dataclass(frozen=True)
class Identification:
    parameters: Parameters
    outcomes: tuple[Outcome, ...]
    eligible_count: int
    cutoff: Decimal | None  # the index of the Nth lowest eligible district
    line: Decimal | None  # the index of the lowest eligible district outside the N lowest

    @property
    def designated(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.designated]


def identify(districts: Iterable[DistrictInput], parameters: Parameters) -> Identification:
    districts = list(districts)
    year = parameters.data_year
    ineligible_reason: dict[str, str] = {}
    for d in districts:
        if d.district_type not in parameters.district_types:
            kept = " and ".join(
                TYPE_NAMES.get(t, t).lower() for t in sorted(parameters.district_types)
            )
            ineligible_reason[d.code] = (
                f"Step 1: {TYPE_NAMES.get(d.district_type, d.district_type)} districts are not "
                f"eligible; only {kept} districts are."
            )
        elif d.enrollment is None:
            ineligible_reason[d.code] = (
                f"Step 2: no {year} enrollment count (missing or suppressed)."
            )
        elif d.enrollment < parameters.min_enrollment:
            ineligible_reason[d.code] = (
                f"Step 2: {year} enrollment {d.enrollment:,} is below "
                f"{parameters.min_enrollment:,}."
            )
        elif d.index is None:
            ineligible_reason[d.code] = f"Step 3: no {year} Accountability Index."
    eligible = sorted(
        (d for d in districts if d.code not in ineligible_reason),
        key=lambda d: (d.index, d.code),
    )
    rank = {d.code: i for i, d in enumerate(eligible, start=1)}
    selected = {d.code for d in eligible[: parameters.lowest]}
    cutoff = eligible[parameters.lowest - 1].index if len(eligible) >= parameters.lowest else None
    line = eligible[parameters.lowest].index if len(eligible) > parameters.lowest else None
    outcomes = []
    for d in sorted(districts, key=lambda d: d.code):
        reasons = []
        if d.code in ineligible_reason:
            reasons.append(ineligible_reason[d.code])
        elif d.code in selected:
            reasons.append(
                f"Step 3: rank {rank[d.code]} of {len(eligible)} eligible districts "
                f"(index {d.index:.2f}), among the {parameters.lowest} lowest."
            )
        else:
            reasons.append(
                f"Step 3: rank {rank[d.code]} of {len(eligible)} eligible districts "
                f"(index {d.index:.2f}); the {parameters.lowest} lowest end at "
                f"{cutoff:.2f}."
            )
        added = d.code in parameters.previously_designated and d.code not in selected
        if added:
            reasons.append("Step 4: added as previously designated, not captured by steps 1-3.")
        outcomes.append(
            Outcome(
                district=d,
                eligible=d.code not in ineligible_reason,
                rank=rank.get(d.code),
                step3_selected=d.code in selected,
                step4_added=added,
                reason=" ".join(reasons),
            )
        )
    return Identification(parameters, tuple(outcomes), len(eligible), cutoff, line)


@cache
def identification_rules(path: Path = RULES_FILE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data
