"""The compiled reader and the streaming reader give the same ``Table`` for the same workbook.

Workbooks are read by python-calamine when the archive scan finds them safe for it, and by
openpyxl's streaming parser otherwise. Each workbook here is read both ways — the streaming way by
allowing the compiled reader no cells at all (``DENSE_CELL_LIMIT = 0``) — and everything a report
takes from a table must agree: the sheet, the header and its row, every row's number and texts,
the row issues and the notes.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import hostile_xlsx as raw
import openpyxl
import pytest

from validator.catalogue import InputError
from validator.readers import calamine_reader, plainsheet, sheetscan
from validator.readers.workbook import read_xlsx


def read_whole(source, sheet=None):
    """Everything a report takes from a table, read to the end."""
    table = read_xlsx(source, sheet)
    rows = []
    for chunk in table.chunks:
        columns = [chunk.column(i).to_pylist() for i in range(len(chunk.arrays))]
        rows.extend(zip(chunk.rows.tolist(), *columns, strict=True))
    issues = [(i.row, i.kind, i.expected, i.actual) for i in table.issues]
    notes = [(n.code, n.message, n.rows) for n in table.notes]
    return table.sheet, table.header_row, table.header, rows, issues, notes


@pytest.fixture
def streamed(monkeypatch):
    """Read a workbook with the streaming reader only."""

    def read(source, sheet=None):
        with monkeypatch.context() as patch:
            patch.setattr(sheetscan, "DENSE_CELL_LIMIT", 0)
            return read_whole(source, sheet)

    return read


@pytest.fixture
def compiled_reads(monkeypatch):
    """The names of the sheets the compiled reader read (calamine, or ``plainsheet`` for a
    plain sheet)."""
    asked: list[str] = []
    original = calamine_reader.CompiledSheet.__init__
    original_plain = plainsheet.plain_sheet

    def record(self, handle, name):
        asked.append(name)
        original(self, handle, name)

    def record_plain(handle, chosen, facts, epoch, kept=None):
        sheet = original_plain(handle, chosen, facts, epoch, kept)
        if sheet is not None:
            asked.append(chosen.name)
        return sheet

    monkeypatch.setattr(calamine_reader.CompiledSheet, "__init__", record)
    monkeypatch.setattr(plainsheet, "plain_sheet", record_plain)
    return asked


HEADINGS = ["respondent_id", "borough", "period", "interview_date", "weight", "mode", "age_band",
            "sex", "gender_identity_same", "ethnic_group"]  # fmt: skip


def everything_workbook(path):
    """A title above the headings, values of every kind and format, hidden rows and sheets,
    merged cells, a formula with and one without its value, blank and ragged rows."""
    book = openpyxl.Workbook()
    book.active.title = "Lookups"
    book.active.append(["code", "label"])
    book.active.sheet_state = "hidden"
    sheet = book.create_sheet("resident-survey")
    sheet.append(["Resident survey 2025-26"])
    sheet.append([])
    sheet.append(HEADINGS)
    rows = [
        ["007", 42, 812.4000000000001, dt.date(2025, 4, 1), dt.datetime(2025, 6, 30, 14, 5, 9),
         True, 0.00001, dt.time(9, 30), dt.timedelta(hours=26, minutes=3), " spaced "],
        ["1.50", 3.0, 0.1 + 0.2, dt.datetime(2026, 3, 31),
         dt.datetime(2025, 4, 1, 9, 30, 0, 500000), False, -0.5, dt.time(23, 59, 59),
         dt.timedelta(minutes=90), "=SUM(A1:A2)"],
        [None] * 10,
        ["r4", 1e20, 12345678901234, dt.date(1900, 3, 1), None, None, -0.0, None, None, "£1,500"],
        ["r5", 5, 6, None, None, None, None, None, None, None, "past the last heading"],
        ["hidden", 1, 1],
        ["r7", "merged", None, "x"],
    ]  # fmt: skip
    for row in rows:
        sheet.append(row)
    for cell in sheet[5][9:10]:
        cell.data_type = "s"
    sheet["I4"].number_format = "[h]:mm:ss"
    sheet["I5"].number_format = "[h]:mm:ss"
    sheet["C4"].number_format = "0.00"
    sheet["D7"].number_format = "dd/mm/yyyy"
    sheet.row_dimensions[9].hidden = True
    sheet.row_dimensions[2].hidden = True
    sheet.merge_cells("B10:C10")
    sheet["L3"] = "=1+1"  # openpyxl saves a formula without its value
    sheet.merge_cells("A1:D1")
    book.active = 1
    book.save(path)
    return path


def test_a_workbook_with_everything_reads_the_same_both_ways(tmp_path, streamed, compiled_reads):
    path = everything_workbook(tmp_path / "everything.xlsx")
    compiled = read_whole(path)
    assert compiled_reads == ["resident-survey"]
    assert compiled == streamed(path)
    sheet, header_row, header, rows, issues, notes = compiled
    assert (sheet, header_row, header) == ("resident-survey", 3, HEADINGS)
    assert rows[0] == (4, "007", "42", "812.4", "2025-04-01", "2025-06-30T14:05:09", "TRUE",
                       "0.00001", "09:30:00", "26:03:00", " spaced ")  # fmt: skip
    assert rows[1][1:] == ("1.50", "3", "0.3", "2026-03-31", "2025-04-01T09:30:00.500", "FALSE",
                           "-0.5", "23:59:59", "1:30:00", "=SUM(A1:A2)")  # fmt: skip
    assert [row[0] for row in rows] == [4, 5, 7, 8, 10]
    assert rows[-1][1:5] == ("r7", "merged", "", "x")
    assert issues == [(6, "blank", 10, 0), (8, "ragged", 10, 11)]
    assert [code for code, _, _ in notes] == [
        "hidden-sheet-ignored",
        "headings-not-on-first-row",
        "merged-cells",
        "hidden-rows-ignored",
        "formula-not-calculated",
    ]


def libreoffice_sheet(rows: str, tail: str = "") -> str:
    """A worksheet as LibreOffice Calc writes one: attributes after ``r``, booleans spelt out."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{raw.MAIN_NS}" xmlns:r="{raw.REL_NS}">'
        '<sheetPr filterMode="false"><pageSetUpPr fitToPage="false"/></sheetPr>'
        '<dimension ref="A1:C6"/><sheetViews><sheetView showFormulas="false" '
        'tabSelected="true" workbookViewId="0"><selection pane="topLeft" activeCell="A1" '
        'sqref="A1"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="12.8" '
        'zeroHeight="false" outlineLevelRow="0" outlineLevelCol="0"/>'
        '<cols><col collapsed="false" customWidth="false" hidden="false" max="1024" min="1" '
        'style="0" width="11.52"/></cols>'
        f"<sheetData>{rows}</sheetData>{tail}"
        '<printOptions headings="false" gridLines="false"/><pageMargins left="0.7875" '
        'right="0.7875" top="1.05277777777778" bottom="1.05277777777778" header="0.7875" '
        'footer="0.7875"/></worksheet>'
    )


