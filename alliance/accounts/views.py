"""The signed-in person's API tokens: make one (its secret shown once), see when each was last
used, revoke it."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from alliance.accounts.models import ApiToken, User
from alliance.accounts.tokens import LIFETIMES, token_create, token_revoke
from alliance.lib import clock
from alliance.plans.forms import UswdsMixin

_NEW_SECRET = "api_token_secret"  # noqa: S105 the session key holding a new secret until it is shown


class TokenForm(forms.Form, UswdsMixin):
    name = forms.CharField(
        max_length=100, label="What it is for",
        help_text="For example: Nightly finance export upload.",
    )  # fmt: skip
    days = forms.TypedChoiceField(
        choices=list(LIFETIMES.items()), coerce=int, initial=90, label="Lasts"
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.style()


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = token_create(
                user=user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except ValidationError as exc:
            for field, texts in exc.message_dict.items():
                form.add_error(None if field == "__all__" else field, texts)
        else:
            # Shown on the next page only, then gone: a reload does not make another token.
            request.session[_NEW_SECRET] = [token.pk, secret]
            return redirect("api_tokens")
    new = request.session.pop(_NEW_SECRET, None)
    tokens = list(ApiToken.objects.filter(user=user))
    now = clock.now()
    context = {
        "form": form,
        "tokens": tokens,
        "now": now,
        "new_secret": new[1] if new else None,
        "new_token": next((t for t in tokens if new and t.pk == new[0]), None),
    }
    return render(request, "accounts/api_tokens.html", context, status=422 if form.errors else 200)


@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)  # another's token: 404
    token_revoke(token=token, user=_user(request))
    return redirect("api_tokens")
