"""API tokens: made, found by their hash, marked as used, revoked.

A token is ``lsids_`` and 43 random URL-safe characters. It is shown once, when made; the
database keeps only its SHA-256, so a copy of the database does not let anyone call the API.
Creating and revoking are written to the audit log in the same transaction.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from datetime import datetime, timedelta
from typing import Any

from . import audit, db
from .times import now

PREFIX = "lsids_"
NAME_MAX = 100
# How stale the last-used time may get: a busy script does not write on every call.
TOUCH_EVERY = timedelta(minutes=1)


def digest(token: str) -> str:
    """The SHA-256 of a token as lower-case hex: the only form the database holds."""
    return hashlib.sha256(token.encode()).hexdigest()


def create(conn: sqlite3.Connection, user: dict[str, Any], name: str) -> tuple[int, str]:
    """Make a token for ``user`` called ``name``; return its id and the token (shown once)."""
    token = PREFIX + secrets.token_urlsafe(32)
    name = name.strip()[:NAME_MAX]
    with db.write(conn):
        pk = db.insert(
            conn,
            "api_tokens",
            {
                "user_id": user["id"],
                "name": name,
                "token_hash": digest(token),
                "created_at": now(),
            },
        )
        audit.record(
            conn,
            "token-created",
            f"token {pk}: {name}",
            user_id=user["id"],
            borough=user["borough"],
        )
    return pk, token


def for_user(conn: sqlite3.Connection, user_id: int) -> list[dict[str, Any]]:
    """A user's tokens, newest first (without their hashes)."""
    return db.rows(
        conn,
        "SELECT id, name, created_at, last_used_at, revoked_at FROM api_tokens"
        " WHERE user_id = ? ORDER BY id DESC",
        (user_id,),
    )


def revoke(conn: sqlite3.Connection, user: dict[str, Any], token_id: int) -> str | None:
    """Revoke one of ``user``'s own live tokens; its name, or None if there is no such token."""
    with db.write(conn):
        found = conn.execute(
            "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ?"
            " AND revoked_at IS NULL RETURNING name",
            (now(), token_id, user["id"]),
        ).fetchone()
        if found is None:
            return None
        audit.record(
            conn,
            "token-revoked",
            f"token {token_id}: {found[0]}",
            user_id=user["id"],
            borough=user["borough"],
        )
    return str(found[0])


def user_for(conn: sqlite3.Connection, token: str) -> dict[str, Any] | None:
    """The user a live token belongs to, marking the token used; None for anything else,
    including a token of a deactivated account."""
    if not token.startswith(PREFIX):
        return None
    found = db.row(
        conn,
        "SELECT users.*, api_tokens.id AS token_id, api_tokens.last_used_at AS token_used_at"
        " FROM api_tokens JOIN users ON users.id = api_tokens.user_id"
        " WHERE api_tokens.token_hash = ? AND api_tokens.revoked_at IS NULL AND users.active",
        (digest(token),),
    )
    if found is None:
        return None
    _touch(conn, found.pop("token_id"), found.pop("token_used_at"))
    return found


def _touch(conn: sqlite3.Connection, token_id: int, last_used_at: str | None) -> None:
    """Record the token's use, at most once every ``TOUCH_EVERY``."""
    moment = now()
    if last_used_at and (
        datetime.fromisoformat(moment) - datetime.fromisoformat(last_used_at) < TOUCH_EVERY
    ):
        return
    with db.write(conn):
        conn.execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", (moment, token_id))
