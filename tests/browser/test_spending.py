"""A district grants specialist imports the year's expenditures in Chromium: a broken row is named
and nothing is imported; the fixed file imports; an unmatched row is assigned; the forecast moves."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import FilePayload, Page, expect

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PLAN = "/districts/0170011/plans/2025/"
HEADER = "Check Date,Account,Memo,Payee,Amount\n"
GOOD = (
    '09/15/2024,700,Chromebooks for intervention groups,Tech Co,"$120,000.00"\n'
    '10/01/2024,300,Conference registration,PD Co,"1,500.00"\n'
)
BROKEN = "11/31/2024,600,Readers,Book Co,250\n"


def upload(page: Page, name: str, text: str) -> None:
    page.get_by_role("link", name="Import expenditures").click()
    payload: FilePayload = {"name": name, "mimeType": "text/csv", "buffer": text.encode()}
    page.locator("input[type=file]").set_input_files(files=[payload])
    page.get_by_role("button", name="Upload and choose the columns").click()
    expect(page.get_by_role("heading", name=f"Which column holds what in {name}?")).to_be_visible()


def test_district_editor_imports_fixes_and_assigns(page: Page, site: str):
    from alliance.demo.plan import demo_plan_create
    from alliance.demo.users import demo_users_create
    from tests.plans.helpers import TO_FUNDS_RELEASED, board_approve, walk

    users = {u.username: u for u in demo_users_create()}
    plan = demo_plan_create()
    board_approve(plan, users)
    walk(plan, users, TO_FUNDS_RELEASED)

    sign_in(page, site, "district.editor")
    page.goto(site + PLAN + "spending/?as_of=2024-12-31")
    expect(page.get_by_test_id("spent")).to_have_text("$0")
    assert_accessible(page)

    upload(page, "ledger.csv", HEADER + GOOD + BROKEN)
    assert_accessible(page)
    # The columns were guessed from their names; the file has one impossible date.
    expect(page.get_by_label("Object or account code")).to_have_value("Account")
    page.get_by_role("button", name="Import the expenditures").click()
    errors = page.get_by_role("alert").filter(has_text="nothing was written")
    expect(errors).to_contain_text(
        "ledger.csv, row 4, column Check Date: '11/31/2024' is not a date"
    )
    assert_accessible(page)
    page.goto(site + PLAN + "spending/?as_of=2024-12-31")
    expect(page.get_by_test_id("spent")).to_have_text("$0")

    upload(page, "ledger-fixed.csv", HEADER + GOOD + BROKEN.replace("11/31", "11/30"))
    page.get_by_role("button", name="Import the expenditures").click()
    expect(
        page.get_by_text(
            "Imported 3 rows from ledger-fixed.csv: 1 charged to budget items, 2 to assign."
        )
    ).to_be_visible()
    assert_accessible(page)
    row = page.get_by_role("row", name=re.compile("Conference registration"))
    row.get_by_label("Charge “Conference registration” to").select_option(
        label="Line: Instructional coach training (300)"
    )
    row.get_by_role("button", name=re.compile("^Assign")).click()
    expect(page.get_by_text("“Conference registration” is charged.")).to_be_visible()

    page.goto(site + PLAN + "spending/?as_of=2024-12-31")
    expect(page.get_by_test_id("spent")).to_have_text("$121,500")
    page.locator("summary", has_text="Every line and position").click()
    training = page.get_by_role("row", name=re.compile("Instructional coach training")).first
    expect(training).to_contain_text("$1,500.00")
    # 1,500 spent in 184 days; 181 days to come at that rate: $2,975.54 by June 30.
    expect(training).to_contain_text("$2,975.54")
    expect(page.get_by_text("1 expenditure ($250.00) is not charged")).to_be_visible()
    page.wait_for_function(
        "() => !!Chart.getChart(document.querySelector('canvas[data-chart=spend-chart-data]'))"
    )
    assert_accessible(page)
