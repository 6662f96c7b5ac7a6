"""The one place the product asks what time it is, so tests can freeze it with time-machine."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

CONNECTICUT = ZoneInfo("America/New_York")


def now() -> dt.datetime:
    return dt.datetime.now(tz=dt.UTC)


def today() -> dt.date:
    """Today's date in Connecticut, which decides the fiscal year."""
    return now().astimezone(CONNECTICUT).date()


def local_date(moment: dt.datetime) -> dt.date:
    """The Connecticut date of a stored moment."""
    return moment.astimezone(CONNECTICUT).date()
