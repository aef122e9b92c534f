"""Signing in and out, session expiry, login throttling and the role checks views use."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from . import audit, db, passwords, times
from .forms import SignInForm, SignOutForm

bp = Blueprint("auth", __name__)
# How stale the session's "last seen" may get before a request moves it on. Moving it re-signs
# and re-sends the session cookie, which cost a signed-in page more than its own work; kept to
# the minute, an idle session can end up to a minute before its idle limit, never after it.
LAST_SEEN_STEP_SECONDS = 60


def init_app(app: Flask) -> None:
    # The header's sign-out form is a plain hidden csrf_token input in base.html (Flask-WTF's
    # csrf_token()): building a form object on every page cost more than the rest of the header.
    app.before_request(load_user)


def load_user() -> None:
    """Put the signed-in user on ``g``, ending sessions that were idle or open too long.

    Runs on every request: the session and ``g`` are looked up once each (every use of one of
    Flask's context proxies costs about a microsecond)."""
    state = g._get_current_object()
    state.user = None
    if request.endpoint in ("healthz", "static"):
        return
    cookie = session._get_current_object()
    user_id = cookie.get("user_id")
    if user_id is None:
        return
    now = time.time()
    config = current_app.config
    idle = config["SESSION_IDLE_MINUTES"] * 60
    maximum = config["SESSION_MAX_HOURS"] * 3600
    last_seen = cookie.get("last_seen", 0)
    if now - last_seen > idle or now - cookie.get("signed_in_at", 0) > maximum:
        cookie.clear()
        flash("You were signed out because your session expired. Sign in again to continue.")
        return
    user = db.user_by_id(db.get_db(), user_id)
    if user is None or not user.get("active", 1):  # a deactivated account's session ends here
        cookie.clear()
        return
    if now - last_seen >= LAST_SEEN_STEP_SECONDS:
        cookie["last_seen"] = now
    state.user = user


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.user is None:
            return redirect(url_for("auth.sign_in", next=request.full_path))
        return view(*args, **kwargs)

    return wrapped


def roles_required(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Only these roles may use the view; anyone else signed in gets 404, as for a missing page."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if g.user["role"] not in roles:
                abort(404)
            return view(*args, **kwargs)

        return wrapped

    return decorate


def lockout_until(email: str) -> float | None:
    """When a throttled email may try again (epoch seconds), or None if it may try now."""
    window = current_app.config["LOGIN_WINDOW_MINUTES"] * 60
    limit = current_app.config["LOGIN_MAX_FAILURES"]
    failures = db.login_failures_since(db.get_db(), email, time.time() - window)
    if len(failures) < limit:
        return None
    return failures[-limit] + window


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return url_for("rounds.home")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Any:
    form = SignInForm()
    problem = None
    if form.validate_on_submit():
        email = form.email.data.strip()
        until = lockout_until(email)
        if until is not None:
            minutes = max(1, round((until - time.time()) / 60))
            moment = times.clock(datetime.fromtimestamp(until, UTC))
            problem = (
                f"You have tried to sign in too many times. Try again after {moment} "
                f"(in {minutes} minute{'s' if minutes != 1 else ''})."
            )
        else:
            conn = db.get_db()
            user = db.user_by_email(conn, email)
            known = passwords.verify(user["password_hash"] if user else None, form.password.data)
            if known and user.get("active", 1):  # a deactivated account cannot sign in
                db.clear_login_failures(conn, email)
                session.clear()
                now = time.time()
                session.update(user_id=user["id"], signed_in_at=now, last_seen=now)
                audit.log(conn, "signed-in", user_id=user["id"], borough=user["borough"])
                return redirect(_safe_next(request.args.get("next")))
            db.record_login_failure(conn, email, time.time())
            problem = "Enter a correct email address and password"
    status = 429 if problem and problem.startswith("You have tried") else 200
    return render_template("auth/sign_in.html", form=form, problem=problem), status


@bp.route("/sign-out", methods=["POST"])
def sign_out() -> Any:
    form = SignOutForm()
    if form.validate_on_submit() and g.user is not None:
        audit.log(db.get_db(), "signed-out")
    session.clear()
    flash("You have signed out.")
    return redirect(url_for("auth.sign_in"))
