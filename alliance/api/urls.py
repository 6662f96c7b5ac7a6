"""The API's URLs. The API answers 401 itself to a caller without a session or token, so the
site's sign-in redirect (LoginRequiredMiddleware) is lifted from it."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver

from alliance.api.main import api


def _no_sign_in_redirect(view: Any) -> Any:
    @wraps(view)
    def answer(*args: Any, **kwargs: Any) -> Any:
        return view(*args, **kwargs)

    return login_not_required(answer)


def _patterns() -> list[URLPattern | URLResolver]:
    patterns, _, _ = api.urls
    return [
        URLPattern(p.pattern, _no_sign_in_redirect(p.callback), p.default_args, p.name)
        if isinstance(p, URLPattern)
        else p
        for p in patterns
    ]


urlpatterns = _patterns()
app_name = "api"
