"""The GLA's audit-log pages over real HTTP: a sign-in, an upload and downloads appear with their
borough and address, the filters narrow the list, pages go newest first, and the CSV download
holds the same entries (and is logged itself). Nobody but the GLA can read the log."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from conftest import Client, officer, round_id, submission_id
from html_tables import table

GLA = "gla.admin@london.gov.uk"
BOROUGH, NAME = "E09000021", "Kingston upon Thames"
SERVICE = "service-data"
HEADER = ["When", "Who", "Borough", "Action", "Detail", "Address"]


def _london_today() -> str:
    from portal.times import today

    return today().isoformat()


@pytest.fixture(scope="module")
def acted(portal, returns):
    """An officer of Kingston signs in, uploads a return and downloads its file and report."""
    client = Client(portal.base)
    client.sign_in(officer(BOROUGH))
    pk = submission_id(
        client.upload(round_id(client), SERVICE, "service.csv", returns[(BOROUGH, SERVICE)])
    )
    assert client.get(f"/submissions/{pk}/file").status_code == 200
    assert client.get(f"/submissions/{pk}/report.json").status_code == 200
    return pk


@pytest.fixture
def gla(portal) -> Client:
    client = Client(portal.base)
    client.sign_in(GLA)
    return client


def _rows(client: Client, query: str) -> list[dict[str, str]]:
    page = client.get("/audit-log" + query)
    assert page.status_code == 200
    if "No entries match these filters" in page.text:
        return []
    header, *rows = table(page.text, "entries")
    assert header == HEADER
    return [dict(zip(HEADER, r, strict=True)) for r in rows]


def _csv(client: Client, query: str) -> list[dict[str, str]]:
    response = client.get("/audit-log.csv" + query)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_sign_in_an_upload_and_downloads_show_with_borough_and_address(gla, acted):
    rows = _rows(gla, f"?borough={BOROUGH}")
    mine = [r for r in rows if r["Who"] == officer(BOROUGH) and r["Action"] != "superseded"]
    newest_first = ["downloaded-report", "downloaded-file", "upload-accepted", "signed-in"]
    assert [r["Action"] for r in mine][:4] == newest_first
    assert {r["Detail"] for r in mine[:3]} == {f"submission {acted}"}
    assert {r["Borough"] for r in rows} == {NAME}
    assert {r["Address"] for r in mine[:4]} == {"127.0.0.1"}


def test_the_filters_narrow_the_list(gla, acted):
    everything = _rows(gla, "")
    assert len({r["Borough"] for r in everything}) > 1

    downloads = _rows(gla, f"?borough={BOROUGH}&action=downloaded-file")
    assert [(r["Action"], r["Detail"]) for r in downloads] == [
        ("downloaded-file", f"submission {acted}")
    ]
    by_user = _rows(gla, f"?user={officer(BOROUGH)}")
    assert by_user and {r["Who"] for r in by_user} == {officer(BOROUGH)}
    gla_only = _rows(gla, f"?user={GLA}&action=signed-in")
    assert gla_only and {(r["Who"], r["Borough"]) for r in gla_only} == {(GLA, "None")}

    today = _london_today()
    assert _rows(gla, f"?borough={BOROUGH}&from_date={today}&to_date={today}") == _rows(
        gla, f"?borough={BOROUGH}"
    )
    from datetime import date

    tomorrow = (date.fromisoformat(today) + timedelta(days=1)).isoformat()
    yesterday = (date.fromisoformat(today) - timedelta(days=1)).isoformat()
    assert _rows(gla, f"?from_date={tomorrow}") == []
    assert _rows(gla, f"?to_date={yesterday}") == []


def test_bad_filters_get_a_message_not_a_list(gla):
    page = gla.get("/audit-log?from_date=2026-13-40&to_date=yesterday&borough=E09999999")
    assert page.status_code == 200 and "<title>Error:" in page.text
    for message in [
        "Enter the start date as a date, like 2026-12-01",
        "Enter the end date as a date, like 2026-12-01",
        "Select a borough from the list",
    ]:
        assert message in page.text
    assert 'id="entries"' not in page.text
    backwards = gla.get("/audit-log?from_date=2026-12-02&to_date=2026-12-01")
    assert "The end date must be the same as or after the start date" in backwards.text
    # The CSV of a bad filter sends the GLA back to the page that explains it.
    assert gla.get("/audit-log.csv?from_date=nonsense").url.split("?")[0].endswith("/audit-log")


def test_pages_go_newest_first_and_the_csv_holds_the_same_entries(gla, acted):
    first, second = _rows(gla, ""), _rows(gla, "?page=2")
    assert len(first) == 50 and second, "the demo log should fill more than one page"
    whole = _csv(gla, "")
    assert [int(r["id"]) for r in whole] == sorted((int(r["id"]) for r in whole), reverse=True)
    shown = [(r["Who"], r["Action"], r["Detail"]) for r in first + second]
    written = [
        (r["user_email"] or "Nobody signed in", r["action"], r["detail"])
        for r in whole[: len(shown)]
    ]
    assert shown == written
    assert first[0]["Action"] == "signed-in" and first[0]["Who"] == GLA  # the GLA's own sign-in

    filtered = _csv(gla, f"?borough={BOROUGH}")
    assert [(r["action"], r["detail"]) for r in filtered] == [
        (r["Action"], r["Detail"]) for r in _rows(gla, f"?borough={BOROUGH}")
    ]
    assert {(r["borough_code"], r["borough_name"]) for r in filtered} == {(BOROUGH, NAME)}
    assert filtered[0]["address"] == "127.0.0.1"  # over HTTP; the demo seeding had none


def test_the_download_of_the_log_is_logged(gla):
    _csv(gla, f"?borough={BOROUGH}")
    latest = _rows(gla, "?action=downloaded-audit-log")[0]
    assert latest["Who"] == GLA
    assert latest["Detail"].endswith(f"borough={BOROUGH}")


@pytest.mark.parametrize("who", [officer(BOROUGH), "viewer@london.gov.uk"])
def test_only_the_gla_can_read_the_log(portal, who):
    client = Client(portal.base)
    client.sign_in(who)
    assert client.get("/audit-log").status_code == 404
    assert client.get("/audit-log.csv").status_code == 404


def test_no_route_changes_the_log(gla):
    for method in ("post", "put", "delete"):
        response = getattr(gla.http, method)(gla.base + "/audit-log", timeout=30)
        assert response.status_code in (400, 405), method
