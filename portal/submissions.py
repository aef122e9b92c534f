"""Uploading a return and the submission's own page: status, receipt, report, downloads.

A submission is only ever found through ``visible()``: another borough's submission is a 404,
exactly like one that does not exist.
"""

from __future__ import annotations

import json
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    after_this_request,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from . import audit, checking, db, figures_store, intake, store, submission_metadata, times
from .auth import roles_required
from .forms import UploadForm
from .report_view import ReportView
from .rounds import borough_names, type_titles

bp = Blueprint("submissions", __name__)

XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _log_download(what: str, submission: dict[str, Any]) -> None:
    """A download of a submission is logged under the submission's borough, whoever fetched it."""
    audit.log(
        db.get_db(), f"downloaded-{what}", f"submission {submission['id']}",
        borough=submission["borough"],
    )  # fmt: skip


def visible(submission_id: int) -> dict[str, Any]:
    """The submission if the signed-in user may see it, else 404 (never 403: no hint it exists)."""
    found = db.submission_by_id(db.get_db(), submission_id)
    if found is None:
        abort(404)
    if g.user["role"] == "gla":
        return found
    if g.user["role"] == "officer" and found["borough"] == g.user["borough"]:
        return found
    abort(404)


def _checker(data: bytes, filename: str, options: dict[str, Any]) -> checking.Outcome:
    config = current_app.config
    return checking.check(
        data,
        filename,
        options,
        seconds=config["CHECK_SECONDS"],
        memory_mb=config["CHECK_MEMORY_MB"],
    )


def receive(
    round_: dict[str, Any],
    kind: str,
    data: bytes,
    filename: str | None,
    metadata: dict[str, Any] | None = None,
) -> int:
    """The signed-in officer's upload, kept, checked in a limited child and recorded with its
    ``metadata`` (``submission_metadata.build``, found complete): the one path both the upload
    page and the API take. Returns the new submission's id. Once the answer has been sent,
    London's figures are recomputed (``figures_store.after_response``)."""
    submission_id = intake.receive(
        db.get_db(),
        current_app.config["FILES"],
        round_=round_,
        kind=kind,
        user=g.user,
        data=data,
        filename=filename or "upload",
        checker=_checker,
        metadata=metadata,
    )
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    @after_this_request
    def recompute_once_answered(answer: Response) -> Response:
        answer.call_on_close(figures_store.after_response(app, submission_id))
        return answer

    return submission_id


def _upload_form() -> tuple[UploadForm, dict[int, dict[str, Any]]]:
    open_rounds = {r["id"]: r for r in db.open_rounds(db.get_db(), times.today().isoformat())}
    form = UploadForm()
    form.round_id.choices = [
        (rid, f"{r['name']} ({r['period']})") for rid, r in open_rounds.items()
    ]
    titles = type_titles()
    form.type.choices = list(titles.items())
    return form, open_rounds


@bp.route("/upload", methods=["GET", "POST"])
@roles_required("officer")
def upload() -> Any:
    form, open_rounds = _upload_form()
    carried = submission_metadata.carried_over(db.get_db(), g.user["borough"])
    if request.method == "GET":
        form.round_id.data = request.args.get("round", type=int)
        form.type.data = request.args.get("type")
        _prefill(form, carried[1] if carried else {})
    if form.validate_on_submit():
        round_ = open_rounds[form.round_id.data]
        if form.type.data not in round_["types"]:
            form.type.errors = [*form.type.errors, "This round does not collect that return"]
        else:
            metadata = submission_metadata.build(round_, form.type.data, g.user, request.form)
            problem = submission_metadata.problem(metadata)
            if problem is None:
                upload = form.file.data
                submission_id = receive(
                    round_, form.type.data, upload.read(), upload.filename, metadata
                )
                return redirect(url_for("submissions.show", submission_id=submission_id))
            _show_problem(form, problem, round_["standard_version"])
    return render_template(
        "submissions/upload.html",
        form=form,
        has_rounds=bool(open_rounds),
        carried_from=carried[0] if carried else None,
    )


def _prefill(form: UploadForm, answers: dict[str, Any]) -> None:
    """Start the form's survey answers from earlier ones (a number shown as 265,000)."""
    for name, value in answers.items():
        shown = f"{value:,}" if isinstance(value, int) else str(value)
        getattr(form, name).data = shown


