"""An upload becomes a submission: validate, then store the bytes and record accepted or rejected.

No Flask here, so the web view and the demonstration seeding take the same path.

The file is stored inside the write transaction that records its submission and audit entry,
just before the commit, and only after the check (which takes most of an upload's time). A worker
killed mid-upload (``kill -9``, out of memory) therefore leaves the file, the row and the entry
all stored or none of them. A kill between naming the file and the commit leaves a stored file
that no submission points at (never the reverse); ``sweep`` removes such files; gunicorn's
master starts ``flask sweep-files`` whenever a worker exits (``gunicorn.conf.py``).
"""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Callable
from typing import Any

from . import checking, db, store

SWEEP_WAIT_MS = 120_000  # a sweep waits this long for the write lock a busy portal passes around

Checker = Callable[[bytes, str, dict[str, Any]], checking.Outcome]


def options_for(
    round_: dict[str, Any], kind: str, borough: str, metadata: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Validator options for a return: the round's period and standard, the officer's borough,
    and the submission metadata when there is one (a survey's weights are checked against its
    ``weight_total``)."""
    options = {
        "type": kind,
        "borough": borough,
        "period": round_["period"],
        "standard_version": round_["standard_version"],
    }
    return {**options, "metadata": metadata} if metadata else options


def receive(
    conn: sqlite3.Connection,
    files_root: str,
    *,
    round_: dict[str, Any],
    kind: str,
    user: dict[str, Any],
    data: bytes,
    filename: str,
    checker: Checker,
    metadata: dict[str, Any] | None = None,
) -> int:
    """Check the file with ``checker``, keep it and record the submission with its
    ``metadata`` (already found complete by ``submission_metadata.problem``); return its id."""
    from validator import __version__ as validator_version

    outcome = checker(data, filename, options_for(round_, kind, user["borough"], metadata))
    report = outcome.report
    with db.write(conn):
        sha = store.save(files_root, data)
        return db.record_submission(
            conn,
            {
                "round_id": round_["id"],
                "borough": user["borough"],
                "type": kind,
                "status": "accepted" if outcome.valid else "rejected",
                "sha256": sha,
                "filename": filename[:255],
                "size": len(data),
                "uploaded_by": user["id"],
                "validator_version": report["validator_version"] if report else validator_version,
                "standard_version": report["standard_version"]
                if report
                else round_["standard_version"],
                "report": _json(report),
                "input_error": _json(outcome.input_error),
                "metadata": _json(metadata),
            },
        )


def sweep(conn: sqlite3.Connection, files_root: str) -> list[str]:
    """Remove stored files that no submission points at; return their names.

    It holds the write lock while it looks: a worker stores a file only inside its write
    transaction, so an unreferenced file seen under the lock can only be a killed worker's.
    """
    removed = []
    with db.write(conn):
        kept = {r[0] for r in conn.execute("SELECT DISTINCT sha256 FROM submissions")}
        for path in store.names(files_root):
            if path.name not in kept:
                path.unlink(missing_ok=True)
                removed.append(path.name)
    return removed


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


def in_process(data: bytes, filename: str, options: dict[str, Any]) -> checking.Outcome:
    """Check trusted bytes (the demonstration's own generated returns) without a child process."""
    from validator import InputError, validate

    try:
        return checking.Outcome(report=validate(io.BytesIO(data), **options).to_dict())
    except InputError as exc:
        return checking.Outcome(
            input_error={"code": exc.code, "message": exc.message, "hint": exc.hint or ""}
        )
