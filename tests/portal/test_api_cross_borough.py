"""The cross-borough test for the API and the tokens pages: each borough's officer, with a token
of their own, asks the API about the other boroughs' submissions and gets exactly the answer a
missing one gets; lists hold their own borough only; no one can revoke another's token."""

from __future__ import annotations

import re
import sqlite3

import pytest
import requests
from conftest import Client, officer, start_portal

MISSING_ID = 10**9


@pytest.fixture(scope="module")
def cross_portal(tmp_path_factory):
    yield from start_portal(tmp_path_factory.mktemp("api-cross"))


def ground_truth(portal) -> tuple[dict[str, list[int]], int, dict[str, list[int]]]:  # type: ignore[no-untyped-def]
    """From the database file: submission ids by borough, the current demonstration round's id,
    and that round's submission ids by borough."""
    conn = sqlite3.connect(f"file:{portal.env['PORTAL_DATABASE']}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT borough, id, round_id FROM submissions ORDER BY id").fetchall()
        (round_id,) = conn.execute(
            "SELECT id FROM rounds ORDER BY closes_on DESC, id DESC LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    found: dict[str, list[int]] = {}
    in_round: dict[str, list[int]] = {}
    for borough, sid, rid in rows:
        found.setdefault(borough, []).append(sid)
        if rid == round_id:
            in_round.setdefault(borough, []).append(sid)
    return found, round_id, in_round


def test_no_token_reaches_another_boroughs_submission(cross_portal, standard):
    by_borough, round_id, in_round = ground_truth(cross_portal)
    assert len(by_borough) >= 28
    api = cross_portal.base + "/api/v1"
    leaks, token_ids = [], {}
    for code in standard.boroughs.codes:
        client = Client(cross_portal.base)
        client.sign_in(officer(code))
        made = client.submit("/account/tokens", {"name": f"{code} script"})
        token = re.search(r'id="new-token"[^>]*>([^<]+)<', made.text).group(1)
        token_ids[code] = re.search(r'action="/account/tokens/(\d+)/revoke"', made.text).group(1)
        headers = {"Authorization": f"Bearer {token}"}
        missing = requests.get(f"{api}/submissions/{MISSING_ID}", headers=headers, timeout=60)
        assert missing.status_code == 404
        for own in by_borough.get(code, [])[:1]:  # the gate lets the owner in
            assert requests.get(f"{api}/submissions/{own}", headers=headers, timeout=60).ok
        listed = requests.get(
            f"{api}/submissions", params={"round": round_id}, headers=headers, timeout=60
        ).json()["submissions"]
        assert sorted(s["id"] for s in listed) == sorted(in_round.get(code, []))
        for other, ids in by_borough.items():
            if other == code:
                continue
            answer = requests.get(f"{api}/submissions/{ids[-1]}", headers=headers, timeout=60)
            if answer.status_code != 404 or answer.content != missing.content:
                leaks.append((code, other, ids[-1], answer.status_code))
    assert leaks == []

    # The revoke button of one officer's token, pressed by another officer: a 404, token unharmed
    thief = Client(cross_portal.base)
    thief.sign_in(officer("E09000001"))
    victim = token_ids["E09000002"]
    answer = thief.submit("/account/tokens", {}, action=f"/account/tokens/{victim}/revoke")
    missing = thief.submit("/account/tokens", {}, action=f"/account/tokens/{MISSING_ID}/revoke")
    assert answer.status_code == missing.status_code == 404
    owner = Client(cross_portal.base)
    owner.sign_in(officer("E09000002"))
    assert "E09000002 script" in owner.get("/account/tokens").text
    assert "E09000002 script" not in thief.get("/account/tokens").text
    assert f"/account/tokens/{victim}/revoke" in owner.get("/account/tokens").text
