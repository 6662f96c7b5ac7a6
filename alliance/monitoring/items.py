"""How a budget item is named across monitoring: "line:12" for a budget line, "position:5:salary"
and "position:5:benefits" for a position's two parts. Spend-down rows, matching, assignment forms
and stored expenditures all use these keys. Pure."""

from __future__ import annotations

LINE = "line"
PARTS = ("salary", "benefits")


def item_key(kind: str, line_id: int | None, position_id: int | None) -> str:
    """The key of an expenditure's item from its stored fields ("" when it has none yet)."""
    if not kind:
        return ""
    return f"{LINE}:{line_id}" if kind == LINE else f"position:{position_id}:{kind}"


def parse_item_key(key: str) -> tuple[str, int | None, int | None]:
    """(kind, line id, position id): the inverse of item_key."""
    if not key:
        return "", None, None
    parts = key.split(":")
    if parts[0] == LINE:
        return LINE, int(parts[1]), None
    return parts[2], None, int(parts[1])
