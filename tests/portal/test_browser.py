"""In a real Chromium (Debian's, driven by Playwright): an officer signs in, uploads an invalid
file, follows an error-summary link to the problem, uploads the fixed file and sees it accepted.
axe-core checks every page on the way, in its normal and its error state, for WCAG 2.2 A/AA."""

from __future__ import annotations

import pytest
from conftest import MAX_UPLOAD_MB, PASSWORD, officer

CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--no-first-run",
    "--disable-default-apps", "--disable-sync", "--metrics-recording-only", "--mute-audio",
]  # fmt: skip
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def in_chromium(chromium_path):
    """Run a scenario ``f(page)`` in a fresh browser context, on Playwright's own thread.

    tests/browser keeps a sync Playwright open for the whole session on the main thread, and a
    second one cannot start there; this one lives on a thread of its own, and every call to it
    (the scenario, axe) runs on that thread.
    """
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
    """axe-core's WCAG 2.2 A/AA violations on the page as loaded (injected with evaluate, so
    the portal's strict Content-Security-Policy neither blocks it nor is bypassed)."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}

    def run(page) -> list[str]:
        found = axe.run(page, options=options).response["violations"]
        return [f"{page.url}: {v['id']} ({len(v['nodes'])})" for v in found]

    return run


def test_axe_finds_violations_on_a_broken_page(in_chromium, violations):
    def scenario(page):  # type: ignore[no-untyped-def]
        page.set_content("<html><body><img src='x.png'><input type='text'></body></html>")
        return violations(page)

    assert in_chromium(scenario), "axe found nothing on a page built to fail: the check is broken"


def test_an_officer_fixes_a_rejected_return_in_the_browser(
    in_chromium, portal, returns, violations, tmp_path
):
    wrong = tmp_path / "survey.csv"
    wrong.write_bytes(returns[("E09000001", "resident-survey")])
    fixed = tmp_path / "survey-fixed.csv"
    fixed.write_bytes(returns[("E09000027", "resident-survey")])
    assert (
        in_chromium(lambda page: officer_fixes_a_return(page, portal, wrong, fixed, violations))
        == []
    )


def officer_fixes_a_return(page, portal, wrong, fixed, violations) -> list[str]:  # type: ignore[no-untyped-def]
    """The scenario; returns every axe violation seen on the way."""
    problems: list[str] = []
    page.goto(portal.base + "/")
    assert page.locator("h1").inner_text() == "Sign in"
    problems += violations(page)
    page.get_by_role("button", name="Sign in").click()
    assert page.locator(".govuk-error-summary").is_visible()
    problems += violations(page)

    page.get_by_label("Email address").fill(officer("E09000027"))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert "Returns due from" in page.locator("h1").inner_text()
    session = next(c for c in page.context.cookies() if c["name"] == "lsids_session")
    assert session["secure"] and session["httpOnly"] and session["sameSite"] == "Lax"
    problems += violations(page)

    page.locator("a[href*='type=resident-survey']").first.click()
    assert page.locator("h1").inner_text() == "Upload a return"
    assert page.locator("input[value='resident-survey']").is_checked()
    problems += violations(page)
    page.get_by_role("button", name="Upload and check").click()
    assert "Select a CSV or Excel" in page.locator(".govuk-error-summary").inner_text()
    problems += violations(page)

    page.locator("input[type=file]").set_input_files(str(wrong))
    page.get_by_role("button", name="Upload and check").click()
    assert "This return was not accepted" in page.content()
    problems += violations(page)
    link = page.locator(".govuk-error-summary a").first
    target = link.get_attribute("href")
    link.click()
    assert page.url.endswith(target)
    assert page.locator(target).is_visible()
    assert page.locator(target).evaluate("el => el.getBoundingClientRect().top") < 200

    page.locator("input[type=file]").set_input_files(str(fixed))
    page.get_by_role("button", name="Upload and check").click()
    assert page.locator(".govuk-panel__title").inner_text() == "Return accepted"
    problems += violations(page)

    page.goto(portal.base + "/")
    assert "Accepted" in page.locator("table").inner_text()
    problems += violations(page)
    page.goto(portal.base + "/submissions/999999999")
    assert page.locator("h1").inner_text() == "Page not found"
    problems += violations(page)
    return problems


def test_the_gla_round_form_is_accessible_with_and_without_errors(in_chromium, portal, violations):
    assert in_chromium(lambda page: gla_opens_a_round(page, portal, violations)) == []


def gla_opens_a_round(page, portal, violations) -> list[str]:  # type: ignore[no-untyped-def]
    problems: list[str] = []
    page.goto(portal.base + "/sign-in")
    page.get_by_label("Email address").fill("gla.admin@london.gov.uk")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.locator("h1").inner_text() == "Collection rounds"
    problems += violations(page)
    page.get_by_role("button", name="Open a round").click()
    problems += violations(page)
    page.get_by_role("button", name="Open the round").click()
    assert page.locator(".govuk-error-summary").is_visible()
    problems += violations(page)
    return problems


def test_the_other_pages_a_person_can_meet_are_accessible(
    in_chromium, portal, violations, tmp_path
):
    big = tmp_path / "too-big.csv"
    with big.open("wb") as fh:
        fh.truncate((MAX_UPLOAD_MB + 1) * 1024 * 1024)
    assert in_chromium(lambda page: other_pages(page, portal, big, violations)) == []


def other_pages(page, portal, big, violations) -> list[str]:  # type: ignore[no-untyped-def]
    """A file over the limit, a form whose token was tampered with, and the viewer's home."""
    problems: list[str] = []
    sign_in(page, portal, officer("E09000026"))
    page.goto(portal.base + "/upload")
    page.locator("input[value='service-data']").check()
    page.locator("input[type=file]").set_input_files(str(big))
    page.get_by_role("button", name="Upload and check").click()
    assert page.locator("h1").inner_text() == "The file is too large"
    problems += violations(page)

    page.goto(portal.base + "/upload")
    page.evaluate("document.querySelector('main form input[name=csrf_token]').value = 'forged'")
    page.get_by_role("button", name="Upload and check").click()
    assert page.locator("h1").inner_text() == "Sorry, you need to try again"
    problems += violations(page)

    page.get_by_role("button", name="Sign out").click()
    assert "You have signed out" in page.content()
    problems += violations(page)
    sign_in(page, portal, "viewer@london.gov.uk")
    assert page.locator("h1").inner_text() == "London-wide figures"
    problems += violations(page)
    return problems


def sign_in(page, portal, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(portal.base + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
