"""The GLA manages accounts from pages and from ``flask`` commands: create one with a role and
borough, reset its password, deactivate it (it can no longer sign in and its open session ends).
Each change leaves its audit entry; nobody but the GLA reaches these pages."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, Client, officer
from test_tracker import GLA, events

NEW = "new.officer@example.gov.uk"
CLI = "cli.officer@example.gov.uk"


def _password(page) -> str:  # type: ignore[no-untyped-def]
    found = re.search(r'<code[^>]*id="password">([^<]+)</code>', page.text)
    assert found, "the page shows no new password"
    return found.group(1)


def _user_id(gla: Client, email: str) -> int:
    row = re.search(
        rf'id="user-(\d+)">\s*<td class="govuk-table__cell">{re.escape(email)}<',
        gla.get("/users").text,
    )
    assert row, f"{email} is not listed"
    return int(row.group(1))


def test_the_gla_creates_resets_and_deactivates_an_account(portal):
    gla = Client(portal.base)
    gla.sign_in(GLA)
    listing = gla.get("/users").text
    assert officer("E09000001") in listing and "viewer@london.gov.uk" in listing

    empty = gla.submit("/users/new", {})
    assert "There is a problem" in empty.text and "Enter an email address" in empty.text
    assert "Select a role" in empty.text
    no_borough = gla.submit("/users/new", {"email": NEW, "role": "officer", "borough": ""})
    assert "Select the borough this officer works for" in no_borough.text
    taken = gla.submit("/users/new", {"email": officer("E09000001"), "role": "viewer"})
    assert "There is already an account with this email address" in taken.text

    made = gla.submit("/users/new", {"email": NEW, "role": "officer", "borough": "E09000020"})
    first = _password(made)
    person = Client(portal.base)
    assert "Returns due from Kensington and Chelsea" in person.sign_in(NEW, first).text
    created = events(portal, "user-created")[-1]
    assert created["email"] == GLA and created["detail"] == f"{NEW} as officer for E09000020"

    pk = _user_id(gla, NEW)
    reset = gla.submit("/users", {}, action=f"/users/{pk}/reset-password")
    second = _password(reset)
    assert second != first
    assert "Enter a correct email address" in Client(portal.base).sign_in(NEW, first).text
    assert "Returns due from" in Client(portal.base).sign_in(NEW, second).text
    assert events(portal, "password-reset")[-1]["detail"] == NEW

    session = Client(portal.base)
    session.sign_in(NEW, second)
    assert session.get("/").url.endswith("/")
    done = gla.submit("/users", {}, action=f"/users/{pk}/deactivate")
    assert f"{NEW} is deactivated" in done.text
    assert re.search(rf"{re.escape(NEW)}<.*?Deactivated", done.text, re.S)
    ended = session.get("/")
    assert "/sign-in" in ended.url  # the open session stopped working
    refused = Client(portal.base).sign_in(NEW, second)
    assert "Enter a correct email address and password" in refused.text
    assert events(portal, "user-deactivated")[-1]["detail"] == NEW

    me = _user_id(gla, GLA)
    self_stop = gla.submit("/users", {}, action=f"/users/{me}/deactivate")
    assert "You cannot deactivate your own account" in self_stop.text
    assert "Collection rounds" in gla.get("/").text


def test_only_the_gla_reaches_account_pages(portal):
    for email in (officer("E09000002"), "viewer@london.gov.uk"):
        client = Client(portal.base)
        client.sign_in(email)
        assert client.get("/users").status_code == 404
        assert client.get("/users/new").status_code == 404


def _flask(portal, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    flask = Path(sys.executable).parent / "flask"
    return subprocess.run(
        [str(flask), "--app", "portal", *args],
        input=stdin, text=True, env=portal.env, cwd=ROOT, capture_output=True,
    )  # fmt: skip


def test_the_commands_reset_and_deactivate_an_account(portal):
    made = _flask(portal, "create-user", CLI, "--role", "viewer", stdin="first-password-123\n")
    assert made.returncode == 0, made.stderr
    assert events(portal, "user-created")[-1]["detail"] == f"{CLI} as viewer"
    short = _flask(portal, "reset-password", CLI, stdin="short\n")
    assert short.returncode != 0 and "at least 12 characters" in short.stderr
    reset = _flask(portal, "reset-password", CLI, stdin="second-password-123\n")
    assert reset.returncode == 0 and f"Reset the password for {CLI}" in reset.stdout
    client = Client(portal.base)
    assert "London-wide figures" in client.sign_in(CLI, "second-password-123").text
    off = _flask(portal, "deactivate-user", CLI)
    assert off.returncode == 0 and f"Deactivated {CLI}" in off.stdout
    assert "/sign-in" in client.get("/").url
    again = _flask(portal, "deactivate-user", CLI)
    assert f"{CLI} was already deactivated" in again.stdout
    nobody = _flask(portal, "deactivate-user", "nobody@example.gov.uk")
    assert (
        nobody.returncode != 0 and "There is no account for nobody@example.gov.uk" in nobody.stderr
    )
    logged = [e for e in events(portal, "user-deactivated") if e["detail"] == CLI]
    assert len(logged) == 1 and logged[0]["user_id"] is None and logged[0]["address"] is None
