"""The whole path of a plan in Chromium, with the demo users: Board approval and submission, a
return with a comment, the fix, resubmission, recommendation, approval, release of funds, and an
amendment that moves $10,000 between two lines and is approved, with its redline."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from alliance.audit.models import AuditEntry
from alliance.review.models import ChecklistItem
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PLAN = "/districts/0170011/plans/2025/"
K3_GOAL = "K-3 students at or above benchmark on the winter reading assessment"


def as_user(page: Page, site: str, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, site, username)


def act(page: Page, label: str, note: str | None = None) -> None:
    """Take a workflow action from the status panel."""
    form = page.get_by_role("form", name=label, exact=True)
    if note is not None:
        form.get_by_role("textbox").fill(note)
    form.get_by_role("button", name=label, exact=True).click()
    page.wait_for_load_state()


def decide(page: Page, item: ChecklistItem, decision: str, comment: str = "") -> None:
    entry = page.locator(f"#item-{item.pk}")
    # USWDS draws the radio on its label; the input itself sits off screen.
    entry.locator("label.usa-radio__label").get_by_text(decision, exact=True).click()
    expect(entry.get_by_label(decision, exact=True)).to_be_checked()
    entry.get_by_label("Comment (required for Revise)").fill(comment)
    entry.get_by_role("button", name=re.compile("^Save")).click()
    expect(page.get_by_text(f"Saved your decision on “{item.text}”.")).to_be_visible()


def test_a_plan_goes_from_board_approval_to_funds_and_an_amendment(page: Page, site: str):
    from alliance.demo.plan import demo_plan_create

    demo_plan_create()
    items = list(ChecklistItem.objects.filter(active=True))
    goals_item = next(i for i in items if i.code == "goals.measurable")

    # The district leader records the Board's vote and submits.
    as_user(page, site, "district.leader")
    page.goto(site + PLAN)
    board = page.get_by_role("form", name="Record the Board's approval")
    board.get_by_label("Board meeting date").fill("2024-06-11")
    board.get_by_label("Agenda item").fill("7.B")
    board.get_by_label("Votes for").fill("8")
    board.get_by_label("Votes against").fill("1")
    board.get_by_role("button", name="Record the approval").click()
    expect(page.get_by_text("approved on June 11, 2024, agenda item 7.B, 8–1")).to_be_visible()
    act(page, "Submit to CSDE")
    expect(page.get_by_role("heading", name="Status: Submitted")).to_be_visible()
    assert_accessible(page)

    # The reviewer finds it in the queue, asks for a baseline and returns it.
    as_user(page, site, "state.reviewer")
    page.get_by_role("link", name="Review queue").click()
    expect(page.get_by_role("row", name=re.compile("Bristol School District"))).to_contain_text(
        "Submitted"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Bristol School District").click()
    act(page, "Start the review")
    expect(page.get_by_role("heading", name="Status: Under review")).to_be_visible()
    assert_accessible(page)
    decide(page, goals_item, "Revise", "The K-3 reading goal needs its baseline.")
    new_comment = page.get_by_label("New comment on goals and measures")
    new_comment.fill("What was last winter's result?")
    page.locator("form", has=new_comment).get_by_role("button", name="Post the comment").click()
    expect(page.get_by_text("Your comment is posted.")).to_be_visible()
    act(page, "Return for revision", "See the checklist: one goal needs a baseline.")
    expect(page.get_by_role("heading", name="Status: Returned for revision")).to_be_visible()

    # The editor sees what to fix, fixes it and answers the comment.
    as_user(page, site, "district.editor")
    expect(page.get_by_text("Returned for revision")).to_be_visible()  # the district banner
    page.goto(site + PLAN)
    expect(page.get_by_text("To revise before resubmitting")).to_be_visible()
    expect(page.get_by_text("The K-3 reading goal needs its baseline.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=f"Edit {K3_GOAL}").click()
    row = page.get_by_role("form", name=f"Edit {K3_GOAL}")
    row.get_by_label("Baseline (optional)").fill("52")
    row.get_by_label("Baseline year (optional)").fill("2023-24")
    row.get_by_role("button", name="Save").click()
    expect(page.get_by_role("row", name=re.compile(K3_GOAL))).to_contain_text("52")
    page.get_by_role("link", name="Review", exact=True).click()
    page.get_by_label("Reply to Riley Chen").fill("52% in winter 2023-24; added as the baseline.")
    page.get_by_role("button", name="Post the reply").click()
    expect(page.get_by_text("52% in winter 2023-24; added as the baseline.")).to_be_visible()
    assert_accessible(page)

    # The leader resubmits; the reviewer approves every item and recommends.
    as_user(page, site, "district.leader")
    page.goto(site + PLAN)
    act(page, "Submit to CSDE")
    expect(page.get_by_role("heading", name="Status: Submitted")).to_be_visible()
    as_user(page, site, "state.reviewer")
    page.goto(site + PLAN + "review/")
    act(page, "Start the review")
    for item in items:
        decide(page, item, "Approve")
    act(page, "Recommend approval")
    expect(page.get_by_role("heading", name="Status: Recommended for approval")).to_be_visible()

    # The Commissioner approves; state fiscal staff release the funds.
    as_user(page, site, "commissioner")
    page.goto(site + PLAN)
    act(page, "Approve")
    expect(page.get_by_role("heading", name="Status: Approved")).to_be_visible()
    page.get_by_role("link", name="Approval letter").click()
    expect(
        page.get_by_role("heading", name="Approval of the FY2025 Alliance District plan")
    ).to_be_visible()
    assert_accessible(page)
    as_user(page, site, "state.fiscal")
    page.goto(site + PLAN)
    act(page, "Release the funds")

    # The editor sees the plan approved and funded, with the payment schedule.
    as_user(page, site, "district.editor")
    page.goto(site + PLAN)
    expect(page.get_by_role("heading", name="Status: Funds released")).to_be_visible()
    schedule = page.get_by_role("table", name=re.compile("Payment schedule"))
    expect(schedule.get_by_role("row", name=re.compile("October installment"))).to_contain_text(
        "$3,015,407.50"
    )
    expect(schedule.get_by_role("row", name=re.compile("April installment"))).to_contain_text(
        "$6,030,815.00"
    )
    assert_accessible(page)

    # An amendment moves $10,000 from the literacy academy to coach training.
    act(page, "Open an amendment", "Move $10,000 from the literacy academy to coach training.")
    expect(page.get_by_role("heading", name="Status: Amendment in progress")).to_be_visible()
    page.get_by_role("link", name="Positions, lines and budget").click()
    for description, amount in (("K-3 literacy academy", "410000"),
                                ("Instructional coach training", "105000")):  # fmt: skip
        page.get_by_role("button", name=f"Edit {description}").click()
        row = page.get_by_role("form", name=f"Edit {description}")
        row.get_by_label("Amount").fill(amount)
        row.get_by_role("button", name="Save").click()
        expect(page.get_by_role("row", name=re.compile(description))).to_contain_text(
            f"${int(amount):,}.00"
        )
    expect(page.get_by_test_id("difference")).to_have_text("$0.00")
    as_user(page, site, "district.leader")
    page.goto(site + PLAN)
    act(page, "Submit the amendment")
    as_user(page, site, "state.fiscal")
    page.goto(site + PLAN + "amendments/1/")
    assert_accessible(page)
    act(page, "Approve the budget amendment")
    expect(page.get_by_role("heading", name="Status: Funds released")).to_be_visible()

    # The redline shows the two lines, from what to what, and why.
    as_user(page, site, "district.editor")
    page.goto(site + PLAN)
    page.get_by_role("link", name=re.compile(r"^1 \(approved\)")).click()
    reason = page.get_by_text(
        "Move $10,000 from the literacy academy to coach training.", exact=True
    )
    expect(reason).to_be_visible()
    redline = page.get_by_role("table", name="What changes, from what to what")
    literacy = redline.get_by_role("row", name=re.compile("K-3 literacy academy"))
    expect(literacy).to_contain_text("$420,000.00")
    expect(literacy).to_contain_text("$410,000.00")
    coaching = redline.get_by_role("row", name=re.compile("Instructional coach training"))
    expect(coaching).to_contain_text("$95,000.00")
    expect(coaching).to_contain_text("$105,000.00")
    assert_accessible(page)
    # Versions 1 and 2 were submitted, 3 approved; the amendment's result is version 4.
    page.get_by_role("link", name="version 4").click()
    expect(page.get_by_text("Version 4, frozen when the plan was funds released")).to_be_visible()
    assert_accessible(page)

    # Every step is in the audit trail, and the history page shows it.
    steps = list(
        AuditEntry.objects.filter(object_type="plan").exclude(action="create").order_by("id")
        .values_list("action", flat=True)
    )  # fmt: skip
    assert steps == [
        "submit", "start_review", "return", "submit", "start_review", "recommend", "approve",
        "release_funds", "open_amendment", "submit_amendment", "approve_budget_amendment",
    ]  # fmt: skip
    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("row", name=re.compile("approve_budget_amendment"))).to_contain_text(
        "Frances Okafor"
    )
    assert_accessible(page)


def test_the_state_admin_keeps_the_checklist_in_the_browser(page: Page, site: str):
    item = ChecklistItem.objects.get(code="budget.educational")
    as_user(page, site, "state.admin")
    page.get_by_role("link", name="Review queue").click()
    expect(page.get_by_text("No plan matches.")).to_be_visible()
    page.get_by_role("link", name="The review checklist").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review checklist")
    assert_accessible(page)
    entry = page.get_by_role("region", name=re.compile("budget.educational"))
    entry.get_by_text("Edit").click()
    entry.get_by_label("Text").fill("Every expenditure is for educational purposes only.")
    entry.get_by_role("button", name="Save budget.educational").click()
    expect(page.get_by_text("The checklist is saved.")).to_be_visible()
    expect(
        page.get_by_text("Every expenditure is for educational purposes only.").first
    ).to_be_visible()
    assert_accessible(page)
    item.refresh_from_db()
    assert item.text == "Every expenditure is for educational purposes only." and item.version == 2
