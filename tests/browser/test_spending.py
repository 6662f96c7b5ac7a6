"""A district grants specialist imports the year's expenditures in Chromium: a broken row is named
and nothing is imported; the fixed file imports; an unmatched row is assigned; the forecast moves."""

from __future__ import annotations

import io
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
    from alliance.demo.users import demo_users_create
    from tests.plans.helpers import funded_demo_plan

    funded_demo_plan({u.username: u for u in demo_users_create()})

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

    # The reviewer adds an action item at the winter meeting.
    page.context.clear_cookies()
    sign_in(page, site, "state.reviewer")
    page.goto(site + PLAN + "meetings/")
    assert_accessible(page)
    page.get_by_role("link", name="Winter monitoring meeting").click()
    form = page.get_by_role("form", name="Add an action item")
    form.get_by_label("Action item", exact=True).fill("Order the remaining devices")
    form.get_by_label("Who does it").fill("Chief Operating Officer")
    form.get_by_label("Due").fill("2025-03-31")
    form.get_by_role("button", name="Add the action item").click()
    raised = page.get_by_role("region", name="Action items raised at this meeting")
    expect(raised).to_contain_text("Order the remaining devices")
    expect(raised).to_contain_text("Chief Operating Officer (CSDE)")
    assert_accessible(page)
    page.goto(site + PLAN + "progress/")
    assert_accessible(page)
    page.goto(site + "/portfolio/?fiscal_year=2025&as_of=2024-12-31")
    expect(page.get_by_role("row", name=re.compile("Bristol School District"))).to_contain_text(
        "Funds released"
    )
    assert_accessible(page)

    # A revision is requested (the district) and approved (state fiscal).
    page.context.clear_cookies()
    sign_in(page, site, "district.leader")
    page.goto(site + PLAN + "spending/")
    page.get_by_label("Reason for the revision (required)").fill(
        "Move $10,000 from the literacy academy to coach training."
    )
    page.get_by_role("button", name="Request a budget revision").click()
    for description, amount in (("K-3 literacy academy", "410000"),
                                ("Instructional coach training", "105000")):  # fmt: skip
        page.get_by_role("button", name=f"Edit {description}").click()
        row = page.get_by_role("form", name=f"Edit {description}")
        row.get_by_label("Amount").fill(amount)
        row.get_by_role("button", name="Save").click()
        expect(page.get_by_role("row", name=re.compile(description)).first).to_contain_text(
            f"${int(amount):,}.00"
        )
    page.goto(site + PLAN)
    page.get_by_role("button", name="Submit the amendment").click()
    expect(page.get_by_role("heading", name="Status: Amendment submitted")).to_be_visible()
    page.context.clear_cookies()
    sign_in(page, site, "state.fiscal")
    page.goto(site + PLAN)
    page.get_by_role("button", name="Approve the budget amendment").click()
    expect(page.get_by_role("heading", name="Status: Funds released")).to_be_visible()

    # The reviewer scores the year; the Commissioner confirms.
    page.context.clear_cookies()
    sign_in(page, site, "state.reviewer")
    page.goto(site + PLAN + "annual-review/")
    for criterion, score in (("Implementation of the plan's strategies", "4"),
                             ("Movement on the plan's goals", "3"),
                             ("Spending pace and lapse", "3"),
                             ("Action items closed", "3")):  # fmt: skip
        page.get_by_label(f"Score for {criterion}").select_option(score)
        page.get_by_label(f"Comment on {criterion}").fill(f"{criterion}: as the figures show.")
    page.get_by_role("button", name="Save the scores").click()
    expect(page.get_by_text("Average 3.25: recommendation")).to_be_visible()
    assert_accessible(page)
    page.context.clear_cookies()
    sign_in(page, site, "commissioner")
    page.goto(site + PLAN + "annual-review/")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_test_id("decision")).to_contain_text("Decision: Continue funding")
    assert_accessible(page)
    page.goto(site + "/districts/0170011/")
    expect(page.get_by_text("FY2025 annual review")).to_be_visible()


def test_the_plan_page_downloads_the_deck_the_workbook_and_a_csv(page: Page, site: str):

    from openpyxl import load_workbook
    from pptx import Presentation

    from alliance.demo.plan import demo_plan_create

    demo_plan_create()
    sign_in(page, site, "district.leader")
    page.goto(site + "/districts/0170011/plans/2025/")
    assert_accessible(page)
    with page.expect_download() as deck:
        page.get_by_role("link", name="Board presentation (.pptx)").click()
    slides = Presentation(str(deck.value.path())).slides
    assert slides[0].shapes.title.text == "Bristol FY2025 Alliance District Plan"
    with page.expect_download() as workbook:
        page.get_by_role("link", name="Budget workbook (.xlsx)").click()
    assert workbook.value.suggested_filename == "alliance-plan-0170011-fy2025-budget.xlsx"
    book = load_workbook(io.BytesIO(workbook.value.path().read_bytes()))
    assert book.sheetnames[:2] == ["Summary", "By object code"]
    with page.expect_download() as csv:
        page.get_by_role("link", name="Budget (CSV)").click()
    text = csv.value.path().read_text(encoding="utf-8")
    assert text.startswith("breakdown,code,name,amount") and "total,,Budget,12061630.00" in text


def test_the_printable_plan_prints_one_section_per_page(page: Page, site: str):
    from alliance.demo.plan import demo_plan_create

    demo_plan_create()
    sign_in(page, site, "board.viewer")
    page.goto(site + "/districts/0170011/plans/2025/")
    page.get_by_role("link", name="Printable plan").click()
    expect(page.get_by_role("heading", level=2, name="Strategies and goals")).to_be_visible()
    assert_accessible(page)
    pdf = page.pdf(format="Letter")
    # A cover, the strategies, the budget, 95 positions and the lines: each section starts a page.
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    assert pages >= 5, pages
