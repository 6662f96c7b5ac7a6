"""A district grants specialist writes a plan in Chromium; nothing typed is lost."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def chart_shows(page: Page, total: float) -> None:
    """Wait until the chart on the page draws bars that add up to `total`."""
    page.wait_for_function(
        """(total) => {
            const chart = Chart.getChart(document.querySelector('canvas[data-chart=budget-chart-data]'));
            return !!chart && Math.abs(chart.data.datasets[0].data.reduce((a, b) => a + b, 0) - total) < 0.005;
        }""",
        arg=total,
    )


def test_district_editor_builds_a_plan_and_finds_it_all_after_a_reload(page: Page, site: str):
    sign_in(page, site, "district.editor")
    page.get_by_role("link", name="Plans and budgets").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bristol Alliance plans")
    assert_accessible(page)
    page.get_by_label("Fiscal year").fill("2026")
    page.get_by_role("button", name="Start the plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bristol FY2026 Alliance plan")
    assert_accessible(page)

    strategy = page.locator("form", has=page.get_by_role("heading", name="Add a strategy"))
    strategy.get_by_label("Focus area").select_option(label="Tiered system of interventions")
    strategy.get_by_label("Title").fill("Reading interventions")
    strategy.get_by_role("button", name="Add the strategy").click()
    expect(page.get_by_role("heading", name="1. Reading interventions")).to_be_visible()

    goal = page.locator("form", has=page.get_by_role("heading", name="Add a goal"))
    goal.get_by_label("Strategy").select_option(label="Reading interventions")
    goal.get_by_label("Measure", exact=True).select_option(label="Local measure")
    goal.get_by_label("Description").fill("K-3 students at or above benchmark")
    goal.get_by_label("Target").fill("60")
    goal.get_by_label("Unit").fill("% of students")
    goal.get_by_role("button", name="Add the goal").click()
    expect(
        page.get_by_role("row", name=re.compile("K-3 students at or above benchmark"))
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Positions, lines and budget").click()
    expect(page.get_by_test_id("budgeted")).to_have_text("$0.00")
    position = page.locator("form", has=page.get_by_role("heading", name="Add a position"))
    position.get_by_label("Title").fill("Reading interventionist")
    position.get_by_label("Staff category").select_option(label="Direct-service staff")
    position.get_by_label("Strategy").select_option(label="Reading interventions")
    position.get_by_label("Fte").fill("1")
    position.get_by_label("Salary").fill("80000")
    position.get_by_label("Benefits rate").fill("0.25")
    position.get_by_role("button", name="Add the position").click()
    expect(page.get_by_test_id("budgeted")).to_have_text("$100,000.00")
    chart_shows(page, 100000)

    for description, amount in (
        ("Leveled readers", "2500"),
        ("Benchmark assessment licences", "7500.50"),
    ):
        line = page.locator("form", has=page.get_by_role("heading", name="Add a line"))
        line.get_by_label("Funding area").select_option(label="Supplies")
        line.get_by_label("Object code").fill("600")
        line.get_by_label("Description").fill(description)
        line.get_by_label("Strategy").select_option(label="Reading interventions")
        line.get_by_label("Amount").fill(amount)
        line.get_by_role("button", name="Add the line").click()
        expect(page.get_by_role("row", name=re.compile(description))).to_be_visible()
    expect(page.get_by_test_id("budgeted")).to_have_text("$110,000.50")
    chart_shows(page, 110000.50)
    assert_accessible(page)

    page.reload()
    expect(page.get_by_test_id("budgeted")).to_have_text("$110,000.50")
    expect(page.get_by_role("row", name=re.compile("Reading interventionist"))).to_contain_text(
        "$100,000.00"
    )
    expect(page.get_by_role("row", name=re.compile("Leveled readers"))).to_contain_text("$2,500.00")
    expect(
        page.get_by_role("row", name=re.compile("Benchmark assessment licences"))
    ).to_contain_text("$7,500.50")
    page.get_by_role("link", name="Strategies and goals").click()
    expect(
        page.get_by_role("row", name=re.compile("K-3 students at or above benchmark"))
    ).to_contain_text("60")


def test_editing_a_line_in_place_updates_the_totals(page: Page, site: str):
    from alliance.demo.plan import demo_plan_create

    demo_plan_create()
    sign_in(page, site, "district.leader")
    page.goto(f"{site}/districts/0170011/plans/2025/")
    expect(page.get_by_role("heading", name="Status: Draft")).to_be_visible()
    expect(page.get_by_role("heading", name="Record the Board's approval")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{site}/districts/0170011/plans/2025/budget/")
    expect(page.get_by_test_id("difference")).to_have_text("$0.00")
    assert_accessible(page)
    page.get_by_role("button", name="Edit K-3 literacy academy").click()
    row = page.get_by_role("form", name="Edit K-3 literacy academy")
    row.get_by_label("Amount").fill("419000.00")
    row.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("difference")).to_have_text("$1,000.00")
    expect(page.get_by_text("Not yet budgeted")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="History").click()
    change = page.get_by_role("row", name=re.compile("budgetline: K-3 literacy academy")).first
    expect(change).to_contain_text("Lee Morgan")
    expect(change).to_contain_text("420000.00 → 419000.00")
    assert_accessible(page)
