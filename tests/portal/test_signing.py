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


def test_an_old_session_cookie_is_refused_though_already_checked(tmp_path, monkeypatch):
    """The worker remembers a cookie's checked contents, never that it was young enough."""
    clock = [9e9 + 1]
    monkeypatch.setattr("time.time", lambda: clock[0])
    app = make_app(tmp_path)
    app.config["SESSION_IDLE_MINUTES"] = 10**9  # only the cookie's own age is tested here
    app.config["SESSION_MAX_HOURS"] = 10**9
    cookie = as_sent(app, signed_in(app, 1))
    assert cookie_only(app).get("/figures", headers=cookie).status_code == 200
    clock[0] += app.permanent_session_lifetime.total_seconds() + 1
    # sent as it was (a browser would have dropped it): refused, as Flask's own check did
    assert cookie_only(app).get("/figures", headers=cookie).status_code == 302


def as_sent(app, client) -> dict[str, str]:  # type: ignore[no-untyped-def]
    name = app.config["SESSION_COOKIE_NAME"]
    return {"Cookie": f"{name}={client.get_cookie(name).value}"}


def cookie_only(app):  # type: ignore[no-untyped-def]
    """A client that sends only the cookies it is given."""
    client = app.test_client(use_cookies=False)
    client.environ_base["wsgi.url_scheme"] = "https"
    return client


def test_a_changed_session_cookie_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr("time.time", lambda: 9e9 + 1)
    app = make_app(tmp_path)
    one = signed_in(app, 1)
    assert one.get("/figures").status_code == 200
    name = app.config["SESSION_COOKIE_NAME"]
    value = one.get_cookie(name).value
    one.set_cookie(name, value[:-2] + ("AA" if value[-2:] != "AA" else "BB"), secure=True)
    assert one.get("/figures").status_code == 302


def test_a_deactivated_account_is_refused_after_its_pages_were_served(tmp_path, monkeypatch):
    """Nothing a worker keeps (checked cookies, built figures pages) outlives a deactivation."""
    monkeypatch.setattr("time.time", lambda: 9e9 + 1)
    app = make_app(tmp_path)
    one = signed_in(app, 1)
    for _ in range(2):
        assert one.get("/figures").status_code == 200
    conn = db.connect(app.config["DATABASE"])
    with db.write(conn):
        conn.execute("UPDATE users SET active = 0 WHERE id = 1")
    conn.close()
    assert one.get("/figures").status_code == 302
    assert signed_in(app, 2).get("/figures").status_code == 200  # another account is unaffected


def test_each_request_gets_its_own_copy_of_a_remembered_session(tmp_path):
    from flask import request

    app = make_app(tmp_path)
    client = signed_in(app, 1)
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "kept")]
    cookie = as_sent(app, client)
    with app.test_request_context(headers=cookie):
        first = app.session_interface.open_session(app, request)
        first["user_id"] = 2
        first["_flashes"].append(("message", "added"))
    with app.test_request_context(headers=cookie):
        again = app.session_interface.open_session(app, request)
        assert again["user_id"] == 1 and again["_flashes"] == [("message", "kept")]


def test_a_session_read_and_not_changed_only_adds_vary_cookie(tmp_path, monkeypatch):
    from flask import Response, request

    monkeypatch.setattr("time.time", lambda: 9e9 + 1)  # the session made below is fresh
    app = make_app(tmp_path)
    client = signed_in(app, 1)
    client.get("/figures")  # the session's first page gives it its CSRF token
    page = client.get("/figures")
    assert page.headers.getlist("Vary") == ["Cookie"]
    assert "Set-Cookie" not in page.headers  # last seen is less than a minute old
    cookie = as_sent(app, client)
    with app.test_request_context(headers=cookie):
        session = app.session_interface.open_session(app, request)
        session.accessed = True  # as reading it through the request context marks it
        assert session["user_id"] == 1
        varied = Response("", headers={"Vary": "Accept-Encoding"})
        app.session_interface.save_session(app, session, varied)
        assert varied.headers.getlist("Vary") == ["Accept-Encoding, Cookie"]
        session["user_id"] = 2  # changed: the cookie is signed and sent again, as Flask does
        changed = Response("")
        app.session_interface.save_session(app, session, changed)
        assert changed.headers["Vary"] == "Cookie" and "Set-Cookie" in changed.headers
