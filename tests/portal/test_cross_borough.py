"""Each borough's officer, in turn, tries every route that takes a submission id on the other
boroughs' submissions: every answer is the 404 a missing submission gets, byte for byte."""

from __future__ import annotations

import re
import sqlite3

import pytest
from conftest import Client, officer

ROUTES = ["/submissions/{}", "/submissions/{}/report.json", "/submissions/{}/file",
          "/submissions/{}/annotated.xlsx"]  # fmt: skip


@pytest.fixture(scope="module")
def submissions_by_borough(portal) -> dict[str, list[int]]:
    """Ground truth from the database file itself: submission ids by borough."""
    conn = sqlite3.connect(f"file:{portal.env['PORTAL_DATABASE']}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT borough, id FROM submissions ORDER BY id").fetchall()
    finally:
        conn.close()
    found: dict[str, list[int]] = {}
    for borough, sid in rows:
        found.setdefault(borough, []).append(sid)
    return found


def same(response) -> str:  # type: ignore[no-untyped-def]
    """A page's text without the sign-out form's CSRF token, which differs on every page."""
    return re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', "", response.text)


def test_no_officer_can_reach_another_boroughs_submission(portal, standard, submissions_by_borough):
    boroughs = list(standard.boroughs.codes)
    assert len(boroughs) == 33
    assert len(submissions_by_borough) >= 28  # the demonstration gives most boroughs returns
    missing_id = 10**9
    leaks = []
    for code in boroughs:
        client = Client(portal.base)
        assert "Returns due from" in client.sign_in(officer(code)).text
        missing = {route: client.get(route.format(missing_id)) for route in ROUTES}
        assert all(r.status_code == 404 for r in missing.values())
        for own in submissions_by_borough.get(code, [])[:1]:  # the gate lets the owner in
            assert client.get(ROUTES[0].format(own)).status_code == 200
        for other, ids in submissions_by_borough.items():
            if other == code:
                continue
            for route in ROUTES:
                answer = client.get(route.format(ids[-1]))
                if answer.status_code != 404 or same(answer) != same(missing[route]):
                    leaks.append((code, other, route.format(ids[-1]), answer.status_code))
    assert leaks == []


def test_a_gla_administrator_sees_every_borough_and_a_viewer_none(portal, submissions_by_borough):
    gla, viewer = Client(portal.base), Client(portal.base)
    gla.sign_in("gla.admin@london.gov.uk")
    viewer.sign_in("viewer@london.gov.uk")
    for ids in submissions_by_borough.values():
        assert gla.get(f"/submissions/{ids[0]}").status_code == 200
        assert viewer.get(f"/submissions/{ids[0]}").status_code == 404


GLA_PAGES = ["/rounds/{round}/tracker", "/rounds/{round}/not-submitted.csv", "/rounds/{round}/edit",
             "/users", "/users/new", "/audit-log", "/audit-log.csv", "/data-collection/london.csv",
             "/data-collection/boroughs/{code}"]  # fmt: skip


def test_no_officer_can_reach_another_boroughs_history_or_the_glas_pages(portal, standard):
    """The collection's pages, for every officer: another borough's history of a return answers
    the 404 of a borough that does not exist, and the GLA's own pages answer 404 too."""
    boroughs = list(standard.boroughs.codes)
    conn = sqlite3.connect(f"file:{portal.env['PORTAL_DATABASE']}?mode=ro", uri=True)
    try:
        round_id, types = conn.execute(
            "SELECT id, types FROM rounds WHERE closed_at IS NULL ORDER BY id LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    kind = re.findall(r'"([^"]+)"', types)[0]
    history = "/rounds/{round}/boroughs/{code}/{kind}"
    gla = Client(portal.base)
    gla.sign_in("gla.admin@london.gov.uk")
    for page in GLA_PAGES:  # every address is real: the GLA reaches each one
        path = page.format(round=round_id, code=boroughs[0])
        assert gla.get(path).status_code == 200, path
    leaks = []
    for code in boroughs:
        client = Client(portal.base)
        client.sign_in(officer(code))
        own = client.get(history.format(round=round_id, code=code, kind=kind))
        assert own.status_code == 200, code  # the gate lets the owner in
        missing = client.get(history.format(round=round_id, code="E09999999", kind=kind))
        assert missing.status_code == 404
        for other in boroughs:
            if other != code:
                answer = client.get(history.format(round=round_id, code=other, kind=kind))
                if answer.status_code != 404 or same(answer) != same(missing):
                    leaks.append((code, other, answer.status_code))
        for page in GLA_PAGES:
            for other in (code, boroughs[boroughs.index(code) - 1]):
                path = page.format(round=round_id, code=other)
                if client.get(path).status_code != 404:
                    leaks.append((code, path))
    assert leaks == []
