"""The one permission-checked way to fetch a plan.

Anyone who may see the district sees its plans (a district user asking for another district's
plan gets 404, as for a missing one); editing needs the district editor or leader role there, and
anything else that can see it gets 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from alliance.accounts.access import access_for
from alliance.accounts.models import User
from alliance.accounts.roles import Role
from alliance.plans.models import Plan
from alliance.plans.selectors import plan_named

EDITORS = frozenset({Role.DISTRICT_EDITOR, Role.DISTRICT_LEADER})


def plan_for_user(user: User | object, code: str, fiscal_year: int, *, edit: bool = False) -> Plan:
    access = access_for(user)
    if not access.can_view_district(code):
        raise Http404("No such plan.")
    plan = plan_named(code, fiscal_year)
    if plan is None:
        raise Http404("No such plan.")
    if edit and not (access.roles_in(code) & EDITORS):
        raise PermissionDenied("Only the district's editors and leaders change its plan.")
    return plan


def can_edit(user: User | object, code: str) -> bool:
    return bool(access_for(user).roles_in(code) & EDITORS)
