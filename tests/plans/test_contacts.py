"""A plan's contacts and Board presenters: kept by the district's editors and leaders in any status,
audited, never silently overwritten, carried into the Board deck and left out of the versions."""

from __future__ import annotations

import pytest

from alliance.audit.models import AuditEntry
from alliance.plans.models import PlanContact, PlanVersion

pytestmark = pytest.mark.django_db
CONTACTS = "/districts/0170011/plans/2025/contacts/"
NEW = {"contact-name": "Morgan Price", "contact-title": "Business Manager",
       "contact-email": "mprice@example.org", "contact-phone": "860-555-0100"}  # fmt: skip


def test_the_district_keeps_contacts_on_an_approved_plan(funded, client_for):
    editor = client_for("district.editor")
    response = editor.post(CONTACTS, NEW)
    assert response.status_code == 302 and response["Location"] == CONTACTS
    page = editor.get(CONTACTS).content.decode()
    assert "Morgan Price is added." in page and "Business Manager" in page
    assert 'href="mailto:mprice@example.org"' in page
    added = PlanContact.objects.get(plan=funded, name="Morgan Price")
    entry = AuditEntry.objects.get(object_type="plancontact", object_id=added.pk, action="create")
    assert entry.user_label == "Dana Reyes" and entry.changes["title"] == [None, "Business Manager"]
    # Not part of what was approved: the versions stay as they were frozen.
    assert all("contacts" not in v.document for v in PlanVersion.objects.filter(plan=funded))
    assert not added.presents


def test_a_bad_contact_is_refused_with_the_field_named(funded, client_for):
    response = client_for("district.leader").post(
        CONTACTS, {**NEW, "contact-email": "not an address", "contact-name": ""}
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "Enter a valid email address." in page and "This field is required." in page
    assert not PlanContact.objects.filter(plan=funded, title="Business Manager").exists()


def test_others_read_or_see_nothing(funded, client_for):
    viewer = client_for("board.viewer")
    assert "Avery Collins" in viewer.get(CONTACTS).content.decode()
    assert 'aria-label="Edit Avery Collins"' not in viewer.get(CONTACTS).content.decode()
    assert viewer.post(CONTACTS, NEW).status_code == 403
    assert client_for("hartford.leader").get(CONTACTS).status_code == 404
    avery = PlanContact.objects.get(plan=funded, name="Avery Collins")
    edit = CONTACTS + f"{avery.pk}/"
    assert viewer.post(edit, {"version": avery.version}).status_code == 403
    assert viewer.post(edit + "delete/", {"version": avery.version}).status_code == 403


def test_two_editors_never_overwrite_each_other(funded, client_for):
    avery = PlanContact.objects.get(plan=funded, name="Avery Collins")
    edit = CONTACTS + f"{avery.pk}/"
    form = {"edit-name": "Avery Collins", "edit-title": "Superintendent of Schools",
            "edit-email": "", "edit-phone": "", "edit-presents": "on"}  # fmt: skip
    leader, editor = client_for("district.leader"), client_for("district.editor")
    first = leader.post(edit, {**form, "edit-phone": "860-555-0111", "version": avery.version})
    assert first.status_code == 302
    second = editor.post(edit, {**form, "edit-phone": "860-555-0199", "version": avery.version})
    page = second.content.decode()
    assert second.status_code == 409 and "Changed by someone else" in page
    assert "860-555-0111" in page and "860-555-0199" in page
    assert PlanContact.objects.get(pk=avery.pk).phone == "860-555-0111"
    # Seen both; saving theirs over it is a deliberate second step with the new version.
    third = editor.post(edit, {**form, "edit-phone": "860-555-0199", "version": avery.version + 1})
    assert third.status_code == 302
    assert PlanContact.objects.get(pk=avery.pk).phone == "860-555-0199"


def test_a_contact_is_removed_only_as_it_was_seen(funded, client_for):
    dana = PlanContact.objects.get(plan=funded, name="Dana Reyes")
    remove = CONTACTS + f"{dana.pk}/delete/"
    leader = client_for("district.leader")
    stale = leader.post(remove, {"version": dana.version - 1}, follow=True)
    assert "was changed by someone else; nothing was deleted" in stale.content.decode()
    assert PlanContact.objects.filter(pk=dana.pk).exists()
    assert leader.post(remove, {"version": dana.version}).status_code == 302
    assert not PlanContact.objects.filter(pk=dana.pk).exists()
    assert AuditEntry.objects.filter(object_type="plancontact", action="delete").count() == 1


def test_the_deck_names_the_leaders_when_no_contact_presents(funded):
    from alliance.reports.data import board_data

    assert board_data(funded).presenters == [
        "Avery Collins, Superintendent of Schools", "Lee Morgan, Director of School Improvement"
    ]  # fmt: skip
    PlanContact.objects.filter(plan=funded).update(presents=False)
    assert board_data(funded).presenters == ["Lee Morgan"]  # the district leader's account
