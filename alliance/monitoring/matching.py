"""Which budget item an expenditure row is charged to. Pure.

In order: the budget line the file names (L12, P5 or a line's description); for a salary or
benefits code, the one position whose title the description holds (naming none, a line as
below); otherwise the one line with the row's object code (and strategy, if the file names
one; several: the one with the same description), then the one line of its code family. No
single answer leaves the row for the district to assign.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from alliance.monitoring.expenditures import ExpenditureRow
from alliance.monitoring.items import LINE, item_key, parse_item_key

_REF = re.compile(r"^(?:(?P<kind>[lp])|line|position)\s*-?\s*#?\s*(?P<id>\d+)$", re.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    key: str  # "line:12", "position:5:salary" or "position:5:benefits"
    object_code: str
    label: str
    strategy: str = ""  # the title of the strategy it serves

    @property
    def is_line(self) -> bool:
        return parse_item_key(self.key)[0] == LINE


def family(code: str) -> str:
    code = code.strip()
    return f"{code[0]}00" if code[:1].isdigit() else code


class Matcher:
    """The rules above, with the plan's items indexed once for a whole file."""

    def __init__(
        self, candidates: list[Candidate], *, salary_family: str, benefits_family: str
    ) -> None:
        self.keys = {c.key for c in candidates}
        lines = [c for c in candidates if c.is_line]
        self.by_code: dict[str, list[Candidate]] = {}
        self.by_family: dict[str, list[Candidate]] = {}
        self.by_label: dict[str, list[Candidate]] = {}
        for line in lines:
            self.by_code.setdefault(line.object_code, []).append(line)
            self.by_family.setdefault(family(line.object_code), []).append(line)
            self.by_label.setdefault(line.label.casefold(), []).append(line)
        self.personnel = {salary_family: "salary", benefits_family: "benefits"}
        # Position titles, longest first, so "Coach 12" is found before "Coach 1".
        titles: dict[str, dict[str, list[str]]] = {}
        for c in candidates:
            if not c.is_line:
                part = c.key.rsplit(":", 1)[1]
                titles.setdefault(part, {}).setdefault(c.label.casefold(), []).append(c.key)
        self.titles = titles
        self.patterns = {
            part: re.compile("|".join(re.escape(t) for t in sorted(named, key=len, reverse=True)))
            for part, named in titles.items()
            if named
        }

    def __call__(self, row: ExpenditureRow) -> str:
        """The key of the item, or "" when the district must choose."""
        code = row.object_code.strip()
        personnel = self.personnel.get(family(code))
        if row.item:
            return self._named(row.item.strip(), personnel)
        if personnel and personnel in self.patterns:
            found = self.patterns[personnel].search(row.description.casefold())
            if found:
                keys = self.titles[personnel][found.group(0)]
                return keys[0] if len(keys) == 1 else ""
            # No position named: a line with a salary code (stipends, say) may still be meant.
        same = self.by_code.get(code, [])
        if row.strategy:  # the file names the strategy: only its lines
            same = [c for c in same if c.strategy.casefold() == row.strategy.casefold()]
        if len(same) > 1:
            same = [c for c in same if c.label.casefold() == row.description.casefold()]
        if len(same) == 1:
            return same[0].key
        if not same:
            kin = self.by_family.get(family(code), [])
            if row.strategy:
                kin = [c for c in kin if c.strategy.casefold() == row.strategy.casefold()]
            if len(kin) == 1:
                return kin[0].key
        return ""

    def _named(self, item: str, personnel: str | None) -> str:
        ref = _REF.match(item)
        if ref:
            is_position = (ref["kind"] or "").lower() == "p" or item.lower().startswith("pos")
            number = int(ref["id"])
            key = (
                item_key(personnel or "salary", None, number)
                if is_position
                else item_key(LINE, number, None)
            )
            return key if key in self.keys else ""
        named = self.by_label.get(item.casefold(), [])
        return named[0].key if len(named) == 1 else ""


def match(
    row: ExpenditureRow, candidates: list[Candidate], *, salary_family: str, benefits_family: str
) -> str:
    """One row against the plan's items (an import builds one Matcher for all its rows)."""
    return Matcher(candidates, salary_family=salary_family, benefits_family=benefits_family)(row)
