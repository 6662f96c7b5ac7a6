from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from alliance.accounts.access import access_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    context: dict[str, Any] = {"access": access_for(user)}
    if user is not None and user.is_authenticated:
        # Lazy: only pages that render the navigation pay for the query.
        context["latest_accountability_year"] = SimpleLazyObject(_latest_year)
    return context


def _latest_year() -> str | None:
    from alliance.accountability.models import AccountabilityYear

    return (
        AccountabilityYear.objects.order_by("-school_year")
        .values_list("school_year", flat=True)
        .first()
    )
