"""A goal's progress against its target path. Pure.

The path runs in a straight line from the baseline at the start of the fiscal year to the target at
its end. At a meeting, the expected value is the point on the path for the share of the year gone;
the gap is the share of the movement planned so far that is missing:

    gap = (expected - value) / (target - baseline)

which reads the same for goals that go up (a performance index) and down (chronic absenteeism). A
gap at or below zero is ahead of the path. The status comes from the gap's thresholds in
rules/monitoring.yaml. A goal without a baseline has no path and is not judged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from alliance.lib.fiscal import FiscalYear
from alliance.monitoring.rules import MonitoringRules, Threshold


@dataclass(frozen=True)
class Judgement:
    expected: Decimal
    gap: Decimal
    status: Threshold


def judge(
    *, baseline: Decimal | None, target: Decimal, value: Decimal, year: FiscalYear, day: dt.date,
    rules: MonitoringRules,
) -> Judgement | None:  # fmt: skip
    if baseline is None:
        return None
    share = year.share_gone(day)
    expected = baseline + (target - baseline) * share
    planned = target - baseline
    gap = Decimal(0) if planned == 0 else (expected - value) / planned
    if planned == 0 and value != target:
        gap = Decimal(1)  # the goal was to hold its value, and it moved
    return Judgement(expected, gap, rules.progress_for(gap))


_SIGNATURES = {
    "pdf": (b"%PDF",),
    "png": (b"\x89PNG",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "xlsx": (b"PK\x03\x04",),
    "docx": (b"PK\x03\x04",),
}


def evidence_problem(name: str, size: int, head: bytes, rules: MonitoringRules) -> str | None:
    """Why an evidence file is refused (too large, a kind not accepted, or not what its name
    says), or None. `head` is the file's first bytes."""
    kind = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if kind not in rules.evidence_types:
        accepted = ", ".join(sorted(rules.evidence_types))
        return f"{name}: only {accepted} files are accepted as evidence."
    if size > rules.evidence_max_bytes:
        return f"{name} is larger than {rules.evidence_max_bytes // (1024 * 1024)} MB."
    if kind == "csv":
        return None if _is_text(head) else f"{name} is not a text CSV file."
    if not head.startswith(_SIGNATURES[kind]):
        return f"{name} is not a {kind.upper()} file, whatever its name says."
    return None


def _is_text(head: bytes) -> bool:
    # The first bytes may end inside a character: a text file decodes once that is cut off.
    for cut in (0, 1, 2, 3):
        try:
            text = head[: len(head) - cut].decode("utf-8")
        except UnicodeDecodeError:
            continue
        return "\x00" not in text
    return False