def lo_row(number: int, cells: str, hidden: bool = False) -> str:
    return (
        f'<row r="{number}" customFormat="false" ht="12.8" hidden="{"true" if hidden else "false"}"'
        f' customHeight="false" outlineLevel="0" collapsed="false">{cells}</row>'
    )


def test_a_workbook_written_like_libreoffice_reads_the_same_both_ways(
    tmp_path, streamed, compiled_reads
):
    strings = (
        f'<sst xmlns="{raw.MAIN_NS}" count="6" uniqueCount="6"><si><t>id</t></si>'
        "<si><t>count</t></si><si><t>total</t></si><si><t>r1</t></si><si><t>r2</t></si>"
        '<si><t xml:space="preserve">r 3 </t></si></sst>'
    )
    rows = (
        lo_row(1, '<c r="A1" s="0" t="s"><v>0</v></c><c r="B1" s="0" t="s"><v>1</v></c>'
               '<c r="C1" s="0" t="s"><v>2</v></c>')
        + lo_row(2, '<c r="A2" s="0" t="s"><v>3</v></c><c r="B2" s="0" t="n"><v>4</v></c>'
                 '<c r="C2" s="0" t="n"><f aca="false">B2*2</f><v>8</v></c>')
        + lo_row(3, '<c r="A3" s="0" t="s"><v>4</v></c><c r="B3" s="0" t="n"><v>2.5</v></c>'
                 '<c r="C3" s="0" t="n"><f aca="false">B3*2</f></c>', hidden=True)
        + lo_row(5, '<c r="A5" s="0" t="s"><v>5</v></c><c r="B5" s="0" t="b"><v>1</v></c>'
                 '<c r="C5" s="0" t="e"><v>#DIV/0!</v></c>')
        + lo_row(6, '<c r="A6" s="0" t="str"><f aca="false">"x"&amp;A5</f><v>xr 3 </v></c>'
                 '<c r="B6" s="0" t="n"><f aca="false">B2/0</f></c>')
    )  # fmt: skip
    parts = raw.workbook_parts([("Sheet1", libreoffice_sheet(rows), "visible")], strings)
    path = raw.write_zip(tmp_path / "calc.xlsx", parts)
    compiled = read_whole(path)
    assert compiled_reads == ["Sheet1"]
    assert compiled == streamed(path)
    _, _, header, rows_read, issues, notes = compiled
    assert header == ["id", "count", "total"]
    assert rows_read == [(2, "r1", "4", "8"), (5, "r 3 ", "TRUE", "#DIV/0!"), (6, "xr 3 ", "", "")]
    assert issues == [(4, "blank", 3, 0)]
    assert [(code, rows) for code, _, rows in notes] == [
        ("hidden-rows-ignored", [3]),
        ("formula-not-calculated", [3, 6]),
    ]
    assert "C3, B6" in notes[1][1]


