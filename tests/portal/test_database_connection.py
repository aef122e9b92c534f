"""How the portal's SQLite database is opened: WAL kept in the file, per-connection settings on
every connection, one connection kept per worker between requests and never across a fork."""

from __future__ import annotations

import os
import sqlite3

import pytest

from portal import create_app, db


def _app(tmp_path):  # type: ignore[no-untyped-def]
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-only-secret",
            "DATABASE": str(tmp_path / "p.sqlite3"),
            "FILES": str(tmp_path / "files"),
        }
    )


def test_a_new_database_is_in_wal_mode_for_every_later_connection(tmp_path):
    """WAL is set once, when the database is created, and stays in the file."""
    app = _app(tmp_path)
    conn = db.connect(app.config["DATABASE"])
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


def test_an_older_database_not_in_wal_mode_is_put_in_it_on_start(tmp_path):
    """A database made before WAL was set at migration time is switched when the app starts."""
    path = tmp_path / "p.sqlite3"
    conn = db.connect(path)
    db.migrate(conn)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    app = _app(tmp_path)
    conn = db.connect(app.config["DATABASE"])
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


def test_every_connection_waits_for_a_lock_and_enforces_foreign_keys(tmp_path):
    app = _app(tmp_path)
    conn = db.connect(app.config["DATABASE"])
    try:
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == db.BUSY_TIMEOUT_MS
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    finally:
        conn.close()


def test_a_worker_keeps_its_connection_for_its_next_request_but_never_across_a_fork(tmp_path):
    """The next request reuses the connection; before a fork it is closed, so a forked process
    (the figures' recompute) opens the database with locks of its own and corrupts nothing."""
    app = _app(tmp_path)
    with app.app_context():
        first = db.get_db()
    with app.app_context():
        assert db.get_db() is first
    child = os.fork()
    if child == 0:  # what the recompute does: its own connection, a write, an exit
        code = 1
        try:
            conn = db.connect(app.config["DATABASE"])
            db.create_user(conn, "forked@example.gov.uk", "not-a-hash", "viewer", None)
            conn.close()
            code = 0
        finally:
            os._exit(code)
    assert os.waitpid(child, 0)[1] == 0
    with pytest.raises(sqlite3.ProgrammingError):  # closed in this process before the fork
        first.execute("SELECT 1")
    with app.app_context():
        conn = db.get_db()
        assert conn is not first
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert [u["email"] for u in db.users(conn)] == ["forked@example.gov.uk"]


def test_a_database_file_replaced_at_the_same_path_is_opened_anew(tmp_path):
    """Restoring a backup over the file: the next request reads the new file, not the old one."""
    app = _app(tmp_path)
    with app.app_context():
        kept = db.get_db()
    restored = tmp_path / "restored.sqlite3"
    conn = db.connect(restored)
    db.migrate(conn)
    db.create_user(conn, "restored@example.gov.uk", "not-a-hash", "viewer", None)
    conn.close()
    os.replace(restored, app.config["DATABASE"])
    with app.app_context():
        conn = db.get_db()
        assert conn is not kept
        assert [u["email"] for u in db.users(conn)] == ["restored@example.gov.uk"]


def test_a_request_that_failed_inside_a_write_leaves_no_transaction_open(tmp_path):
    app = _app(tmp_path)
    with pytest.raises(RuntimeError), app.app_context():
        conn = db.get_db()
        conn.execute("BEGIN IMMEDIATE")
        raise RuntimeError("the request failed part-way through")
    with app.app_context():
        assert db.get_db() is conn and not conn.in_transaction
    other = db.connect(app.config["DATABASE"])
    try:  # the write lock is free: another worker can write at once
        db.create_user(other, "next@example.gov.uk", "not-a-hash", "viewer", None)
    finally:
        other.close()
