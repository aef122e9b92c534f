"""The API's one error shape: ``{"error": {"status", "code", "message"}}`` with that status.

Everything under ``/api/`` answers this way, including a wrong address (404), a wrong method
(405), a file over the size limit (413) and a crash (500), so a script never has to parse a page.
"""

from __future__ import annotations

from flask import Response, jsonify, request
from werkzeug.exceptions import HTTPException

API_PREFIX = "/api/"

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    422: "unprocessable",
    500: "server_error",
}

MESSAGES = {
    400: "The request could not be read. Send the fields as multipart/form-data.",
    401: "Send your API token in the header Authorization: Bearer <token>.",
    403: "Your account may not do this.",
    404: "There is nothing here that your token may see. Check the address and the id.",
    405: "This address does not take that method. The API description at /api/v1/openapi.json "
    "lists what each address takes.",
    413: "The file is larger than the portal accepts.",
    422: "The request names something the portal does not know.",
    500: "Something went wrong in the portal. Try again later; if it keeps happening, tell the "
    "GLA's data team the time it happened.",
}


def wanted() -> bool:
    """Whether this request is the API's, so its errors answer in JSON rather than as a page."""
    return request.path.startswith(API_PREFIX)


def answer(
    status: int,
    message: str | None = None,
    code: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """An error answer in the one shape, with the status's usual code and words by default."""
    response = jsonify(
        {
            "error": {
                "status": status,
                "code": code or CODES.get(status, "error"),
                "message": message or MESSAGES.get(status, "The request failed."),
            }
        }
    )
    response.status_code = status
    response.headers.update(headers or {})
    return response


def from_http(error: HTTPException, message: str | None = None) -> Response:
    """Werkzeug's error (404, 405, 413 …) in the API's shape, keeping headers such as Allow."""
    status = error.code or 500
    headers = {k: v for k, v in error.get_headers() if k.lower() not in ("content-type",)}
    return answer(status, message, headers=headers)
