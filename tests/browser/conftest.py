"""A real Chromium for the pages people read: Debian's browser driven by Playwright.

Playwright cannot download its own browsers here, so it launches the system Chromium. When it is
missing on a developer's machine the browser tests are skipped with a reason; CI installs it and
sets LSIDS_REQUIRE_BROWSER=1 so that a missing browser fails instead.
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-sync",
    "--metrics-recording-only",
    "--mute-audio",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        if os.environ.get("LSIDS_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required here but was not found (apt-get install chromium)")
        pytest.skip("no Chromium: install it with 'apt-get install chromium' to run browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def violations():
    """A function giving axe-core's WCAG 2.2 AA violations on a page as loaded.

    axe is injected with page.evaluate, not a script tag, so a strict Content-Security-Policy
    does not block it and is not bypassed.
    """
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}

    def run(page) -> list[dict]:
        return axe.run(page, options=options).response["violations"]

    return run
