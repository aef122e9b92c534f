"""Hostile files uploaded through the portal: each gets its clear message, never a 5xx, and the
workers keep serving. The files come from the suite's own builders (tests/hostile_*.py)."""

from __future__ import annotations

import html
import json

import hostile_csv
import hostile_xlsx
import pytest
from conftest import MAX_UPLOAD_MB, Client, officer, round_id, submission_id

HOSTILE = {
    "empty file": hostile_xlsx.empty_file,
    "PDF renamed .xlsx": hostile_xlsx.pdf_renamed,
    "PNG renamed .xlsx": hostile_xlsx.png_renamed,
    "10,000 columns CSV": hostile_csv.ten_thousand_columns,
    "10,000 columns XLSX": hostile_xlsx.ten_thousand_columns,
    "zip bomb (ratio)": hostile_xlsx.zip_bomb_ratio,
    "zip bomb (total)": hostile_xlsx.zip_bomb_total,
    "absurd used range": hostile_xlsx.whole_sheet_dimension,
    "formatted cell in the last row and column": hostile_xlsx.far_empty_cell,
    "billion laughs": hostile_xlsx.billion_laughs,
    "external entity": hostile_xlsx.external_entity,
    "binary junk CSV": hostile_csv.binary_junk,
}


@pytest.fixture
def officer_client(portal) -> Client:
    client = Client(portal.base)
    client.sign_in(officer("E09000029"))
    return client


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_file_is_kept_as_a_rejected_attempt_with_its_message(
    name, officer_client: Client, tmp_path
):
    path = HOSTILE[name](tmp_path)
    page = officer_client.upload(
        round_id(officer_client), "resident-survey", path.name, path.read_bytes()
    )
    assert page.status_code == 200
    sid = submission_id(page)
    assert "This return was not accepted" in page.text
    saved = json.loads(officer_client.get(f"/submissions/{sid}/report.json").content)
    assert saved["status"] == "rejected"
    problem = saved["input_error"] or saved["report"]["findings"][0]
    assert problem["message"] in html.unescape(page.text)
    assert '<a href="#' in page.text  # the error summary links to the problem


def test_a_file_over_the_limit_gets_a_clear_page_and_the_workers_keep_serving(
    officer_client: Client, tmp_path, returns
):
    path = hostile_csv.single_line(tmp_path)  # 200 MB, one line
    assert path.stat().st_size > MAX_UPLOAD_MB * 1024 * 1024
    with path.open("rb") as fh:
        page = officer_client.upload(round_id(officer_client), "service-data", path.name, fh.read())
    assert page.status_code == 413
    assert "The file is too large" in page.text
    assert f"smaller than {MAX_UPLOAD_MB} MB" in page.text
    after = officer_client.upload(
        round_id(officer_client),
        "service-data",
        "fixed.csv",
        returns[("E09000029", "service-data")],
    )
    assert "Return accepted" in after.text


def test_workers_still_answer_after_every_hostile_upload(portal):
    for _ in range(4):
        assert Client(portal.base).get("/healthz").text == "ok"
    assert "Traceback" not in portal.log.read_text()
