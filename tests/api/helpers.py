from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.test import Client


def send(client: Client, method: str, url: str, body: Mapping[str, object] | None = None) -> Any:
    """A JSON request: send(client, "patch", url, {"amount": "1.00"})."""
    return getattr(client, method)(url, body or {}, content_type="application/json")
