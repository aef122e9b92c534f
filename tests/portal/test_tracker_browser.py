"""In a real Chromium (Debian's, driven by Playwright): the GLA signs in, opens the tracker,
follows a borough's cell to that return's history and on to a submission; axe-core finds no
WCAG 2.2 A/AA violations on the tracker, the history, the round and account pages (with and
without errors) and an officer's own status page."""

from __future__ import annotations

import re

import pytest
from conftest import PASSWORD, officer

CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--no-first-run",
    "--disable-default-apps", "--disable-sync", "--metrics-recording-only", "--mute-audio",
]  # fmt: skip
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BOROUGH = "E09000002"  # the demonstration gives it accepted returns


@pytest.fixture(scope="module")
def in_chromium(chromium_path):
    """Run a scenario ``f(page)`` in a fresh browser context, on Playwright's own thread
    (another sync Playwright may already hold the main thread; see test_browser.py)."""
    from concurrent.futures import ThreadPoolExecutor

    from playwright.sync_api import sync_playwright

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium-tracker")
    state = {}

    def start() -> None:
        state["playwright"] = sync_playwright().start()
        state["browser"] = state["playwright"].chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )

    def stop() -> None:
        state["browser"].close()
        state["playwright"].stop()

    pool.submit(start).result()

    def run(scenario):  # type: ignore[no-untyped-def]
        def go():  # type: ignore[no-untyped-def]
            context = state["browser"].new_context()
            try:
                return scenario(context.new_page())
            finally:
                context.close()

        return pool.submit(go).result()

    yield run
    pool.submit(stop).result()
    pool.shutdown()


@pytest.fixture(scope="module")
def violations():
    """axe-core's WCAG 2.2 A/AA violations on the page as loaded."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}

    def run(page) -> list[str]:
        found = axe.run(page, options=options).response["violations"]
        return [f"{page.url}: {v['id']} ({len(v['nodes'])})" for v in found]

    return run


def sign_in(page, portal, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(portal.base + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_the_gla_follows_a_tracker_cell_to_the_boroughs_history(in_chromium, portal, violations):
    assert in_chromium(lambda page: gla_uses_the_tracker(page, portal, violations)) == []


def gla_uses_the_tracker(page, portal, violations) -> list[str]:  # type: ignore[no-untyped-def]
    problems: list[str] = []
    sign_in(page, portal, "gla.admin@london.gov.uk")
    page.get_by_role("link", name="Open the tracker for Annual return 2025-26").click()
    assert page.locator("h1").inner_text() == "Tracker: Annual return 2025-26"
    assert page.locator(f"#borough-{BOROUGH} td").count() == 2
    assert "boroughs have an accepted resident survey return" in page.content()
    problems += violations(page)

    cell = page.locator(f"#borough-{BOROUGH} td[data-type='resident-survey']")
    label = cell.locator(".govuk-tag").inner_text()
    assert label in ("Accepted", "Accepted late")
    cell.get_by_role("link").click()
    assert page.locator("h1").inner_text() == "Resident survey return from Barking and Dagenham"
    assert re.search(rf"/boroughs/{BOROUGH}/resident-survey$", page.url)
    assert page.locator("#attempts tbody tr").count() >= 1
    problems += violations(page)
    page.locator("#attempts tbody a").first.click()
    assert page.locator("h1").inner_text().startswith("Submission ")

    page.go_back()
    page.go_back()
    page.get_by_role("link", name="Change or close this round").click()
    page.get_by_label("Closing date").fill("31/12/2026")
    page.get_by_role("button", name="Save the round").click()
    assert page.locator(".govuk-error-summary").is_visible()
    problems += violations(page)

    page.get_by_role("link", name="Accounts").click()
    assert page.locator("h1").inner_text() == "Accounts"
    problems += violations(page)
    page.get_by_role("button", name="Add an account").click()
    page.get_by_role("button", name="Add the account").click()
    assert page.locator(".govuk-error-summary").is_visible()
    problems += violations(page)
    return problems


def test_an_officers_status_page_is_accessible(in_chromium, portal, violations):
    def scenario(page) -> list[str]:  # type: ignore[no-untyped-def]
        sign_in(page, portal, officer(BOROUGH))
        stand = "Where Barking and Dagenham's returns stand in Annual return 2025-26"
        page.get_by_role("link", name=stand, exact=True).click()
        assert page.locator("h1").inner_text() == "Returns from Barking and Dagenham"
        return violations(page)

    assert in_chromium(scenario) == []