def test_a_workbook_written_like_excel_reads_the_same_both_ways(tmp_path, streamed, compiled_reads):
    sys.path.insert(0, str(raw.Path(__file__).parents[2] / "bench"))
    try:
        from xlsx import write_survey_xlsx
    finally:
        sys.path.pop(0)
    path = write_survey_xlsx(tmp_path / "survey.xlsx", "E09000030", "2025-26", 300, seed=7)
    compiled = read_whole(path)
    assert compiled_reads == ["resident-survey"]
    assert compiled == streamed(path)
    assert len(compiled[3]) == 300


def test_a_sheet_the_compiled_reader_cannot_place_is_streamed_instead(
    tmp_path, streamed, compiled_reads
):
    rows = (
        f'<row r="1">{raw.text_cell("A1", "borough")}{raw.text_cell("B1", "period")}</row>'
        '<row r="2"><c t="inlineStr"><is><t>E09000030</t></is></c>'
        '<c t="inlineStr"><is><t>2025-26</t></is></c></row>'
    )
    path = raw.write_zip(
        tmp_path / "noplace.xlsx", raw.workbook_parts([("Data", raw.sheet_xml(rows), "visible")])
    )
    read = read_whole(path)
    assert compiled_reads == []
    assert read == streamed(path)
    assert read[3] == [(2, "E09000030", "2025-26")]


