"""How the portal's SQLite database is opened: WAL kept in the file, per-connection settings on
every connection."""

from __future__ import annotations

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
