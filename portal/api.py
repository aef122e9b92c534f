"""The JSON API under ``/api/v1`` for borough analysts' scripts, described in ``openapi.json``.

A script sends ``Authorization: Bearer <token>`` (tokens: ``tokens.py``); no session cookie and
no CSRF token, so the blueprint is CSRF-exempt. An upload takes the upload page's own path
(``submissions.receive``): the same checks in the same limited child, the same audit entries.
A submission is found through the pages' own gate (``submissions.visible``), so another
borough's id answers exactly like a missing one. Every failure answers in ``problems.py``'s shape.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, NoReturn

from flask import Blueprint, Response, abort, g, jsonify, request, url_for

from . import db, figures_store, problems, submission_metadata, submissions, times, tokens
from .rounds import type_titles

bp = Blueprint("api", __name__, url_prefix="/api/v1")

DESCRIPTION = Path(__file__).with_name("openapi.json")
PUBLIC = {"api.openapi"}  # the description needs no token


def _fail(status: int, message: str, code: str | None = None, **headers: str) -> NoReturn:
    """Stop the request with an error in the API's shape."""
    abort(problems.answer(status, message, code, headers=headers or None))


@bp.before_request
def authenticate() -> None:
    """Find the user behind the bearer token, or answer 401 (the session plays no part)."""
    g.user = None
    if request.endpoint in PUBLIC:
        return
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        _fail(
            401,
            "Send your API token in the header Authorization: Bearer <token>. Create a token on "
            "the portal's API tokens page (/account/tokens).",
            "missing_token",
            **{"WWW-Authenticate": 'Bearer realm="lsids"'},
        )
    user = tokens.user_for(db.get_db(), token.strip())
    if user is None:
        _fail(
            401,
            "This API token is not valid: it is mistyped or has been revoked. Create a new one on "
            "the portal's API tokens page (/account/tokens).",
            "invalid_token",
            **{"WWW-Authenticate": 'Bearer realm="lsids", error="invalid_token"'},
        )
    g.user = user


def _may_see_submissions() -> None:
    if g.user["role"] not in ("officer", "gla"):
        _fail(403, "Your account can see rounds only: submissions are for borough officers and "
              "the GLA.")  # fmt: skip


def _summary(submission: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": submission["id"],
        "status": submission["status"],
        "round": submission["round_id"],
        "borough": submission["borough"],
        "type": submission["type"],
        "version": submission["version"],
        "filename": submission["filename"],
        "size": submission["size"],
        "sha256": submission["sha256"],
        "uploaded_at": submission["uploaded_at"],
        "validator_version": submission["validator_version"],
        "standard_version": submission["standard_version"],
        "url": url_for("submissions.show", submission_id=submission["id"], _external=True),
    }


def _full(submission: dict[str, Any]) -> dict[str, Any]:
    """A submission with the validator's report (or the input problem that stopped it)."""
    return {
        **_summary(submission),
        "report": json.loads(submission["report"]) if submission["report"] else None,
        "input_error": json.loads(submission["input_error"]) if submission["input_error"] else None,
        "metadata": submission_metadata.stored(submission),
    }


def _round_from(value: str | None, *, open_only: bool) -> dict[str, Any]:
    """The round a request names by id, or a 422 that says what is wrong with it."""
    if value is None or not value.strip():
        _fail(422, "Say which collection round: give the round's id (GET /api/v1/rounds lists "
              "them).", "missing_round")  # fmt: skip
    conn = db.get_db()
    number = value.strip()
    whole = number.isascii() and number.isdigit() and len(number) < 19  # an id SQLite can hold
    round_ = db.round_by_id(conn, int(number)) if whole else None
    if round_ is None:
        _fail(422, f"There is no collection round {value.strip()!r}. GET /api/v1/rounds lists "
              "the rounds and their ids.", "unknown_round")  # fmt: skip
    if open_only and round_["id"] not in {r["id"] for r in _open_rounds()}:
        _fail(422, f"The round ‘{round_['name']}’ is not taking returns: it is open from "
              f"{times.long_date(round_['opens_on'])} to {times.long_date(round_['closes_on'])}.",
              "round_closed")  # fmt: skip
    return round_


