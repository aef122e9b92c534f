"""Headings not on row 1: a council workbook with a title and a blank row above the table.

Each workbook is built with openpyxl from a valid example return: a title in A1, row 2 left
blank, the headings on row 3 and the data from row 4, as borough workbooks often are. The
validator must find the headings, read the data below them, keep the sheet's own row numbers and
say once where it found the headings.

A CSV file may have a title above its headings too, and every hint about the heading row names
the row the headings are really on. Headings written loosely are matched, and said so; the kind of
return is worked out from them unless it is given.
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook, load_workbook

from validator import InputError, load_standard, validate
from validator.addresses import column_letter
from validator.checks.structure import match_header
from validator.cli import main
from validator.excel.annotate import annotate
from validator.readers import read_table
from validator.readers import table as readers_table
from validator.readers.workbook import read_xlsx
from validator.report import Collector
from validator.synthetic import generate_survey

EXAMPLES = Path(__file__).parents[2] / "examples/valid"
VALID = EXAMPLES / "resident-survey_E09000001_2025-26.csv"
TITLE = "Social integration return 2025-26 (prepared by the performance team)"
HEADINGS_ROW = 3
PLANTED = 9  # the tenth data row, sheet row 13, gets a value that is not a code
PLANTED_ROW = HEADINGS_ROW + 1 + PLANTED
PLANTED_FIELD = {"resident-survey": "tenure", "service-data": "status"}
KINDS = ["resident-survey", "service-data"]


def _example(kind: str) -> tuple[list[str], list[list[str]]]:
    with (EXAMPLES / f"{kind}_E09000030_2025-26.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def _workbook(
    path: Path,
    header: list[str],
    rows: list[list[str]],
    above: list[list[str]] = ([TITLE], []),
) -> Path:
    """A workbook with ``above`` ([] for a blank row) first, then the headings and the rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Return"
    for number, values in enumerate([*above, header, *rows], start=1):
        for column, text in enumerate(values, start=1):
            if text != "":
                ws.cell(number, column, text)
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory) -> dict[str, Path]:
    """For each kind of return: a title, a blank row, the headings on row 3, one planted error."""
    folder = tmp_path_factory.mktemp("header-row")
    built = {}
    for kind in KINDS:
        header, rows = _example(kind)
        rows[PLANTED][header.index(PLANTED_FIELD[kind])] = "not known"
        built[kind] = _workbook(folder / f"{kind}.xlsx", header, rows)
    return built


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("type_given", [True, False], ids=["with-type", "inferred"])
def test_headings_below_a_title_are_found_and_named_in_one_warning(workbooks, kind, type_given):
    report = validate(workbooks[kind], type=kind if type_given else None)
    assert report.type == kind
    assert report.summary["rows"] == len(_example(kind)[1])
    codes = sorted(f.code for f in report.findings)
    assert codes == ["headings-not-on-first-row", "not-in-codelist"]
    warning = next(f for f in report.findings if f.code == "headings-not-on-first-row")
    assert warning.severity == "warning"
    assert warning.rows == [HEADINGS_ROW]
    assert warning.message == "The headings are on row 3; the rows above them were not read."
    planted = next(f for f in report.findings if f.code == "not-in-codelist")
    assert planted.field == PLANTED_FIELD[kind]
    assert planted.rows == [PLANTED_ROW]
    header = _example(kind)[0]
    assert planted.column == column_letter(header.index(PLANTED_FIELD[kind]))


@pytest.mark.parametrize("kind", KINDS)
def test_a_clean_return_below_a_title_is_valid_with_only_the_warning(tmp_path, kind):
    path = _workbook(tmp_path / "clean.xlsx", *_example(kind))
    report = validate(path)
    assert report.valid
    assert [f.code for f in report.findings] == ["headings-not-on-first-row"]


@pytest.mark.parametrize("type_option", [[], ["--type", "service-data"]], ids=["inferred", "type"])
def test_the_command_line_names_the_heading_row(workbooks, capsys, type_option):
    status = main(["validate", str(workbooks["service-data"]), *type_option])
    out = capsys.readouterr().out
    assert status == 1  # the planted code is an error; the headings are only a warning
    assert "The headings are on row 3" in out
    assert "does not match any kind of return" not in out
    assert "missing" not in out.lower()


def test_the_annotated_workbook_marks_the_cells_on_the_sheet_rows(workbooks, tmp_path):
    kind = "resident-survey"
    out = tmp_path / "annotated.xlsx"
    annotate(workbooks[kind], out)
    sheet = load_workbook(out)["Return"]
    header = _example(kind)[0]
    planted = f"{column_letter(header.index(PLANTED_FIELD[kind]))}{PLANTED_ROW}"
    assert "not-in-codelist" in sheet[planted].comment.text
    assert "headings-not-on-first-row" in sheet[f"A{HEADINGS_ROW}"].comment.text
    assert sheet["A1"].value == TITLE and sheet["A1"].comment is None
    marked = {
        cell.coordinate for row in sheet.iter_rows() for cell in row if cell.comment is not None
    }
    assert marked == {planted, f"A{HEADINGS_ROW}"}


