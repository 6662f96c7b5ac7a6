"""Which budget item an expenditure row is charged to. Pure.

In order: the budget line the file names (L12, P5 or a line's description); for a salary or
benefits code, the one position whose title the description holds (naming none, a line as
below); otherwise the one line with the row's object code (and strategy, if the file names
one; several: the one with the same description), then the one line of its code family. No
single answer leaves the row for the district to assign.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
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


@dataclass(frozen=True)
class Resolution:
    """What decides a row's item once its object code, named line and strategy are known."""

    key: str = ""  # the item (or "" to choose), unless the description decides
    titles: str | None = None  # first look in the description for this part's position titles
    labels: Mapping[str, str] | None = None  # lines sharing the code: the description picks one


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
        # Each title's item; "" where two positions share the title, so the district chooses.
        self.title_keys = {
            part: {title: keys[0] if len(keys) == 1 else "" for title, keys in named.items()}
            for part, named in titles.items()
        }
        self.patterns = {
            part: re.compile("|".join(re.escape(t) for t in sorted(named, key=len, reverse=True)))
            for part, named in titles.items()
            if named
        }

    def __call__(self, row: ExpenditureRow) -> str:
        """The key of the item, or "" when the district must choose."""
        return self.key_for(self.resolve(row.object_code, row.item, row.strategy), row.description)

    def resolve(self, code: str, item: str, strategy: str) -> Resolution:
        """All the rules need but the description; rows of one code, line and strategy share it."""
        code = code.strip()
        personnel = self.personnel.get(family(code))
        if item.strip():
            return Resolution(key=self._named(item.strip(), personnel))
        # A salary or benefits row naming no position may still be meant for a line (stipends).
        titles = personnel if personnel and personnel in self.patterns else None
        same = self._for_strategy(self.by_code.get(code, []), strategy)
        if len(same) > 1:  # several lines of the code: the description is one's label, or none
            named: dict[str, list[str]] = {}
            for c in same:
                named.setdefault(c.label.casefold(), []).append(c.key)
            labels = {label: keys[0] if len(keys) == 1 else "" for label, keys in named.items()}
            return Resolution(titles=titles, labels=labels)
        if same:
            return Resolution(key=same[0].key, titles=titles)
        kin = self._for_strategy(self.by_family.get(family(code), []), strategy)
        return Resolution(key=kin[0].key if len(kin) == 1 else "", titles=titles)

    def key_for(self, resolution: Resolution, description: str) -> str:
        if resolution.titles:
            found = self.patterns[resolution.titles].search(description.casefold())
            if found:
                return self.title_keys[resolution.titles][found.group(0)]
        if resolution.labels is not None:
            return resolution.labels.get(description.casefold(), "")
        return resolution.key

    @staticmethod
    def _for_strategy(lines: list[Candidate], strategy: str) -> list[Candidate]:
        if not strategy:
            return lines
        return [c for c in lines if c.strategy.casefold() == strategy.casefold()]

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