def _open_rounds() -> list[dict[str, Any]]:
    return db.open_rounds(db.get_db(), times.today().isoformat())


def _type_from(value: str | None, round_: dict[str, Any]) -> str:
    """The kind of return a request names, or a 422 naming the kinds the round collects."""
    titles = type_titles()
    kinds = ", ".join(round_["types"])
    if value is None or not value.strip():
        _fail(422, f"Say which return this is in the field type: one of {kinds}.", "missing_type")
    kind = value.strip()
    if kind not in titles:
        _fail(422, f"{kind!r} is not a return in the standard. This round collects: {kinds}.",
              "unknown_type")  # fmt: skip
    if kind not in round_["types"]:
        _fail(422, f"This round does not collect that return ({kind}). It collects: {kinds}.",
              "type_not_collected")  # fmt: skip
    return kind


@bp.post("/submissions")
def send() -> Any:
    """Upload a return: 201 with the submission, accepted or rejected, and its report."""
    if g.user["role"] != "officer":
        _fail(403, "Only a borough officer's token can send a return.")
    upload = request.files.get("file")  # reading the body: a file over the limit answers 413
    if upload is None or not upload.filename:
        _fail(400, "Attach the return as a file in the multipart field file.", "missing_file")
    round_ = _round_from(request.form.get("round"), open_only=True)
    kind = _type_from(request.form.get("type"), round_)
    metadata = submission_metadata.build(round_, kind, g.user, request.form)
    problem = submission_metadata.problem(metadata)
    if problem is not None:  # the validator's words; the field to send is named in them
        _fail(422, problem.message, "invalid_metadata")
    submission_id = submissions.receive(round_, kind, upload.read(), upload.filename, metadata)
    found = db.submission_by_id(db.get_db(), submission_id)
    response = jsonify(_full(found))
    response.status_code = 201
    response.headers["Location"] = url_for("api.submission", submission_id=submission_id)
    return response


@bp.get("/submissions/<int:submission_id>")
def submission(submission_id: int) -> Any:
    """One submission with its report; another borough's answers 404 like a missing one."""
    _may_see_submissions()
    return jsonify(_full(submissions.visible(submission_id)))


@bp.get("/submissions")
def submission_list() -> Any:
    """A round's submissions, newest first: the officer's own borough, or all for the GLA."""
    _may_see_submissions()
    round_ = _round_from(request.args.get("round"), open_only=False)
    borough = None if g.user["role"] == "gla" else g.user["borough"]
    found = db.submissions_for(db.get_db(), round_["id"], borough)
    return jsonify({"round": round_["id"], "submissions": [_summary(s) for s in found]})


@bp.get("/rounds")
def round_list() -> Any:
    """Every collection round, newest closing date first, with whether it takes returns today."""
    open_ids = {r["id"] for r in _open_rounds()}
    return jsonify(
        {
            "rounds": [
                {
                    "id": r["id"],
                    "name": r["name"],
                    "period": r["period"],
                    "types": r["types"],
                    "standard_version": r["standard_version"],
                    "opens_on": r["opens_on"],
                    "closes_on": r["closes_on"],
                    "open": r["id"] in open_ids,
                }
                for r in db.rounds(db.get_db())
            ]
        }
    )


@bp.get("/figures")
def figure_list() -> Any:
    """London's published figures (every borough's and London's), filtered by measure and period:
    the output table after disclosure control, so any account's token may read it."""
    from validator import load_standard

    measure = request.args.get("measure") or None
    period = request.args.get("period") or None
    if measure is not None and measure not in load_standard().measures:
        _fail(422, f"There is no measure {measure!r} in the standard.", "unknown_measure")
    conn = db.get_db()
    if period is not None and period not in figures_store.periods(conn, measure):
        _fail(422, f"There are no figures for the period {period!r}.", "unknown_period")
    return jsonify(figures_store.figures_json(conn, measure, period))


@cache
def _description() -> str:
    return DESCRIPTION.read_text(encoding="utf-8")


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 description of this API (public: it holds no data)."""
    return Response(_description(), mimetype="application/json")