def test_an_unknown_column_is_reported_and_marked_on_the_heading_row(tmp_path):
    header, rows = _example("service-data")
    path = _workbook(tmp_path / "extra.xlsx", [*header, "officer_notes"], rows)
    out = tmp_path / "annotated.xlsx"
    report = annotate(path, out)
    unknown = next(f for f in report.findings if f.code == "unknown-column")
    assert unknown.rows == [HEADINGS_ROW]
    sheet = load_workbook(out)["Return"]
    heading = f"{column_letter(len(header))}{HEADINGS_ROW}"
    assert sheet[heading].value == "officer_notes"
    assert "unknown-column" in sheet[heading].comment.text
    assert sheet["A1"].comment is None


def test_findings_about_headings_name_the_heading_row(tmp_path):
    header, rows = _example("resident-survey")
    header = [*header, "officer_notes"]
    rows = [[*r, ""] for r in rows[:5]]
    header[header.index("tenure")] = "Tenure"
    table = read_xlsx(_workbook(tmp_path / "extra.xlsx", header, rows))
    assert table.header_row == HEADINGS_ROW
    collector = Collector()
    sub = load_standard().submission_types["resident-survey"]
    match_header(table.header, sub, collector, header_row=table.header_row)
    found = {f.code: f.rows for f in collector.findings()}
    assert found == {"unknown-column": [3], "header-matched-loosely": [3]}


def test_the_reader_starts_the_data_below_the_headings(tmp_path):
    header, rows = _example("service-data")
    path = _workbook(tmp_path / "t.xlsx", header, rows[:3], above=[[TITLE], ["Notes: draft"]])
    table = read_xlsx(path)
    assert table.header == header
    assert table.header_row == 3
    numbers = [int(n) for chunk in table.chunks for n in chunk.rows]
    assert numbers == [4, 5, 6]
    assert [n.code for n in table.notes] == ["headings-not-on-first-row"]
    assert table.notes[0].rows == [3]


def test_blank_rows_above_the_headings_alone_need_no_warning(tmp_path):
    header, rows = _example("service-data")
    path = _workbook(tmp_path / "blank.xlsx", header, rows, above=[[], []])
    report = validate(path)
    assert report.valid and report.findings == []


def test_a_blank_row_between_headings_and_data_is_still_reported(tmp_path):
    header, rows = _example("service-data")
    path = _workbook(tmp_path / "gap.xlsx", header, [[], *rows])
    report = validate(path)
    found = {f.code: f.rows for f in report.findings}
    assert found == {"headings-not-on-first-row": [3], "blank-row": [4]}


def test_a_merged_title_above_the_headings_is_not_reported(tmp_path):
    header, rows = _example("service-data")
    path = _workbook(tmp_path / "merged.xlsx", header, rows)
    wb = load_workbook(path)
    wb.active.merge_cells("A1:F1")
    wb.save(path)
    report = validate(path)
    assert [f.code for f in report.findings] == ["headings-not-on-first-row"]


def test_a_sheet_whose_rows_match_no_return_is_read_from_its_first_row(tmp_path):
    rows = [["Ward", "Population", "Notes"], ["Bow East", "15000", ""], ["Mile End", "14000", ""]]
    path = _workbook(tmp_path / "other.xlsx", rows[0], rows[1:], above=[[TITLE]])
    table = read_xlsx(path)
    assert (table.header, table.header_row, table.notes) == ([TITLE], 1, [])
    with pytest.raises(InputError) as raised:
        validate(path)
    assert raised.value.code == "not-a-table"


def test_headings_below_more_than_ten_rows_of_notes_are_not_looked_for(tmp_path):
    header, rows = _example("service-data")
    above = [[f"Note {n}"] for n in range(1, 11)]
    table = read_xlsx(_workbook(tmp_path / "notes.xlsx", header, rows, above=above))
    assert table.header_row == 1


# --- hints name the real heading row --------------------------------------------------------------


def test_a_blank_heading_hint_names_the_heading_row_below_a_title(valid_rows, workbook_with_title):
    header, *body = valid_rows[:4]
    rows = [[*header[:2], "", *header[2:]]] + [[*cells[:2], "stray", *cells[2:]] for cells in body]
    path = workbook_with_title(rows)
    report = validate(path, type="resident-survey", borough="E09000001", period="2025-26")
    [finding] = [f for f in report.findings if f.code == "blank-header"]
    assert finding.rows == [3] and finding.column == "C"
    assert "row 3" in finding.hint and "row 1" not in finding.hint


