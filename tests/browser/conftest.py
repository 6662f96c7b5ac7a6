"""Playwright driving Debian's Chromium (/usr/bin/chromium) against the live test server.

Never `playwright install`: the browser is the system's. Each page visited is checked with axe-core
(installed from npm through package-lock.json) for serious and critical violations.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, sync_playwright

from alliance.accountability.services import accountability_import
from alliance.demo.users import demo_users_create
from alliance.registry.ctdata import NGA_EXPORT
from alliance.registry.services import registry_load
from alliance.review.services import checklist_seed

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
AXE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = settings.BASE_DIR / "test-artifacts"

# Playwright's sync API runs an event loop in this thread; the ORM calls the fixtures make here are
# still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: apt-get install chromium (as .ci/run does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, transactional_db) -> str:
    """The live server's address, with the bundled data and the demo sign-ins loaded."""
    registry_load(data_dir=settings.CT_DATA_DIR)
    accountability_import(path=settings.CT_DATA_DIR / NGA_EXPORT)
    demo_users_create()
    checklist_seed()  # a transactional test before this one flushed the migration's rows
    return str(live_server.url)


@pytest.fixture
def page(browser: Browser, request) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}")
            if "/static/" in r.url and r.status >= 400
            else None
        ),
    )
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert errors == [], f"JavaScript errors or missing assets: {errors}"


def assert_accessible(page: Page) -> None:
    """axe-core finds no serious or critical violation on the current page."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], f"axe-core on {page.url}: " + "; ".join(bad)


def sign_in(page: Page, site: str, username: str) -> None:
    page.goto(f"{site}/accounts/login/")
    assert_accessible(page)
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill("alliance-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
