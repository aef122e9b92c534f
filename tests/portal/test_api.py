"""The JSON API over real HTTP against gunicorn: tokens made on the page and by the command,
returns sent and read back, revoked tokens refused, boroughs kept apart, one error shape.

The module has a portal of its own (a 1 MB upload limit, so a too-large file is cheap to send), so
the uploads here change nothing another test module counts.
"""

from __future__ import annotations

import io
import json
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from conftest import ROOT, Client, officer, start_portal

from portal import tokens
from validator.synthetic import adult_population

SERVICE = "service-data"
SURVEY = "resident-survey"
A, B = "E09000031", "E09000032"  # the demonstration has nothing from them yet
GLA = "gla.admin@london.gov.uk"
VIEWER = "viewer@london.gov.uk"
MISSING_ID = 10**9
DESCRIPTION = json.loads((ROOT / "portal" / "openapi.json").read_text())


@pytest.fixture(scope="module")
def api_portal(tmp_path_factory):
    yield from start_portal(tmp_path_factory.mktemp("api"), MAX_UPLOAD_MB="1")


@contextmanager
def database(portal) -> Iterator[sqlite3.Connection]:  # type: ignore[no-untyped-def]
    """The portal's database file, read-only: the ground truth behind the answers."""
    conn = sqlite3.connect(f"file:{portal.env['PORTAL_DATABASE']}?mode=ro", uri=True)
    try:
        yield conn
    finally:
        conn.close()


def stored(portal) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """How many submissions and upload entries in the audit log the database holds."""
    with database(portal) as conn:
        submissions = conn.execute("SELECT count(*) FROM submissions").fetchone()[0]
        uploads = conn.execute("SELECT count(*) FROM events WHERE action LIKE 'upload-%'")
        return submissions, uploads.fetchone()[0]


def page_token(portal, email: str, name: str = "script") -> str:  # type: ignore[no-untyped-def]
    """Sign in as ``email`` and make a token on the API tokens page; the token the panel shows."""
    client = Client(portal.base)
    client.sign_in(email)
    page = client.submit("/account/tokens", {"name": name})
    assert page.status_code == 200
    found = re.search(r'<code id="new-token"[^>]*>(lsids_[A-Za-z0-9_-]+)</code>', page.text)
    assert found, "the page shows no new token"
    return found.group(1)


def command_token(portal, email: str, *options: str) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def]
    flask = str(Path(sys.executable).parent / "flask")
    return subprocess.run(
        [flask, "--app", "portal", "create-token", email, *options],
        env=portal.env, cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip


class Api:
    """A script using one token."""

    def __init__(self, base: str, token: str | None) -> None:
        self.base = base + "/api/v1"
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **kwargs) -> requests.Response:  # type: ignore[no-untyped-def]
        return requests.get(self.base + path, headers=self.headers, timeout=120, **kwargs)

    def send(
        self,
        data: bytes | None,
        kind: str | None,
        demo_round: object,
        name: str = "return.csv",
        **answers: object,
    ):  # type: ignore[no-untyped-def]
        """Send a return; ``answers`` are its submission metadata's fields (weight_total…)."""
        given = {"type": kind, "round": demo_round, **answers}
        fields = {k: str(v) for k, v in given.items() if v is not None}
        files = {"file": (name, data)} if data is not None else None
        return requests.post(
            self.base + "/submissions", headers=self.headers, data=fields, files=files, timeout=120
        )


@pytest.fixture(scope="module")
def demo_round(api_portal) -> int:
    rounds = Api(api_portal.base, command_token(api_portal, VIEWER).stdout.strip()).get("/rounds")
    (demo,) = [r for r in rounds.json()["rounds"] if r["name"] == "Annual return 2025-26"]
    return demo["id"]


def is_error(response: requests.Response, status: int, code: str | None = None) -> dict:
    """Assert the one error shape with this status; return the error."""
    assert response.status_code == status, response.text[:500]
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"status", "code", "message"}
    assert error["status"] == status
    assert isinstance(error["message"], str) and len(error["message"]) > 20
    if code is not None:
        assert error["code"] == code
    return error


def schema_check(body: dict, name: str) -> None:
    """The answer matches its schema in the OpenAPI description (JSON Schema 2020-12)."""
    import jsonschema

    schema = {"$ref": f"#/components/schemas/{name}", "components": DESCRIPTION["components"]}
    jsonschema.Draft202012Validator(schema).validate(body)


