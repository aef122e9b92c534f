"""The plain reader (``plainsheet``) gives the same ``Table`` as calamine for the sheets it reads,
and leaves every other sheet to calamine.

Each workbook here is written the way Excel writes one (shared strings, styles, cells naming their
place) and read twice: as the product reads it, and with the plain reader turned off, so calamine
reads it as before. Everything a report takes from a table must agree (``read_whole``).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from xml.sax.saxutils import escape

import hostile_xlsx as raw
import pytest
from python_calamine import CalamineWorkbook

from validator.readers import plainsheet, workbook
from validator.readers.plainsheet import DATE_FORMATS

from .test_compiled_reader import HEADINGS, read_whole

STYLES_HEAD = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<styleSheet xmlns="{raw.MAIN_NS}">'
)


def styles_xml(formats: list[int | str]) -> str:
    """A styles part whose cell styles 0, 1, … have these number formats: a built-in id or a
    custom format code (given ids from 164)."""
    custom = {code: 164 + i for i, code in enumerate(f for f in formats if isinstance(f, str))}
    num_fmts = "".join(
        f'<numFmt numFmtId="{number}" formatCode="{escape(code, {chr(34): "&quot;"})}"/>'
        for code, number in custom.items()
    )
    xfs = "".join(
        f'<xf numFmtId="{custom[f] if isinstance(f, str) else f}" fontId="0" fillId="0" '
        'borderId="0" xfId="0" applyNumberFormat="1"/>'
        for f in formats
    )
    return (
        STYLES_HEAD
        + (f'<numFmts count="{len(custom)}">{num_fmts}</numFmts>' if custom else "")
        + '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        f'<cellXfs count="{len(formats)}">{xfs}</cellXfs></styleSheet>'
    )


def shared_xml(items: list[str]) -> str:
    """A shared strings part: each item is the XML inside its ``<si>``."""
    body = "".join(f"<si>{item}</si>" for item in items)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        f'<sst xmlns="{raw.MAIN_NS}" count="{len(items)}" uniqueCount="{len(items)}">{body}</sst>'
    )


def t(text: str) -> str:
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<t{space}>{escape(text)}</t>"


def excel_workbook(
    path: Path,
    rows: str,
    shared: list[str] | None = None,
    formats: list[int | str] | None = None,
    *,
    tail: str = "",
    date1904: bool = False,
    sheet_name: str = "resident-survey",
) -> Path:
    """A workbook written as Excel writes one: these ``<row>`` elements, shared strings (the XML
    inside each ``<si>``) and cell styles' number formats."""
    parts = raw.workbook_parts(
        [(sheet_name, raw.sheet_xml(rows, None, tail), "visible")],
        shared_xml(shared) if shared is not None else None,
    )
    if formats is not None:
        parts["xl/styles.xml"] = styles_xml(formats).encode()
    if date1904:
        parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
            b"<sheets>", b'<workbookPr date1904="1"/><sheets>'
        )
    return raw.write_zip(path, parts)


class Sheet:
    """Rows of cells written as Excel writes them, the texts put in a shared strings table."""

    def __init__(self) -> None:
        self.shared: list[str] = []
        self._index: dict[str, int] = {}
        self.rows: list[str] = []

    def text(self, value: str) -> str:
        if value not in self._index:
            self._index[value] = len(self.shared)
            self.shared.append(t(value))
        return str(self._index[value])

    def row(self, number: int, cells: list[tuple[str, str] | str | None], attrs: str = "") -> None:
        """Cells from column A: a text, (number text, style), a prepared ``<c>`` tail, or None."""
        out = []
        for index, cell in enumerate(cells):
            ref = f"{_letters(index)}{number}"
            if cell is None:
                continue
            if isinstance(cell, tuple):
                value, style = cell
                out.append(f'<c r="{ref}" s="{style}"><v>{value}</v></c>')
            elif cell.startswith("<"):
                out.append(f'<c r="{ref}"{cell[2:]}')
            else:
                out.append(f'<c r="{ref}" s="2" t="s"><v>{self.text(cell)}</v></c>')
        self.rows.append(f'<row r="{number}"{attrs}>{"".join(out)}</row>')

    def save(self, path: Path, formats: list[int | str] | None = None, **kwargs) -> Path:
        return excel_workbook(
            path, "".join(self.rows), self.shared, formats or [0, 14, 49], **kwargs
        )


