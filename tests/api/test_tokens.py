"""API tokens: made on their page with the secret shown once, kept only as a digest, revoked or
expired for good, and acting only while their owner may sign in."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client

from alliance.accounts.models import ApiToken
from alliance.accounts.tokens import MAX_ACTIVE, token_create, token_user

pytestmark = pytest.mark.django_db


def test_a_token_is_made_on_its_page_and_its_secret_shown_once(client_for, demo_users):
    client = client_for("district.editor")
    response = client.post("/accounts/api-tokens/", {"name": "Nightly ledger", "days": "90"})
    assert response.status_code == 302
    page = client.get("/accounts/api-tokens/").content.decode()
    token = ApiToken.objects.get(user=demo_users["district.editor"])
    secret = page.split(
        'id="new-secret" class="usa-input maxw-full font-mono-xs" readonly value="'
    )[1]
    secret = secret.split('"')[0]
    assert secret.startswith("ag_") and secret.startswith(token.prefix)
    assert secret not in ApiToken.objects.values_list("digest", flat=True)  # only its digest kept
    assert token_user(secret) == demo_users["district.editor"]
    again = client.get("/accounts/api-tokens/").content.decode()
    assert secret not in again and "Nightly ledger" in again  # listed, never shown again
    assert token.expires_at is not None
    assert token.expires_at - token.created_at == dt.timedelta(days=90)


def test_a_token_needs_a_name(client_for):
    response = client_for("district.editor").post("/accounts/api-tokens/", {"days": "90"})
    assert response.status_code == 422 and "This field is required" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_revoked_token_stops_working(client_for, demo_users):
    token, secret = token_create(user=demo_users["district.editor"], name="x", days=30)
    api = Client(headers={"Authorization": f"Bearer {secret}"})
    assert api.get("/api/v1/me").status_code == 200
    client_for("district.editor").post(f"/accounts/api-tokens/{token.pk}/revoke/")
    assert api.get("/api/v1/me").status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is not None and token.last_used_at is not None


def test_only_the_owner_revokes_a_token(client_for, demo_users):
    token, secret = token_create(user=demo_users["district.editor"], name="x", days=30)
    response = client_for("district.leader").post(f"/accounts/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    assert token_user(secret) == demo_users["district.editor"]


def test_an_expired_token_stops_working(demo_users):
    _, secret = token_create(user=demo_users["state.fiscal"], name="x", days=30)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=31)):
        assert token_user(secret) is None


def test_a_token_acts_only_while_its_owner_may_sign_in(demo_users):
    user = demo_users["state.fiscal"]
    _, secret = token_create(user=user, name="x", days=30)
    user.is_active = False
    user.save()
    assert token_user(secret) is None


def test_a_person_holds_a_bounded_number_of_tokens(demo_users):
    user = demo_users["state.admin"]
    for n in range(MAX_ACTIVE):
        token_create(user=user, name=f"t{n}", days=30)
    with pytest.raises(ValidationError, match="revoke one"):
        token_create(user=user, name="one more", days=30)
