"""Which budget item an expenditure row is charged to. Pure.

In order: the budget line the file names (L12, P5 or a line's description); for a salary or
benefits code, the one position whose title the description holds (naming none, a line as
below); otherwise the one line with the row's object code (several: the one with the same
description), then the one line of its code family. No single answer leaves the row for the
district to assign.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from alliance.monitoring.expenditures import ExpenditureRow

_REF = re.compile(r"^(?:(?P<kind>[lp])|line|position)\s*-?\s*#?\s*(?P<id>\d+)$", re.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    key: str  # "line:12", "position:5:salary" or "position:5:benefits"
    object_code: str
    label: str

    @property
    def is_line(self) -> bool:
        return self.key.startswith("line:")


def family(code: str) -> str:
    code = code.strip()
    return f"{code[0]}00" if code[:1].isdigit() else code


def match(
    row: ExpenditureRow, candidates: list[Candidate], *, salary_family: str, benefits_family: str
) -> str:
    """The key of the item, or "" when the district must choose."""
    keys = {c.key for c in candidates}
    lines = [c for c in candidates if c.is_line]
    personnel = {salary_family: "salary", benefits_family: "benefits"}.get(family(row.object_code))
    if row.item:
        ref = _REF.match(row.item.strip())
        if ref:
            is_position = (ref["kind"] or "").lower() == "p" or row.item.lower().startswith("pos")
            key = (
                f"position:{ref['id']}:{personnel or 'salary'}"
                if is_position
                else f"line:{ref['id']}"
            )
            return key if key in keys else ""
        named = [c for c in lines if c.label.casefold() == row.item.casefold()]
        return named[0].key if len(named) == 1 else ""
    if personnel:
        text = row.description.casefold()
        held = [
            c for c in candidates
            if c.key.endswith(f":{personnel}") and c.label.casefold() in text
        ]  # fmt: skip
        # The longest title wins ("Coach 12" over "Coach 1"), if it is the only one that long.
        held.sort(key=lambda c: len(c.label), reverse=True)
        if len(held) == 1 or (len(held) > 1 and len(held[0].label) > len(held[1].label)):
            return held[0].key
        if held:
            return ""
        # No position named: a line with a salary code (stipends, say) may still be meant.
    same = [c for c in lines if c.object_code == row.object_code.strip()]
    if len(same) > 1:
        same = [c for c in same if c.label.casefold() == row.description.casefold()]
    if len(same) == 1:
        return same[0].key
    if not same:
        kin = [c for c in lines if family(c.object_code) == family(row.object_code)]
        if len(kin) == 1:
            return kin[0].key
    return ""
