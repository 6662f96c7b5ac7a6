"""The product's clock: Connecticut's date, and a clock pinned for the demo's story."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from alliance.lib import clock


def test_today_is_connecticuts_date():
    # 2:30 a.m. UTC on July 1 is still June 30 in Connecticut: the old fiscal year.
    with time_machine.travel(dt.datetime(2025, 7, 1, 2, 30, tzinfo=dt.UTC), tick=False):
        assert clock.today() == dt.date(2025, 6, 30)


def test_a_pinned_clock_holds_its_moment_only_within_the_block():
    moment = dt.datetime(2024, 7, 10, 10, tzinfo=clock.CONNECTICUT)
    with clock.pinned(moment):
        assert clock.now() == moment and clock.today() == dt.date(2024, 7, 10)
        with clock.pinned(moment + dt.timedelta(days=1)):
            assert clock.today() == dt.date(2024, 7, 11)
        assert clock.today() == dt.date(2024, 7, 10)
    assert clock.now() > dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def test_a_pinned_moment_needs_its_time_zone():
    with pytest.raises(ValueError, match="time zone"), clock.pinned(dt.datetime(2024, 7, 10)):
        pass
