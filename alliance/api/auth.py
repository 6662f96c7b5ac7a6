"""Who is calling: a personal token (Authorization: Bearer ag_...) for scripts and other systems, or
the browser's own session for someone signed in (the docs page's "Try it out"); either way the
request acts as that person, with their roles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from alliance.accounts.tokens import token_user


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_user(token)
        if user is not None:
            request.user = user  # the same accessors as the pages read request.user
        return user


class SignedInSession(SessionAuth):
    """The session cookie, refusing an inactive account; writes need the CSRF token too."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None
