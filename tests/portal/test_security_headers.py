"""Every answer carries the security headers once; a view's own Content-Security-Policy stays."""

from __future__ import annotations

from test_signing import make_app, signed_in

from portal import security


def test_each_security_header_once_and_a_views_own_policy_kept(tmp_path, monkeypatch):
    monkeypatch.setattr("time.time", lambda: 9e9 + 1)  # the session made below is fresh
    app = make_app(tmp_path)
    client = signed_in(app, 1)
    page = client.get("/figures")
    chart = client.get("/figures/rel_lonely_often/map.svg")
    health = client.get("/healthz")
    for answer in (page, chart, health):
        for name in security.HEADERS:
            assert len(answer.headers.getlist(name)) == 1, name
    assert page.headers["Content-Security-Policy"] == security.CSP
    assert chart.headers["Content-Security-Policy"] != security.CSP  # the SVG's own, stricter
    assert page.headers["Cache-Control"] == "no-store" and "Cache-Control" not in health.headers