def far_apart(folder, far_cell: str):
    """Two real rows and one value very far away: a dense block of billions of cells."""
    row = int(far_cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    rows = raw.SMALL_ROWS + f'<row r="{row}">{raw.text_cell(far_cell, "x")}</row>'
    xml = raw.sheet_xml(rows, dimension=f"A1:{far_cell}")
    return raw.write_zip(folder / "far.xlsx", raw.workbook_parts([("Data", xml, "visible")]))


@pytest.mark.parametrize(
    ("far_cell", "code", "words"),
    [
        ("XFD1048576", "too-many-columns", ["XFD1048576", "1,000 columns"]),
        ("ALL1048576", "unsafe-workbook", ["empty rows", "1,048,576"]),
    ],
)
def test_a_value_far_from_the_rest_is_refused_as_before_without_a_dense_read(
    tmp_path, far_cell, code, words, streamed, compiled_reads
):
    """Asked for such a block, calamine would abort the whole process; it is never asked."""
    path = far_apart(tmp_path, far_cell)
    with pytest.raises(InputError) as caught:
        read_whole(path)
    assert caught.value.code == code
    for word in words:
        assert word in caught.value.message
    assert compiled_reads == []
    with pytest.raises(InputError) as streaming:
        streamed(path)
    assert streaming.value.message == caught.value.message


def test_a_value_past_the_last_column_is_refused_by_both_readers_alike(
    tmp_path, streamed, compiled_reads
):
    path = far_apart(tmp_path, "ALM5000")
    with pytest.raises(InputError) as caught:
        read_whole(path)
    assert compiled_reads == ["Data"]
    assert caught.value.code == "too-many-columns" and "ALM5000" in caught.value.message
    with pytest.raises(InputError) as streaming:
        streamed(path)
    assert streaming.value.message == caught.value.message


def test_a_value_far_down_within_the_limits_is_read_the_same_both_ways(
    tmp_path, streamed, compiled_reads
):
    path = far_apart(tmp_path, "B90000")
    read = read_whole(path)
    assert compiled_reads == ["Data"]
    assert read == streamed(path)
    assert read[3][-1] == (90000, "", "x")


def test_reading_a_workbook_with_the_compiled_reader_does_not_load_openpyxl(tmp_path):
    path = raw.write_zip(tmp_path / "small.xlsx", raw.workbook_parts())
    probe = (
        "import sys\n"
        "from validator.readers.workbook import read_xlsx\n"
        f"table = read_xlsx({str(path)!r})\n"
        "rows = [chunk.rows.tolist() for chunk in table.chunks]\n"
        "assert rows == [[2]], rows\n"
        "print('openpyxl' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_a_far_reference_written_with_leading_zeros_is_not_given_to_the_compiled_reader(
    tmp_path, compiled_reads
):
    rows = raw.SMALL_ROWS + f'<row r="1048576">{raw.text_cell("XFD000001048576", "x")}</row>'
    xml = raw.sheet_xml(rows, dimension="A1:B2")
    path = raw.write_zip(tmp_path / "zeros.xlsx", raw.workbook_parts([("Data", xml, "visible")]))
    with pytest.raises(InputError) as caught:
        read_whole(path)
    assert caught.value.code == "too-many-columns"
    assert compiled_reads == []


@pytest.mark.parametrize(
    "cells",
    [
        # cells that do not name their place: calamine would count them along the row
        '<c t="inlineStr"><is><t>a</t></is></c>' * 3,
        # the same with a namespace prefix, which the scan does not look for by name
        '<x:c xmlns:x="{ns}"><x:v>1</x:v></x:c>' * 3,
    ],
)
def test_a_far_row_and_cells_without_their_place_are_not_given_to_the_compiled_reader(
    tmp_path, cells, streamed, compiled_reads
):
    rows = (
        raw.SMALL_ROWS
        + f'<row r="3">{cells.format(ns=raw.MAIN_NS)}</row>'
        + f'<row r="90000">{raw.text_cell("A90000", "x")}</row>'
    )
    xml = raw.sheet_xml(rows, dimension="A1:B2")
    path = raw.write_zip(tmp_path / "counted.xlsx", raw.workbook_parts([("Data", xml, "visible")]))
    try:
        read = read_whole(path)
    except InputError as error:
        read = error.message
    assert compiled_reads == []
    try:
        assert read == streamed(path)
    except InputError as error:
        assert read == error.message


def test_error_values_at_the_edges_of_the_sheet_read_the_same_both_ways(
    tmp_path, streamed, compiled_reads
):
    rows = (
        f'<row r="2">{raw.text_cell("B2", "a")}{raw.text_cell("C2", "b")}</row>'
        f'<row r="3">{raw.text_cell("B3", "x")}<c r="D3" t="e"><v>#N/A</v></c></row>'
        '<row r="4"><c r="A4" t="e"><v>#REF!</v></c></row>'
        '<row r="5"><c r="E5" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>'
    )
    parts = raw.workbook_parts([("Data", raw.sheet_xml(rows), "visible")])
    path = raw.write_zip(tmp_path / "errors.xlsx", parts)
    read = read_whole(path)
    assert compiled_reads == ["Data"]
    assert read == streamed(path)
    assert read[3] == [(3, "", "x", ""), (4, "#REF!", "", ""), (5, "", "", "")]
    assert read[4] == [(3, "ragged", 3, 4), (5, "ragged", 3, 5)]


@pytest.mark.parametrize("system", ["1900", "1904"])
def test_dates_near_the_ends_of_the_date_system_read_the_same_both_ways(
    tmp_path, system, streamed, compiled_reads
):
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    book = openpyxl.Workbook()
    if system == "1904":
        book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    sheet.append(["respondent_id", "a", "b", "c", "d", "e", "f"])
    sheet.append(["R1", 1, 59, 60, 61, 0.5, 2957003.5])  # in both systems before 10000
    sheet.append(["R2", -0.5, 0, 1.5, -1, 45000.00000001, -3])
    for row in sheet.iter_rows(min_row=2):
        for cell in row[1:]:
            cell.number_format = "yyyy-mm-dd hh:mm:ss"
    path = tmp_path / "dates.xlsx"
    book.save(path)
    read = read_whole(path)
    assert compiled_reads == ["Sheet"]
    assert read == streamed(path)
    negative = {"1900": "1899-12-29T12:00:00", "1904": "1903-12-31T12:00:00"}[system]
    assert read[3][1][2] == negative


def test_a_long_sheet_read_in_blocks_reads_the_same_both_ways(tmp_path, streamed, monkeypatch):
    """Blocks of plain rows are made chunks whole; a block holding a blank, ragged, hidden or
    merged row, an error value or a negative number is read row by row: the same either way."""
    from validator.readers import workbook

    monkeypatch.setattr(workbook._CompiledSheetReader, "_chunk_cells", 1)  # blocks of 1,000 rows
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "resident-survey"
    sheet.append(["Title"])
    sheet.append(HEADINGS[:4])
    for number in range(3, 6_003):
        sheet.append([f"r{number}", "E09000030", number * 0.1, dt.date(2025, 4, 1)])
    for cell in ("A1300", "B1300", "C1300", "D1300"):  # a blank row
        sheet[cell] = None
    sheet["E1500"] = "past the headings"  # a ragged row
    sheet.row_dimensions[2100].hidden = True
    sheet["C4100"] = "=1/0"
    sheet["C4200"] = -3.5
    sheet["D4200"] = -2
    sheet["D4200"].number_format = "yyyy-mm-dd"
    sheet.merge_cells("A5500:B5500")
    path = tmp_path / "long.xlsx"
    book.save(path)
    whole: list[int] = []
    plain_chunk = workbook._CompiledSheetReader._plain_chunk

    def counted(self, block):
        chunk = plain_chunk(self, block)
        whole.extend([] if chunk is None else [int(chunk.rows[0])])
        return chunk

    monkeypatch.setattr(workbook._CompiledSheetReader, "_plain_chunk", counted)
    compiled = read_whole(path)
    assert whole == [11, 3011]  # the blocks with nothing in them are read whole
    assert compiled == streamed(path)
    assert len(compiled[3]) == 5_998
    assert compiled[3][0] == (3, "r3", "E09000030", "0.3", "2025-04-01")


def test_columns_of_numbers_and_of_dates_read_the_same_both_ways(tmp_path, streamed):
    """A column of only numbers (with blanks) and one of only dates are made text a column at a
    time: every size of number reads as Excel shows it, as the streaming reader reads it."""
    numbers = [0.0, -0.0, 1e20, 1e15, 1e16, 1e-7, -1e-7, 123456789012345678.0,
               812.4000000000001, 0.1 + 0.2, 36.411, -2.25, 3.0, 5e-324,
               1.7976931348623157e308, None, 1 / 3]  # fmt: skip
    dates = [dt.date(1900, 3, 1), dt.date(9999, 12, 31), dt.date(2026, 2, 3), None]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "resident-survey"
    sheet.append(HEADINGS[:3])
    for number, value in enumerate(numbers):
        sheet.append([f"r{number}", value, dates[number % len(dates)]])
    path = tmp_path / "numbers.xlsx"
    book.save(path)
    read = read_whole(path)
    assert read == streamed(path)
    shown = ["0", "0", "100000000000000000000", "1000000000000000"]
    assert [row[2] for row in read[3][:4]] == shown
    assert [row[3] for row in read[3][:3]] == ["1900-03-01", "9999-12-31", "2026-02-03"]
