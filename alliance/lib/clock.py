"""The one place the product asks what time it is, so tests can freeze it with time-machine and
the demo can tell its story on the dates it happened (`pinned`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from zoneinfo import ZoneInfo

CONNECTICUT = ZoneInfo("America/New_York")
_PINNED: ContextVar[dt.datetime | None] = ContextVar("alliance_clock_pinned", default=None)


def now() -> dt.datetime:
    pinned = _PINNED.get()
    return pinned if pinned is not None else dt.datetime.now(tz=dt.UTC)


@contextmanager
def pinned(moment: dt.datetime) -> Iterator[None]:
    """Within the block it is `moment` (aware) for everything that asks this module."""
    if moment.tzinfo is None:
        raise ValueError("A pinned moment needs its time zone.")
    token = _PINNED.set(moment)
    try:
        yield
    finally:
        _PINNED.reset(token)


def today() -> dt.date:
    """Today's date in Connecticut, which decides the fiscal year."""
    return now().astimezone(CONNECTICUT).date()


def local_date(moment: dt.datetime) -> dt.date:
    """The Connecticut date of a stored moment."""
    return moment.astimezone(CONNECTICUT).date()
