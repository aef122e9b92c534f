"""The database: the connection, ordered migrations, the shared query helpers and core queries.

Users, rounds and submissions are queried here; a newer subject keeps its queries in its own
module (``audit.py`` for the audit log) and uses ``rows``, ``row`` and ``insert`` from here.

SQLite in WAL mode is shared by every gunicorn worker. Connections run in autocommit
(``isolation_level=None``) and every write starts with ``BEGIN IMMEDIATE``, so a write takes the
lock up front instead of failing when a read tries to upgrade after another worker committed.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
import sqlite_utils
from flask import Flask, current_app, g

from . import audit
from .times import now

BUSY_TIMEOUT_MS = 10_000

# Ordered and append-only: a released migration is never edited, a change is a new entry.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('officer', 'gla', 'viewer')),
        borough TEXT,
        created_at TEXT NOT NULL,
        CHECK ((role = 'officer') = (borough IS NOT NULL))
    );
    CREATE TABLE login_failures (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL COLLATE NOCASE,
        at REAL NOT NULL
    );
    CREATE INDEX login_failures_email ON login_failures (email, at);
    CREATE TABLE rounds (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        period TEXT NOT NULL,
        types TEXT NOT NULL,
        standard_version TEXT NOT NULL,
        opens_on TEXT NOT NULL,
        closes_on TEXT NOT NULL,
        created_by INTEGER REFERENCES users (id),
        created_at TEXT NOT NULL
    );
    CREATE TABLE submissions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        round_id INTEGER NOT NULL REFERENCES rounds (id),
        borough TEXT NOT NULL,
        type TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('accepted', 'superseded', 'rejected')),
        version INTEGER,
        sha256 TEXT NOT NULL,
        filename TEXT NOT NULL,
        size INTEGER NOT NULL,
        uploaded_by INTEGER NOT NULL REFERENCES users (id),
        uploaded_at TEXT NOT NULL,
        validator_version TEXT NOT NULL,
        standard_version TEXT NOT NULL,
        report TEXT,
        input_error TEXT
    );
    CREATE INDEX submissions_return ON submissions (round_id, borough, type);
    CREATE INDEX submissions_sha256 ON submissions (sha256);
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user_id INTEGER REFERENCES users (id),
        action TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT ''
    );
    """,
    # The audit log says from which address and for which borough, and can only grow.
    """
    ALTER TABLE events ADD COLUMN borough TEXT;
    ALTER TABLE events ADD COLUMN address TEXT;
    CREATE INDEX events_borough ON events (borough, id);
    CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    """,
    # The data-collection audit: how each borough holds each measure (holdings.py). Answers are
    # kept, not overwritten: the latest per (borough, measure) is the current one.
    """
    CREATE TABLE holdings (
        id INTEGER PRIMARY KEY,
        borough TEXT NOT NULL,
        measure TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('survey', 'service', 'none')),
        survey_name TEXT,
        survey_year INTEGER,
        sample_size INTEGER,
        wording TEXT CHECK (wording IN ('yes', 'partly', 'no')),
        system_name TEXT,
        answered_by INTEGER NOT NULL REFERENCES users (id),
        answered_at TEXT NOT NULL
    );
    CREATE INDEX holdings_latest ON holdings (borough, measure, id);
    """,
    # API tokens for scripts: only a SHA-256 of each token is kept, never the token itself.
    """
    CREATE TABLE api_tokens (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id),
        name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        last_used_at TEXT,
        revoked_at TEXT
    );
    CREATE INDEX api_tokens_user ON api_tokens (user_id, id);
    """,
    # The GLA deactivates accounts (kept for the record) and closes a round before its deadline.
    """
    ALTER TABLE users ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE rounds ADD COLUMN closed_at TEXT;
    """,
    # London's figures (the aggregator's output table), replaced whole on every recompute, and
    # what they were built from (portal/figures_store.py).
    """
    CREATE TABLE figures (
        measure_id TEXT NOT NULL,
        period TEXT NOT NULL,
        area_code TEXT NOT NULL,
        breakdown TEXT NOT NULL,
        breakdown_value TEXT NOT NULL,
        value REAL,
        ci_lower REAL,
        ci_upper REAL,
        standard_error REAL,
        n_unweighted INTEGER,
        n_effective REAL,
        numerator INTEGER,
        denominator INTEGER,
        status TEXT NOT NULL,
        boroughs_contributing INTEGER,
        population_share REAL,
        PRIMARY KEY (measure_id, period, breakdown, breakdown_value, area_code)
    );
    CREATE INDEX figures_area ON figures (area_code, breakdown, measure_id, period);
    CREATE TABLE figures_build (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        built_at TEXT NOT NULL,
        standard_version TEXT NOT NULL,
        submissions TEXT NOT NULL
    );
    """,
    # The submission metadata the portal builds for each upload (portal/submission_metadata.py):
    # JSON, as the standard's submission-metadata schema has it; NULL for older submissions.
    """
    ALTER TABLE submissions ADD COLUMN metadata TEXT;
    """,
]


