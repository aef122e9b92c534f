"""Uploads from several sessions at once, served by both gunicorn workers, lose nothing: every
upload is a submission, versions run 1, 2, 3… without a gap or a repeat, and exactly one is
the accepted version (the writes take SQLite's lock up front with BEGIN IMMEDIATE)."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor

from conftest import Client, officer, round_id, submission_id

BOROUGH = "E09000020"
UPLOADS = 6


def test_simultaneous_uploads_become_consecutive_versions(portal, returns):
    data = returns[(BOROUGH, "service-data")]
    clients = [Client(portal.base) for _ in range(UPLOADS)]
    for client in clients:
        client.sign_in(officer(BOROUGH))
    rid = round_id(clients[0])

    def send(client: Client) -> int:
        return submission_id(client.upload(rid, "service-data", "service.csv", data))

    with ThreadPoolExecutor(max_workers=UPLOADS) as pool:
        ids = list(pool.map(send, clients))
    assert len(set(ids)) == UPLOADS

    conn = sqlite3.connect(f"file:{portal.env['PORTAL_DATABASE']}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT status, version FROM submissions WHERE borough = ? AND type = 'service-data'"
            " AND status != 'rejected' AND round_id = ? ORDER BY version",
            (BOROUGH, rid),  # the demonstration also has last year's round
        ).fetchall()
    finally:
        conn.close()
    versions = [v for _, v in rows]
    assert versions == list(range(1, len(versions) + 1))
    assert [s for s, _ in rows].count("accepted") == 1
    assert rows[-1][0] == "accepted"
