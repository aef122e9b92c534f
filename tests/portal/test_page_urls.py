"""The layout's addresses, built once per worker, are still those of the root each page is
served under."""

from __future__ import annotations

import re

from test_signing import make_app, signed_in


def links(html: str) -> set[str]:
    return set(re.findall(r'(?:href|action)="([^"#]+)"', html))


def test_the_layout_links_follow_the_root_the_portal_is_served_under(tmp_path, monkeypatch):
    monkeypatch.setattr("time.time", lambda: 9e9 + 1)  # the session made below is fresh
    app = make_app(tmp_path)
    client = signed_in(app, 1)
    plain = links(client.get("/figures").get_data(as_text=True))
    mounted = links(
        client.get("/figures", base_url="https://localhost/portal").get_data(as_text=True)
    )
    assert {"/", "/figures", "/sign-out", "/assets/govuk-frontend.min.css"} <= plain
    assert {"/portal/", "/portal/figures", "/portal/sign-out"} <= mounted
    assert not any(link.startswith("/portal") for link in plain)
    again = links(client.get("/figures").get_data(as_text=True))
    assert again == plain
