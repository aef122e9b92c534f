"""London's figures in the database: recomputed when the accepted returns change, then only read.

``recompute`` runs the library's aggregator (``validator.figures.aggregate``, the same code as
``lsids aggregate``) over the latest accepted submission of each borough, kind and period (every
round), each survey return with the ``weight_total`` its submission metadata states (London's
estimate rescales the borough's weights to it), and replaces the ``figures`` table whole in one
transaction together with what it was built from: the submissions' ids and SHA-256 and the
standard's version. It runs once an upload's own transaction has committed and its answer has
been sent, so the uploader does not wait for it and a page view never computes anything.
"""

from __future__ import annotations

import fcntl
import json
import logging
import math
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask

from . import db, store, submission_metadata
from .times import now

COLUMNS = (
    "measure_id", "period", "area_code", "breakdown", "breakdown_value", "value", "ci_lower",
    "ci_upper", "standard_error", "n_unweighted", "n_effective", "numerator", "denominator",
    "status", "boroughs_contributing", "population_share",
)  # fmt: skip
INTEGER_COLUMNS = {"n_unweighted", "numerator", "denominator", "boroughs_contributing"}


def sources(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """The submissions the figures are built from: for each period, borough and kind of return,
    the newest accepted one (a later round for the same period replaces an earlier one)."""
    found = db.rows(
        conn,
        "SELECT s.id, s.borough, s.type, s.sha256, s.metadata, r.period FROM submissions s"
        " JOIN rounds r ON r.id = s.round_id WHERE s.status = 'accepted' ORDER BY s.id DESC",
    )
    latest: dict[tuple[str, str, str], dict[str, Any]] = {}
    for sub in found:
        latest.setdefault((sub["period"], sub["borough"], sub["type"]), sub)
    return sorted(latest.values(), key=lambda s: s["id"])


def compute(files_root: str, chosen: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], str]:
    """The aggregator's output table for these submissions, as rows; and the standard version."""
    from validator import load_standard, return_frame  # the reader `lsids aggregate` uses
    from validator.figures import SurveyReturn, aggregate

    standard = load_standard()
    surveys, services = [], []
    for sub in chosen:
        frame = return_frame(store.path_for(files_root, sub["sha256"]), sub["type"], standard)
        if standard.submission_types[sub["type"]].weighted:
            # London rescales the weights to the adult population the metadata states; a return
            # sent before the portal kept metadata has its weights taken as they are
            surveys.append(SurveyReturn(frame, submission_metadata.weight_total(sub)))
        else:
            services.append(frame)
    table = aggregate(surveys, services, standard=standard)
    records = [
        {c: _cell(c, r[c]) for c in COLUMNS} for r in table.astype(object).to_dict("records")
    ]
    return records, standard.version


