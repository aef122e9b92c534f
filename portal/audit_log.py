"""The audit log's pages for the GLA: the entries, narrowed by borough, user, action and dates,
newest first and a page at a time, and the same entries as a CSV download.

Read-only: no route here changes or deletes an entry (and the database refuses to). The filters
are a GET form, so a filtered view is an address that can be bookmarked and shared.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from wtforms import Form, SelectField, StringField, ValidationError

from . import audit, db, times
from .auth import roles_required
from .csv_download import csv_response
from .rounds import borough_names

bp = Blueprint("audit_log", __name__)

PAGE_SIZE = 50
FILTERS = ("borough", "user", "action", "from_date", "to_date")


class ListedChoice(SelectField):
    """A select whose unknown value gets a sentence for a person, not "Not a valid choice"."""

    def __init__(self, label: str, message: str, **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.message = message

    def pre_validate(self, form: Form) -> None:
        self.data = self.data or ""  # left out of the address: no filter
        if self.data not in {value for value, _label in self.choices}:
            raise ValidationError(self.message)


def _london_day(field: StringField, which: str) -> date | None:
    text = (field.data or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"Enter the {which} date as a date, like 2026-12-01") from None


class FilterForm(Form):
    borough = ListedChoice("Borough", "Select a borough from the list")
    user = ListedChoice("User", "Select a user from the list")
    action = ListedChoice("Action", "Select an action from the list")
    from_date = StringField("From")
    to_date = StringField("To")

    def validate_from_date(self, field: StringField) -> None:
        _london_day(field, "start")

    def validate_to_date(self, field: StringField) -> None:
        end = _london_day(field, "end")
        try:
            start = _london_day(self.from_date, "start")
        except ValidationError:
            return  # the start date has its own message
        if start and end and end < start:
            raise ValidationError("The end date must be the same as or after the start date")

    def query(self) -> dict[str, str | None]:
        """The filters as ``audit.entries`` takes them: London days become UTC instants."""
        start = _london_day(self.from_date, "start")
        end = _london_day(self.to_date, "end")
        return {
            "borough": self.borough.data or None,
            "email": self.user.data or None,
            "action": self.action.data or None,
            "since": _utc_midnight(start) if start else None,
            "until": _utc_midnight(end + timedelta(days=1)) if end else None,
        }


def _utc_midnight(day: date) -> str:
    """The UTC instant at which ``day`` begins in London, in the form the log stores times."""
    return datetime.combine(day, time(), tzinfo=times.LONDON).astimezone(UTC).isoformat()


def _form() -> FilterForm:
    conn = db.get_db()
    form = FilterForm(MultiDict({k: v for k, v in request.args.items() if k in FILTERS}))
    form.borough.choices = [("", "Any borough"), *borough_names().items()]
    form.user.choices = [("", "Anyone")] + [(u["email"], u["email"]) for u in db.users(conn)]
    form.action.choices = [("", "Any action")] + [(a, a) for a in audit.actions(conn)]
    return form


def _filters() -> dict[str, str]:
    """The filters given in this request's address, to carry onto other links."""
    return {k: v for k, v in request.args.items() if k in FILTERS and v}


@bp.route("/audit-log")
@roles_required("gla")
def index() -> Any:
    form = _form()
    valid = form.validate()
    entries: list[dict[str, Any]] = []
    total = page = pages = 0
    if valid:
        conn = db.get_db()
        query = form.query()
        total = audit.count(conn, **query)
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(request.args.get("page", 1, type=int), 1), pages)
        entries = audit.entries(conn, PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, **query)
    return render_template(
        "audit_log/index.html",
        form=form,
        valid=valid,
        entries=entries,
        total=total,
        page=page,
        pages=pages,
        first=(page - 1) * PAGE_SIZE + 1,
        filters=_filters(),
        names=borough_names(),
    )


CSV_HEADER = ["id", "at_utc", "user_email", "borough_code", "borough_name", "action", "detail",
              "address"]  # fmt: skip


@bp.route("/audit-log.csv")
@roles_required("gla")
def download() -> Any:
    """Every entry the filters match, newest first; the download is itself logged."""
    form = _form()
    if not form.validate():
        return redirect(url_for("audit_log.index", **_filters()))
    conn = db.get_db()
    names = borough_names()
    found = audit.entries(conn, None, **form.query())
    rows = [
        [e["id"], e["at"], e["email"], e["borough"], names.get(e["borough"] or "", ""),
         e["action"], e["detail"], e["address"]]
        for e in found
    ]  # fmt: skip
    described = ", ".join(f"{k}={v}" for k, v in _filters().items()) or "no filters"
    audit.log(conn, "downloaded-audit-log", f"{len(rows)} entries; {described}")
    return csv_response("audit-log.csv", CSV_HEADER, rows)
