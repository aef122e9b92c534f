"""Reading a borough's workbook: the sheet a person sees, each cell as the text a person sees.

Workbooks are built with openpyxl as Excel would save them, or by hand (``hostile_xlsx``) where
openpyxl cannot write what Excel does (cached formula values, stray values under merged cells).
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import re
import string
from pathlib import Path

import hostile_xlsx as raw
import openpyxl
import pytest

from validator import load_standard, validate
from validator.catalogue import CATALOGUE, InputError
from validator.readers import workbook as xlsx
from validator.readers.workbook import cell_text, read_xlsx


def save(tmp_path, workbook, name="return.xlsx"):
    path = tmp_path / name
    workbook.save(path)
    return path


def workbook(*rows, title="Data"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    return book


def codes(notes):
    return [note.code for note in notes]


# --- which sheet -------------------------------------------------------------------------------


def test_reads_the_first_visible_sheet_and_reports_the_hidden_one(tmp_path, read_rows):
    book = workbook(["secret"], ["x"], title="Lookups")
    book.active.sheet_state = "hidden"
    data = book.create_sheet("Return")
    data.append(["borough", "period"])
    data.append(["E09000030", "2025-26"])
    book.active = 1
    table, rows = read_rows(save(tmp_path, book))
    assert table.sheet == "Return"
    assert table.header == ["borough", "period"]
    assert rows == [(2, ["E09000030", "2025-26"])]
    [note] = table.notes
    assert note.code == "hidden-sheet-ignored"
    assert "'Lookups'" in note.message


def test_reads_a_named_sheet_forgiving_case_and_spaces(tmp_path, read_rows):
    book = workbook(["a"], ["first"], title="Notes")
    other = book.create_sheet("Survey 2025")
    other.append(["b"])
    other.append(["second"])
    path = save(tmp_path, book)
    assert read_rows(path, "Survey 2025")[1] == [(2, ["second"])]
    table, rows = read_rows(path, " survey 2025 ")
    assert table.sheet == "Survey 2025" and rows == [(2, ["second"])]


def test_a_missing_sheet_lists_the_sheets_there_are(tmp_path):
    book = workbook(["a"], title="Notes")
    book.create_sheet("Survey")
    with pytest.raises(InputError) as caught:
        read_xlsx(save(tmp_path, book), sheet="Returns")
    assert caught.value.code == "sheet-not-found"
    assert "'Returns'" in caught.value.message
    assert "'Notes', 'Survey'" in caught.value.message


def test_an_empty_sheet_is_an_empty_file(tmp_path):
    with pytest.raises(InputError) as caught:
        read_xlsx(save(tmp_path, openpyxl.Workbook()))
    assert caught.value.code == "empty-file"
    assert "empty" in caught.value.message


def test_a_header_with_no_data_rows_gives_a_table_with_no_rows(tmp_path, read_rows):
    table, rows = read_rows(save(tmp_path, workbook(["borough", "period"])))
    assert table.header == ["borough", "period"] and rows == []


# --- rows and columns --------------------------------------------------------------------------


def test_hidden_rows_are_skipped_and_listed(tmp_path, read_rows):
    book = workbook(["id"], ["r1"], ["r2"], ["r3"], ["r4"])
    book.active.row_dimensions[3].hidden = True
    book.active.row_dimensions[5].hidden = True
    table, rows = read_rows(save(tmp_path, book))
    assert rows == [(2, ["r1"]), (4, ["r3"])]
    [note] = [n for n in table.notes if n.code == "hidden-rows-ignored"]
    assert note.rows == [3, 5]
    assert "rows 3, 5" in note.message


def test_trailing_blank_rows_and_columns_are_ignored_but_a_blank_row_inside_is_reported(
    tmp_path, read_rows
):
    book = workbook(["id", "weight"], ["r1", 1], [None, None], ["r2", 2])
    sheet = book.active
    sheet["F1"].number_format = "0.00"  # formatted, empty cells right of and below the table
    sheet["F1"].value = None
    for row in range(5, 40):
        sheet.cell(row=row, column=1).value = ""
    sheet["H60"].fill = openpyxl.styles.PatternFill("solid", fgColor="FFFF00")
    table, rows = read_rows(save(tmp_path, book))
    assert table.header == ["id", "weight"]
    assert rows == [(2, ["r1", "1"]), (4, ["r2", "2"])]
    assert [(i.row, i.kind) for i in table.issues] == [(3, "blank")]


def test_leading_blank_rows_keep_the_sheets_own_row_numbers(tmp_path, read_rows):
    table, rows = read_rows(save(tmp_path, workbook([], [], ["id"], ["r1"], ["r2"])))
    assert table.header == ["id"]
    assert rows == [(4, ["r1"]), (5, ["r2"])]


def test_a_short_row_is_padded_and_a_value_past_the_header_is_a_ragged_row(tmp_path, read_rows):
    table, rows = read_rows(save(tmp_path, workbook(["a", "b", "c"], ["1"], ["1", "2", "3", "4"])))
    assert rows == [(2, ["1", "", ""]), (3, ["1", "2", "3"])]
    [issue] = table.issues
    assert (issue.row, issue.kind, issue.expected, issue.actual) == (3, "ragged", 3, 4)


def test_merged_cells_read_as_the_top_left_value_and_are_reported(tmp_path, read_rows):
    book = workbook(["area", "count"], ["Inner", 5], [None, 7])
    book.active.merge_cells("A2:A3")
    table, rows = read_rows(save(tmp_path, book))
    assert rows == [(2, ["Inner", "5"]), (3, ["", "7"])]
    [note] = table.notes
    assert note.code == "merged-cells"
    assert "A2:A3" in note.message and note.rows == [2]


def test_a_stray_value_under_a_merged_range_is_read_blank(tmp_path, read_rows):
    rows_xml = (
        f'<row r="1">{raw.text_cell("A1", "a")}{raw.text_cell("B1", "b")}</row>'
        f'<row r="2">{raw.text_cell("A2", "top")}{raw.text_cell("B2", "stray")}</row>'
    )
    merge = '<mergeCells count="1"><mergeCell ref="A2:B2"/></mergeCells>'
    parts = raw.workbook_parts([("Data", raw.sheet_xml(rows_xml, tail=merge), "visible")])
    table, rows = read_rows(raw.write_zip(tmp_path / "merge.xlsx", parts))
    assert rows == [(2, ["top", ""])]
    assert codes(table.notes) == ["merged-cells"]


def test_rows_stream_in_chunks_with_their_row_numbers(tmp_path, monkeypatch, cells_of):
    monkeypatch.setattr(xlsx, "CHUNK_ROWS", 2)
    table = read_xlsx(save(tmp_path, workbook(["id"], *[[f"r{i}"] for i in range(5)])))
    chunks = list(table.chunks)
    assert [c.rows.tolist() for c in chunks] == [[2, 3], [4, 5], [6]]
    assert cells_of(chunks[2]) == [["r4"]]


# --- cells as text -----------------------------------------------------------------------------


def test_cells_read_as_a_person_sees_them(tmp_path, read_rows):
    book = workbook(
        ["id", "n", "weight", "date", "when", "flag", "tiny", "big", "at"],
        ["007", 42, 812.4000000000001, dt.date(2025, 4, 1), dt.datetime(2025, 4, 1, 0, 0), True,
         0.00001, 1e20, dt.datetime(2025, 6, 30, 14, 5, 9)],
        ["1.50", 3.0, 0.1 + 0.2, dt.datetime(2026, 3, 31), None, False, -0.5, 12345678901234, None],
    )  # fmt: skip
    _, rows = read_rows(save(tmp_path, book))
    assert rows == [
        (2, ["007", "42", "812.4", "2025-04-01", "2025-04-01", "TRUE",
             "0.00001", "100000000000000000000", "2025-06-30T14:05:09"]),
        (3, ["1.50", "3", "0.3", "2026-03-31", "", "FALSE", "-0.5", "12345678901234", ""]),
    ]  # fmt: skip


def test_text_that_looks_like_a_formula_or_markup_is_kept_as_written(tmp_path, read_rows):
    risky = ["=SUM(A1:A2)", "+44 20 7983 4000", "-1", "@cmd", "<script>alert(1)</script>",
             "<b>bold</b> & more", "£1,500", "  spaced  "]  # fmt: skip
    book = workbook([f"c{i}" for i in range(len(risky))], risky)
    for cell in book.active[2]:
        cell.data_type = "s"  # typed as text, as Excel stores a leading apostrophe
    table, rows = read_rows(save(tmp_path, book))
    assert rows == [(2, risky)]
    assert table.notes == []


def test_a_formula_reads_as_its_calculated_value_and_an_uncalculated_one_is_reported(
    tmp_path, read_rows
):
    rows_xml = (
        f'<row r="1">{raw.text_cell("A1", "n")}{raw.text_cell("B1", "total")}</row>'
        '<row r="2"><c r="A2"><v>2</v></c><c r="B2"><f>A2*2</f><v>4</v></c></row>'
        '<row r="3"><c r="A3"><v>5</v></c><c r="B3"><f>A3*2</f></c></row>'
        '<row r="4"><c r="A4"><v>6</v></c><c r="B4" t="str"><f>"x"&amp;A4</f><v>x6</v></c></row>'
    )
    parts = raw.workbook_parts([("Data", raw.sheet_xml(rows_xml), "visible")])
    table, rows = read_rows(raw.write_zip(tmp_path / "formulas.xlsx", parts))
    assert rows == [(2, ["2", "4"]), (3, ["5", ""]), (4, ["6", "x6"])]
    [note] = table.notes
    assert note.code == xlsx.FORMULA_NOT_CALCULATED
    assert "B3" in note.message and note.rows == [3]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (0.1 + 0.2, "0.3"),
        (-0.0, "0"),
        (1.5e-7, "0.00000015"),
        (dt.time(9, 30), "09:30:00"),
        (dt.timedelta(hours=26, minutes=3), "26:03:00"),
        (dt.datetime(2025, 4, 1, 9, 30, 0, 500000), "2025-04-01T09:30:00.500"),
    ],
)
def test_cell_text_renders_values_without_float_noise(value, text):
    assert cell_text(value) == text


# --- sources and resources ---------------------------------------------------------------------


def test_reads_from_a_binary_file_object(tmp_path, read_rows):
    data = save(tmp_path, workbook(["id"], ["r1"])).read_bytes()
    _, rows = read_rows(io.BytesIO(data))
    assert rows == [(2, ["r1"])]


def test_a_table_dropped_before_its_rows_are_read_leaves_no_file_open(tmp_path):
    path = save(tmp_path, workbook(["id"], ["r1"]))
    table = read_xlsx(path)
    del table
    gc.collect()  # an unclosed file would raise a ResourceWarning, an error under pytest
    half_read = read_xlsx(path)
    next(half_read.chunks)
    del half_read
    gc.collect()


# --- end to end: the validator's verdict on a workbook -----------------------------------------

EXAMPLE = Path(__file__).parents[2] / "examples" / "valid" / "resident-survey_E09000030_2025-26.csv"


def workbook_from_example(tmp_path, change=None):
    """The valid example CSV as an officer's workbook: real numbers and dates, a hidden sheet."""
    fields = {f.name: f for f in load_standard().submission_types["resident-survey"].fields}
    with EXAMPLE.open(newline="", encoding="utf-8") as handle:
        header, *records = list(csv.reader(handle))
    book = workbook(header, title="Survey")
    for record in records:
        row = []
        for name, text in zip(header, record, strict=True):
            kind = fields[name].type
            if text and kind == "number":
                row.append(float(text))
            elif text and kind == "integer":
                row.append(int(text))
            elif text and kind == "date":
                row.append(dt.date.fromisoformat(text))
            else:
                row.append(text or None)
        book.active.append(row)
    if change:
        change(book.active, header)
    book.create_sheet("Lookups").sheet_state = "hidden"
    return save(tmp_path, book), len(records)


