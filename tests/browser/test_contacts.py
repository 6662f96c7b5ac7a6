"""The district leader names who presents the plan to the Board, in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_adds_and_edits_a_board_presenter(page: Page, site: str):
    from alliance.demo.plan import demo_plan_create

    demo_plan_create()
    sign_in(page, site, "district.leader")
    page.goto(site + "/districts/0170011/plans/2025/")
    page.get_by_role("link", name="Contacts", exact=True).click()
    expect(page.get_by_role("heading", name="Contacts and Board presenters")).to_be_visible()
    assert_accessible(page)
    form = page.get_by_role("form", name="Add a contact")
    form.get_by_label("Name").fill("Morgan Price")
    form.get_by_label("Title").fill("Business Manager")
    form.get_by_label("Email").fill("mprice@example")  # the browser takes it; the server does not
    form.get_by_role("button", name="Add the contact").click()
    expect(page.get_by_text("Enter a valid email address.")).to_be_visible()
    assert_accessible(page)
    form = page.get_by_role("form", name="Add a contact")
    form.get_by_label("Email").fill("mprice@example.org")
    form.get_by_text("Presents the plan to the Board").click()
    form.get_by_role("button", name="Add the contact").click()
    expect(page.get_by_text("Morgan Price is added.")).to_be_visible()
    page.get_by_role("link", name="Edit Morgan Price").click()
    edit = page.get_by_role("form", name="Edit Morgan Price")
    edit.get_by_label("Phone").fill("860-555-0100")
    edit.get_by_role("button", name="Save").click()
    expect(page.get_by_role("row", name="Morgan Price")).to_contain_text("860-555-0100")
    assert_accessible(page)
