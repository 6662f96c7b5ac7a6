"""What a signed-in person may see, worked out once per request from their memberships."""

from __future__ import annotations

from dataclasses import dataclass, field

from alliance.accounts.models import Membership, User
from alliance.accounts.roles import DISTRICT_ROLES, STATE_ROLES, Role

_CACHE_ATTR = "_alliance_access"


@dataclass(frozen=True)
class Access:
    state_roles: frozenset[Role] = frozenset()
    district_roles: dict[str, frozenset[Role]] = field(default_factory=dict)  # by district code

    @property
    def is_state(self) -> bool:
        return bool(self.state_roles)

    @property
    def district_codes(self) -> frozenset[str]:
        return frozenset(self.district_roles)

    def can_view_district(self, code: str) -> bool:
        return self.is_state or code in self.district_roles

    def roles_in(self, code: str) -> frozenset[Role]:
        return self.district_roles.get(code, frozenset())

    @property
    def all_roles(self) -> frozenset[Role]:
        roles = set(self.state_roles)
        for held in self.district_roles.values():
            roles |= held
        return frozenset(roles)


def access_for(user: User | object) -> Access:
    """The user's roles, read with one query and kept on the user object for the request."""
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        return Access()
    cached = getattr(user, _CACHE_ATTR, None)
    if isinstance(cached, Access):
        return cached
    state: set[Role] = set()
    districts: dict[str, set[Role]] = {}
    rows = Membership.objects.filter(user=user).values_list("role", "district__code")
    for role_value, code in rows:
        role = Role(role_value)
        if role in STATE_ROLES:
            state.add(role)
        elif role in DISTRICT_ROLES and code:
            districts.setdefault(code, set()).add(role)
    access = Access(
        state_roles=frozenset(state),
        district_roles={code: frozenset(roles) for code, roles in districts.items()},
    )
    setattr(user, _CACHE_ATTR, access)
    return access