def test_a_token_made_on_the_page_is_shown_once_and_kept_only_as_its_hash(api_portal):
    client = Client(api_portal.base)
    client.sign_in(officer(A))
    made = client.submit("/account/tokens", {"name": "nightly upload"})
    token = re.search(r'<code id="new-token"[^>]*>(lsids_[A-Za-z0-9_-]{43})</code>', made.text)
    assert token and "It will not be shown again" in made.text
    token = token.group(1)
    listed = client.get("/account/tokens")
    assert token not in listed.text  # shown once
    assert "nightly upload" in listed.text and "Never used" in listed.text
    assert Api(api_portal.base, token).get("/rounds").status_code == 200
    assert "Never used" not in client.get("/account/tokens").text  # now has a last-used time
    with database(api_portal) as conn:
        stored = conn.execute(
            "SELECT token_hash, last_used_at FROM api_tokens WHERE name = 'nightly upload'"
        ).fetchone()
        whole = "\n".join(str(r) for r in conn.execute("SELECT * FROM api_tokens"))
        events = conn.execute(
            "SELECT users.email, events.borough, events.address FROM events JOIN users"
            " ON users.id = events.user_id WHERE action = 'token-created'"
            " AND detail LIKE '%nightly upload'"
        ).fetchall()
    assert stored[0] == tokens.digest(token) and stored[1] is not None
    assert token not in whole and token.removeprefix("lsids_") not in whole
    assert events == [(officer(A), A, "127.0.0.1")]


def test_a_name_is_needed_for_a_token(api_portal):
    client = Client(api_portal.base)
    client.sign_in(officer(A))
    page = client.submit("/account/tokens", {"name": "  "})
    assert "There is a problem" in page.text and "Enter a name for the token" in page.text
    assert 'id="new-token"' not in page.text


def test_the_command_prints_a_token_that_works(api_portal):
    made = command_token(api_portal, officer(B), "--name", "pipeline")
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    assert re.fullmatch(r"lsids_[A-Za-z0-9_-]{43}", token)
    assert Api(api_portal.base, token).get("/rounds").status_code == 200
    nobody = command_token(api_portal, "nobody@example.gov.uk")
    assert (
        nobody.returncode == 2 and "There is no account for nobody@example.gov.uk" in nobody.stderr
    )
    with database(api_portal) as conn:
        assert conn.execute(
            "SELECT count(*) FROM events WHERE action = 'token-created' AND detail LIKE '%pipeline'"
        ).fetchone() == (1,)


def test_a_valid_and_an_invalid_return_are_judged_as_on_the_page_and_read_back(
    api_portal, returns, demo_round
):
    api = Api(api_portal.base, page_token(api_portal, officer(A)))
    good = api.send(returns[(A, SERVICE)], SERVICE, demo_round, "service.csv")
    bad = api.send(
        returns[(B, SURVEY)], SURVEY, demo_round, "survey.csv",
        weight_total=adult_population(B, "2025-26"), weight_total_source="ONS, mid-2025",
    )  # fmt: skip  # another borough's rows
    assert good.status_code == 201 and bad.status_code == 201
    accepted, rejected = good.json(), bad.json()
    for body in (accepted, rejected):
        schema_check(body, "Submission")
        assert body["borough"] == A and body["round"] == demo_round
        assert good.headers["Location"].endswith(f"/api/v1/submissions/{accepted['id']}")
    assert accepted["status"] == "accepted" and accepted["report"]["valid"] is True
    assert accepted["version"] == 1
    assert rejected["status"] == "rejected" and rejected["report"]["valid"] is False
    assert rejected["version"] is None
    assert [f for f in rejected["report"]["findings"] if f["severity"] == "error"]

    # The same verdict the validator gives on the same bytes, options and standard
    from validator import validate

    expected = validate(
        io.BytesIO(returns[(B, SURVEY)]), type=SURVEY, borough=A, period="2025-26",
        metadata={"weight_total": adult_population(B, "2025-26")},
    ).to_dict()  # fmt: skip
    codes = sorted({f["code"] for f in expected["findings"]})
    assert sorted({f["code"] for f in rejected["report"]["findings"]}) == codes

    assert api.get(f"/submissions/{accepted['id']}").json() == accepted
    assert api.get(f"/submissions/{rejected['id']}").json() == rejected

    # The officer's page shows the upload; the audit log has it, by this officer, from here
    client = Client(api_portal.base)
    client.sign_in(officer(A))
    assert "Return accepted" in client.get(f"/submissions/{accepted['id']}").text
    assert "This return was not accepted" in client.get(f"/submissions/{rejected['id']}").text
    with database(api_portal) as conn:
        events = conn.execute(
            "SELECT action, users.email, events.borough, events.address FROM events"
            " JOIN users ON users.id = events.user_id WHERE detail IN (?, ?) ORDER BY events.id",
            (f"submission {accepted['id']}", f"submission {rejected['id']}"),
        ).fetchall()
    assert events == [
        ("upload-accepted", officer(A), A, "127.0.0.1"),
        ("upload-rejected", officer(A), A, "127.0.0.1"),
    ]