def test_a_workbook_made_from_a_valid_example_is_valid(tmp_path):
    path, records = workbook_from_example(tmp_path)
    report = validate(path)
    assert [f.code for f in report.findings if f.severity == "error"] == []
    assert report.valid and report.summary["rows"] == records
    assert [f.code for f in report.findings] == ["hidden-sheet-ignored"]


def test_findings_on_a_workbook_name_the_sheets_own_rows(tmp_path):
    def spoil(sheet, header):
        column = header.index("borough") + 1
        sheet.cell(row=5, column=column).value = "Tower Hamlets"
        sheet.cell(row=9, column=column).value = "Tower Hamlets"

    path, _ = workbook_from_example(tmp_path, spoil)
    report = validate(path)
    assert not report.valid
    [finding] = [f for f in report.findings if f.code == "not-in-codelist"]
    assert finding.field == "borough" and finding.value == "Tower Hamlets"
    assert finding.rows == [5, 9]


# --- reader notes are worded by the catalogue -----------------------------------------------------


NOTE_CODES = [
    "hidden-sheet-ignored",
    "hidden-rows-ignored",
    "merged-cells",
    "formula-not-calculated",
    "headings-not-on-first-row",
]


def template_pattern(template: str) -> re.Pattern:
    """The catalogue template as a pattern: its own words, any value in each placeholder."""
    parts = []
    for text, name, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(text))
        if name is not None:
            parts.append(".+?")
    return re.compile("".join(parts) + r"\Z")


