"""In a real Chromium (Debian's, driven by Playwright): a viewer opens the figures overview, a
measure's page and a filtered view of it; the charts and the tile map load as images under the
portal's Content-Security-Policy, and axe-core finds no WCAG 2.2 A/AA violation on any of them."""

from __future__ import annotations

import pytest
from conftest import PASSWORD

# A Chromium on a thread of its own and axe, as in test_browser.py (copied, so each file stands
# alone).
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


MEASURE = "rel_lonely_often"


def viewer_reads_the_figures(page, portal, violations) -> tuple[list[str], dict]:  # type: ignore[no-untyped-def]
    problems: list[str] = []
    seen: dict = {}
    page.goto(portal.base + "/sign-in")
    page.get_by_label("Email address").fill("viewer@london.gov.uk")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Figures", exact=True).click()
    assert page.locator("h1").inner_text() == "London-wide figures"
    seen["overview_rows"] = page.locator("#overview tbody tr").count()
    problems += violations(page)

    page.get_by_role("link", name="Feel lonely often or always").click()
    assert page.locator("h1").inner_text() == "Feel lonely often or always"
    page.wait_for_load_state("load")
    seen["images"] = page.evaluate(
        "[...document.querySelectorAll('main img')].map(i => [i.alt.length, i.naturalWidth])"
    )
    seen["map_rows"] = page.locator("#borough-table tbody tr").count()
    problems += violations(page)

    page.get_by_label("Period").select_option("2024-25")
    page.get_by_label("Group of people").select_option("sex:female")
    page.get_by_role("button", name="Show figures").click()
    page.wait_for_load_state("load")
    seen["filtered_heading"] = page.locator("h2").first.inner_text()
    seen["filtered_map"] = page.evaluate("document.querySelector('#tile-map img').naturalWidth")
    problems += violations(page)
    return problems, seen


def test_the_figures_pages_and_map_render_with_no_axe_violation(
    in_chromium, portal, violations, standard
):
    problems, seen = in_chromium(lambda page: viewer_reads_the_figures(page, portal, violations))
    assert problems == []
    assert seen["overview_rows"] == len(standard.measures)
    assert len(seen["images"]) == 3
    for alt_length, width in seen["images"]:
        assert alt_length > 60 and width > 200  # each chart drew, each has a text alternative
    assert seen["map_rows"] == 33
    assert seen["filtered_heading"] == "London, 2024-25: Sex: Female"
    assert seen["filtered_map"] > 200
