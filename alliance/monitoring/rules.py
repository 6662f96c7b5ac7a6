"""Monitoring policy (alliance/rules/monitoring.yaml): meetings, risk and progress thresholds,
the annual review rubric. Pure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

from alliance.lib.fiscal import FiscalYear

RULES_FILE = Path(__file__).resolve().parent.parent / "rules" / "monitoring.yaml"


@dataclass(frozen=True)
class MeetingRule:
    code: str
    name: str
    month: int
    day: int

    def day_in(self, year: FiscalYear) -> dt.date:
        """The meeting's default date in a fiscal year."""
        return year.date_of(self.month, self.day)


@dataclass(frozen=True)
class Threshold:
    code: str
    name: str
    bound: Decimal


@dataclass(frozen=True)
class PortfolioRule:
    high_lapse: frozenset[str]
    high_off_track_share: Decimal
    high_overdue: int
    medium_lapse: frozenset[str]
    medium_off_track: int
    medium_overdue: int

    def level(self, *, lapse: str | None, off_track: int, judged: int, overdue: int) -> str:
        share = Decimal(off_track) / judged if judged else Decimal(0)
        if (
            (lapse in self.high_lapse)
            or (judged and share >= self.high_off_track_share)
            or overdue >= self.high_overdue
        ):
            return "high"
        if (
            lapse in self.medium_lapse
            or off_track >= self.medium_off_track
            or (overdue >= self.medium_overdue)
        ):
            return "medium"
        return "low"


@dataclass(frozen=True)
class MonitoringRules:
    meetings: tuple[MeetingRule, ...]
    risk: tuple[Threshold, ...]  # highest first: the first whose bound the unspent share reaches
    progress: tuple[Threshold, ...]  # best first: the first whose bound the gap stays within
    evidence_max_bytes: int
    evidence_types: frozenset[str]
    criteria: tuple[Threshold, ...]  # bound unused
    score_min: int
    score_max: int
    recommendations: tuple[Threshold, ...]  # highest first, by average score
    portfolio: PortfolioRule

    def risk_for(self, unspent_share: Decimal) -> Threshold:
        return next(t for t in self.risk if unspent_share >= t.bound)

    def progress_for(self, gap: Decimal) -> Threshold:
        return next(t for t in self.progress if gap <= t.bound)

    def recommendation_for(self, average: Decimal) -> Threshold:
        return next(t for t in self.recommendations if average >= t.bound)


@cache
def monitoring_rules(path: Path = RULES_FILE) -> MonitoringRules:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)

    def thresholds(rows: list[dict[str, str]], code: str, bound: str) -> tuple[Threshold, ...]:
        return tuple(Threshold(str(r[code]), str(r["name"]), Decimal(str(r[bound]))) for r in rows)

    review = data["annual_review"]
    return MonitoringRules(
        meetings=tuple(
            MeetingRule(str(m["code"]), str(m["name"]), int(m["month"]), int(m["day"]))
            for m in data["meetings"]
        ),
        risk=thresholds(data["spend_down"]["risk"], "level", "unspent_share_at_least"),
        progress=thresholds(data["progress"]["statuses"], "code", "gap_at_most"),
        evidence_max_bytes=int(data["progress"]["evidence"]["max_bytes"]),
        evidence_types=frozenset(str(t) for t in data["progress"]["evidence"]["types"]),
        criteria=tuple(
            Threshold(str(c["code"]), str(c["name"]), Decimal(0)) for c in review["criteria"]
        ),
        score_min=int(review["scale"]["min"]),
        score_max=int(review["scale"]["max"]),
        recommendations=thresholds(review["recommendations"], "code", "average_at_least"),
        portfolio=PortfolioRule(
            high_lapse=frozenset(data["portfolio"]["high"]["lapse"]),
            high_off_track_share=Decimal(
                str(data["portfolio"]["high"]["off_track_share_at_least"])
            ),
            high_overdue=int(data["portfolio"]["high"]["overdue_at_least"]),
            medium_lapse=frozenset(data["portfolio"]["medium"]["lapse"]),
            medium_off_track=int(data["portfolio"]["medium"]["off_track_at_least"]),
            medium_overdue=int(data["portfolio"]["medium"]["overdue_at_least"]),
        ),
    )