def _show_problem(form: UploadForm, problem: submission_metadata.Problem, version: str) -> None:
    """The validator's words on the field they are about (the return's kind when the portal
    filled the property itself), so the error summary links to it."""
    name = submission_metadata.form_field(problem.property, version) or "type"
    field = getattr(form, name if hasattr(form, name) else "type")
    field.errors = [*field.errors, problem.message]


@bp.route("/submissions/<int:submission_id>")
@roles_required("officer", "gla")
def show(submission_id: int) -> Any:
    submission = visible(submission_id)
    conn = db.get_db()
    round_ = db.round_by_id(conn, submission["round_id"])
    report = json.loads(submission["report"]) if submission["report"] else None
    input_error = json.loads(submission["input_error"]) if submission["input_error"] else None
    form, open_rounds = _upload_form()
    form.round_id.data = round_["id"]
    form.type.data = submission["type"]
    metadata = submission_metadata.stored(submission)
    kind, version = submission["type"], round_["standard_version"]
    if metadata:  # a new version of this return starts from what this one said
        typed = submission_metadata.typed(kind, version)
        _prefill(form, {n: metadata[n] for n in typed if n in metadata})
    elif carried := submission_metadata.carried_over(conn, submission["borough"]):
        _prefill(form, carried[1])
    return render_template(
        "submissions/show.html",
        submission=submission,
        metadata=metadata,
        is_survey=submission_metadata.is_survey(kind, version),
        round=round_,
        view=ReportView(report) if report else None,
        input_error=input_error,
        form=form,
        can_upload=g.user["role"] == "officer" and round_["id"] in open_rounds,
        titles=type_titles(),
        names=borough_names(),
        is_xlsx=bool(report and report.get("sheet") is not None),  # any workbook: .ods, .xls too
    )


@bp.route("/submissions/<int:submission_id>/report.json")
@roles_required("officer", "gla")
def report_json(submission_id: int) -> Any:
    submission = visible(submission_id)
    body = {
        "submission": submission_id,
        "status": submission["status"],
        "sha256": submission["sha256"],
        "report": json.loads(submission["report"]) if submission["report"] else None,
        "input_error": json.loads(submission["input_error"]) if submission["input_error"] else None,
    }
    _log_download("report", submission)
    return Response(
        json.dumps(body, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="submission-{submission_id}.json"'},
    )


@bp.route("/submissions/<int:submission_id>/file")
@roles_required("officer", "gla")
def original(submission_id: int) -> Any:
    """The bytes exactly as uploaded, named by us (never echoing the user's file name)."""
    submission = visible(submission_id)
    data = store.read(current_app.config["FILES"], submission["sha256"])
    suffix = checking.safe_name(submission["filename"]).removeprefix("upload") or ".bin"
    _log_download("file", submission)
    return Response(
        data,
        mimetype="application/octet-stream",
        headers={
            "Content-Disposition": f'attachment; filename="submission-{submission_id}{suffix}"'
        },
    )


@bp.route("/submissions/<int:submission_id>/annotated.xlsx")
@roles_required("officer", "gla")
def annotated(submission_id: int) -> Any:
    """The officer's own workbook with every problem marked on its cell (validator annotate)."""
    submission = visible(submission_id)
    report = json.loads(submission["report"]) if submission["report"] else None
    if not report or report.get("sheet") is None:  # a CSV: the report is all there is
        abort(404)
    round_ = db.round_by_id(db.get_db(), submission["round_id"])
    config = current_app.config
    outcome = checking.check(
        store.read(config["FILES"], submission["sha256"]),
        submission["filename"],
        intake.options_for(
            round_,
            submission["type"],
            submission["borough"],
            submission_metadata.stored(submission),
        ),
        seconds=config["CHECK_SECONDS"],
        memory_mb=config["CHECK_MEMORY_MB"],
        annotated=True,
    )
    if outcome.annotated is None:
        abort(404)
    _log_download("marked-workbook", submission)
    return Response(
        outcome.annotated,
        mimetype=XLSX_MEDIA,
        headers={
            "Content-Disposition": f'attachment; filename="submission-{submission_id}-marked.xlsx"'
        },
    )
