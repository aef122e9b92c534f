"""The layout's addresses, built once per worker, are still those of the root each page is
served under."""

from __future__ import annotations

import re

from test_signing import make_app, signed_in

from portal import db


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


def menu(html: str) -> list[str]:
    found = re.search(
        r'<ul class="govuk-service-navigation__list" id="navigation">(.*?)</ul>', html, re.S
    )
    return re.findall(r">([^<>]+)</(?:a|button)>", found.group(1)) if found else []


def test_each_role_has_its_own_menu_though_the_menu_is_made_once_per_role(tmp_path, monkeypatch):
    monkeypatch.setattr("time.time", lambda: 9e9 + 1)  # the sessions made below are fresh
    app = make_app(tmp_path)
    conn = db.connect(app.config["DATABASE"])
    db.create_user(conn, "gla@london.gov.uk", "not-a-hash", "gla", None)
    db.create_user(conn, "officer@example.gov.uk", "not-a-hash", "officer", "E09000001")
    conn.close()
    common = ["Home", "API tokens", "Figures", "Sign out"]
    expected = {
        1: common,  # a viewer
        3: ["Home", "Open a round", "Accounts", "Data collection audit", *common[1:]],
        4: ["Home", "Upload a return", "Data collection audit", *common[1:]],
    }
    for _ in range(2):  # the second time from what each worker kept
        for user_id, items in expected.items():
            page = signed_in(app, user_id).get("/figures").get_data(as_text=True)
            assert menu(page) == items, user_id
    assert menu(app.test_client().get("/sign-in").get_data(as_text=True)) == []
