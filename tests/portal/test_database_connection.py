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


def test_a_forked_childs_own_connection_really_holds_its_locks(tmp_path):
    """A child must not inherit the worker's kept connection: SQLite would count the parent's locks
    as the child's, the child's reads would take none for real, and the worker's last close would
    then checkpoint and delete the WAL while the child still reads from it."""
    path = str(tmp_path / "p.sqlite3")
    conn = db.connect(path)
    db.migrate(conn)
    db.create_user(conn, "u@example.gov.uk", "hash", "viewer", None)
    conn.close()
    db.keep_open(path)
    reading, done = os.pipe(), os.pipe()

    def child() -> None:
        own = db.connect(path)
        own.execute("BEGIN")
        own.execute("SELECT count(*) FROM users").fetchone()  # a read transaction, held
        os.write(reading[1], b"r")
        os.read(done[0], 1)
        own.execute("COMMIT")
        own.close()

    child_pid = os.fork()
    if child_pid == 0:
        code = 0
        try:
            child()
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    assert os.read(reading[0], 1) == b"r"
    db.keep_open(path)  # the worker's next request opens its keeper again
    for owner, keeper in list(db._keepers.values()):
        if owner == os.getpid():
            keeper.close()  # the worker's last connection closes while the child reads
    db._keepers.clear()
    kept = Path(path + "-wal").exists()
    os.write(done[1], b"d")
    assert os.waitstatus_to_exitcode(os.waitpid(child_pid, 0)[1]) == 0
    assert kept  # the child's real lock on the database kept the WAL


def test_a_worker_closes_its_kept_connection_before_forking(tmp_path):
    path = str(tmp_path / "p.sqlite3")
    db.keep_open(path)
    read, write = os.pipe()

    def child() -> None:
        os.write(write, b"1" if not db._keepers else b"0")  # nothing inherited
        db.keep_open(path)  # a child serving requests opens its own
        os.write(write, b"1" if db._keepers[path][0] == os.getpid() else b"0")

    assert _forked(child) == 0
    assert os.read(read, 2) == b"11"
    assert path not in db._keepers  # closed; the next request opens it again
