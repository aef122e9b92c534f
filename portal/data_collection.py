"""The data-collection audit's pages: each borough says how it holds each measure of the
standard; the GLA sees the London matrix of measures × boroughs and downloads it as CSV.

An officer only ever reads and writes their own borough's answers (the borough comes from the
session, never from the address); the London matrix and other boroughs' pages are for the GLA.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, Length

from . import audit, db, holdings, times
from .auth import roles_required
from .csv_download import csv_response
from .rounds import borough_names

bp = Blueprint("data_collection", __name__, url_prefix="/data-collection")

TEXT_MAX = 200


class HoldingForm(FlaskForm):
    """One measure: from the residents' survey (with its details), a service system, or neither."""

    source = RadioField(
        "How does your borough hold the data for this measure?",
        choices=[
            ("survey", "From our residents' survey"),
            ("service", "From a service system"),
            ("none", "We do not collect it"),
        ],
        validators=[DataRequired("Select how your borough holds the data for this measure")],
        validate_choice=False,
    )
    survey_name = StringField("Name of the survey", validators=[Length(max=TEXT_MAX)])
    survey_year = StringField("Year the survey was carried out")
    sample_size = StringField("Sample size")
    wording = RadioField(
        "Does the survey's question match the standard's wording?",
        choices=list(holdings.WORDING.items()),
        validate_choice=False,
    )
    system_name = StringField("Name of the service system", validators=[Length(max=TEXT_MAX)])

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        source = self.source.data
        if source and source not in dict(self.source.choices):
            self.source.errors.append("Select how your borough holds the data for this measure")
        if source == "survey":
            self._survey_problems()
        if source == "service" and not (self.system_name.data or "").strip():
            self.system_name.errors.append("Enter the name of the service system")
        return valid and not any(f.errors for f in self)

    def _survey_problems(self) -> None:
        if not (self.survey_name.data or "").strip():
            self.survey_name.errors.append("Enter the name of the survey")
        year = (self.survey_year.data or "").strip()
        this_year = times.today().year
        if not re.fullmatch(r"\d{4}", year) or not 1990 <= int(year) <= this_year:
            self.survey_year.errors.append(
                f"Enter the year of the survey as 4 digits, from 1990 to {this_year}"
            )
        size = (self.sample_size.data or "").replace(",", "").strip()
        if not size.isdigit() or int(size) < 1:
            self.sample_size.errors.append(
                "Enter the sample size as a whole number of people, like 1200"
            )
        if self.wording.data not in holdings.WORDING:
            self.wording.errors.append(
                "Select whether the survey's question matches the standard's wording"
            )

    def values(self) -> dict[str, Any]:
        """What to store: only the details that belong to the chosen source."""
        source = self.source.data
        survey = source == "survey"
        return {
            "source": source,
            "survey_name": self.survey_name.data.strip() if survey else None,
            "survey_year": int(self.survey_year.data.strip()) if survey else None,
            "sample_size": int(self.sample_size.data.replace(",", "").strip()) if survey else None,
            "wording": self.wording.data if survey else None,
            "system_name": self.system_name.data.strip() if source == "service" else None,
        }


def _measures() -> dict[str, Any]:
    from validator import load_standard

    return load_standard().measures


def _question(measure: Any) -> str | None:
    """The standard's wording of the survey question behind a measure, if it has one."""
    from validator import load_standard

    if not measure.survey_field:
        return None
    for kind in load_standard().submission_types.values():
        if measure.survey_field in kind.field_names:
            return kind.field(measure.survey_field).description or None
    return None


def _themes(answers: dict[tuple[str, str], dict], borough: str) -> list[tuple[str, list]]:
    """The measures grouped by theme, in the standard's order, each with its current cell."""
    grouped: dict[str, list] = {}
    for measure in _measures().values():
        answer = answers.get((borough, measure.id))
        grouped.setdefault(measure.theme, []).append((measure, holdings.cell(answer)))
    return list(grouped.items())


@bp.route("")
@roles_required("officer", "gla")
def index() -> Any:
    if g.user["role"] == "gla":
        return london()
    return _borough_page(g.user["borough"], editable=True)


@bp.route("/boroughs/<code>")
@roles_required("gla")
def borough(code: str) -> Any:
    if code not in borough_names():
        abort(404)
    return _borough_page(code, editable=False)


def _borough_page(code: str, *, editable: bool) -> Any:
    answers = holdings.latest(db.get_db(), code)
    return render_template(
        "data_collection/borough.html",
        themes=_themes(answers, code),
        answered=len(answers),
        total=len(_measures()),
        borough=borough_names()[code],
        editable=editable,
        wording=holdings.WORDING,
    )


@bp.route("/measures/<measure_id>", methods=["GET", "POST"])
@roles_required("officer")
def answer(measure_id: str) -> Any:
    measure = _measures().get(measure_id)
    if measure is None:
        abort(404)
    conn = db.get_db()
    borough = g.user["borough"]
    current = holdings.latest(conn, borough).get((borough, measure.id)) or {}
    form = HoldingForm(data={k: ("" if v is None else str(v)) for k, v in current.items()})
    if form.validate_on_submit():
        holdings.save(conn, borough, measure.id, form.values(), g.user["id"])
        flash(f"Saved your answer for ‘{measure.title}’.")
        return redirect(url_for("data_collection.index") + f"#{measure.id}")
    return render_template(
        "data_collection/answer.html",
        form=form,
        measure=measure,
        question=_question(measure),
        borough=borough_names()[borough],
    )


def london() -> Any:
    """The GLA's matrix: every measure of the standard against every borough, with counts."""
    names = borough_names()
    answers = holdings.latest(db.get_db())
    rows = []
    for measure in _measures().values():
        cells = [holdings.cell(answers.get((code, measure.id))) for code in names]
        rows.append((measure, holdings.counts(cells), cells))
    return render_template(
        "data_collection/london.html",
        rows=rows,
        names=names,
        labels=[label for label, _ in [*holdings.SOURCES.values(), holdings.NOT_ANSWERED]],
        legend=[*holdings.SOURCES.values(), holdings.NOT_ANSWERED],
        answered_boroughs=len({b for b, _ in answers}),
    )


CSV_HEADER = [
    "measure_id", "measure_title", "theme", "borough_code", "borough_name", "holds_data",
    "survey_name", "survey_year", "sample_size", "wording_matches_standard", "system_name",
    "answered_by", "answered_at",
]  # fmt: skip


@bp.route("/london.csv")
@roles_required("gla")
def london_csv() -> Any:
    """One row per measure and borough, every borough including those that have not answered."""
    conn = db.get_db()
    names = borough_names()
    answers = holdings.latest(conn)
    rows = []
    for measure in _measures().values():
        for code, name in names.items():
            a = answers.get((code, measure.id)) or {}
            rows.append(
                [
                    measure.id, measure.title, measure.theme, code, name,
                    holdings.cell(a or None).label, a.get("survey_name"), a.get("survey_year"),
                    a.get("sample_size"), a.get("wording"), a.get("system_name"),
                    a.get("answered_by_email"), a.get("answered_at"),
                ]
            )  # fmt: skip
    audit.log(conn, "downloaded-data-collection-audit", f"{len(rows)} rows")
    return csv_response("data-collection-audit.csv", CSV_HEADER, rows)
