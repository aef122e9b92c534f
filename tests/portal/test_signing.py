"""Session cookies and CSRF tokens signed once per worker: each session still gets a token of its
own that Flask-WTF accepts, never another session's."""

from __future__ import annotations

import re

from portal import create_app, db


def make_app(folder, **settings):  # type: ignore[no-untyped-def]
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-only-secret",
            "DATABASE": str(folder / "p.sqlite3"),
            "FILES": str(folder / "files"),
            **settings,
        }
    )
    conn = db.connect(app.config["DATABASE"])
    for email in ("one@example.gov.uk", "two@example.gov.uk"):
        db.create_user(conn, email, "not-a-hash", "viewer", None)
    conn.close()
    return app


def signed_in(app, user_id: int):  # type: ignore[no-untyped-def]
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"  # the session cookie is Secure
    with client.session_transaction() as session:
        session.update(user_id=user_id, signed_in_at=9e9, last_seen=9e9)
    return client


def header_token(client) -> str:  # type: ignore[no-untyped-def]
    page = client.get("/figures").get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_each_session_gets_its_own_token_and_signing_out_with_it_works(tmp_path, monkeypatch):
    monkeypatch.setattr("time.time", lambda: 9e9 + 1)  # the sessions above are fresh
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    one, two = signed_in(app, 1), signed_in(app, 2)
    first, again = header_token(one), header_token(one)
    other = header_token(two)
    assert first == again  # signed once for this session in this worker
    assert other != first  # and never handed to another session
    assert two.post("/sign-out", data={"csrf_token": first}).status_code == 400
    assert two.post("/sign-out", data={"csrf_token": other}).status_code == 302
    assert one.post("/sign-out", data={"csrf_token": again}).status_code == 302


def test_tokens_that_age_are_signed_afresh_each_time(tmp_path, monkeypatch):
    from portal import signing

    monkeypatch.setattr("time.time", lambda: 9e9 + 1)
    monkeypatch.setattr(signing, "_signed", type(signing._signed)())
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    app.config["WTF_CSRF_TIME_LIMIT"] = 3600  # the portal's own settings never set one
    one = signed_in(app, 1)
    token = header_token(one)
    assert header_token(one) and not signing._signed  # nothing kept for tokens that age
    assert one.post("/sign-out", data={"csrf_token": token}).status_code == 302
