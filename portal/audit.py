"""The audit log: who did what, when, for which borough and from which address.

An entry is written by ``record`` inside the transaction of the change it describes, so the
change and its entry are stored together or not at all. Triggers in the schema refuse any
update or delete, and no route offers one: the log only grows.
"""

from __future__ import annotations

import sqlite3
from types import EllipsisType
from typing import Any

from flask import g, has_request_context, request

from .times import now


def _address() -> str | None:
    return request.remote_addr if has_request_context() else None


def _current_user() -> dict[str, Any] | None:
    return g.get("user") if has_request_context() else None


def record(
    conn: sqlite3.Connection,
    action: str,
    detail: str = "",
    *,
    user_id: int | EllipsisType | None = ...,
    borough: str | EllipsisType | None = ...,
) -> None:
    """Write one entry inside the caller's open transaction.

    The user and borough default to whoever is signed in to this request, and the address to
    the request's; pass ``user_id=None`` for an action nobody is signed in for (a failed sign-in).
    """
    user = _current_user()
    if user_id is ...:
        user_id = user["id"] if user else None
    if borough is ...:
        borough = user.get("borough") if user else None
    conn.execute(
        "INSERT INTO events (at, user_id, action, detail, borough, address)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (now(), user_id, action, detail, borough, _address()),
    )


def log(conn: sqlite3.Connection, action: str, detail: str = "", **who: Any) -> None:
    """Write one entry in a transaction of its own, for an action that changes nothing else."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        record(conn, action, detail, **who)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _where(
    borough: str | None,
    email: str | None,
    action: str | None,
    since: str | None,
    until: str | None,
) -> tuple[str, list[Any]]:
    """The WHERE clause for the filters given (None: no filter); times are stored UTC ISO."""
    tests, args = [], []
    for test, value in (
        ("events.borough = ?", borough),
        ("users.email = ?", email),
        ("events.action = ?", action),
        ("events.at >= ?", since),
        ("events.at < ?", until),
    ):
        if value:
            tests.append(test)
            args.append(value)
    return (" WHERE " + " AND ".join(tests) if tests else ""), args


_FROM = " FROM events LEFT JOIN users ON users.id = events.user_id"


def entries(
    conn: sqlite3.Connection,
    limit: int | None = 100,
    *,
    offset: int = 0,
    borough: str | None = None,
    email: str | None = None,
    action: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> list[dict[str, Any]]:
    """Entries newest first, with the email of who acted, narrowed by any filters given.

    ``since`` (inclusive) and ``until`` (exclusive) are UTC ISO timestamps; ``limit=None`` is all.
    """
    where, args = _where(borough, email, action, since, until)
    cur = conn.execute(
        "SELECT events.*, users.email"
        + _FROM
        + where
        + " ORDER BY events.id DESC LIMIT ? OFFSET ?",
        (*args, -1 if limit is None else limit, offset),
    )
    names = [c[0] for c in cur.description]
    return [dict(zip(names, found, strict=True)) for found in cur.fetchall()]


def count(
    conn: sqlite3.Connection,
    *,
    borough: str | None = None,
    email: str | None = None,
    action: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> int:
    """How many entries the same filters as ``entries`` match."""
    where, args = _where(borough, email, action, since, until)
    return conn.execute("SELECT count(*)" + _FROM + where, args).fetchone()[0]


def actions(conn: sqlite3.Connection) -> list[str]:
    """Every action the log holds, for a filter's choices (the log, not a list in code, says)."""
    return [r[0] for r in conn.execute("SELECT DISTINCT action FROM events ORDER BY action")]
