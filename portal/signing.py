"""Signing the session cookie and the CSRF token without redoing work whose result cannot change.

Flask builds a new signing serializer for the session on every request, and Flask-WTF signs the
session's CSRF token afresh on every page; on a signed-in page that was more server time than the
page's own reads. The serializer is made once per worker for each secret key, and the signed CSRF
token once per worker for each session's own token (the cache is keyed by that secret token, so
it only ever hands a session the signature of its own token). Tokens are still checked by
Flask-WTF exactly as before; with ``WTF_CSRF_TIME_LIMIT`` set (tokens that age) nothing is cached.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from flask import Flask, current_app, g, session
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import generate_csrf

FIELD = "csrf_token"  # Flask-WTF's default field and session key, which the portal uses
SIGNED_KEPT = 4096  # sessions whose signed token a worker remembers (oldest forgotten first)
_signed: OrderedDict[tuple[Any, str], str] = OrderedDict()


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signing serializer made once per secret key."""

    def __init__(self) -> None:
        self._serializers: dict[tuple[Any, ...], Any] = {}

    def get_signing_serializer(self, app: Flask):  # type: ignore[no-untyped-def]
        key = (app.secret_key, *(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        if key not in self._serializers:
            self._serializers[key] = super().get_signing_serializer(app)
        return self._serializers[key]


def csrf_token() -> str:
    """Flask-WTF's ``csrf_token()`` for templates, signed once per worker for each session."""
    config = current_app.config
    if (
        config.get("WTF_CSRF_TIME_LIMIT") is not None
        or config.get("WTF_CSRF_FIELD_NAME", FIELD) != FIELD
        or FIELD in g
        or FIELD not in session
    ):
        return generate_csrf()  # the first token of a session, or settings this does not cover
    key = (config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key, session[FIELD])
    token = _signed.get(key)
    if token is None:
        token = generate_csrf()
        _signed[key] = token
        while len(_signed) > SIGNED_KEPT:
            _signed.popitem(last=False)
    else:
        setattr(g, FIELD, token)  # as generate_csrf leaves it, for any form on the same page
    return token


def init_app(app: Flask) -> None:
    """Use the cached serializer for sessions and the cached signing for ``csrf_token()``
    (after ``CSRFProtect.init_app``, which registers Flask-WTF's own as a global and in a
    context processor: a later context processor's names win)."""
    app.session_interface = SessionCookies()
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(lambda: {"csrf_token": csrf_token})