def _cell(column: str, value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if column in INTEGER_COLUMNS:
        return int(value)
    if isinstance(value, str):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return None  # pandas' NA


def recompute(conn: sqlite3.Connection, files_root: str, attempts: int = 3) -> int:
    """Rebuild the figures from the accepted returns and store them; return how many rows.

    The sums are done outside the write lock; if another upload changed the accepted returns
    meanwhile, they are done again, so the stored figures always match their stated sources.
    """
    for attempt in range(attempts):
        chosen = sources(conn)
        records, version = compute(files_root, chosen)
        with db.write(conn):
            if sources(conn) != chosen and attempt < attempts - 1:
                continue  # leaves the transaction (committing nothing) and starts again
            _store(conn, records, version, chosen)
            return len(records)
    raise RuntimeError("unreachable")  # pragma: no cover


def _store(
    conn: sqlite3.Connection, records: list[dict[str, Any]], version: str, chosen: list[dict]
) -> None:
    built_from = [{"id": s["id"], "sha256": s["sha256"]} for s in chosen]
    marks = ", ".join("?" for _ in COLUMNS)
    conn.execute("DELETE FROM figures")
    conn.executemany(
        f"INSERT INTO figures ({', '.join(COLUMNS)}) VALUES ({marks})",
        [tuple(r[c] for c in COLUMNS) for r in records],
    )
    conn.execute(
        "INSERT OR REPLACE INTO figures_build (id, built_at, standard_version, submissions)"
        " VALUES (1, ?, ?, ?)",
        (now(), version, json.dumps(built_from)),
    )


def after_response(app: Flask, submission_id: int) -> Callable[[], None]:
    """What to run once the upload's answer has been sent (``Response.call_on_close``).

    The sums take seconds, longer on a busy machine, and must not hold a gunicorn worker: they
    run in a detached grandchild process (forked twice, so nothing waits to reap it). Such runs
    queue on a lock file beside the database, and a run that finds the stored figures already
    built from the current accepted returns does nothing, so a burst of uploads costs one or two
    recomputes, not one each.
    """

    def run() -> None:
        # The aggregator (scipy among it) is imported here, before the fork, so the detached
        # process never imports in a forked copy of a worker (an old scipy failed to, in CI).
        import validator.figures  # noqa: F401

        child = os.fork()
        if child:
            os.waitpid(child, 0)  # the child leaves at once; its child is adopted by init
            return
        code = 0
        try:
            if os.fork() == 0:
                _recompute_queued(app, submission_id)
        except BaseException:
            logging.getLogger(__name__).exception(
                "London's figures were not recomputed after submission %s", submission_id
            )
            code = 1
        finally:
            os._exit(code)  # never return into the worker's request loop

    return run


def _recompute_queued(app: Flask, submission_id: int) -> None:
    lock_path = Path(app.config["DATABASE"]).with_suffix(".figures.lock")
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        conn = db.connect(app.config["DATABASE"])
        try:
            stored = build(conn)
            current = [s["id"] for s in sources(conn)]
            if stored and [s["id"] for s in stored["submissions"]] == current:
                return  # an earlier run in the queue already built from these returns
            with app.app_context():
                after_upload(conn, app.config["FILES"], submission_id)
        finally:
            conn.close()


def after_upload(conn: sqlite3.Connection, files_root: str, submission_id: int) -> None:
    """Recompute once an accepted upload (which supersedes any earlier one) has been stored."""
    found = db.submission_by_id(conn, submission_id)
    if found and found["status"] == "accepted":
        try:
            recompute(conn, files_root)
        except Exception:  # the upload is stored; the figures wait for the next recompute
            logging.getLogger(__name__).exception(
                "London's figures were not recomputed after submission %s", submission_id
            )


# Reading (plain cursor queries: these run on every figures page view) -------------------------


def _rows(conn: sqlite3.Connection, sql: str, args: Any = ()) -> list[dict[str, Any]]:
    cur = conn.execute(sql, args)
    names = [c[0] for c in cur.description]
    return [dict(zip(names, found, strict=True)) for found in cur.fetchall()]


def build(conn: sqlite3.Connection) -> dict[str, Any] | None:
    """When the figures were built, from which submissions and on which standard version."""
    found = next(iter(_rows(conn, "SELECT * FROM figures_build WHERE id = 1")), None)
    if found:
        found["submissions"] = json.loads(found["submissions"])
    return found


def build_key(conn: sqlite3.Connection) -> tuple[str, int] | None:
    """What tells one build of the figures from another (its time and its sources), cheaply:
    for caches of what is drawn from them."""
    found = conn.execute("SELECT built_at, submissions FROM figures_build WHERE id = 1").fetchone()
    return (found[0], hash(found[1])) if found else None


def periods(conn: sqlite3.Connection, measure_id: str | None = None) -> list[str]:
    """The periods with figures (for one measure or any), oldest first."""
    sql, args = "SELECT DISTINCT period FROM figures", []
    if measure_id:
        sql, args = sql + " WHERE measure_id = ?", [measure_id]
    return [r["period"] for r in _rows(conn, sql + " ORDER BY period", args)]


def select(
    conn: sqlite3.Connection,
    measure_id: str | None = None,
    period: str | None = None,
    breakdown: str | None = None,
    breakdown_value: str | None = None,
    area_code: str | None = None,
) -> list[dict[str, Any]]:
    """Figures matching every filter given, in the output table's order."""
    filters = {
        "measure_id": measure_id,
        "period": period,
        "breakdown": breakdown,
        "breakdown_value": breakdown_value,
        "area_code": area_code,
    }
    where = [f"{k} = ?" for k, v in filters.items() if v is not None]
    args = [v for v in filters.values() if v is not None]
    sql = "SELECT * FROM figures" + (" WHERE " + " AND ".join(where) if where else "")
    return _rows(conn, sql + " ORDER BY rowid", args)


def figures_json(
    conn: sqlite3.Connection, measure: str | None = None, period: str | None = None
) -> dict[str, Any]:
    """The figures for ``GET /api/v1/figures?measure=…&period=…``: the rows of the output table
    (numbers as JSON numbers, a withheld one as null with ``status`` saying why) and what they
    were built from."""
    info = build(conn)
    return {
        "measure": measure,
        "period": period,
        "standard_version": info["standard_version"] if info else None,
        "built_at": info["built_at"] if info else None,
        "submissions": info["submissions"] if info else [],
        "columns": list(COLUMNS),
        "figures": [{c: r[c] for c in COLUMNS} for r in select(conn, measure, period)],
    }
