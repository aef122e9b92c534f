"""Hostile and broken "workbooks" each get one clear, specific error — never a traceback or a hang.

The files are built on the fly by ``hostile_xlsx`` (no binaries in git). Each case names the
finding code a borough officer's report would carry and words the message must contain, so a
vague "something went wrong" fails the test.
"""

from __future__ import annotations

import io

import defusedxml
import hostile_xlsx as hostile
import openpyxl
import pytest

from validator.catalogue import InputError
from validator.readers.workbook import read_xlsx

CASES = [
    (hostile.empty_file, "empty-file", ["empty"]),
    (hostile.png_renamed, "not-a-table", ["PNG image"]),
    (hostile.pdf_renamed, "not-a-table", ["PDF"]),
    (hostile.csv_renamed, "not-a-table", ["plain text", ".csv"]),
    (hostile.password_protected, "encrypted-workbook", ["password"]),
    (hostile.old_xls, "corrupt-workbook", ["damaged"]),  # an .xls is read; this one is not whole
    (hostile.truncated, "corrupt-workbook", ["damaged"]),
    (hostile.empty_zip, "corrupt-workbook", ["empty zip"]),
    (hostile.bad_crc, "corrupt-workbook", ["damaged", "CRC"]),
    (hostile.lying_size, "corrupt-workbook", ["damaged"]),
    (hostile.zip_bomb_ratio, "unsafe-workbook", ["zip bomb", "1,029 to 1"]),
    (hostile.zip_bomb_total, "unsafe-workbook", ["zip bomb", "200 MB"]),
    (hostile.bzip2_member, "unsafe-workbook", ["compression method"]),
    (hostile.zip_encrypted_member, "encrypted-workbook", ["encrypted"]),
    (hostile.billion_laughs, "unsafe-workbook", ["xl/sharedStrings.xml", "<!ENTITY>"]),
    (hostile.external_entity, "unsafe-workbook", ["xl/worksheets/sheet1.xml", "<!DOCTYPE>"]),
    (hostile.utf16_doctype, "unsafe-workbook", ["<!DOCTYPE>"]),
    (hostile.far_column_value, "too-many-columns", ["XFD3", "1,000 columns"]),
    (hostile.ten_thousand_columns, "too-many-columns", ["1,000 columns"]),
    (hostile.far_row_value, "unsafe-workbook", ["empty rows", "1,048,576"]),
    (hostile.only_hidden_sheets, "sheet-not-found", ["hidden", "'Lookups' (hidden)", "'Data'"]),
    (hostile.zip_of_csv, "not-a-table", ["zip archive", "not a workbook"]),
    # an .ods is read now (test_hostile_ods.py); this one's content.xml is not whole
    (hostile.opendocument, "corrupt-workbook", ["damaged"]),
    (hostile.no_workbook_part, "corrupt-workbook", ["damaged"]),
]


@pytest.mark.parametrize(("build", "code", "words"), CASES, ids=[c[0].__name__ for c in CASES])
def test_each_hostile_file_gets_one_specific_input_error(tmp_path, build, code, words, read_all):
    path = build(tmp_path)
    with pytest.raises(InputError) as caught:
        read_all(path)
    error = caught.value
    assert error.code == code, error.message
    for word in words:
        assert word in error.message
    assert error.hint, "every input error tells the officer what to do"


@pytest.mark.parametrize("build", [hostile.zip_bomb_ratio, hostile.billion_laughs])
def test_a_file_object_is_checked_the_same_way_as_a_path(tmp_path, build, read_all):
    data = build(tmp_path).read_bytes()
    with pytest.raises(InputError) as caught:
        read_all(io.BytesIO(data))
    assert caught.value.code == "unsafe-workbook"


def test_a_stream_that_cannot_seek_is_checked_too(tmp_path, forward_only, read_all):
    with pytest.raises(InputError) as caught:
        read_all(forward_only(hostile.pdf_renamed(tmp_path).read_bytes()))
    assert caught.value.code == "not-a-table"
    _, rows = read_all(forward_only(hostile.whole_sheet_dimension(tmp_path).read_bytes()))
    assert rows == [["E09000030", "2025-26"]]


def test_defusedxml_is_in_effect_for_openpyxl():
    assert defusedxml.__version__
    assert openpyxl.DEFUSEDXML is True


def test_defusedxml_stops_entities_even_where_the_archive_scan_is_bypassed(tmp_path):
    """Defence in depth: openpyxl itself, handed the billion-laughs file, refuses it."""
    from defusedxml import DefusedXmlException

    with pytest.raises(ValueError) as caught:  # openpyxl wraps the parser's error
        openpyxl.load_workbook(hostile.billion_laughs(tmp_path), read_only=True)
    assert isinstance(caught.value.__cause__, DefusedXmlException)


def test_a_used_range_claiming_the_whole_sheet_reads_only_the_real_rows(tmp_path, read_all):
    table, rows = read_all(hostile.whole_sheet_dimension(tmp_path))
    assert table.header == ["borough", "period"]
    assert rows == [["E09000030", "2025-26"]]
    assert table.issues == []


def test_a_formatted_empty_cell_in_the_last_row_and_column_is_ignored(tmp_path, read_all):
    table, rows = read_all(hostile.far_empty_cell(tmp_path))
    assert table.header == ["borough", "period"]
    assert rows == [["E09000030", "2025-26"]]
    assert table.issues == [], "trailing blank rows are not reported"


def test_a_sheet_broken_part_way_fails_with_a_clear_error_while_streaming(tmp_path):
    table = read_xlsx(hostile.broken_sheet_xml(tmp_path))
    assert table.header == ["v1", "x"]
    with pytest.raises(InputError) as caught:
        for _ in table.chunks:
            pass
    assert caught.value.code == "corrupt-workbook"
    assert "damaged" in caught.value.message