def assert_worded_by_catalogue(finding) -> None:
    assert template_pattern(CATALOGUE[finding.code].message).match(finding.message), (
        f"{finding.code}: {finding.message!r} is not the catalogue's wording"
    )


def test_workbook_notes_use_the_catalogues_words_with_the_files_values(tmp_path, valid_rows):
    rows = valid_rows
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "resident-survey"
    sheet.append(["Resident survey return", "", ""])
    sheet.append([])
    for row in rows[:6]:
        sheet.append(row)
    sheet.merge_cells("A8:B8")
    sheet.row_dimensions[6].hidden = True
    book.create_sheet("Lookups").sheet_state = "hidden"
    path = tmp_path / "return.xlsx"
    book.save(path)

    report = validate(path, borough="E09000001", period="2025-26")

    found = {f.code: f for f in report.findings if f.code in NOTE_CODES}
    assert set(found) == {
        "hidden-sheet-ignored",
        "hidden-rows-ignored",
        "merged-cells",
        "headings-not-on-first-row",
    }
    for finding in found.values():
        assert_worded_by_catalogue(finding)
    assert found["hidden-sheet-ignored"].message == (
        "The hidden sheet 'Lookups' was not read; only the sheet 'resident-survey' was checked."
    )
    assert found["headings-not-on-first-row"].message.startswith("The headings are on row 3;")
    assert "A8:B8" in found["merged-cells"].message
    assert found["hidden-rows-ignored"].rows == [6]
    assert "row 6" in found["hidden-rows-ignored"].message


def test_an_uncalculated_formula_is_worded_by_the_catalogue(tmp_path, valid_rows):
    header, first = valid_rows[:2]
    cells = "".join(raw.text_cell(f"{chr(65 + i)}1", name) for i, name in enumerate(header[:2]))
    data = "".join(raw.text_cell(f"{chr(65 + i)}2", value) for i, value in enumerate(first[:1]))
    rows_xml = f'<row r="1">{cells}</row><row r="2">{data}<c r="B2"><f>1+1</f></c></row>'
    parts = raw.workbook_parts([("Data", raw.sheet_xml(rows_xml), "visible")])
    path = raw.write_zip(tmp_path / "formula.xlsx", parts)

    report = validate(path, type="resident-survey")

    [finding] = [f for f in report.findings if f.code == "formula-not-calculated"]
    assert_worded_by_catalogue(finding)
    assert "B2" in finding.message and finding.rows == [2]
