from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from alliance.accounts.tokens import token_create


@pytest.fixture
def api(demo_users) -> Callable[[str], Client]:
    """An API client for a demo user, with a fresh token of theirs and no session."""

    def make(username: str) -> Client:
        _, secret = token_create(user=demo_users[username], name="test", days=30)
        return Client(headers={"Authorization": f"Bearer {secret}"})

    return make
