"""Shared fixtures. The bundled Connecticut registry is loaded once into the test database, so
every test sees the real districts; each test's changes roll back."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from hypothesis import settings as hypothesis_settings

from alliance.accounts.models import User
from alliance.demo.users import DEMO_PASSWORD, demo_users_create
from alliance.registry.services import registry_load

# Tests check behaviour, not wall-clock time (bench/ measures speed): no per-example deadline, which
# a busy CI machine running the suite in parallel would otherwise trip at random.
hypothesis_settings.register_profile("alliance", deadline=None)
# CI tries the same examples on every run, so whether a commit lands never rests on chance; runs on a
# developer's machine keep drawing new ones, and a case they find is pinned with @example.
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "alliance"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        registry_load(data_dir=settings.CT_DATA_DIR)


@pytest.fixture
def demo_users(db) -> dict[str, User]:
    return {user.username: user for user in demo_users_create()}


@pytest.fixture
def client_for(demo_users) -> Callable[[str], Client]:
    """A test client signed in as one of the demo users, e.g. client_for("district.editor")."""

    def make(username: str) -> Client:
        client = Client()
        assert client.login(username=username, password=DEMO_PASSWORD)
        return client

    return make


@pytest.fixture
def funded(demo_users):
    """Bristol's demo plan taken by the demo users through the whole workflow: funds released."""
    from tests.plans.helpers import funded_demo_plan

    return funded_demo_plan(demo_users)
