"""LSIDS portal: the Flask application where borough officers upload returns to the GLA.

``create_app()`` assembles it: settings, database, CSRF, security headers, a blueprint per area.
Serve it with gunicorn (see ``gunicorn.conf.py``) or ``flask --app portal run`` for development.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from . import (
    account,
    api,
    audit_log,
    auth,
    cli,
    config,
    data_collection,
    db,
    errors,
    figures,
    page_urls,
    round_admin,
    rounds,
    security,
    signing,
    submissions,
    times,
    tracker_views,
    users,
)

csrf = CSRFProtect()


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the portal. ``test_config`` replaces settings (tests); otherwise PORTAL_* variables."""
    app = Flask(__name__, instance_relative_config=True, static_url_path="/assets")
    settings = config.defaults(Path(app.instance_path))
    settings.update(config.from_environment(settings) if test_config is None else {})
    settings.update(test_config or {})
    app.config.update(config.finish(settings, debug=app.debug))
    Path(app.config["FILES"]).mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    auth.init_app(app)  # before CSRF, so an error page still knows who is signed in
    csrf.init_app(app)
    signing.init_app(app)  # after CSRF: replaces its csrf_token() for templates
    security.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(rounds.bp)
    app.register_blueprint(submissions.bp)
    app.register_blueprint(data_collection.bp)
    app.register_blueprint(audit_log.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)  # bearer tokens, never the session cookie: nothing for CSRF to ride on
    for area in (tracker_views, round_admin, users):  # the GLA runs the collection
        app.register_blueprint(area.bp)
    app.register_blueprint(figures.bp)
    app.add_url_rule("/healthz", "healthz", healthz)
    page_urls.init_app(app)  # after every blueprint and url_defaults
    app.jinja_env.filters.update(
        long_date=times.long_date,
        stamp=times.stamp,
        plural=lambda n, w: f"{n} {w}{'' if n == 1 else 's'}",
    )
    return app


def healthz() -> tuple[str, int, dict[str, str]]:
    """For load balancers and tests: answers without a session or the database."""
    return "ok", 200, {"Content-Type": "text/plain"}
