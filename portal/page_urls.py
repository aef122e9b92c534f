"""``url_for`` for templates, and what the layout (base.html) needs on every page, made once per
worker: its fixed addresses and each role's menu.

The layout builds the same addresses and the same menu on every page; Werkzeug's URL building and
Jinja's calls for them were a noticeable share of a signed-in page. Only a plain address is kept:
an endpoint named in full, with no arguments but a static file's name, for the application root it
was built under. Anything else (blueprint-relative names, query values, anchors, external
addresses) goes to Flask as before. The menu depends on nothing but the reader's role and that
root, so it is rendered once for each (``templates/layout/menu.html``).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from flask import Flask, current_app, has_request_context, request, url_for
from markupsafe import Markup

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


class Layout(NamedTuple):
    """The layout's addresses and the menu's links (before "Sign out") for one role."""

    home: str
    favicon: str
    stylesheet: str
    sign_out: str
    menu: Markup  # empty for no one signed in


_layouts: dict[tuple[str | None, str], Layout] = {}


def page_layout(user: Any) -> Layout:
    """The layout for this reader (``g.user``, or nothing), made once per role and root."""
    role = user["role"] if user else None
    key = (role, request.script_root)
    found = _layouts.get(key)
    if found is None:
        found = fresh_layout(role)
        if len(_layouts) < KEPT:
            _layouts[key] = found
    return found


def fresh_layout(role: str | None) -> Layout:
    """The layout for this role, built now."""
    menu = ""
    if role is not None:
        menu = current_app.jinja_env.get_template("layout/menu.html").render(role=role)
    return Layout(
        home=url_for("rounds.home"),
        favicon=url_for("static", filename="rebrand/images/favicon.ico"),
        stylesheet=url_for("static", filename="govuk-frontend.min.css"),
        sign_out=url_for("auth.sign_out"),
        menu=Markup(menu),
    )


def init_app(app: Flask) -> None:
    """Templates' ``url_for`` becomes ``page_url_for`` (Python code keeps Flask's own) and the
    layout is made once per role and root.

    Not when the app builds addresses from ``url_defaults`` functions, which can add values
    from the request: then both are built for each page, as Flask does."""
    if app.url_default_functions:
        app.jinja_env.globals["page_layout"] = lambda user: fresh_layout(
            user["role"] if user else None
        )
        return
    app.jinja_env.globals["url_for"] = page_url_for
    app.jinja_env.globals["page_layout"] = page_layout
