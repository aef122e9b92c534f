"""The GLA runs a round over real HTTP: opens it, several boroughs upload (valid, invalid, again),
and the tracker, each return's history, an officer's own status page and the chase-list CSV show
exactly what happened. Officers never see another borough's history or the tracker."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from datetime import timedelta

import pytest
from conftest import Client, officer, round_id, submission_id

from portal.times import today
from validator.standard import load_standard

GLA = "gla.admin@london.gov.uk"
SURVEY, SERVICE = "resident-survey", "service-data"
ROUND = "Tracker test round 2025-26"
# Four boroughs, each with a different story.
TWICE, WRONG, FIXED, SLIPPED = "E09000005", "E09000007", "E09000009", "E09000011"


def states(html: str, code: str) -> dict[str, str]:
    """The tracker row of one borough: {type: state} read from the page."""
    row = re.search(rf'id="borough-{code}">(.*?)</tr>', html, re.S)
    assert row, f"the tracker has no row for {code}"
    return dict(re.findall(r'data-type="([^"]+)" data-state="([^"]+)"', row.group(1)))


def events(portal, action: str) -> list[dict]:
    conn = sqlite3.connect(f"file:{portal.env['PORTAL_DATABASE']}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        found = conn.execute(
            "SELECT events.*, users.email FROM events LEFT JOIN users ON users.id = user_id"
            " WHERE action = ? ORDER BY events.id",
            (action,),
        ).fetchall()
    finally:
        conn.close()
    return [dict(r) for r in found]


def open_round(gla: Client, name: str, types: list[str]) -> None:
    page = gla.submit(
        "/rounds/new",
        {
            "name": name,
            "period": "2025-26",
            "types": types,
            "standard_version": load_standard().version,
            "opens_on": (today() - timedelta(days=1)).isoformat(),
            "closes_on": (today() + timedelta(days=10)).isoformat(),
        },
    )
    assert "is open" in page.text


@pytest.fixture(scope="module")
def story(portal, returns):
    """The round and what each borough sent, as submission ids in the order sent."""
    gla = Client(portal.base)
    gla.sign_in(GLA)
    open_round(gla, ROUND, [SURVEY, SERVICE])
    sent: dict[tuple[str, str], list[int]] = {}

    def send(code: str, kind: str, file_of: str, expect: str) -> None:
        client = Client(portal.base)
        client.sign_in(officer(code))
        rid = round_id(client, ROUND)
        page = client.upload(rid, kind, f"{kind}.csv", returns[(file_of, kind)])
        assert ("Return accepted" in page.text) == (expect == "accepted")
        sent.setdefault((code, kind), []).append(submission_id(page))

    send(TWICE, SURVEY, TWICE, "accepted")
    send(TWICE, SURVEY, TWICE, "accepted")  # a re-upload: version 2 supersedes version 1
    send(WRONG, SURVEY, TWICE, "rejected")  # another borough's file
    send(FIXED, SERVICE, WRONG, "rejected")
    send(FIXED, SERVICE, FIXED, "accepted")
    send(SLIPPED, SURVEY, SLIPPED, "accepted")
    send(SLIPPED, SURVEY, WRONG, "rejected")  # a later bad attempt leaves version 1 standing
    officer_client = Client(portal.base)
    officer_client.sign_in(officer(TWICE))
    return {"gla": gla, "round": round_id(officer_client, ROUND), "sent": sent}


def test_the_tracker_shows_each_boroughs_return_as_it_stands(story, standard):
    page = story["gla"].get(f"/rounds/{story['round']}/tracker")
    assert page.status_code == 200
    html = page.text
    assert "2 of 33 boroughs have an accepted resident survey return" in html
    assert "1 of 33 boroughs have an accepted service data return" in html
    assert "(10 days left)" in html
    assert states(html, TWICE) == {SURVEY: "accepted", SERVICE: "not-started"}
    assert states(html, WRONG) == {SURVEY: "rejected", SERVICE: "not-started"}
    assert states(html, FIXED) == {SURVEY: "not-started", SERVICE: "accepted"}
    assert states(html, SLIPPED) == {SURVEY: "accepted", SERVICE: "not-started"}
    rows = re.findall(r'id="borough-(E09\d+)"', html)
    assert rows == list(standard.boroughs.codes)  # every borough, in the standard's order
    names = standard.boroughs.labels()
    assert all(names[code] in html for code in rows)
    twice = re.search(rf'id="borough-{TWICE}">(.*?)</tr>', html, re.S).group(1)
    assert "1 superseded version behind it" in twice
    slipped = re.search(rf'id="borough-{SLIPPED}">(.*?)</tr>', html, re.S).group(1)
    assert "Latest attempt rejected" in slipped
    assert ">Rejected</strong>" in html and ">Not started</strong>" in html  # words, not colour


def test_each_cell_opens_that_returns_history_newest_first(story):
    html = story["gla"].get(f"/rounds/{story['round']}/tracker").text
    row = re.search(rf'id="borough-{TWICE}">(.*?)</tr>', html, re.S).group(1)
    link = re.search(rf'href="(/rounds/\d+/boroughs/{TWICE}/{SURVEY})"', row).group(1)
    history = story["gla"].get(link)
    assert history.status_code == 200
    listed = [int(n) for n in re.findall(r'href="/submissions/(\d+)"', history.text)]
    first, second = story["sent"][(TWICE, SURVEY)]
    assert listed == [second, first]
    assert re.findall(r">(Accepted|Superseded|Rejected)</strong> version (\d)", history.text) == [
        ("Accepted", "2"),
        ("Superseded", "1"),
    ]
    fixed = story["gla"].get(f"/rounds/{story['round']}/boroughs/{FIXED}/{SERVICE}").text
    rejected, accepted = story["sent"][(FIXED, SERVICE)]
    assert [int(n) for n in re.findall(r'href="/submissions/(\d+)"', fixed)] == [accepted, rejected]
    nothing = story["gla"].get(f"/rounds/{story['round']}/boroughs/E09000033/{SURVEY}")
    assert "Nothing has been uploaded for this return yet" in nothing.text


def test_the_chase_list_names_every_missing_return_and_its_contacts(portal, story):
    gla = story["gla"]
    # An account whose address a spreadsheet would run as a formula, for the borough that failed.
    made = gla.submit(
        "/users/new", {"email": "=1+2@example.gov.uk", "role": "officer", "borough": WRONG}
    )
    assert "Account added" in made.text
    before = len(events(portal, "downloaded-not-submitted"))
    answer = gla.get(f"/rounds/{story['round']}/not-submitted.csv")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert len(rows) == 33 * 2 - 3  # three returns are accepted
    keyed = {(r["borough_code"], r["return"]): r for r in rows}
    assert (TWICE, "Resident survey return") not in keyed
    assert (SLIPPED, "Resident survey return") not in keyed
    wrong = keyed[(WRONG, "Resident survey return")]
    assert wrong["status"] == "Rejected" and wrong["attempts"] == "1"
    assert wrong["contacts"] == f"'=1+2@example.gov.uk; {officer(WRONG)}"
    quiet = keyed[("E09000033", "Service data return")]
    assert quiet["status"] == "Not started" and quiet["contacts"] == officer("E09000033")
    assert quiet["borough"] == "Westminster"
    logged = events(portal, "downloaded-not-submitted")
    assert len(logged) == before + 1
    assert logged[-1]["email"] == GLA and f"round {story['round']}" in logged[-1]["detail"]


def test_an_officer_sees_their_own_status_but_no_other_borough(portal, story):
    client = Client(portal.base)
    client.sign_in(officer(WRONG))
    rid = story["round"]
    own = client.get(f"/rounds/{rid}/status")
    assert own.status_code == 200
    assert dict(re.findall(r'data-type="([^"]+)" data-state="([^"]+)"', own.text)) == {
        SURVEY: "rejected",
        SERVICE: "not-started",
    }
    assert client.get(f"/rounds/{rid}/boroughs/{WRONG}/{SURVEY}").status_code == 200
    home = client.get("/").text
    assert f"/rounds/{rid}/status" in home
    missing = client.get(f"/rounds/{rid}/boroughs/{WRONG}/no-such-return")
    assert missing.status_code == 404
    for path in [
        f"/rounds/{rid}/boroughs/{TWICE}/{SURVEY}",
        f"/rounds/{rid}/tracker",
        f"/rounds/{rid}/not-submitted.csv",
        f"/rounds/{rid}/edit",
        "/users",
    ]:
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert str(story["sent"][(TWICE, SURVEY)][0]) not in answer.text
    viewer = Client(portal.base)
    viewer.sign_in("viewer@london.gov.uk")
    assert viewer.get(f"/rounds/{rid}/tracker").status_code == 404
    assert viewer.get(f"/rounds/{rid}/boroughs/{WRONG}/{SURVEY}").status_code == 404
