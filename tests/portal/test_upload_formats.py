"""An officer who works in LibreOffice Calc uploads what it saves, over real HTTP: an .ods and a
UTF-16 CSV are checked like the .xlsx and the CSV, and accepted when they are right."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import openpyxl
from conftest import Client, officer, round_id, submission_id

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the shared helper
from libreoffice import UTF16_CSV, soffice_convert  # noqa: F401 (a fixture)

SERVICE = "service-data"


def test_a_return_saved_by_libreoffice_as_ods_or_utf16_csv_is_accepted(
    client: Client,
    returns,
    soffice_convert,  # noqa: F811 (the fixture imported above)
    tmp_path,
):
    rows = list(csv.reader(io.StringIO(returns[("E09000032", SERVICE)].decode("utf-8"))))
    book = openpyxl.Workbook()
    book.active.title = SERVICE
    for row in rows:
        book.active.append(row)
    book.save(tmp_path / "service.xlsx")
    (ods,) = soffice_convert([tmp_path / "service.xlsx"], "ods", outdir=tmp_path / "ods")
    (utf16,) = soffice_convert([tmp_path / "service.xlsx"], UTF16_CSV, outdir=tmp_path / "csv")
    client.sign_in(officer("E09000032"))
    rid = round_id(client)
    upload = client.get("/upload").text
    assert ".ods" in upload and "LibreOffice Calc" in upload  # the file picker offers it
    for path in (ods, utf16):
        page = client.upload(rid, SERVICE, path.name, path.read_bytes())
        submission_id(page)
        assert "Return accepted" in page.text, (path.name, page.text[:2000])