def test_a_file_of_no_known_kind_is_told_to_check_its_heading_row(workbook_with_title):
    path = workbook_with_title([["colour", "shape"], ["red", "round"]])
    with pytest.raises(InputError) as caught:
        validate(path)
    assert caught.value.code == "not-a-table"
    assert "Check that row 1 holds the column headings" in caught.value.hint


def test_the_type_hint_names_the_first_row_with_anything_in_it(tmp_path):
    book = openpyxl.Workbook()
    book.active.append([])
    book.active.append(["colour", "shape"])
    book.active.append(["red", "round"])
    path = tmp_path / "return.xlsx"
    book.save(path)
    with pytest.raises(InputError) as caught:
        validate(path)
    assert "Check that row 2 holds the column headings" in caught.value.hint


# --- CSV headings below a title -------------------------------------------------------------------


def faulty_survey_csv(path: Path, above: str = "") -> Path:
    """A survey return with a ragged row, a blank line, a bad value and keys repeated across
    chunks of 50 rows; ``above`` is written before the headings (a title, blank lines)."""
    frame = generate_survey("E09000030", "2025-26", 200, seed=5)
    frame.loc[60, "respondent_id"] = frame.loc[10, "respondent_id"]
    frame.loc[150, "respondent_id"] = frame.loc[149, "respondent_id"]
    frame.loc[30, "weight"] = "-1"
    lines = frame.to_csv(index=False, lineterminator="\n").splitlines()
    lines[5] = lines[5].rsplit(",", 3)[0]  # ragged
    lines.insert(80, "")  # a blank line
    path.write_text(above + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def shifted(report, by: int) -> list[tuple]:
    """The report's findings with every row number moved up by ``by`` (hints left out)."""
    return [
        (f.code, f.field, f.message, f.count, [r - by for r in f.rows])
        for f in report.findings
        if f.code != "headings-not-on-first-row"
    ]


@pytest.mark.parametrize("as_stream", [False, True])
def test_csv_headings_below_a_title_keep_the_files_own_row_numbers(
    tmp_path, monkeypatch, as_stream, forward_only
):
    monkeypatch.setattr(readers_table, "CHUNK_ROWS", 50)  # so repeated keys need the second read
    plain = faulty_survey_csv(tmp_path / "plain.csv")
    titled = faulty_survey_csv(tmp_path / "titled.csv", above="Resident survey 2025-26,,\n\n")
    source = forward_only(titled.read_bytes()) if as_stream else titled

    report = validate(source, borough="E09000030", period="2025-26")
    expected = validate(plain, borough="E09000030", period="2025-26")

    assert report.type == "resident-survey"
    [note] = [f for f in report.findings if f.code == "headings-not-on-first-row"]
    assert note.rows == [3] and note.message.startswith("The headings are on row 3;")
    assert shifted(report, 2) == shifted(expected, 0)
    ragged = next(f for f in report.findings if f.code == "ragged-row")
    assert ragged.rows == [8]  # line 6 of the plain file, two lines lower
    repeated = next(f for f in report.findings if f.code == "duplicate-key")
    assert repeated.rows == [64, 155]  # the second is after the blank line: one lower again
    assert report.summary["rows"] == expected.summary["rows"]


def test_csv_headings_on_the_first_line_read_as_before(tmp_path):
    table = read_table(VALID)
    assert (table.header_row, table.notes) == (1, [])
    assert next(iter(table.chunks)).rows[0] == 2
    table.chunks.close()


def test_csv_blank_lines_before_the_headings_are_skipped_without_a_note(tmp_path):
    path = tmp_path / "return.csv"
    path.write_bytes(b"\n\n" + VALID.read_bytes())
    report = validate(path, borough="E09000001", period="2025-26")
    expected = validate(VALID, borough="E09000001", period="2025-26")
    assert report.valid and report.summary == expected.summary
    assert shifted(report, 2) == shifted(expected, 0)
    assert "headings-not-on-first-row" not in report.codes


# --- matching headings and inferring the type -----------------------------------------------------


def test_headings_are_matched_forgivingly_and_said_so(check, survey):
    frame = survey()
    frame = frame.rename(
        columns={"respondent_id": "Respondent ID", "interview_date": "Interview-Date"}
    )
    report = check(frame)
    loose = [f for f in report.findings if f.code == "header-matched-loosely"]
    assert {f.field for f in loose} == {"respondent_id", "interview_date"}
    assert report.valid


def test_type_is_inferred_or_taken(check, service):
    report = check(service())
    assert report.type == "service-data" and report.type_inferred
    report = check(service(), type="service-data")
    assert not report.type_inferred
