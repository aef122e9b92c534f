"""Signing the session cookie and the CSRF token without redoing work whose result cannot change.

Flask builds a new signing serializer for the session on every request, and Flask-WTF signs the
session's CSRF token afresh on every page; on a signed-in page that was more server time than the
page's own reads. The serializer is made once per worker for each secret key, a session cookie is
checked once per worker for each cookie (the cookie exactly as sent, with the keys that checked it;
its age is still checked on every request), and the signed CSRF
token once per worker for each session's own token (the cache is keyed by that secret token, so
it only ever hands a session the signature of its own token). Tokens are still checked by
Flask-WTF exactly as before; with ``WTF_CSRF_TIME_LIMIT`` set (tokens that age) nothing is cached.
"""

from __future__ import annotations

import copy
import time
from collections import OrderedDict
from typing import Any

from flask import Flask, Request, Response, current_app, g, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadSignature

FIELD = "csrf_token"  # Flask-WTF's default field and session key, which the portal uses
SIGNED_KEPT = 4096  # sessions whose signed token a worker remembers (oldest forgotten first)
_signed: OrderedDict[tuple[Any, str], str] = OrderedDict()
COOKIES_KEPT = 4096  # session cookies whose checked contents a worker remembers


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signing serializer made once per secret key."""

    def __init__(self) -> None:
        self._serializers: dict[tuple[Any, ...], Any] = {}

        # (keys, cookie) -> (when it was signed, its contents), for cookies whose signature held
        self._checked: OrderedDict[tuple[Any, ...], tuple[int, dict[str, Any]]] = OrderedDict()

    def _keys(self, app: Flask) -> tuple[Any, ...]:
        return (app.secret_key, *(app.config.get("SECRET_KEY_FALLBACKS") or ()))

    def get_signing_serializer(self, app: Flask):  # type: ignore[no-untyped-def]
        key = self._keys(app)
        if key not in self._serializers:
            self._serializers[key] = super().get_signing_serializer(app)
        return self._serializers[key]

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """Flask's, but a cookie's signature is checked and its contents decoded once per worker:
        the same cookie with the same keys always checks the same way. Its age is not cached:
        a cookie older than the session lifetime is refused on every request, as Flask does."""
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        key = (*self._keys(app), value)
        found = self._checked.get(key)
        if found is None:
            try:
                data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
            except BadSignature:
                return self.session_class()
            found = (int(signed_at.timestamp()), data)
            self._checked[key] = found
            while len(self._checked) > COOKIES_KEPT:
                self._checked.popitem(last=False)
        age = int(time.time()) - found[0]
        if age > max_age or age < 0:  # as itsdangerous' TimestampSigner refuses it
            return self.session_class()
        return self.session_class(_own_copy(found[1]))  # a request may change its own copy

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Flask's. Its most common case, a session read and not changed, only adds "Vary:
        Cookie"; that is done here without parsing a Vary header the response does not have."""
        if session and session.accessed and not self.should_set_cookie(app, session):
            if "Vary" in response.headers:
                response.vary.add("Cookie")
            else:
                response.headers["Vary"] = "Cookie"
            return
        super().save_session(app, session, response)


_PLAIN = frozenset({str, int, float, bool, type(None)})


def _own_copy(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of a session's contents the request may change: a plain copy when every value is a
    plain one (a signed-in session's are: ids, times, the CSRF token), else a deep one."""
    if all(type(value) in _PLAIN for value in data.values()):
        return dict(data)
    return copy.deepcopy(data)


def csrf_token() -> str:
    """Flask-WTF's ``csrf_token()`` for templates, signed once per worker for each session."""
    app = current_app._get_current_object()  # each proxy looked up once: a microsecond a use
    config, state, cookie = app.config, g._get_current_object(), session._get_current_object()
    if (
        config.get("WTF_CSRF_TIME_LIMIT") is not None
        or config.get("WTF_CSRF_FIELD_NAME", FIELD) != FIELD
        or FIELD in state
        or FIELD not in cookie
    ):
        return generate_csrf()  # the first token of a session, or settings this does not cover
    key = (config.get("WTF_CSRF_SECRET_KEY") or app.secret_key, cookie[FIELD])
    token = _signed.get(key)
    if token is None:
        token = generate_csrf()
        _signed[key] = token
        while len(_signed) > SIGNED_KEPT:
            _signed.popitem(last=False)
    else:
        setattr(state, FIELD, token)  # as generate_csrf leaves it, for any form on the same page
    return token


def init_app(app: Flask) -> None:
    """Use the cached serializer for sessions and the cached signing for ``csrf_token()``
    (after ``CSRFProtect.init_app``, which registers Flask-WTF's own as a global and in a
    context processor: a later context processor's names win)."""
    app.session_interface = SessionCookies()
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(lambda: {"csrf_token": csrf_token})
