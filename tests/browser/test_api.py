"""A district's grants specialist makes an API token for the finance system's nightly upload,
uses it, and revokes it; the API's docs page reads in Chromium."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_specialist_makes_uses_and_revokes_a_token(page: Page, site: str):
    sign_in(page, site, "district.editor")
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="API tokens", exact=True)).to_be_visible()
    assert_accessible(page)
    form = page.get_by_role("form", name="Make a token")
    form.get_by_label("What it is for").fill("   ")  # the browser takes it; the server does not
    form.get_by_role("button", name="Make the token").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    assert_accessible(page)
    form = page.get_by_role("form", name="Make a token")
    form.get_by_label("What it is for").fill("Nightly finance export")
    form.get_by_label("Lasts").select_option(label="30 days")
    form.get_by_role("button", name="Make the token").click()
    expect(page.get_by_role("heading", name="Copy your new token now")).to_be_visible()
    secret = page.get_by_label("Token", exact=True).input_value()
    assert secret.startswith("ag_")
    row = page.get_by_role("row", name="Nightly finance export")
    expect(row).to_contain_text("Active")
    expect(row).to_contain_text(secret[:10])
    assert_accessible(page)

    api = Client(headers={"Authorization": f"Bearer {secret}"})
    assert api.get("/api/v1/me").json()["username"] == "district.editor"

    page.reload()  # the secret is not shown again
    expect(page.get_by_role("heading", name="Copy your new token now")).to_have_count(0)
    page.get_by_role("button", name="Revoke Nightly finance export").click()
    expect(page.get_by_role("row", name="Nightly finance export")).to_contain_text("Revoked")
    assert api.get("/api/v1/me").status_code == 401


def test_the_api_docs_page_lists_the_endpoints(page: Page, site: str):
    sign_in(page, site, "state.reviewer")
    page.goto(site + "/api/v1/docs")
    expect(page.get_by_role("heading", name="Alliance Grants API")).to_be_visible()
    page.get_by_role(
        "link", name="POST /api/v1/plans/{code}/{fiscal_year}/expenditures/imports"
    ).click()
    section = page.get_by_role("region", name="Import a finance export")
    expect(section.get_by_role("row", name="422")).to_contain_text("FileProblem")
    file_row = section.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="file", exact=True)
    )
    expect(file_row).to_contain_text("string (binary)")
    expect(file_row).to_contain_text("CSV or XLSX")
    assert_accessible(page)
