"""Another district's leader reads Bristol's approved plan in Chromium, from the navigation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_from_another_district_reads_an_approved_plan(page: Page, site: str):
    from alliance.demo.users import demo_users_create
    from tests.plans.helpers import funded_demo_plan

    funded_demo_plan({u.username: u for u in demo_users_create()})
    sign_in(page, site, "hartford.leader")
    page.get_by_role("link", name="Approved plans").click()
    expect(page.get_by_role("heading", name="Approved Alliance plans")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("1 approved plan.")
    assert_accessible(page)
    page.get_by_label("District name").fill("Hartford")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("status")).to_contain_text("0 approved plans.")
    page.get_by_label("District name").fill("Bristol")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("link", name="Bristol School District").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bristol FY2025 Alliance plan")
    expect(page.get_by_role("heading", name="Strategies and goals")).to_be_visible()
    expect(page.get_by_text("a public record")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as JSON").click()
    assert download.value.suggested_filename.startswith("alliance-plan-0170011-fy2025-v")
