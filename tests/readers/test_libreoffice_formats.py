"""Every file an officer's spreadsheet program can save reads as the same return.

Each example return is written as an .xlsx workbook (numbers as numbers, dates as dates, as a person
types them), then LibreOffice itself, headless, saves it as LibreOffice's own .ods, as an old-style
.xls, as a UTF-16 CSV and as tab-separated UTF-16 text (what Excel calls 'Unicode Text'). Every
copy must give the report the .xlsx gives: VALID for a valid example, and for an invalid one the
same findings at the same rows and columns.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from libreoffice import UTF16_CSV, UTF16_TEXT, soffice_convert  # noqa: F401 (a fixture)

from validator import load_standard, validate
from validator.catalogue import InputError
from validator.excel.template import write_template
from validator.readers import odsscan
from validator.readers.source import read_table

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
VALID = [
    EXAMPLES / "valid" / "resident-survey_E09000030_2025-26.csv",
    EXAMPLES / "valid" / "service-data_E09000030_2025-26.csv",
]
INVALID = sorted(p for p in (EXAMPLES / "invalid").iterdir() if p.is_dir())
FORMATS = {"ods": "ods", "xls": "xls", "utf16-csv": UTF16_CSV, "utf16-text": UTF16_TEXT}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def as_typed_workbook(source: Path, folder: Path, name: str) -> Path:
    """The CSV as an .xlsx an officer would have typed: numbers and dates as such, the rest text."""
    kind = source.name.split("_")[0]
    fields = {f.name: f for f in load_standard().submission_types[kind].fields}
    with source.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = kind
    sheet.append(rows[0])
    for row in rows[1:]:
        names = rows[0] + [""] * (len(row) - len(rows[0]))
        typed = [_typed(fields.get(name), text) for name, text in zip(names, row, strict=False)]
        sheet.append(typed)
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd"
    path = folder / f"{name}.xlsx"
    book.save(path)
    return path


def _typed(field, text: str):
    if field is None or text == "":
        return text
    if field.type == "date" and _ISO_DATE.match(text):
        return dt.datetime.fromisoformat(text)
    if field.type in ("number", "integer") and re.fullmatch(r"-?\d+(\.\d+)?", text):
        return int(text) if field.type == "integer" and "." not in text else float(text)
    return text


def findings(report) -> list[tuple]:
    """What an officer is told, where: each finding's code, column, row, rows and value."""
    return sorted(
        (f.code, f.field or "", f.column or "", f.row or 0, f.count, tuple(f.rows), f.value or "")
        for f in report.findings
    )


@pytest.fixture(scope="module")
def copies(soffice_convert, tmp_path_factory):  # noqa: F811 (the fixture imported above)
    """Every example as .xlsx, and LibreOffice's copies of each: ``copies[source][format]``."""
    folder = tmp_path_factory.mktemp("workbooks")
    sources = VALID + [next(case.glob("*.csv")) for case in INVALID]
    names = [p.stem for p in VALID] + [case.name for case in INVALID]
    workbooks = [as_typed_workbook(s, folder, n) for s, n in zip(sources, names, strict=True)]
    made = {source: {"xlsx": book} for source, book in zip(sources, workbooks, strict=True)}
    for name, target in FORMATS.items():  # one LibreOffice run a format, for every workbook
        converted = soffice_convert(workbooks, target, outdir=folder / name)
        for source, path in zip(sources, converted, strict=True):
            made[source][name] = path
    return made


@pytest.mark.parametrize("source", VALID, ids=lambda p: p.stem)
def test_a_valid_return_saved_by_libreoffice_in_any_format_is_valid_with_the_same_findings(
    copies, source
):
    baseline = validate(copies[source]["xlsx"])
    assert baseline.valid, baseline.findings
    for name in FORMATS:
        report = validate(copies[source][name])
        assert report.valid, (name, report.findings)
        assert report.summary == baseline.summary, name
        assert findings(report) == findings(baseline), name


def test_each_format_is_told_by_its_bytes_and_named_in_the_report(copies):
    survey = copies[VALID[0]]
    assert validate(survey["ods"]).format == "ods"
    assert validate(survey["xls"]).format == "xls"
    for name in ("utf16-csv", "utf16-text"):
        assert survey[name].read_bytes()[:2] == b"\xff\xfe"  # LibreOffice wrote UTF-16 LE
        table = read_table(survey[name])
        assert (table.format, table.encoding) == ("csv", "utf-16")
        assert table.delimiter == ("\t" if name == "utf16-text" else ",")
    renamed = survey["ods"].with_name("return.csv")  # an .ods named .csv is still an .ods
    renamed.write_bytes(survey["ods"].read_bytes())
    assert validate(renamed).format == "ods"


@pytest.mark.parametrize("case", INVALID, ids=lambda p: p.name)
def test_an_invalid_return_raises_the_same_findings_at_the_same_cells_in_every_format(copies, case):
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    options = {k: v for k, v in expected["options"].items() if v}
    source = next(case.glob("*.csv"))
    baseline = validate(copies[source]["xlsx"], **options)
    assert not baseline.valid or expected["codes"] == ["small-count"]
    assert set(expected["codes"]) <= {f.code for f in baseline.findings}
    for name in FORMATS:
        report = validate(copies[source][name], **options)
        assert report.valid == baseline.valid, name
        assert findings(report) == findings(baseline), name


