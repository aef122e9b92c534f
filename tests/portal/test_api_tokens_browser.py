"""In a real Chromium: an officer makes an API token on the page, sees it once in the panel, and
revokes it. axe-core checks the page empty, with an error, with the new token and after revoking."""

from __future__ import annotations

import pytest
import requests
from conftest import PASSWORD, officer, start_portal
from test_browser import in_chromium, violations  # noqa: F401 (the browser fixtures, shared)


@pytest.fixture(scope="module")
def tokens_portal(tmp_path_factory):
    yield from start_portal(tmp_path_factory.mktemp("tokens-browser"))


def test_an_officer_makes_and_revokes_a_token_in_the_browser(
    in_chromium,  # noqa: F811
    violations,  # noqa: F811
    tokens_portal,
):
    problems, token = in_chromium(lambda page: make_and_revoke(page, tokens_portal, violations))
    assert problems == []
    refused = requests.get(
        tokens_portal.base + "/api/v1/rounds",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert refused.status_code == 401


def make_and_revoke(page, portal, violations) -> tuple[list[str], str]:  # type: ignore[no-untyped-def]  # noqa: F811
    problems: list[str] = []
    page.goto(portal.base + "/sign-in")
    page.get_by_label("Email address").fill(officer("E09000030"))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="API tokens").click()
    assert page.locator("h1").inner_text() == "API tokens"
    assert "You have no API tokens" in page.content()
    problems += violations(page)

    page.get_by_role("button", name="Create token").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter a name for the token" in summary.inner_text()
    assert page.title().startswith("Error: ")
    problems += violations(page)
    summary.locator("a").first.click()
    assert page.evaluate("document.activeElement.id") == "name"

    page.get_by_label("Token name").fill("Nightly upload")
    page.get_by_role("button", name="Create token").click()
    assert page.locator(".govuk-panel__title").inner_text() == "API token created"
    token = page.locator("#new-token").inner_text()
    assert token.startswith("lsids_")
    assert "Never used" in page.locator("table").inner_text()
    problems += violations(page)

    page.goto(portal.base + "/account/tokens")
    assert token not in page.content()
    page.get_by_role("button", name="Revoke Nightly upload").click()
    assert "is revoked" in page.locator(".govuk-notification-banner").inner_text()
    assert "Revoked" in page.locator("table").inner_text()
    assert page.get_by_role("button", name="Revoke Nightly upload").count() == 0
    problems += violations(page)
    return problems, token
