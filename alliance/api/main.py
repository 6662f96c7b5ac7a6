"""The REST API (DESIGN.md capability 8): version 1, over the same selectors, services and
permission checks as the pages, so it can do nothing a person could not do in the browser.
OpenAPI at /api/v1/openapi.json, the reference page at /api/v1/docs; docs/api.md for people."""

from __future__ import annotations

import math

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.throttling import UserRateThrottle

from alliance.api import contents, meetings, monitoring, plans, progress, registry, review
from alliance.api.auth import SignedInSession, TokenAuth
from alliance.api.docs import ReferencePage
from alliance.plans.services import Conflict, PlanError

DESCRIPTION = """The Alliance District grant program's data, for scripts and other systems.

Send a personal token (make one under *API tokens* once signed in) as
`Authorization: Bearer ag_...`. A token acts as you, with your roles: it sees what you see and may
do what you may do. Money is a string with two decimals. Errors answer `{"detail": "..."}`;
a district you may not see answers 404, as one that does not exist."""

# Per person (their user id), whichever of their tokens or their session they call with.
THROTTLE = UserRateThrottle(settings.API_RATE)

api = NinjaAPI(
    title="Alliance Grants API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=[TokenAuth(), SignedInSession()],
    throttle=[THROTTLE],
    docs=ReferencePage(),
)
api.add_router("", registry.router)
api.add_router("", plans.router)
api.add_router("", contents.router)
api.add_router("", monitoring.router)
api.add_router("", progress.router)
api.add_router("", meetings.router)
api.add_router("", review.router)


def _problem(request: HttpRequest, status: int, detail: str, **more: object) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **more}, status=status)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _problem(request, 404, str(exc) or "Not found.")


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _problem(request, 403, str(exc) or "You may not do this.")


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _problem(
        request, 401, "Sign in, or send a valid token: Authorization: Bearer ag_..."
    )
    response["WWW-Authenticate"] = 'Bearer realm="alliance-grants"'
    return response


# A refusal about the plan as it stands (its status: "__all__"; the same file again: "file") is a
# conflict; one about a field the caller sent is invalid input.
_CONFLICTS = frozenset({"__all__", "file"})


@api.exception_handler(PlanError)
def refused(request: HttpRequest, exc: PlanError) -> HttpResponse:
    texts = [t for messages in exc.fields.values() for t in messages]
    status = 409 if set(exc.fields) <= _CONFLICTS else 422
    return _problem(request, status, " ".join(texts), errors=exc.fields)


@api.exception_handler(Conflict)
def changed_meanwhile(request: HttpRequest, exc: Conflict) -> HttpResponse:
    """Someone saved the row after the caller read it: nothing is overwritten."""
    return _problem(request, 409, str(exc), current_version=exc.current.version)


@api.exception_handler(Throttled)
def too_many(request: HttpRequest, exc: Throttled) -> HttpResponse:
    wait = max(1, math.ceil(exc.wait or 1))
    response = _problem(request, 429, f"Too many requests: try again in {wait} seconds.")
    response["Retry-After"] = str(wait)
    return response


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _problem(request, exc.status_code, str(exc))


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A parameter the API cannot read, named: 'query.as_of: Input should be a valid date'."""
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ())]
        if len(loc) >= 3:  # ("body", <the view's parameter>, "amount"): the caller sent "amount"
            del loc[1]
        where = ".".join(loc)
        fields.setdefault(where, []).append(str(error.get("msg", "is not valid")))
    detail = "; ".join(f"{where}: {' '.join(texts)}" for where, texts in fields.items())
    return _problem(request, 422, detail, errors=fields)