def connect(path: str | Path) -> sqlite3.Connection:
    """Open the database as several workers need it: busy timeout, foreign keys.

    Only what lasts as long as the connection is set here, on every request: the busy timeout
    (``sqlite3.connect``'s ``timeout`` is SQLite's busy timeout) and foreign keys. WAL is kept
    in the database file itself, so ``migrate`` sets it once, when the database is created or
    brought up to date (the app does on start); a PRAGMA on every connect was a third of it."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


@contextmanager
def write(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A write transaction that takes the write lock at once (BEGIN IMMEDIATE)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def migrate(conn: sqlite3.Connection) -> int:
    """Apply the migrations this database has not had yet, in order; return how many ran."""
    applied = 0
    conn.execute("PRAGMA journal_mode=WAL")  # persistent: kept in the file for every connection
    with write(conn):
        done = conn.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(MIGRATIONS[done:], start=done + 1):
            for statement in statements(script):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version={number}")
            applied += 1
    return applied


def statements(script: str) -> Iterator[str]:
    """Split a migration into statements, keeping a trigger's ``BEGIN … END`` body whole."""
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                yield pending.strip()
            pending = ""


def get_db() -> sqlite3.Connection:
    """This request's connection: the one this worker kept from its last request when it is
    for the same database file, else a new one. Given back (not closed) when the request ends.

    ``g`` is looked up once: each use of one of Flask's context proxies costs about a
    microsecond, and a page asks for its connection several times."""
    state = g._get_current_object()
    conn = state.get("db")
    if conn is None:
        path = current_app.config["DATABASE"]
        state.db_key = _file_key(path)
        state.db = conn = _take(path, state.db_key)
    return conn


def close_db(_error: BaseException | None = None) -> None:
    conn = g.pop("db", None)
    if conn is not None:
        _give_back(conn, g.pop("db_key", None))


# The connection a worker keeps between requests. Opening one and reading SQLite's schema on
# its first query, then closing it (the process's last connection checkpoints and deletes the
# WAL file, which the next request makes again), was most of what a signed-in page cost.
# SQLite's rule is that no connection may be open across a fork: a forked process inherits
# SQLite's in-process record of the parent's locks, so a connection it opens itself would hold
# locks that are not real. So the kept connection is closed before every fork (the figures'
# recompute runs in a forked process that opens the database), and one kept by another process
# (whatever forked this one) is never used. Kept per thread: a connection belongs to its thread.
_kept = threading.local()
_inherited: list[sqlite3.Connection] = []  # held, never closed, in a forked process


def _take(path: str | Path, key: tuple | None) -> sqlite3.Connection:
    kept = getattr(_kept, "entry", None)
    if kept is not None and key is not None and kept[0] == key:
        _kept.entry = None
        return kept[1]
    _close_kept()  # for another database (a test's), or the file was replaced
    return connect(path)


def _give_back(conn: sqlite3.Connection, key: tuple | None) -> None:
    if key is None:  # there was no file when it was opened
        conn.close()
        return
    if key[0] != os.getpid():  # opened before a fork: closing it here is what must not happen
        _inherited.append(conn)
        return
    if conn.in_transaction:  # a request that failed part-way through a write
        conn.execute("ROLLBACK")
    _close_kept()
    _kept.entry = (key, conn)


