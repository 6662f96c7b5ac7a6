"""The district accessor: own district 200, another district 404, state roles see every district."""

import re

import pytest
from django.db import IntegrityError

from alliance.accounts.access import access_for
from alliance.accounts.models import Membership, User
from alliance.accounts.roles import Role
from alliance.registry.models import District

pytestmark = pytest.mark.django_db

BRISTOL = "/districts/0170011/"
HARTFORD = "/districts/0640011/"


@pytest.mark.parametrize("username", ["district.editor", "district.leader", "board.viewer"])
def test_bristol_users_open_bristol(client_for, username):
    response = client_for(username).get(BRISTOL)
    assert response.status_code == 200
    assert b"Bristol School District" in response.content


@pytest.mark.parametrize("username", ["district.editor", "district.leader", "board.viewer"])
def test_bristol_users_get_404_for_hartford(client_for, username):
    assert client_for(username).get(HARTFORD).status_code == 404


def test_hartford_editor_gets_404_for_bristol_and_200_for_hartford(client_for):
    client = client_for("hartford.editor")
    assert client.get(BRISTOL).status_code == 404
    assert client.get(HARTFORD).status_code == 200


def test_another_district_looks_exactly_like_a_missing_one(client_for):
    client = client_for("district.editor")
    other, missing = client.get(HARTFORD), client.get("/districts/9999911/")
    assert other.status_code == missing.status_code == 404

    def without_csrf_token(html: bytes) -> str:
        html_text = re.sub(r'"X-CSRFToken": "[^"]+"', "", html.decode())
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html_text)

    assert "Page not found" in other.content.decode()
    assert without_csrf_token(other.content) == without_csrf_token(missing.content)


@pytest.mark.parametrize(
    "username", ["state.reviewer", "state.fiscal", "commissioner", "state.admin"]
)
def test_state_roles_open_every_district(client_for, username):
    client = client_for(username)
    assert client.get(BRISTOL).status_code == 200
    assert client.get(HARTFORD).status_code == 200
    assert client.get("/districts/9000016/").status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(BRISTOL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={BRISTOL}"


def test_an_inactive_user_has_no_access(demo_users):
    user = demo_users["district.editor"]
    user.is_active = False
    assert not access_for(user).can_view_district("0170011")


def test_a_person_may_hold_several_roles_across_districts(demo_users, client_for):
    editor = demo_users["district.editor"]
    Membership.objects.create(
        user=editor, role=Role.BOARD_VIEWER, district=District.objects.get(code="0640011")
    )
    access = access_for(User.objects.get(pk=editor.pk))
    assert access.district_codes == {"0170011", "0640011"}
    assert access.roles_in("0640011") == {Role.BOARD_VIEWER}
    assert client_for("district.editor").get(HARTFORD).status_code == 200


def test_a_district_role_must_name_a_district(demo_users):
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=demo_users["state.admin"], role=Role.DISTRICT_EDITOR)


def test_a_state_role_must_not_name_a_district(demo_users):
    with pytest.raises(IntegrityError):
        Membership.objects.create(
            user=demo_users["district.editor"],
            role=Role.STATE_REVIEWER,
            district=District.objects.get(code="0170011"),
        )
