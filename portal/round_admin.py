"""The GLA changes a round (name, period, returns, standard version, dates) or closes it early.

Closing sets ``closed_at``: the round stops taking uploads at once, while its closing date stays
the published deadline the tracker measures lateness against. Every change is written to the
audit log in the same transaction.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm

from . import audit, db, times
from .auth import roles_required
from .forms import RoundForm
from .rounds import type_titles

bp = Blueprint("round_admin", __name__)

FIELDS = ("name", "period", "types", "standard_version", "opens_on", "closes_on")


class CloseForm(FlaskForm):
    """Closing is a POST with a CSRF token, never a link."""


def _round(round_id: int) -> dict[str, Any]:
    found = db.round_by_id(db.get_db(), round_id)
    if found is None:
        abort(404)
    return found


def _form(round_: dict[str, Any]) -> RoundForm:
    from validator import load_standard

    version = load_standard().version
    form = RoundForm(data=None if request.method == "POST" else round_)
    form.types.choices = list(type_titles().items())
    versions = dict.fromkeys([round_["standard_version"], version])
    form.standard_version.choices = [(v, v) for v in versions]
    return form


def update_round(round_id: int, values: dict[str, Any]) -> list[str]:
    """Store the new values and audit which fields changed; return their names."""
    conn = db.get_db()
    with db.write(conn):
        before = db.round_by_id(conn, round_id) or {}
        changed = [f for f in FIELDS if before.get(f) != values[f]]
        if changed:
            stored = {**values, "types": json.dumps(list(values["types"]))}
            assignments = ", ".join(f"{f} = ?" for f in FIELDS)
            conn.execute(
                f"UPDATE rounds SET {assignments} WHERE id = ?",
                [*(stored[f] for f in FIELDS), round_id],
            )
            detail = "; ".join(f"{f} {before.get(f)} -> {values[f]}" for f in changed)
            audit.record(conn, "round-changed", f"round {round_id}: {detail}")
    return changed


@bp.route("/rounds/<int:round_id>/edit", methods=["GET", "POST"])
@roles_required("gla")
def edit(round_id: int) -> Any:
    round_ = _round(round_id)
    form = _form(round_)
    if form.validate_on_submit():
        values = {
            "name": form.name.data.strip(),
            "period": form.period.data.strip(),
            "types": list(form.types.data),
            "standard_version": form.standard_version.data,
            "opens_on": form.opens_on.data.strip(),
            "closes_on": form.closes_on.data.strip(),
        }
        changed = update_round(round_id, values)
        flash(f"The round ‘{values['name']}’ is saved." if changed else "Nothing was changed.")
        return redirect(url_for("tracker.show", round_id=round_id))
    return render_template(
        "rounds/edit_round.html", form=form, round=round_, close_form=CloseForm(formdata=None)
    )


@bp.route("/rounds/<int:round_id>/close", methods=["POST"])
@roles_required("gla")
def close(round_id: int) -> Any:
    round_ = _round(round_id)
    if not CloseForm().validate_on_submit():
        abort(400)
    conn = db.get_db()
    with db.write(conn):
        closed = conn.execute(
            "UPDATE rounds SET closed_at = ? WHERE id = ? AND closed_at IS NULL",
            (times.now(), round_id),
        ).rowcount
        if closed:
            audit.record(conn, "round-closed", f"round {round_id}: {round_['name']}")
    flash(f"The round ‘{round_['name']}’ is closed: boroughs can no longer upload to it.")
    return redirect(url_for("tracker.show", round_id=round_id))
