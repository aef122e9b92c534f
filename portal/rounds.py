"""Home pages and collection rounds: what is due from a borough, and the GLA opening a round."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, url_for

from . import db, times
from .auth import login_required, roles_required
from .forms import RoundForm
from .status import due

bp = Blueprint("rounds", __name__)


def type_titles() -> dict[str, str]:
    """Submission type names as the standard titles them (resident-survey → Resident survey)."""
    from validator import load_standard

    return {
        name: (getattr(t, "title", "") or name.replace("-", " ").capitalize())
        for name, t in load_standard().submission_types.items()
    }


def borough_names() -> dict[str, str]:
    from validator import load_standard

    return load_standard().boroughs.labels()


@bp.route("/")
@login_required
def home() -> Any:
    conn = db.get_db()
    today = times.today()
    if g.user["role"] == "officer":
        items = []
        for round_ in db.open_rounds(conn, today.isoformat()):
            mine = db.submissions_for(conn, round_["id"], g.user["borough"])
            items.extend(due(round_, kind, mine, today) for kind in round_["types"])
        return render_template(
            "rounds/officer_home.html",
            items=items,
            borough=borough_names().get(g.user["borough"], g.user["borough"]),
            titles=type_titles(),
        )
    if g.user["role"] == "gla":
        summaries = []
        boroughs = len(borough_names())
        for round_ in db.rounds(conn):
            latest = db.submissions_for(conn, round_["id"])
            accepted = {(s["borough"], s["type"]) for s in latest if s["status"] == "accepted"}
            summaries.append((round_, len(accepted), len(round_["types"]) * boroughs, latest[:20]))
        return render_template(
            "rounds/gla_home.html", summaries=summaries, titles=type_titles(), names=borough_names()
        )
    return render_template("rounds/viewer_home.html")


@bp.route("/rounds/new", methods=["GET", "POST"])
@roles_required("gla")
def new_round() -> Any:
    from validator import load_standard

    standard = load_standard()
    form = RoundForm()
    form.types.choices = list(type_titles().items())
    form.standard_version.choices = [(standard.version, standard.version)]
    if form.validate_on_submit():
        db.create_round(
            db.get_db(),
            {
                "name": form.name.data.strip(),
                "period": form.period.data.strip(),
                "types": form.types.data,
                "standard_version": form.standard_version.data,
                "opens_on": form.opens_on.data.strip(),
                "closes_on": form.closes_on.data.strip(),
            },
            g.user["id"],
        )
        flash(f"The round ‘{form.name.data.strip()}’ is open.")
        return redirect(url_for("rounds.home"))
    return render_template("rounds/new_round.html", form=form)