@pytest.fixture(scope="module")
def laid_out(soffice_convert, tmp_path_factory):  # noqa: F811 (the fixture imported above)
    """A workbook as officers lay them out, as .xlsx and as LibreOffice's .ods and .xls: a notes
    sheet first, a hidden sheet, and on the data sheet a title above headings that start in
    column B, a hidden row and merged cells."""
    folder = tmp_path_factory.mktemp("laid-out")
    with VALID[0].open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[:40]
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active["A1"] = "Read this first"
    sheet = book.create_sheet("resident-survey")
    sheet["B1"] = "Resident survey 2025-26"
    for number, values in enumerate(rows, start=3):
        for column, text in enumerate(values, start=2):
            sheet.cell(row=number, column=column, value=text)
    sheet.row_dimensions[8].hidden = True
    sheet.merge_cells("C10:D10")
    book.create_sheet("Lookups").sheet_state = "hidden"
    path = folder / "laid-out.xlsx"
    book.save(path)
    made = {"xlsx": path}
    for name in ("ods", "xls"):
        (made[name],) = soffice_convert([path], name, outdir=folder / name)
    return made


@pytest.mark.parametrize("name", ["ods", "xls"])
def test_sheet_choice_hidden_sheets_and_rows_merged_cells_and_titles_read_as_in_an_xlsx(
    laid_out, name
):
    baseline = validate(laid_out["xlsx"])
    report = validate(laid_out[name])
    assert (report.format, report.sheet) == (name, "resident-survey")
    assert report.summary == baseline.summary
    assert findings(report) == findings(baseline)
    notes = {f.code: f for f in report.findings}
    assert notes["headings-not-on-first-row"].row == 3
    assert notes["hidden-rows-ignored"].rows == [8]
    assert "C10:D10" in notes["merged-cells"].message
    assert "Lookups" in notes["hidden-sheet-ignored"].message
    with pytest.raises(InputError) as caught:  # the sheet named is the sheet read
        validate(laid_out[name], sheet="Notes")
    assert "do not match any kind of return" in caught.value.message


def test_an_xls_saved_with_a_password_is_named_as_such(laid_out, tmp_path):
    data = bytearray(laid_out["xls"].read_bytes())
    globals_start = data.index(b"\x09\x08\x10\x00\x00\x06\x05\x00")  # BIFF8 workbook BOF
    data[globals_start + 20 : globals_start + 22] = b"\x2f\x00"  # the next record: FILEPASS
    path = tmp_path / "protected.xls"
    path.write_bytes(bytes(data))
    with pytest.raises(InputError) as caught:
        validate(path)
    assert caught.value.code == "encrypted-workbook"
    assert "password" in caught.value.message


def test_an_xls_whose_cells_spread_over_the_whole_sheet_is_refused_before_calamine_reads_it(
    soffice_convert,  # noqa: F811 (the fixture imported above)
    tmp_path,
):
    book = openpyxl.Workbook()
    book.active["A1"] = "borough"
    book.active["IV65536"] = "far away"
    book.save(tmp_path / "spread.xlsx")
    (path,) = soffice_convert([tmp_path / "spread.xlsx"], "xls", outdir=tmp_path / "xls")
    with pytest.raises(InputError) as caught:
        validate(path)
    assert caught.value.code == "unsafe-workbook"
    assert "A1 to IV65536" in caught.value.message


def test_lsids_fix_on_an_ods_writes_the_fixed_return_as_xlsx_or_says_what_it_can_write(
    copies, lsids, tmp_path
):
    ods = copies[next((EXAMPLES / "invalid" / "label-instead-of-code").glob("*.csv"))]["ods"]
    status, _, err = lsids("fix", ods, "--output", tmp_path / "fixed.ods")
    assert status == 2
    assert "cannot write fixed.ods" in err
    assert "Name the output FILE.xlsx" in err and "LibreOffice Calc" in err
    status, out, _ = lsids("fix", ods, "--output", tmp_path / "fixed.xlsx")
    assert status == 0 and "→" in out
    before, after = validate(ods), validate(tmp_path / "fixed.xlsx")
    assert "not-in-codelist" in before.codes
    assert "not-in-codelist" not in after.codes
    assert after.valid


def test_a_csv_libreoffice_saved_from_the_templates_read_me_sheet_is_recognised(
    soffice_convert,  # noqa: F811 (the fixture imported above)
    tmp_path,
):
    template = write_template("service-data", tmp_path / "service-data.xlsx")
    (saved,) = soffice_convert([template], "csv", outdir=tmp_path / "csv")  # the sheet showing
    with pytest.raises(InputError) as caught:
        validate(saved)
    assert "'Read me' sheet" in caught.value.message
    assert "click the 'service-data' sheet tab" in caught.value.hint


def test_the_quick_scan_of_an_ods_agrees_with_the_xml_parser_on_libreoffices_files(
    copies, laid_out
):
    books = [laid_out["ods"]] + [made["ods"] for made in copies.values()]
    for path in books:
        with zipfile.ZipFile(path) as archive:
            quick, parsed = odsscan.OdsFacts(), odsscan.OdsFacts()
            assert odsscan._fast_scan(archive.open("content.xml"), quick, 10_000), path.name
            odsscan._scan(archive.open("content.xml"), parsed, 10_000)
        assert quick.sheets == parsed.sheets, path.name
        assert quick.merged == parsed.merged, path.name