def test_a_second_accepted_return_supersedes_the_first(api_portal, returns, demo_round):
    api = Api(api_portal.base, page_token(api_portal, officer(B)))
    first = api.send(returns[(B, SERVICE)], SERVICE, demo_round).json()
    second = api.send(returns[(B, SERVICE)], SERVICE, demo_round).json()
    assert second["status"] == "accepted" and second["version"] == first["version"] + 1
    assert api.get(f"/submissions/{first['id']}").json()["status"] == "superseded"


def test_a_revoked_token_is_refused(api_portal):
    client = Client(api_portal.base)
    client.sign_in(officer(A))
    made = client.submit("/account/tokens", {"name": "to revoke"})
    token = re.search(r'id="new-token"[^>]*>([^<]+)<', made.text).group(1)
    api = Api(api_portal.base, token)
    assert api.get("/rounds").status_code == 200
    listed = client.get("/account/tokens").text
    row = listed[listed.index("to revoke") :]
    token_id = re.search(r'action="/account/tokens/(\d+)/revoke"', row).group(1)
    revoked = client.submit("/account/tokens", {}, action=f"/account/tokens/{token_id}/revoke")
    assert "The token ‘to revoke’ is revoked" in revoked.text
    assert "Revoked" in revoked.text
    is_error(api.get("/rounds"), 401, "invalid_token")
    assert api.get("/rounds").headers["WWW-Authenticate"].startswith("Bearer")
    # Another officer cannot revoke it (it is not theirs): the same 404 as a missing token
    other = Client(api_portal.base)
    other.sign_in(officer(B))
    stolen = other.submit("/account/tokens", {}, action=f"/account/tokens/{token_id}/revoke")
    assert stolen.status_code == 404
    with database(api_portal) as conn:
        assert conn.execute(
            "SELECT count(*) FROM events WHERE action = 'token-revoked' AND detail = ?",
            (f"token {token_id}: to revoke",),
        ).fetchone() == (1,)


def test_boroughs_are_kept_apart_on_every_call(api_portal, returns, demo_round):
    a = Api(api_portal.base, page_token(api_portal, officer(A)))
    b = Api(api_portal.base, page_token(api_portal, officer(B)))
    theirs = b.send(returns[(B, SERVICE)], SERVICE, demo_round).json()["id"]
    missing = a.get(f"/submissions/{MISSING_ID}")
    other = a.get(f"/submissions/{theirs}")
    is_error(missing, 404, "not_found")
    assert other.status_code == missing.status_code and other.content == missing.content
    assert dict(other.headers).keys() == dict(missing.headers).keys()

    mine = a.get("/submissions", params={"round": demo_round})
    assert mine.status_code == 200
    schema_check(mine.json(), "SubmissionList")
    assert {s["borough"] for s in mine.json()["submissions"]} == {A}
    assert theirs not in {s["id"] for s in mine.json()["submissions"]}

    gla = Api(api_portal.base, page_token(api_portal, GLA))
    everyone = gla.get("/submissions", params={"round": demo_round}).json()["submissions"]
    assert len({s["borough"] for s in everyone}) >= 28 and theirs in {s["id"] for s in everyone}
    assert gla.get(f"/submissions/{theirs}").json()["borough"] == B
    is_error(gla.send(returns[(A, SERVICE)], SERVICE, demo_round), 403, "forbidden")

    viewer = Api(api_portal.base, page_token(api_portal, VIEWER))
    schema_check(viewer.get("/rounds").json(), "RoundList")
    is_error(viewer.get("/submissions", params={"round": demo_round}), 403, "forbidden")
    is_error(viewer.get(f"/submissions/{theirs}"), 403, "forbidden")
    is_error(viewer.send(returns[(A, SERVICE)], SERVICE, demo_round), 403, "forbidden")


