from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from alliance.accounts.access import access_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {"access": access_for(user)}
