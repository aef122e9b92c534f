"""Error pages written for an officer: not found, file too large, expired form, server error.

Under ``/api/`` the same errors answer in the API's JSON shape instead (``problems.py``).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from . import problems

DRAIN_LIMIT = 1024 * 1024 * 1024  # read and discard at most 1 GiB of an oversized upload
CHUNK = 1024 * 1024


def _drain() -> None:
    """Read the rest of an oversized request body so the browser sees our page, not a reset.

    Closing a socket with unread data makes the kernel send a reset, and the browser then shows
    "connection reset" instead of the page that explains the size limit.
    """
    stream = request.environ.get("wsgi.input")
    left = min(request.content_length or 0, DRAIN_LIMIT)
    while stream is not None and left > 0:
        chunk = stream.read(min(CHUNK, left))
        if not chunk:
            break
        left -= len(chunk)


def too_large(error: HTTPException) -> Any:
    _drain()
    limit = current_app.config["MAX_UPLOAD_MB"]
    if problems.wanted():
        return problems.from_http(
            error, f"The file is larger than {limit} MB, the most a return may be."
        )
    return render_template("errors/too_large.html", limit=limit), 413


def not_found(error: HTTPException) -> Any:
    if problems.wanted():
        return problems.from_http(error)
    return render_template("errors/not_found.html"), 404


def csrf_failed(_error: CSRFError) -> Any:
    return render_template("errors/expired_form.html"), 400


def server_error(error: HTTPException) -> Any:
    if problems.wanted():
        return problems.answer(500)
    return render_template("errors/server_error.html"), 500


def other_http(error: HTTPException) -> Any:
    """Any other HTTP error (400, 405 …): JSON under /api/, Werkzeug's own answer elsewhere."""
    return problems.from_http(error) if problems.wanted() else error


def init_app(app: Flask) -> None:
    app.register_error_handler(413, too_large)
    app.register_error_handler(404, not_found)
    app.register_error_handler(CSRFError, csrf_failed)
    app.register_error_handler(500, server_error)
    app.register_error_handler(HTTPException, other_http)
