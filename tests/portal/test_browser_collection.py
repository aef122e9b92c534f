"""In a real Chromium (Debian's, driven by Playwright), axe-core checks the data-collection audit
(the officer's list and form, with and without errors, and the GLA's London matrix) and the
audit-log page (filtered, paged and with a bad filter) for WCAG 2.2 A/AA violations."""

from __future__ import annotations

import pytest
from conftest import PASSWORD, officer
from test_browser import CHROMIUM_ARGS, WCAG_TAGS

GLA = "gla.admin@london.gov.uk"


@pytest.fixture(scope="module")
def in_chromium(chromium_path):
    """Run a scenario ``f(page)`` in a fresh browser context on Playwright's own thread (as in
    test_browser.py: a second sync Playwright cannot start on the main thread)."""
    from concurrent.futures import ThreadPoolExecutor

    from playwright.sync_api import sync_playwright

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium")
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


def test_the_data_collection_pages_are_accessible(in_chromium, portal, violations):
    assert in_chromium(lambda page: data_collection(page, portal, violations)) == []


def data_collection(page, portal, violations) -> list[str]:  # type: ignore[no-untyped-def]
    """An officer answers a measure (first with mistakes), then the GLA opens the matrix."""
    problems: list[str] = []
    sign_in(page, portal, officer("E09000031"))
    page.get_by_role("link", name="Data collection audit").click()
    assert page.locator("h1").inner_text() == "Data collection audit"
    problems += violations(page)

    page.locator(".govuk-summary-list__actions a").first.click()
    problems += violations(page)
    page.get_by_label("From our residents' survey").check()
    page.get_by_role("button", name="Save answer").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter the name of the survey" in summary.inner_text()
    problems += violations(page)
    summary.get_by_role("link", name="Enter the name of the survey").click()
    assert page.get_by_label("Name of the survey").evaluate("el => el === document.activeElement")

    page.get_by_label("Name of the survey").fill("Waltham Forest Residents' Survey")
    page.get_by_label("Year the survey was carried out").fill("2025")
    page.get_by_label("Sample size").fill("1500")
    page.get_by_label("Partly").check()
    page.get_by_role("button", name="Save answer").click()
    assert "Saved your answer" in page.locator(".govuk-notification-banner").inner_text()
    assert "Waltham Forest Residents' Survey, 2025, 1,500 people" in page.content()
    problems += violations(page)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, portal, GLA)
    page.get_by_role("link", name="Data collection audit").click()
    assert page.locator("h1").inner_text() == "Data collection audit: London"
    assert page.locator("#matrix").is_visible()
    problems += violations(page)
    page.get_by_role("link", name="Waltham Forest").click()
    assert "Waltham Forest Residents' Survey" in page.content()
    problems += violations(page)
    return problems


def test_the_audit_log_page_is_accessible(in_chromium, portal, violations):
    assert in_chromium(lambda page: audit_log(page, portal, violations)) == []


def audit_log(page, portal, violations) -> list[str]:  # type: ignore[no-untyped-def]
    problems: list[str] = []
    sign_in(page, portal, GLA)
    page.get_by_role("link", name="View the audit log").click()
    assert page.locator("h1").inner_text() == "Audit log"
    assert page.locator("#entries tbody tr").count() > 0
    problems += violations(page)

    page.get_by_label("Action").select_option("signed-in")
    page.get_by_role("button", name="Apply filters").click()
    actions = page.locator("#entries tbody tr td:nth-child(4)").all_inner_texts()
    assert actions and set(actions) == {"signed-in"}
    problems += violations(page)

    page.goto(portal.base + "/audit-log")
    if page.get_by_role("link", name="Next page").count():
        page.get_by_role("link", name="Next page").click()
        assert "page=2" in page.url
        problems += violations(page)

    page.get_by_label("From").fill("not a date")
    page.get_by_role("button", name="Apply filters").click()
    assert "Enter the start date as a date" in page.locator(".govuk-error-summary").inner_text()
    problems += violations(page)
    return problems
