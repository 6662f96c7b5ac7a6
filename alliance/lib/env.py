"""Typed readers for environment variables that fail loudly, naming the variable.

Settings read every knob through these, so a typo in a deployment stops start-up with a message
such as ``DEBUG must be True or False (got 'yes please')`` instead of running half-configured.
"""

from __future__ import annotations

import os
from collections.abc import Mapping


class EnvError(ValueError):
    """An environment variable holds a value the product cannot use."""


def env_str(name: str, default: str = "", environ: Mapping[str, str] | None = None) -> str:
    environ = os.environ if environ is None else environ
    return environ.get(name, default)


def env_bool(name: str, default: bool, environ: Mapping[str, str] | None = None) -> bool:
    raw = env_str(name, "", environ).strip()
    if raw == "":
        return default
    lowered = raw.lower()
    if lowered in ("true", "1", "yes", "on"):
        return True
    if lowered in ("false", "0", "no", "off"):
        return False
    raise EnvError(f"{name} must be True or False (got {raw!r})")


def env_list(name: str, default: list[str], environ: Mapping[str, str] | None = None) -> list[str]:
    """A comma-separated list; empty items (``a,,b``) are a mistake, not a wildcard."""
    raw = env_str(name, "", environ).strip()
    if raw == "":
        return list(default)
    items = [item.strip() for item in raw.split(",")]
    if any(item == "" for item in items):
        raise EnvError(f"{name} must be a comma-separated list without empty items (got {raw!r})")
    return items


def env_int(name: str, default: int, environ: Mapping[str, str] | None = None) -> int:
    raw = env_str(name, "", environ).strip()
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise EnvError(f"{name} must be a whole number (got {raw!r})") from None


_PERIODS = ("s", "sec", "m", "min", "h", "hour", "d", "day")


def env_rate(name: str, default: str, environ: Mapping[str, str] | None = None) -> str:
    """A request rate such as ``1200/min``: a whole number of requests per s, min, hour or day."""
    raw = env_str(name, "", environ).strip() or default
    count, _, period = raw.partition("/")
    if not count.isdigit() or int(count) < 1 or period not in _PERIODS:
        raise EnvError(f"{name} must be requests per period, such as 1200/min (got {raw!r})")
    return raw
