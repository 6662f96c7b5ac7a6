"""What a person does in a real browser, checked with axe-core on every page visited."""

from __future__ import annotations

import re

import pytest
import time_machine
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_district_editor_signs_in_and_reaches_bristol(page: Page, site: str):
    sign_in(page, site, "district.editor")
    expect(page).to_have_url(f"{site}/districts/0170011/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bristol School District")
    allocations = page.get_by_role("table").filter(has_text="Alliance portion of the ECS grant")
    expect(allocations.get_by_role("row", name=re.compile("FY2025"))).to_contain_text("$12,061,630")
    chart_drawn = page.evaluate(
        "() => !!Chart.getChart(document.querySelector('canvas[data-chart=allocation-chart-data]'))"
    )
    assert chart_drawn
    assert_accessible(page)

    page.get_by_role("link", name="Districts", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Connecticut school districts")
    assert_accessible(page)
    expect(page.get_by_role("link", name="Hartford School District")).to_have_count(0)

    response = page.goto(f"{site}/districts/0640011/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page)


def test_state_reviewer_sees_current_alliance_districts_and_filters_the_directory(
    page: Page, site: str
):
    with time_machine.travel("2026-11-30 12:00 -05:00", tick=True):
        sign_in(page, site, "state.reviewer")
        expect(page.get_by_role("heading", name="Alliance Districts FY2023-FY2027")).to_be_visible()
        table = page.get_by_role("table").filter(has_text="Alliance allocation by district")
        expect(table.locator("tbody tr")).to_have_count(36)
        expect(table.get_by_role("row", name=re.compile("Bristol"))).to_contain_text("$12,061,630")
        assert_accessible(page)

        page.get_by_role("link", name="Districts", exact=True).first.click()
        expect(page.get_by_role("status")).to_contain_text("Showing 205 districts")
        page.get_by_label("Alliance status").select_option("current")
        expect(page.get_by_role("status")).to_contain_text("Showing 36 districts")
        expect(page).to_have_url(re.compile(r"alliance=current"))
        page.get_by_label("Type").select_option("12")
        expect(page.get_by_role("status")).to_contain_text("Showing 0 districts")
        page.get_by_label("Type").select_option("")
        expect(page.get_by_role("status")).to_contain_text("Showing 36 districts")
        page.get_by_role("link", name=re.compile("^FY2027 Alliance allocation")).click()
        expect(
            page.get_by_role("columnheader", name=re.compile("FY2027 Alliance allocation"))
        ).to_have_attribute("aria-sort", "ascending")
        assert_accessible(page)

        with page.expect_download() as download:
            page.get_by_role("link", name="Download these as CSV").click()
        lines = download.value.path().read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("district_code,district_name")
        assert len(lines) == 1 + 36

        page.get_by_role("link", name="Hartford School District", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Hartford School District")
        expect(page.get_by_text("Opportunity District (FY2019 list)")).to_be_visible()
        assert_accessible(page)


def test_board_viewer_signs_out(page: Page, site: str):
    sign_in(page, site, "board.viewer")
    expect(page).to_have_url(f"{site}/districts/0170011/")
    expect(page.get_by_role("navigation", name="Primary navigation")).to_contain_text(
        "Bo Castillo · Board viewer"
    )
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert_accessible(page)
