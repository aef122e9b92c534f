"""How the portal's SQLite database is opened: WAL kept in the file, per-connection settings on
every connection."""

from __future__ import annotations

import gc
import os
from pathlib import Path

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


def _forked(work) -> int:  # type: ignore[no-untyped-def]
    """Run ``work`` in a forked child that leaves as the portal's forked children do."""
    child = os.fork()
    if child == 0:
        code = 0
        try:
            work()
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(child, 0)[1])


def test_a_forked_child_never_closes_the_connection_its_worker_keeps_open(tmp_path):
    """A worker's idle connection, inherited by a forked child (an upload's check, the figures
    recompute) that opens, uses and closes its own, leaves the worker's database whole: the
    WAL the worker still uses is neither checkpointed away nor deleted by the child."""
    path = str(tmp_path / "p.sqlite3")
    conn = db.connect(path)
    db.migrate(conn)
    conn.close()
    db.keep_open(path)
    writer = db.connect(path)
    writer.execute("PRAGMA wal_autocheckpoint=0")  # the rows below stay in the WAL
    for n in range(50):
        db.create_user(writer, f"u{n}@example.gov.uk", "hash", "viewer", None)

    def child() -> None:
        gc.collect()
        own = db.connect(path)
        assert own.execute("SELECT count(*) FROM users").fetchone()[0] == 50
        db.keep_open(path)  # a child serving requests would open its own
        own.close()
        gc.collect()

    assert _forked(child) == 0
    assert Path(path + "-wal").exists()
    assert writer.execute("SELECT count(*) FROM users").fetchone()[0] == 50
    db.create_user(writer, "after@example.gov.uk", "hash", "viewer", None)
    writer.close()
    check = db.connect(path)
    try:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert check.execute("SELECT count(*) FROM users").fetchone()[0] == 51
    finally:
        check.close()


def test_a_forked_child_opens_its_own_kept_connection(tmp_path):
    path = str(tmp_path / "p.sqlite3")
    db.keep_open(path)
    parents = db._keepers[path][1]
    read, write = os.pipe()

    def child() -> None:
        db.keep_open(path)
        os.write(write, b"1" if db._keepers[path][1] is not parents else b"0")

    assert _forked(child) == 0
    assert os.read(read, 1) == b"1"
    assert db._keepers[path][1] is parents
