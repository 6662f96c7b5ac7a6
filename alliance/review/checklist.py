"""The review checklist's seed and its plan sections (alliance/rules/review.yaml). Pure."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

RULES_FILE = Path(__file__).resolve().parent.parent / "rules" / "review.yaml"


@dataclass(frozen=True)
class Section:
    code: str
    name: str


@dataclass(frozen=True)
class SeedItem:
    code: str
    section: str
    text: str
    source: str


@dataclass(frozen=True)
class Checklist:
    sections: tuple[Section, ...]
    items: tuple[SeedItem, ...]

    def section_name(self, code: str) -> str:
        return next((s.name for s in self.sections if s.code == code), code)


@cache
def checklist_rules(path: Path = RULES_FILE) -> Checklist:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    sections = tuple(Section(str(s["code"]), str(s["name"])) for s in data["sections"])
    known = {s.code for s in sections}
    items = []
    for raw in data["items"]:
        item = SeedItem(str(raw["code"]), str(raw["section"]), str(raw["text"]), str(raw["source"]))
        if item.section not in known:
            raise ValueError(
                f"{path.name}: item {item.code} names an unknown section {item.section}."
            )
        items.append(item)
    codes = [i.code for i in items]
    if len(codes) != len(set(codes)):
        raise ValueError(f"{path.name}: an item code is used twice.")
    return Checklist(sections, tuple(items))