def _letters(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


@pytest.fixture
def plain_reads(monkeypatch):
    """The names of the sheets the plain reader read."""
    read: list[str] = []
    original = plainsheet.plain_sheet

    def record(handle, chosen, facts, epoch, kept=None):
        sheet = original(handle, chosen, facts, epoch, kept)
        if sheet is not None:
            read.append(chosen.name)
        return sheet

    monkeypatch.setattr(plainsheet, "plain_sheet", record)
    return read


@pytest.fixture
def by_calamine(monkeypatch):
    """Read a workbook with the plain reader turned off (calamine reads what it read before)."""

    def read(source, sheet=None):
        with monkeypatch.context() as patch:
            patch.setattr(plainsheet, "plain_sheet", lambda *args: None)
            return read_whole(source, sheet)

    return read


@pytest.fixture(params=["whole", "in pieces"])
def pieces(request, monkeypatch):
    """The sheet read as one piece, or cut into pieces of a row or two."""
    if request.param == "in pieces":
        monkeypatch.setattr(plainsheet, "_PIECE_BYTES", 64)
    return request.param


def everything(tmp_path: Path) -> Path:
    """A title above the headings, numbers of every shape, dates, booleans, blanks, hidden,
    blank and ragged rows, merged cells, rich text, entities and spaces in shared strings."""
    sheet = Sheet()
    sheet.row(1, ["Resident survey 2025-26"])
    sheet.row(3, HEADINGS)
    numbers = ["0", "-0", "42", "-17", "812.4000000000001", "0.1", "1E+20", "1.23E-7", "-2.5E-3",
               "123456789012345", "1234567890123456", "12345678901234567890", "0.30000000000000004",
               "1.5", "1.50", "007", "3.0", ".5", "1e5", "99999999999999.9", "-0.0001",
               "0.00001", "4.0000000000000001", "1E+15", "1E+16", "2.5E+300"]  # fmt: skip
    for i, number in enumerate(numbers):
        style = 0 if i % 3 else 2
        sheet.row(
            4 + i,
            [f"R{i:03}", (number, style), "x & y < z", ("45000", 1), '<c s="0" t="b"><v>1</v></c>',
             None, " spaced ", "<c s=\"2\"/>", "" if i % 5 == 0 else "é ü ß", ("45292", 3)],
        )  # fmt: skip
    sheet.row(30, [])  # a blank row element
    sheet.row(31, ["hidden", ("1", 0)], ' hidden="1"')
    sheet.row(32, ["merged", "under", "x"])
    sheet.row(33, ["r33", ("5", 0), None, None, None, None, None, None, None, None, "past"])
    sheet.row(34, [None, None, '<c s="0" t="b"><v>0</v></c>'])
    sheet.row(36, ["last", ("-5", 0), ("60.5", 0)])
    sheet.shared.append("<r><t>rich </t></r><r><rPr><b/></rPr><t>text</t></r>")
    sheet.row(37, [f'<c s="2" t="s"><v>{len(sheet.shared) - 1}</v></c>', "&#233;&amp;"])
    sheet.shared.append("<t>&lt;b&gt; &quot;q&quot; &#10;line</t>")
    sheet.row(38, [f'<c t="s"><v>{len(sheet.shared) - 1}</v></c>'])
    odd = ["<t> a </t>", "<r><t>x </t></r><r><t> y</t></r>", "<t>a\nb</t>", "<t>\n</t>", "<t/>",
           '<r><t xml:space="preserve">x </t></r><r><t>y</t></r>', "<t>&#32;a&#160;</t>",
           "<t>a</t><r><t>b</t></r>", "<t>\u00a0b\u3000</t>", "<t>\u00e9</t>"]  # fmt: skip
    for number, item in enumerate(odd, 39):
        sheet.shared.append(item)
        sheet.row(number, [f'<c s="2" t="s"><v>{len(sheet.shared) - 1}</v></c>', "odd"])
    tail = '<mergeCells count="1"><mergeCell ref="A32:B32"/></mergeCells>'
    return sheet.save(
        tmp_path / "everything.xlsx", [0, "yyyy\\-mm\\-dd", 49, "dd/mm/yyyy"], tail=tail
    )


def test_a_workbook_with_everything_reads_the_same_both_ways(
    tmp_path, plain_reads, by_calamine, pieces
):
    path = everything(tmp_path)
    read = read_whole(path)
    assert plain_reads == ["resident-survey"]
    assert read == by_calamine(path)
    rows = {row[0]: row[1:] for row in read[3]}
    assert rows[4][:4] == ("R000", "0", "x & y < z", "2023-03-15")
    assert rows[37][:2] == ("richtext", "&#233;&amp;")  # calamine trims each run
    assert rows[38][0] == '<b> "q" \nline'
    assert [rows[n][0] for n in range(39, 44)] == ["a", "xy", "a\nb", "", ""]


def test_the_benchmark_workbook_reads_the_same_both_ways(
    tmp_path, plain_reads, by_calamine, pieces
):
    sys.path.insert(0, str(Path(__file__).parents[2] / "bench"))
    try:
        from xlsx import write_survey_xlsx
    finally:
        sys.path.pop(0)
    path = write_survey_xlsx(tmp_path / "survey.xlsx", "E09000030", "2025-26", 2_500, seed=7)
    read = read_whole(path)
    assert plain_reads == ["resident-survey"]
    assert read == by_calamine(path)
    assert len(read[3]) == 2_500


def test_blocks_of_a_long_sheet_read_whole_or_row_by_row_the_same_both_ways(
    tmp_path, plain_reads, by_calamine, monkeypatch, pieces
):
    monkeypatch.setattr(workbook._CompiledSheetReader, "_chunk_cells", 1)  # blocks of 1,000 rows
    sheet = Sheet()
    sheet.row(1, HEADINGS[:3])
    for number in range(2, 4_200):
        attrs = ' hidden="1"' if number == 1_500 else ""
        if number in (2_600, 2_601):
            sheet.row(number, [])
            continue
        cells = [f"R{number}", (str(number * 1.5), 0), ("45000", 1)]
        if number == 3_700:
            cells.append("ragged")
        sheet.row(number, cells, attrs)
    path = sheet.save(tmp_path / "long.xlsx")
    read = read_whole(path)
    assert plain_reads == ["resident-survey"]
    assert read == by_calamine(path)
    assert (1_500 in {row[0] for row in read[3]}) is False


@pytest.mark.parametrize(
    ("name", "cell", "extra"),
    [
        ("formula", '<c r="B2"><f>1+1</f><v>2</v></c>', {}),
        ("inline string", '<c r="B2" t="inlineStr"><is><t>x</t></is></c>', {}),
        ("error", '<c r="B2" t="e"><v>#N/A</v></c>', {}),
        ("cached formula text", '<c r="B2" t="str"><f>A1</f><v>x</v></c>', {}),
        ("1904 dates", '<c r="B2" s="1"><v>45000</v></c>', {"date1904": True}),
        ("a time", '<c r="B2" s="2"><v>0.5</v></c>', {"formats": [0, 14, "h:mm"]}),
        ("a date and time", '<c r="B2" s="1"><v>45000.25</v></c>', {}),
        ("a date before March 1900", '<c r="B2" s="1"><v>59</v></c>', {}),
        ("a negative date", '<c r="B2" s="1"><v>-3</v></c>', {}),
        ("no style, style 0 a date", '<c r="B2"><v>45000</v></c>', {"formats": [14, 0]}),
        ("a format not known", '<c r="B2" s="2"><v>45000</v></c>',
         {"formats": [0, 14, "[$-F800]"]}),
        ("escapes", '<c r="B2" t="s"><v>1</v></c>', {"shared": ["<t>a</t>", "<t>a_x000D_b</t>"]}),
        ("phonetic", '<c r="B2" t="s"><v>1</v></c>',
         {"shared": ["<t>a</t>", '<t>b</t><rPh sb="0" eb="1"><t>x</t></rPh>']}),
        ("no reference", '<c t="s"><v>0</v></c>', {}),
        ("other attribute", '<c r="B2" cm="1"><v>1</v></c>', {}),
        ("white space", '<c r="B2">\n<v>1</v></c>', {}),
        ("empty value", '<c r="B2"><v></v></c>', {}),
        ("text number", '<c r="B2"><v>abc</v></c>', {}),
        ("shared index out of range", '<c r="B2" t="s"><v>7</v></c>', {}),
        ("boolean of 2", '<c r="B2" t="b"><v>2</v></c>', {}),
    ],
)  # fmt: skip
def test_a_sheet_that_is_not_plain_is_read_by_calamine_as_before(
    tmp_path, plain_reads, by_calamine, name, cell, extra, pieces
):
    extra = dict(extra)  # each case runs more than once
    shared = extra.pop("shared", ["<t>a</t>"])
    formats = extra.pop("formats", [0, 14])
    rows = (
        f'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>0</v></c></row>'
        f'<row r="2"><c r="A2"><v>1</v></c>{cell}</row>'
    )
    path = excel_workbook(tmp_path / "odd.xlsx", rows, shared, formats, **extra)
    try:
        expected = by_calamine(path)
    except Exception as error:  # the same error both ways
        with pytest.raises(type(error)):
            read_whole(path)
    else:
        assert read_whole(path) == expected
    assert plain_reads == []


def test_the_plain_reader_reads_what_it_can_and_nothing_else(tmp_path):
    """Straight from the parts: a plain sheet's rows, and None for a formula."""
    sheet = plainsheet.read_plain(
        raw.sheet_xml(
            '<row r="2"><c r="B2" t="s"><v>0</v></c><c r="C2"><v>2.50E1</v></c></row>', None
        ).encode(),
        shared_xml(["<t>a</t>"]).encode(),
        None,
    )
    assert sheet is not None
    assert list(sheet.rows()) == [["", "", ""], ["", "a", "25"]]
    formula = raw.sheet_xml('<row r="1"><c r="A1"><f>1</f><v>1</v></c></row>', None).encode()
    assert plainsheet.read_plain(formula, None, None) is None


def test_cells_out_of_order_across_pieces_are_not_read_here(monkeypatch, pieces):
    rows = '<row r="1"><c r="B1"><v>1</v></c></row><row r="2"><c r="A1"><v>2</v></c></row>'
    assert plainsheet.read_plain(raw.sheet_xml(rows, None).encode(), None, None) is None


def _calamine_value(tmp_path: Path, code: int | str, serial: str = "45000"):
    path = excel_workbook(
        tmp_path / "format.xlsx",
        f'<row r="1"><c r="A1" s="1"><v>{serial}</v></c></row>',
        None,
        [0, code],
    )
    book = CalamineWorkbook.from_path(str(path))
    try:
        return book.get_sheet_by_name("resident-survey").to_python()[0][0]
    finally:
        book.close()


@pytest.mark.parametrize("code", [*sorted(DATE_FORMATS), 14])
def test_calamine_reads_a_number_in_each_date_format_read_here_as_a_date(tmp_path, code):
    value = _calamine_value(tmp_path, code)
    assert isinstance(value, dt.date)
    assert value.isoformat()[:10] == "2023-03-15"


@pytest.mark.parametrize(
    "code", [0, 1, 2, 3, 4, 9, 10, 11, 12, 13, 37, 38, 39, 40, 48, 49, "0.000", "#,##0.00",
             "0%", "0.00E+00", "@", "General", "#,##0;-#,##0", "0.0;(0.0)", '"£"#,##0.00']
)  # fmt: skip
def test_calamine_reads_a_number_in_each_number_format_read_here_as_a_number(tmp_path, code):
    assert plainsheet._format_kind(code if isinstance(code, int) else 200, {200: str(code)}) == 0
    value = _calamine_value(tmp_path, code, "45000.5")
    assert isinstance(value, float)
    assert value == 45000.5


def test_styles_of_one_to_four_digits_read_the_same_both_ways(tmp_path, plain_reads, by_calamine):
    formats: list[int | str] = [0] * 1_200
    formats[7] = formats[999] = formats[1_000] = 14
    formats[1_150] = "dd/mm/yyyy"
    sheet = Sheet()
    sheet.row(1, HEADINGS[:6])
    for number in range(2, 12):
        sheet.row(
            number,
            [f"R{number}", ("45000", 7), ("45001", 999), ("45002", 1_000), ("45003", 1_150),
             ("1.5", 1_001)],
        )  # fmt: skip
    path = sheet.save(tmp_path / "styles.xlsx", formats)
    read = read_whole(path)
    assert plain_reads == ["resident-survey"]
    assert read == by_calamine(path)
    assert read[3][0][1:] == ("R2", "2023-03-15", "2023-03-16", "2023-03-17", "2023-03-18", "1.5")
