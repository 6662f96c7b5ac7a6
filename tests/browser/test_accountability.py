"""Accountability and identification pages in Chromium, each checked with axe-core."""

from __future__ import annotations

import re

import pytest
import time_machine
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_state_reviewer_goes_from_the_ranking_to_a_district_and_a_school(page: Page, site: str):
    with time_machine.travel("2026-11-30 12:00 -05:00", tick=True):
        sign_in(page, site, "state.reviewer")
        page.get_by_role("link", name="Accountability", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Statewide accountability ranking, 2024-25"
        )
        assert_accessible(page)
        page.get_by_label("Organisation type").select_option("12")
        page.get_by_role("button", name="Show").click()
        expect(page.get_by_role("status")).to_contain_text("Showing 17 districts")
        page.get_by_label("Organisation type").select_option("")
        page.get_by_role("button", name="Show").click()

        page.get_by_role("link", name="Hartford School District", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Hartford School District: accountability"
        )
        expect(page.get_by_role("heading", name="Path to exit")).to_be_visible()
        expect(page.get_by_text("index points below that line")).to_be_visible()
        assert page.evaluate(
            "() => !!Chart.getChart(document.querySelector('canvas[data-chart]')) || document.querySelectorAll('canvas[data-chart]').length === 0"
        )
        assert_accessible(page)

        page.get_by_role("link", name="Hartford School District", exact=True).first.click()
        page.get_by_role("link", name="Bulkeley High School").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Bulkeley High School")
        table = page.get_by_role("table").filter(has_text="The indicators of 2024-25")
        expect(
            table.get_by_role("row", name=re.compile(r"^1\. Achievement, ELA All students"))
        ).to_contain_text("150.00")
        assert_accessible(page)


def test_state_admin_identifies_and_confirms_a_cohort(page: Page, site: str):
    with time_machine.travel("2026-11-30 12:00 -05:00", tick=True):
        sign_in(page, site, "state.admin")
        page.get_by_role("link", name="Designations", exact=True).click()
        expect(
            page.get_by_role("heading", name="Opportunity Districts and the ten lowest indexes")
        ).to_be_visible()
        assert_accessible(page)
        page.get_by_role("link", name="Run the four-step identification").click()
        page.get_by_role("button", name="Run identification").click()
        expect(
            page.get_by_role("heading", name=re.compile(r"^Result: \d+ districts"))
        ).to_be_visible()
        row = page.get_by_role("row", name=re.compile("^Bristol School District"))
        expect(row).to_contain_text("Step 4: added as previously designated")
        assert_accessible(page)
        page.get_by_role("button", name=re.compile("Confirm as Alliance Districts FY2028")).click()
        expect(page.get_by_role("status").first).to_contain_text(
            "Alliance Districts FY2028-FY2032 recorded"
        )
        expect(page.get_by_role("heading", name="Alliance Districts FY2028-FY2032")).to_be_visible()
        assert_accessible(page)


def test_district_leader_opens_bristols_accountability(page: Page, site: str):
    sign_in(page, site, "district.leader")
    page.get_by_role("link", name=re.compile("^Indicators, index, rank")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Bristol School District: accountability"
    )
    expect(page.get_by_text("33 of 107", exact=True)).to_be_visible()
    assert_accessible(page)
