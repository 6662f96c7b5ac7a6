"""What an amendment changes: two plan documents (export.py's schema) compared row by row.

Rows are matched by id, since an amendment edits the approved plan's own rows. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
KIND_NAMES = {"strategy": "Strategy", "goal": "Goal", "position": "Position", "line": "Budget line"}
BUDGET_KINDS = frozenset({"position", "line"})
LABELS = {
    "title": "Title", "focus_area_name": "Focus area", "description": "Description",
    "owner": "Lead", "evidence_level": "Evidence level", "schools": "Schools served",
    "strategy": "Strategy", "measure": "Measure", "ngas_cell": "NGAS cell",
    "school_code": "School", "student_group": "Student group", "baseline": "Baseline",
    "baseline_year": "Baseline year", "target": "Target", "unit": "Unit",
    "meetings": "Reported at", "staff_category": "Staff category", "fte": "FTE",
    "salary": "Salary", "grant_share": "Grant share", "benefits_rate": "Benefits rate",
    "vacant_until": "Vacant until", "funding_area": "Funding area", "object_code": "Object code",
    "vendor": "Vendor", "amount": "Amount",
}  # fmt: skip
MONEY_FIELDS = frozenset({"salary", "amount"})


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class RowChange:
    kind: str
    change: str  # added, removed or changed
    label: str
    fields: tuple[FieldChange, ...]

    @property
    def kind_name(self) -> str:
        return KIND_NAMES[self.kind]


@dataclass(frozen=True)
class AreaChange:
    name: str
    before: Decimal
    after: Decimal

    @property
    def difference(self) -> Decimal:
        return self.after - self.before


@dataclass(frozen=True)
class Redline:
    rows: tuple[RowChange, ...]
    areas: tuple[AreaChange, ...]  # the funding areas whose totals move
    total_before: Decimal
    total_after: Decimal

    @property
    def empty(self) -> bool:
        return not self.rows

    @property
    def budget_only(self) -> bool:
        """Only positions and lines change: state fiscal staff may approve it."""
        return all(r.kind in BUDGET_KINDS for r in self.rows)


@dataclass(frozen=True)
class StrategyRef:
    """The strategy a row belongs to: the same one when its id is, whatever it is called now."""

    id: int
    title: str = field(compare=False)

    def __str__(self) -> str:
        return self.title


def _text(name: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if name in MONEY_FIELDS:
        return f"${Decimal(value):,.2f}"
    return str(value)


def _rows(document: dict[str, Any]) -> dict[str, dict[int, dict[str, Any]]]:
    """Each kind's rows by id, flattened to the fields a person compares."""
    refs = {s["id"]: StrategyRef(s["id"], s["title"]) for s in document["strategies"]}
    strategies, goals = {}, {}
    for s in document["strategies"]:
        strategies[s["id"]] = {
            "title": s["title"], "focus_area_name": s["focus_area_name"],
            "description": s["description"], "owner": s["owner"],
            "evidence_level": s["evidence_level"],
            "schools": sorted(f"{x['name']} (tier {x['tier']})" for x in s["schools"]),
        }  # fmt: skip
        for g in s["goals"]:
            goals[g["id"]] = {
                "description": g["description"], "strategy": refs[s["id"]],
                **{k: g[k] for k in ("measure", "ngas_cell", "school_code", "student_group",
                                     "baseline", "baseline_year", "target", "unit", "meetings")},
            }  # fmt: skip
    positions = {
        p["id"]: {**{k: v for k, v in p.items() if k not in ("id", "strategy_id")},
                  "strategy": refs.get(p["strategy_id"])}
        for p in document["positions"]
    }  # fmt: skip
    lines = {
        line["id"]: {**{k: v for k, v in line.items() if k not in ("id", "strategy_id")},
                     "strategy": refs.get(line["strategy_id"])}
        for line in document["lines"]
    }  # fmt: skip
    return {"strategy": strategies, "goal": goals, "position": positions, "line": lines}


def _label(kind: str, row: dict[str, Any]) -> str:
    if kind == "line":
        return f"{row['description']} ({row['object_code']})"
    return str(row.get("title") or row.get("description") or "")


def _fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[FieldChange, ...]:
    names = list(dict.fromkeys([*before, *after]))
    changes = []
    for name in names:
        old, new = before.get(name), after.get(name)
        if old != new:
            text = _text(name, old), _text(name, new)
            changes.append(FieldChange(name, LABELS.get(name, name), *text))
    return tuple(changes)


def _areas(before: dict[str, Any], after: dict[str, Any]) -> Iterable[AreaChange]:
    old = {
        r["code"]: (r["name"], Decimal(r["amount"])) for r in before["totals"]["by_funding_area"]
    }
    new = {r["code"]: (r["name"], Decimal(r["amount"])) for r in after["totals"]["by_funding_area"]}
    for code in dict.fromkeys([*old, *new]):
        name = (new.get(code) or old[code])[0]
        was, now = old.get(code, ("", Decimal(0)))[1], new.get(code, ("", Decimal(0)))[1]
        if was != now:
            yield AreaChange(name, was, now)


def redline(before: dict[str, Any], after: dict[str, Any]) -> Redline:
    old_rows, new_rows = _rows(before), _rows(after)
    changes = []
    for kind in KIND_NAMES:
        old, new = old_rows[kind], new_rows[kind]
        for key in sorted(set(old) | set(new)):
            if key not in old:
                changes.append(
                    RowChange(kind, ADDED, _label(kind, new[key]), _fields({}, new[key]))
                )
            elif key not in new:
                changes.append(
                    RowChange(kind, REMOVED, _label(kind, old[key]), _fields(old[key], {}))
                )
            else:
                fields = _fields(old[key], new[key])
                if fields:
                    changes.append(RowChange(kind, CHANGED, _label(kind, new[key]), fields))
    return Redline(
        rows=tuple(changes),
        areas=tuple(_areas(before, after)),
        total_before=Decimal(before["totals"]["budget"]),
        total_after=Decimal(after["totals"]["budget"]),
    )