def _file_key(path: str | Path) -> tuple[int, str, int, int] | None:
    """This process and the file itself, so a database replaced at the same path is opened anew."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (os.getpid(), os.fspath(path), found.st_dev, found.st_ino)


def _close_kept() -> None:
    """Close this thread's kept connection (before a fork, and when another takes its place)."""
    kept, _kept.entry = getattr(_kept, "entry", None), None
    if kept is not None and kept[0][0] == os.getpid():
        kept[1].close()


os.register_at_fork(before=_close_kept)


def init_app(app: Flask) -> None:
    """Give connections back after each request, run migrations on start, add ``init-db``."""
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
    conn = connect(app.config["DATABASE"])
    try:
        migrate(conn)
    finally:
        conn.close()


@click.command("init-db")
def init_db_command() -> None:
    """Create the database, or bring it up to the latest schema."""
    migrate(get_db())  # the app already migrated on start; this confirms and reports the version
    version = get_db().execute("PRAGMA user_version").fetchone()[0]
    click.echo(f"Database ready at {current_app.config['DATABASE']} (schema version {version}).")


def rows(conn: sqlite3.Connection, sql: str, args: Any = ()) -> list[dict[str, Any]]:
    """Every row the query gives, as dicts keyed by column name (read to the end at once).

    sqlite-utils is asked not to set its PRAGMA or run plugins: the connection is ``connect``'s,
    already set up, and a PRAGMA on every query was most of a figures page's reading."""
    db = sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)
    return list(db.query(sql, args))


def row(conn: sqlite3.Connection, sql: str, args: Any = ()) -> dict[str, Any] | None:
    found = rows(conn, sql, args)
    return found[0] if found else None


def insert(conn: sqlite3.Connection, table: str, record: dict[str, Any]) -> int:
    """Insert inside the caller's transaction (sqlite-utils' insert would commit it early)."""
    columns = ", ".join(record)
    marks = ", ".join("?" for _ in record)
    cur = conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(record.values()))
    return int(cur.lastrowid or 0)


# Users -----------------------------------------------------------------------------------------


def create_user(
    conn: sqlite3.Connection, email: str, password_hash: str, role: str, borough: str | None
) -> int:
    with write(conn):
        return insert(
            conn,
            "users",
            {
                "email": email.strip().lower(),
                "password_hash": password_hash,
                "role": role,
                "borough": borough,
                "created_at": now(),
            },
        )


def user_by_email(conn: sqlite3.Connection, email: str) -> dict[str, Any] | None:
    return row(conn, "SELECT * FROM users WHERE email = ?", (email.strip(),))


def user_by_id(conn: sqlite3.Connection, user_id: int) -> dict[str, Any] | None:
    """A plain cursor, not ``row``: every signed-in request reads its user with this."""
    found = conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
    return dict(found) if found is not None else None


