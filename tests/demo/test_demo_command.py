import pytest
from django.core.management import call_command

from alliance.accounts.models import Membership, User
from alliance.demo.users import DEMO_PASSWORD, DEMO_USERS
from alliance.registry.models import District

pytestmark = pytest.mark.django_db


def test_demo_without_serving_creates_one_sign_in_per_role_and_prints_them(capsys):
    call_command("demo", no_serve=True)
    out = capsys.readouterr().out
    assert "205 districts" in out
    assert f"password for all: {DEMO_PASSWORD}" in out
    for demo in DEMO_USERS:
        assert demo.username in out
        user = User.objects.get(username=demo.username)
        assert user.check_password(DEMO_PASSWORD)
        membership = Membership.objects.get(user=user)
        assert membership.role == demo.role
        assert (membership.district.code if membership.district else None) == demo.district_code


def test_demo_is_idempotent(capsys):
    call_command("demo", no_serve=True)
    first = (User.objects.count(), Membership.objects.count(), District.objects.count())
    User.objects.filter(username="district.editor").update(first_name="Changed")
    call_command("demo", no_serve=True)
    assert (User.objects.count(), Membership.objects.count(), District.objects.count()) == first
    assert User.objects.get(username="district.editor").first_name == "Dana"


def test_demo_roles_match_the_issue(capsys):
    call_command("demo", no_serve=True)
    roles = {
        m.user.username: (m.role, m.district.code if m.district else None)
        for m in Membership.objects.select_related("user", "district")
    }
    assert roles == {
        "district.editor": ("district_editor", "0170011"),
        "district.leader": ("district_leader", "0170011"),
        "board.viewer": ("board_viewer", "0170011"),
        "hartford.editor": ("district_editor", "0640011"),
        "state.reviewer": ("state_reviewer", None),
        "state.fiscal": ("state_fiscal", None),
        "commissioner": ("commissioner", None),
        "state.admin": ("state_admin", None),
    }
