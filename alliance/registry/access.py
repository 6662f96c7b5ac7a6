"""The one permission-checked way to fetch a district for a person.

A district user asking for a district they hold no role in gets 404, the same answer as for a code
that does not exist, so the product never tells outsiders what is there. State roles see every
district.
"""

from __future__ import annotations

from django.http import Http404

from alliance.accounts.access import access_for
from alliance.accounts.models import User
from alliance.registry.models import District, School
from alliance.registry.selectors import district_profile


def district_for_user(user: User | object, code: str) -> District:
    if not access_for(user).can_view_district(code):
        raise Http404("No such district.")
    district = district_profile(code=code)
    if district is None:
        raise Http404("No such district.")
    return district


def school_for_user(user: User | object, code: str) -> School:
    """A school, for people who may see its district; 404 otherwise, as for a missing code."""
    school = School.objects.select_related("district", "district__town").filter(code=code).first()
    if school is None or not access_for(user).can_view_district(school.district.code):
        raise Http404("No such school.")
    return school
