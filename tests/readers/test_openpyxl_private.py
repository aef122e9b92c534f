"""The openpyxl internals the workbook reader relies on, pinned to the versions they were tested on.

When openpyxl moves to a new release series this test fails first: read its changelog for the
sheet parser and the workbook's date formats, run the workbook tests, then add the series to
``TESTED_VERSIONS``.
"""

import datetime as dt
import io

import openpyxl

from validator.readers.openpyxl_private import (
    TESTED_VERSIONS,
    UNCALCULATED,
    SheetStream,
    openpyxl_series,
    read_parts,
)


def test_the_installed_openpyxl_is_a_release_series_the_adapter_was_tested_on():
    assert openpyxl_series() in TESTED_VERSIONS, (
        f"openpyxl {openpyxl.__version__} is not a tested series {TESTED_VERSIONS}: check "
        "validator/readers/openpyxl_private.py against its changelog"
    )


def _workbook() -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append(["respondent_id", "interview_date", "total"])
    sheet.append(["R1", dt.date(2025, 5, 1), "=1+1"])
    sheet["B2"].number_format = "dd/mm/yyyy"
    sheet.row_dimensions[2].hidden = True
    book.create_sheet("Hidden").sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def test_the_private_parts_still_give_what_the_reader_needs():
    parts = read_parts(_workbook())
    try:
        assert [(s.name, s.state) for s in parts.sheets] == [
            ("Data", "visible"),
            ("Hidden", "hidden"),
        ]
        stream = SheetStream(parts.archive.open(parts.sheets[0].part), parts)
        rows = list(stream.rows())
        number, cells = rows[1]
        assert number == 2
        assert cells[1]["value"] == dt.datetime(2025, 5, 1)  # read by its date format
        assert stream.row_attributes(2).get("hidden") in ("1", "true")
        assert cells[2]["data_type"] == UNCALCULATED  # a formula saved without its value
    finally:
        parts.archive.close()
