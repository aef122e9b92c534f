"""``url_for`` for templates, with the addresses every page's layout asks for built once per worker.

The layout (base.html) builds the same nine addresses on every page; Werkzeug's URL building was
a noticeable share of a signed-in page. Only a plain address is kept: an endpoint named in full,
with no arguments but a static file's name, for the application root it was built under. Anything
else (blueprint-relative names, query values, anchors, external addresses) goes to Flask as before.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, has_request_context, request, url_for

_built: dict[tuple[str, str | None, str], str] = {}
KEPT = 1024  # addresses a worker remembers; past that it builds each one as Flask does


def page_url_for(endpoint: str, **values: Any) -> str:
    """Flask's ``url_for``, remembering plain addresses (see the module's docstring)."""
    plain = not values or (endpoint == "static" and values.keys() == {"filename"})
    if endpoint.startswith(".") or not plain or not has_request_context():
        return url_for(endpoint, **values)
    key = (endpoint, values.get("filename"), request.script_root)
    found = _built.get(key)
    if found is None:
        found = url_for(endpoint, **values)
        if len(_built) < KEPT:
            _built[key] = found
    return found


def init_app(app: Flask) -> None:
    """Templates' ``url_for`` becomes ``page_url_for`` (Python code keeps Flask's own).

    Not when the app builds addresses from ``url_defaults`` functions, which can add values
    from the request."""
    if not app.url_default_functions:
        app.jinja_env.globals["url_for"] = page_url_for
