"""Demo sign-ins, one per role. All share the password below; never run the demo in production."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from alliance.accounts.models import Membership, User
from alliance.accounts.roles import Role
from alliance.registry.models import District

DEMO_PASSWORD = "alliance-demo"
BRISTOL = "0170011"
HARTFORD = "0640011"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: Role
    district_code: str | None = None


DEMO_USERS = (
    DemoUser("district.editor", "Dana", "Reyes", Role.DISTRICT_EDITOR, BRISTOL),
    DemoUser("district.leader", "Lee", "Morgan", Role.DISTRICT_LEADER, BRISTOL),
    DemoUser("board.viewer", "Bo", "Castillo", Role.BOARD_VIEWER, BRISTOL),
    DemoUser("hartford.editor", "Harper", "Quinn", Role.DISTRICT_EDITOR, HARTFORD),
    DemoUser("hartford.leader", "Jordan", "Ellis", Role.DISTRICT_LEADER, HARTFORD),
    DemoUser("state.reviewer", "Riley", "Chen", Role.STATE_REVIEWER),
    DemoUser("state.fiscal", "Frances", "Okafor", Role.STATE_FISCAL),
    DemoUser("commissioner", "Casey", "Whitfield", Role.COMMISSIONER),
    DemoUser("state.admin", "Avery", "Patel", Role.STATE_ADMIN),
)


def demo_users_create() -> list[User]:
    """Create or reset the demo sign-ins; running it twice leaves the same users and roles."""
    districts = {d.code: d for d in District.objects.filter(code__in=[BRISTOL, HARTFORD])}
    users = []
    with transaction.atomic():
        for demo in DEMO_USERS:
            user, _ = User.objects.update_or_create(
                username=demo.username,
                defaults={
                    "first_name": demo.first_name,
                    "last_name": demo.last_name,
                    "email": f"{demo.username}@example.org",
                    "is_active": True,
                },
            )
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            district = districts[demo.district_code] if demo.district_code else None
            user.memberships.exclude(role=demo.role, district=district).delete()
            Membership.objects.get_or_create(user=user, role=demo.role, district=district)
            users.append(user)
    return users
