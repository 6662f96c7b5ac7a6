"""A goal's status against its target path, worked by hand (FY2025 is 365 days; on February 15,
2025, 230 days have passed)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from alliance.lib.fiscal import FiscalYear
from alliance.monitoring.progress import judge
from alliance.monitoring.rules import monitoring_rules

FY2025 = FiscalYear(2025)
WINTER = dt.date(2025, 2, 15)
D = Decimal


def status(baseline, target, value):
    result = judge(
        baseline=None if baseline is None else D(baseline), target=D(target), value=D(value),
        year=FY2025, day=WINTER, rules=monitoring_rules(),
    )  # fmt: skip
    return (
        None
        if result is None
        else (round(result.expected, 4), round(result.gap, 4), result.status.code)
    )


def test_the_share_of_the_year_at_the_winter_meeting():
    assert FY2025.share_gone(WINTER) == D(230) / D(365)


def test_a_goal_going_up():
    # From 52 to 60: 8 points planned, 230/365 of them (5.0411) by February 15: expected 57.0411.
    assert status("52", "60", "57.5") == (D("57.0411"), D("-0.0574"), "on_track")
    assert status("52", "60", "56.5") == (D("57.0411"), D("0.0676"), "on_track")
    assert status("52", "60", "55") == (D("57.0411"), D("0.2551"), "at_risk")
    assert status("52", "60", "53") == (D("57.0411"), D("0.5051"), "off_track")


def test_a_goal_going_down_reads_the_same():
    # Chronic absenteeism from 0.25 to 0.15: expected 0.25 - 0.10 x 230/365 = 0.186986...
    assert status("0.25", "0.15", "0.18") == (D("0.1870"), D("-0.0699"), "on_track")
    assert status("0.25", "0.15", "0.21") == (D("0.1870"), D("0.2301"), "at_risk")


def test_without_a_baseline_a_goal_is_not_judged():
    assert status(None, "60", "55") is None
