"""The GLA changes and closes rounds from pages: bad dates get a GOV.UK error summary, a return
accepted after a moved deadline shows as late, and a closed round takes no more uploads.
Each change leaves its audit entry."""

from __future__ import annotations

import re
from datetime import timedelta

from conftest import Client, officer, round_id, submission_id
from test_tracker import GLA, SURVEY, events, open_round, states

from portal.times import today
from validator.standard import load_standard

LATE_ROUND = "Round that slipped 2025-26"
CLOSED_ROUND = "Round closed early 2025-26"
BOROUGH = "E09000014"


def _form(name: str, opens: str, closes: str) -> dict:
    return {
        "name": name,
        "period": "2025-26",
        "types": [SURVEY],
        "standard_version": load_standard().version,
        "opens_on": opens,
        "closes_on": closes,
    }


def test_moving_the_deadline_before_an_upload_makes_it_late(portal, returns):
    gla = Client(portal.base)
    gla.sign_in(GLA)
    open_round(gla, LATE_ROUND, [SURVEY])
    client = Client(portal.base)
    client.sign_in(officer(BOROUGH))
    rid = round_id(client, LATE_ROUND)
    page = client.upload(rid, SURVEY, "survey.csv", returns[(BOROUGH, SURVEY)])
    assert "Return accepted" in page.text
    submission_id(page)

    edit = f"/rounds/{rid}/edit"
    assert LATE_ROUND in gla.get(edit).text  # the form starts from the round as it is
    bad = gla.submit(edit, _form(LATE_ROUND, "2026-01-01", "31/12/2026"))
    assert "There is a problem" in bad.text
    assert '<a href="#closes_on">Enter the closing date as a date, like 2026-06-30</a>' in bad.text
    assert "<title>Error:" in bad.text
    backwards = gla.submit(edit, _form(LATE_ROUND, "2026-03-01", "2026-02-01"))
    assert "The closing date must be on or after the opening date" in backwards.text
    assert states(gla.get(f"/rounds/{rid}/tracker").text, BOROUGH) == {SURVEY: "accepted"}

    before = len(events(portal, "round-changed"))
    yesterday = (today() - timedelta(days=1)).isoformat()
    week_ago = (today() - timedelta(days=7)).isoformat()
    saved = gla.submit(edit, _form(LATE_ROUND, week_ago, yesterday))
    assert saved.url.endswith(f"/rounds/{rid}/tracker")
    assert states(saved.text, BOROUGH) == {SURVEY: "accepted-late"}
    assert ">Accepted late</strong>" in saved.text
    assert "(Closed)" in saved.text
    changed = events(portal, "round-changed")
    assert len(changed) == before + 1
    assert (
        f"closes_on {(today() + timedelta(days=10)).isoformat()} -> {yesterday}"
        in (changed[-1]["detail"])
    )
    assert changed[-1]["email"] == GLA
    assert LATE_ROUND not in client.get("/upload").text  # past its deadline: no more uploads


def test_closing_a_round_stops_uploads_at_once_and_keeps_the_deadline(portal, returns):
    gla = Client(portal.base)
    gla.sign_in(GLA)
    open_round(gla, CLOSED_ROUND, [SURVEY])
    client = Client(portal.base)
    client.sign_in(officer(BOROUGH))
    rid = round_id(client, CLOSED_ROUND)

    closed = gla.submit(f"/rounds/{rid}/edit", {}, action=f"/rounds/{rid}/close")
    assert "is closed: boroughs can no longer upload to it" in closed.text
    assert "(Closed)" in closed.text
    assert CLOSED_ROUND not in client.get("/upload").text
    refused = client.upload(rid, SURVEY, "survey.csv", returns[(BOROUGH, SURVEY)])
    assert "Select a collection round that is open" in refused.text
    assert "This round was closed on" in gla.get(f"/rounds/{rid}/edit").text
    entries = [e for e in events(portal, "round-closed") if e["detail"].startswith(f"round {rid}:")]
    assert len(entries) == 1 and entries[0]["email"] == GLA
    forged = gla.http.post(f"{portal.base}/rounds/{rid}/close", data={"csrf_token": "forged"})
    assert forged.status_code == 400
    home = gla.get("/").text
    assert re.search(rf"/rounds/{rid}/tracker", home)