def test_every_failure_has_the_one_error_shape(api_portal, returns, demo_round, standard):
    base = api_portal.base
    token = page_token(api_portal, officer(A))
    api = Api(base, token)
    data = returns[(A, SERVICE)]
    before = stored(api_portal)

    is_error(Api(base, None).get("/rounds"), 401, "missing_token")
    basic = {"Authorization": f"Basic {token}"}
    is_error(requests.get(base + "/api/v1/rounds", headers=basic, timeout=30), 401, "missing_token")
    is_error(Api(base, "lsids_" + "x" * 43).get("/rounds"), 401, "invalid_token")
    is_error(Api(base, token[:-1]).get(f"/submissions/{MISSING_ID}"), 401, "invalid_token")

    is_error(api.send(None, SERVICE, demo_round), 400, "missing_file")
    not_multipart = requests.post(
        api.base + "/submissions", headers=api.headers, json={"type": SERVICE}, timeout=30
    )
    is_error(not_multipart, 400)

    is_error(api.get(f"/submissions/{MISSING_ID}"), 404, "not_found")
    is_error(api.get(f"/submissions/{10**30}"), 404, "not_found")  # beyond SQLite's integers
    is_error(api.get("/no-such-thing"), 404, "not_found")
    is_error(requests.get(base + "/api/v2/rounds", timeout=30), 404, "not_found")
    deleted = requests.delete(api.base + "/rounds", headers=api.headers, timeout=30)
    is_error(deleted, 405, "method_not_allowed")
    assert "GET" in deleted.headers["Allow"]

    too_big = api.send(b"x" * (2 * 1024 * 1024), SERVICE, demo_round)
    assert "1 MB" in is_error(too_big, 413, "too_large")["message"]

    is_error(api.send(data, None, demo_round), 422, "missing_type")
    unknown = is_error(api.send(data, "survey", demo_round), 422, "unknown_type")
    assert "resident-survey" in unknown["message"]
    is_error(api.send(data, SERVICE, None), 422, "missing_round")
    is_error(api.send(data, SERVICE, MISSING_ID), 422, "unknown_round")
    is_error(api.send(data, SERVICE, "first"), 422, "unknown_round")
    is_error(api.send(data, SERVICE, 10**30), 422, "unknown_round")
    is_error(api.send(data, SERVICE, "²"), 422, "unknown_round")
    is_error(api.get("/submissions"), 422, "missing_round")
    is_error(api.get("/submissions", params={"round": "x"}), 422, "unknown_round")

    # A round that closed: listed, but it takes no returns
    gla = Client(base)
    gla.sign_in(GLA)
    gla.submit("/rounds/new", {"name": "Pilot 2019-20", "period": "2019-20", "types": SERVICE,
               "standard_version": standard.version, "opens_on": "2020-04-01",
               "closes_on": "2020-06-30"})  # fmt: skip
    (pilot,) = [r for r in api.get("/rounds").json()["rounds"] if r["name"] == "Pilot 2019-20"]
    assert pilot["open"] is False
    is_error(api.send(data, SERVICE, pilot["id"]), 422, "round_closed")
    assert api.get("/submissions", params={"round": pilot["id"]}).json()["submissions"] == []

    # An open round that does not collect this return
    gla.submit("/rounds/new", {"name": "Survey top-up", "period": "2025-26", "types": SURVEY,
               "standard_version": standard.version, "opens_on": "2020-04-01",
               "closes_on": "2099-06-30"})  # fmt: skip
    (top_up,) = [r for r in api.get("/rounds").json()["rounds"] if r["name"] == "Survey top-up"]
    assert top_up["open"] is True
    is_error(api.send(data, SERVICE, top_up["id"]), 422, "type_not_collected")

    # None of the refused requests left a submission or an upload entry behind
    assert stored(api_portal) == before


def test_api_answers_set_no_cookie_and_are_not_cached(api_portal):
    answer = Api(api_portal.base, page_token(api_portal, officer(A))).get("/rounds")
    assert "Set-Cookie" not in answer.headers
    assert answer.headers["Cache-Control"] == "no-store"


def test_pages_outside_the_api_still_answer_with_pages(api_portal):
    missing = requests.get(api_portal.base + "/no-such-page", timeout=30)
    assert missing.status_code == 404 and missing.headers["Content-Type"].startswith("text/html")


