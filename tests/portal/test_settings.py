"""Settings and sessions: no production start without a secret, and sessions that end."""

from __future__ import annotations

import threading
import time

import pytest
from conftest import Client
from werkzeug.serving import make_server

from portal import create_app, db, passwords
from portal.config import ConfigError, from_environment


def test_the_portal_refuses_to_start_without_a_real_secret_key(tmp_path, monkeypatch):
    for value in (None, "", "dev"):
        if value is None:
            monkeypatch.delenv("PORTAL_SECRET_KEY", raising=False)
        else:
            monkeypatch.setenv("PORTAL_SECRET_KEY", value)
        monkeypatch.setenv("PORTAL_DATABASE", str(tmp_path / "p.sqlite3"))
        with pytest.raises(ConfigError, match="Set PORTAL_SECRET_KEY"):
            create_app()


def test_settings_come_from_portal_variables_and_numbers_must_be_numbers():
    known = {"MAX_UPLOAD_MB": 50, "SECRET_KEY": "dev"}
    env = {"PORTAL_MAX_UPLOAD_MB": "5", "PORTAL_SECRET_KEY": "12345", "OTHER": "x"}
    assert from_environment(known, env) == {"MAX_UPLOAD_MB": 5, "SECRET_KEY": "12345"}
    with pytest.raises(ConfigError, match="PORTAL_MAX_UPLOAD_MB must be a whole number"):
        from_environment(known, {"PORTAL_MAX_UPLOAD_MB": "lots"})


@pytest.fixture
def idle_portal(tmp_path):
    """An in-process portal on a free loopback port whose sessions expire after no idle time."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-only-secret",
            "DATABASE": str(tmp_path / "p.sqlite3"),
            "FILES": str(tmp_path / "files"),
            "SESSION_IDLE_MINUTES": -1,
        }
    )
    conn = db.connect(app.config["DATABASE"])
    db.create_user(
        conn, "v@example.gov.uk", passwords.hash_password("a-long-password"), "viewer", None
    )
    conn.close()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


def test_an_expired_session_signs_the_officer_out_and_says_why(idle_portal):
    client = Client(idle_portal)
    page = client.sign_in("v@example.gov.uk", "a-long-password")
    assert "/sign-in" in page.url
    assert "You were signed out because your session expired" in page.text


def test_a_signed_in_page_sends_the_session_cookie_again_only_once_a_minute(tmp_path):
    """Moving "last seen" re-signs the cookie; it moves when a minute old, so the idle limit
    still holds (to the minute) without a new cookie on every page."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-only-secret",
            "DATABASE": str(tmp_path / "p.sqlite3"),
            "FILES": str(tmp_path / "files"),
        }
    )
    conn = db.connect(app.config["DATABASE"])
    user_id = db.create_user(conn, "v@example.gov.uk", "not-a-hash", "viewer", None)
    conn.close()
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"  # the session cookie is Secure
    now = time.time()
    with client.session_transaction() as session:
        session.update(user_id=user_id, signed_in_at=now, last_seen=now)
    client.get("/figures")  # the first page adds the session's CSRF token to the cookie
    page = client.get("/figures")
    assert page.status_code == 200 and "Signed in as v@example.gov.uk" in page.text
    assert "Set-Cookie" not in page.headers
    with client.session_transaction() as session:
        session["last_seen"] = now - 61
    page = client.get("/figures")
    assert page.status_code == 200 and "lsids_session=" in page.headers["Set-Cookie"]
    with client.session_transaction() as session:
        assert session["last_seen"] > now - 1
