"""The GLA's tracker for a round, the chase list as CSV, a return's history, an officer's status.

A return's history follows the same rule as a submission: an officer who asks for another
borough's gets the 404 a missing page gets.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, render_template

from . import audit, db, times, tracker
from .auth import roles_required
from .csv_download import csv_response
from .rounds import borough_names, type_titles

bp = Blueprint("tracker", __name__)


def _round(round_id: int) -> dict[str, Any]:
    found = db.round_by_id(db.get_db(), round_id)
    if found is None:
        abort(404)
    return found


def _build(round_: dict[str, Any], borough: str | None = None) -> tracker.Tracker:
    names = borough_names()
    if borough is not None:
        names = {borough: names[borough]}
    return tracker.build(round_, attempts(round_["id"], borough), names, times.today())


def attempts(round_id: int, borough: str | None) -> list[dict[str, Any]]:
    """A round's submissions newest first, without their reports (which can be large)."""
    sql = (
        "SELECT id, borough, type, status, version, filename, uploaded_at FROM submissions"
        " WHERE round_id = ?"
    )
    args: list[Any] = [round_id]
    if borough is not None:
        sql += " AND borough = ?"
        args.append(borough)
    return db.rows(db.get_db(), sql + " ORDER BY id DESC", args)


def contacts(conn: Any) -> dict[str, list[str]]:
    """Each borough's active officers' email addresses: who to chase."""
    found: dict[str, list[str]] = {}
    for user in db.rows(
        conn,
        "SELECT email, borough FROM users WHERE role = 'officer' AND active = 1 ORDER BY email",
    ):
        found.setdefault(user["borough"], []).append(user["email"])
    return found


@bp.route("/rounds/<int:round_id>/tracker")
@roles_required("gla")
def show(round_id: int) -> Any:
    round_ = _round(round_id)
    grid = _build(round_)
    return render_template(
        "tracker/tracker.html",
        round=round_,
        grid=grid,
        titles=type_titles(),
        deadline=tracker.deadline_words(round_, grid.days_left),
    )


@bp.route("/rounds/<int:round_id>/not-submitted.csv")
@roles_required("gla")
def not_submitted(round_id: int) -> Any:
    """Every return not yet accepted, one row each, with the borough's officers to chase."""
    round_ = _round(round_id)
    grid = _build(round_)
    titles = type_titles()
    conn = db.get_db()
    emails = contacts(conn)
    rows = [
        [
            cell.borough,
            grid.boroughs[cell.borough],
            titles.get(cell.type, cell.type),
            cell.label,
            len(cell.attempts),
            "; ".join(emails.get(cell.borough, [])),
        ]
        for cell in grid.missing()
    ]
    audit.log(conn, "downloaded-not-submitted", f"round {round_id}")
    return csv_response(
        f"round-{round_id}-not-submitted.csv",
        ["borough_code", "borough", "return", "status", "attempts", "contacts"],
        rows,
    )


@bp.route("/rounds/<int:round_id>/boroughs/<code>/<kind>")
@roles_required("gla", "officer")
def history(round_id: int, code: str, kind: str) -> Any:
    """Every attempt at one borough's return in the round, newest first."""
    round_ = _round(round_id)
    if g.user["role"] == "officer" and g.user["borough"] != code:
        abort(404)
    if code not in borough_names() or kind not in round_["types"]:
        abort(404)
    cell = _build(round_, code).cells[code][kind]
    return render_template(
        "tracker/history.html",
        round=round_,
        cell=cell,
        borough=borough_names()[code],
        titles=type_titles(),
    )


@bp.route("/rounds/<int:round_id>/status")
@roles_required("officer")
def status(round_id: int) -> Any:
    """The tracker's row for the officer's own borough."""
    round_ = _round(round_id)
    code = g.user["borough"]
    grid = _build(round_, code)
    return render_template(
        "tracker/status.html",
        round=round_,
        row=grid.cells[code],
        borough=grid.boroughs[code],
        titles=type_titles(),
        deadline=tracker.deadline_words(round_, grid.days_left),
    )
