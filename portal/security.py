"""Security headers on every response, including a strict Content-Security-Policy.

No inline script or style anywhere: everything the pages use comes from the portal's own origin.
"""

from __future__ import annotations

from flask import Flask, Response, g

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


_LOWER = {name.lower(): (name, value) for name, value in HEADERS.items()}


def add_headers(response: Response) -> Response:
    """The headers above, except any the view set itself (one pass over the response's headers:
    six ``setdefault`` calls each scanned them, on every response)."""
    missing = dict(_LOWER)
    for name, _value in response.headers:
        missing.pop(name.lower(), None)
    response.headers.extend(missing.values())
    if g.get("user") is not None:  # pages about a borough's returns are not for shared caches
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_headers)
