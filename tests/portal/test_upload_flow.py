"""An officer's day over real HTTP: sign in, upload, read the verdict, fix, upload again."""

from __future__ import annotations

import hashlib
import io
import json
import re

import openpyxl
from conftest import (
    PASSWORD,
    Client,
    officer,
    round_id,
    submission_id,
)

from portal import store
from validator.standard import current_version

SURVEY = "resident-survey"
SERVICE = "service-data"


def test_signing_in_shows_what_is_due_and_signing_out_ends_the_session(client: Client):
    assert "/sign-in" in client.get("/").url
    wrong = client.sign_in(officer("E09000030"), "not-the-password")
    assert "Enter a correct email address and password" in wrong.text
    home = client.sign_in(officer("E09000030"))
    assert "Returns due from Tower Hamlets" in home.text
    assert "Annual return 2025-26" in home.text
    assert "days left" in home.text
    out = client.sign_out()
    assert "You have signed out" in out.text
    assert "/sign-in" in client.get("/").url


def test_session_cookie_is_secure_httponly_and_lax(client: Client):
    response = client.get("/sign-in")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def test_a_form_without_its_csrf_token_is_refused(portal):
    client = Client(portal.base)
    client.get("/sign-in")
    response = client.http.post(
        portal.base + "/sign-in", data={"email": officer("E09000030"), "password": PASSWORD}
    )
    assert response.status_code == 400
    assert "try again" in response.text


def test_valid_upload_is_accepted_with_a_receipt(client: Client, returns):
    client.sign_in(officer("E09000033"))
    data = returns[("E09000033", SERVICE)]
    page = client.upload(round_id(client), SERVICE, "service.csv", data)
    assert page.status_code == 200
    submission_id(page)
    assert "Return accepted" in page.text
    assert hashlib.sha256(data).hexdigest() in page.text
    assert f"Validator 0.1.0, standard version {current_version()}" in page.text


def test_invalid_upload_is_rejected_and_a_fixed_one_supersedes_nothing_until_accepted(
    client: Client, returns, portal
):
    client.sign_in(officer("E09000033"))
    rid = round_id(client)
    wrong = returns[("E09000001", SURVEY)]  # the City of London's file sent by Sutton
    rejected = client.upload(rid, SURVEY, "survey.csv", wrong)
    assert "There is a problem" in rejected.text
    assert "This return was not accepted" in rejected.text
    links = re.findall(r'<li><a href="#(error-\d+)">', rejected.text)
    assert links and all(f'id="{anchor}"' in rejected.text for anchor in links)
    assert "Rows with errors" in rejected.text
    assert re.search(r'numeric">2</td><td class="govuk-table__cell">B</td>', rejected.text)

    first = client.upload(rid, SURVEY, "survey.csv", returns[("E09000033", SURVEY)])
    assert "Return accepted" in first.text and "Version 1 of your" in first.text
    second = client.upload(rid, SURVEY, "survey-v2.csv", returns[("E09000033", SURVEY)])
    assert "Version 2 of your" in second.text
    old = client.get(f"/submissions/{submission_id(first)}")
    assert "A later upload has replaced it" in old.text
    assert "Superseded" in old.text
    assert (
        "This return was not accepted" in client.get(f"/submissions/{submission_id(rejected)}").text
    )
    assert len({submission_id(rejected), submission_id(first), submission_id(second)}) == 3


def test_every_attempt_is_kept_byte_identical_and_found_by_its_sha256(client: Client, portal):
    client.sign_in(officer("E09000031"))
    rid = round_id(client)
    sent = {
        "garbage.csv": b"\x00\x01not a return at all\r\n",
        "odd name ../../etc/passwd.csv": b"borough,period\r\nE09000031,2025-26\r\n",
        "empty.xlsx": b"",
    }
    for name, data in sent.items():
        page = client.upload(rid, SURVEY, name, data)
        assert page.status_code == 200
        sha = hashlib.sha256(data).hexdigest()
        assert sha in page.text
        assert client.get(f"/submissions/{submission_id(page)}/file").content == data
        assert store.read(portal.env["PORTAL_FILES"], sha) == data
    names = {p.name for p in (portal.var / "files").rglob("*") if p.is_file()}
    assert all(re.fullmatch(r"[0-9a-f]{64}", n) for n in names)


def test_xlsx_upload_offers_the_marked_workbook_and_the_report_as_json(client: Client, returns):
    client.sign_in(officer("E09000032"))
    rows = list(csv_rows(returns[("E09000001", SERVICE)]))
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    page = client.upload(round_id(client), SERVICE, "service.xlsx", buffer.getvalue())
    sid = submission_id(page)
    assert "This return was not accepted" in page.text
    assert "Download your workbook with the problems marked" in page.text
    marked = client.get(f"/submissions/{sid}/annotated.xlsx")
    assert marked.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(marked.content))
    assert any(c.comment for ws in workbook for row in ws.iter_rows() for c in row)
    report = json.loads(client.get(f"/submissions/{sid}/report.json").content)
    assert report["status"] == "rejected"
    assert "borough-mismatch" in {f["code"] for f in report["report"]["findings"]}


def test_login_throttling_says_when_to_try_again(portal):
    from conftest import EXTRA_PASSWORD, THROTTLED

    client = Client(portal.base)
    for _ in range(5):
        assert "Enter a correct email" in client.sign_in(THROTTLED, "wrong password").text
    locked = client.sign_in(THROTTLED, EXTRA_PASSWORD)
    assert locked.status_code == 429
    assert re.search(r"Try again after \d{1,2}:\d\d[ap]m \(in 15 minutes\)", locked.text)
    assert "/sign-in" in client.get("/").url


def csv_rows(data: bytes):
    import csv

    yield from csv.reader(io.StringIO(data.decode("utf-8-sig")))