def users(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return rows(conn, "SELECT * FROM users ORDER BY role, borough, email")


def set_password_hash(conn: sqlite3.Connection, user_id: int, password_hash: str) -> None:
    with write(conn):
        conn.execute("UPDATE users SET password_hash = ? WHERE id = ?", (password_hash, user_id))


# Login throttling: the count lives here so every worker sees the same one ----------------------


def login_failures_since(conn: sqlite3.Connection, email: str, since: float) -> list[float]:
    """Times (epoch seconds) of failed sign-ins for this email since ``since``, oldest first."""
    cur = conn.execute(
        "SELECT at FROM login_failures WHERE email = ? AND at >= ? ORDER BY at",
        (email.strip(), since),
    )
    return [r[0] for r in cur.fetchall()]


def record_login_failure(conn: sqlite3.Connection, email: str, at: float) -> None:
    """Count a failed sign-in for throttling and write it to the audit log, in one transaction."""
    with write(conn):
        conn.execute("INSERT INTO login_failures (email, at) VALUES (?, ?)", (email.strip(), at))
        audit.record(conn, "sign-in-failed", f"email {email.strip()}", user_id=None)


def clear_login_failures(conn: sqlite3.Connection, email: str) -> None:
    with write(conn):
        conn.execute("DELETE FROM login_failures WHERE email = ?", (email.strip(),))


# Rounds ----------------------------------------------------------------------------------------


def create_round(conn: sqlite3.Connection, values: dict[str, Any], user_id: int | None) -> int:
    record = {**values, "types": json.dumps(list(values["types"]))}
    with write(conn):
        pk = insert(conn, "rounds", {**record, "created_by": user_id, "created_at": now()})
        audit.record(conn, "round-opened", f"round {pk}: {values['name']}", user_id=user_id)
    return pk


def _round(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is not None:
        row["types"] = json.loads(row["types"])
    return row


def round_by_id(conn: sqlite3.Connection, round_id: int) -> dict[str, Any] | None:
    return _round(row(conn, "SELECT * FROM rounds WHERE id = ?", (round_id,)))


def rounds(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    found = rows(conn, "SELECT * FROM rounds ORDER BY closes_on DESC, id DESC")
    return [_round(r) for r in found]  # type: ignore[misc]


def open_rounds(conn: sqlite3.Connection, today: str) -> list[dict[str, Any]]:
    """Rounds taking uploads on ``today`` (ISO date): opened, not past closing nor closed early."""
    found = rows(
        conn,
        "SELECT * FROM rounds WHERE opens_on <= ? AND closes_on >= ? AND closed_at IS NULL"
        " ORDER BY closes_on, id",
        (today, today),
    )
    return [_round(r) for r in found]  # type: ignore[misc]


# Submissions -----------------------------------------------------------------------------------


def add_submission(conn: sqlite3.Connection, values: dict[str, Any]) -> int:
    """Record an upload in a write transaction of its own (see ``record_submission``)."""
    with write(conn):
        return record_submission(conn, values)


def record_submission(conn: sqlite3.Connection, values: dict[str, Any]) -> int:
    """Record an upload inside the caller's write transaction, with its audit entry.

    An accepted one becomes the next version and supersedes the last one.
    """
    key = (values["round_id"], values["borough"], values["type"])
    version = None
    if values["status"] == "accepted":
        version = (
            1
            + conn.execute(
                "SELECT count(*) FROM submissions"
                " WHERE round_id = ? AND borough = ? AND type = ?"
                " AND status IN ('accepted', 'superseded')",
                key,
            ).fetchone()[0]
        )
        superseded = conn.execute(
            "UPDATE submissions SET status = 'superseded' WHERE round_id = ? AND borough = ?"
            " AND type = ? AND status = 'accepted' RETURNING id",
            key,
        ).fetchall()
        for found in superseded:
            audit.record(
                conn,
                "superseded",
                f"submission {found[0]}",
                user_id=values["uploaded_by"],
                borough=values["borough"],
            )
    pk = insert(conn, "submissions", {**values, "version": version, "uploaded_at": now()})
    audit.record(
        conn,
        f"upload-{values['status']}",
        f"submission {pk}",
        user_id=values["uploaded_by"],
        borough=values["borough"],
    )
    return pk


def submission_by_id(conn: sqlite3.Connection, submission_id: int) -> dict[str, Any] | None:
    if not 0 < submission_id < 2**63:  # beyond SQLite's integers: no such submission, not a crash
        return None
    return row(conn, "SELECT * FROM submissions WHERE id = ?", (submission_id,))


def submissions_for(
    conn: sqlite3.Connection, round_id: int, borough: str | None = None
) -> list[dict[str, Any]]:
    """A round's submissions, newest first, for one borough or all."""
    sql = "SELECT * FROM submissions WHERE round_id = ?"
    args: list[Any] = [round_id]
    if borough is not None:
        sql += " AND borough = ?"
        args.append(borough)
    return rows(conn, sql + " ORDER BY id DESC", args)


def submissions_with_sha256(conn: sqlite3.Connection, sha256: str) -> list[dict[str, Any]]:
    return rows(conn, "SELECT * FROM submissions WHERE sha256 = ? ORDER BY id", (sha256,))
