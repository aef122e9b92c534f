"""The audit log over real HTTP: each action leaves one entry with who, borough and address,
and the stored log refuses to be edited."""

from __future__ import annotations

import sqlite3

import pytest
from conftest import Client, officer, round_id, submission_id

SERVICE = "service-data"


def _entries(portal, after: int) -> list[dict]:
    conn = sqlite3.connect(f"file:{portal.env['PORTAL_DATABASE']}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        found = conn.execute(
            "SELECT events.*, users.email FROM events LEFT JOIN users ON users.id = user_id"
            " WHERE events.id > ? ORDER BY events.id",
            (after,),
        ).fetchall()
    finally:
        conn.close()
    return [dict(r) for r in found]


def _last_id(portal) -> int:
    conn = sqlite3.connect(f"file:{portal.env['PORTAL_DATABASE']}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]
    finally:
        conn.close()


def test_a_failed_sign_in_a_sign_in_and_an_upload_are_each_logged(portal, returns):
    start = _last_id(portal)
    client = Client(portal.base)
    client.sign_in(officer("E09000012"), "not-the-password")
    client.sign_in(officer("E09000012"))
    page = client.upload(round_id(client), SERVICE, "service.csv", returns[("E09000012", SERVICE)])
    pk = submission_id(page)

    entries = [e for e in _entries(portal, start) if e["action"] != "superseded"]
    assert [e["action"] for e in entries] == ["sign-in-failed", "signed-in", "upload-accepted"]
    failed, signed_in, upload = entries
    assert failed["user_id"] is None and officer("E09000012") in failed["detail"]
    assert signed_in["email"] == officer("E09000012")
    assert signed_in["borough"] == upload["borough"] == "E09000012"
    assert upload["detail"] == f"submission {pk}"
    assert {e["address"] for e in entries} == {"127.0.0.1"}


@pytest.mark.parametrize(
    "statement", ["UPDATE events SET action = 'nothing'", "DELETE FROM events"]
)
def test_the_stored_log_refuses_edits_and_deletions(portal, statement):
    conn = sqlite3.connect(portal.env["PORTAL_DATABASE"])
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(statement)
    finally:
        conn.close()
    assert _last_id(portal) > 0