def test_the_description_covers_every_route_and_nothing_else(api_portal, tmp_path):
    served = requests.get(api_portal.base + "/api/v1/openapi.json", timeout=30)
    assert served.status_code == 200 and served.json() == DESCRIPTION
    assert DESCRIPTION["openapi"].startswith("3.1")

    from portal import create_app

    app = create_app(
        {"TESTING": True, "SECRET_KEY": "t", "DATABASE": str(tmp_path / "db.sqlite3"),
         "FILES": str(tmp_path / "files")}
    )  # fmt: skip
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
            methods = rule.methods - {"HEAD", "OPTIONS"}
            routes.setdefault(path, set()).update(m.lower() for m in methods)
    described = {path: set(ops) for path, ops in DESCRIPTION["paths"].items()}
    assert routes == described
    assert len(routes) >= 4

    # Every reference in the description points at something that is there
    text = json.dumps(DESCRIPTION)
    for ref in set(re.findall(r'"\$ref": "#/([^"]+)"', text)):
        node = DESCRIPTION
        for part in ref.split("/"):
            node = node[part]


def test_a_failure_inside_the_portal_answers_500_in_the_one_shape(api_portal, returns, demo_round):
    """A damaged record (its stored report is not JSON) makes the view fail: the script gets the
    error shape with 500, never the HTML error page, and the officer's page still gets a page."""
    api = Api(api_portal.base, page_token(api_portal, officer(A)))
    sent = api.send(returns[(A, SERVICE)], SERVICE, demo_round).json()
    conn = sqlite3.connect(api_portal.env["PORTAL_DATABASE"])
    try:
        with conn:
            conn.execute("UPDATE submissions SET report = '{damaged' WHERE id = ?", (sent["id"],))
    finally:
        conn.close()
    is_error(api.get(f"/submissions/{sent['id']}"), 500, "server_error")
    client = Client(api_portal.base)
    client.sign_in(officer(A))
    page = client.get(f"/submissions/{sent['id']}")
    assert page.status_code == 500 and page.headers["Content-Type"].startswith("text/html")


def test_a_deactivated_accounts_token_is_refused(api_portal):
    email = officer("E09000031")
    api = Api(api_portal.base, page_token(api_portal, email))
    assert api.get("/rounds").status_code == 200
    flask = str(Path(sys.executable).parent / "flask")
    done = subprocess.run(
        [flask, "--app", "portal", "deactivate-user", email],
        env=api_portal.env, cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    is_error(api.get("/rounds"), 401, "invalid_token")


def test_a_viewer_reads_londons_figures_as_the_download_gives_them(api_portal):
    import csv
    import io
    import time

    api = Api(api_portal.base, command_token(api_portal, VIEWER).stdout.strip())
    everything = api.get("/figures")
    assert everything.status_code == 200
    schema_check(everything.json(), "FigureList")
    rows = everything.json()["figures"]
    measure = next(r["measure_id"] for r in rows if r["area_code"] == "E12000007")
    period = max(r["period"] for r in rows if r["measure_id"] == measure)

    viewer = Client(api_portal.base)
    viewer.sign_in(VIEWER)
    for _ in range(60):  # an upload by an earlier test may still be recomputing the figures
        some = api.get("/figures", params={"measure": measure, "period": period}).json()
        table = viewer.get("/figures/download/figures.csv").content.decode("utf-8-sig")
        again = api.get("/figures", params={"measure": measure, "period": period}).json()
        if some["built_at"] == again["built_at"] and some["submissions"] == again["submissions"]:
            break
        time.sleep(1)
    schema_check(some, "FigureList")
    assert some["figures"] and {(r["measure_id"], r["period"]) for r in some["figures"]} == {
        (measure, period)
    }
    assert {s["sha256"] for s in some["submissions"]} and some["standard_version"]
    # The same rows as the portal's CSV download of the output table
    wanted = [
        r for r in csv.DictReader(io.StringIO(table))
        if r["measure_id"] == measure and r["period"] == period
    ]  # fmt: skip
    assert [
        (r["area_code"], r["breakdown"], r["breakdown_value"], r["status"]) for r in wanted
    ] == [
        (r["area_code"], r["breakdown"], r["breakdown_value"], r["status"]) for r in some["figures"]
    ]

    is_error(api.get("/figures", params={"measure": "no_such_measure"}), 422, "unknown_measure")
    is_error(
        api.get("/figures", params={"measure": measure, "period": "1999"}), 422, "unknown_period"
    )
    is_error(Api(api_portal.base, None).get("/figures"), 401, "missing_token")
