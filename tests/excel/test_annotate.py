"""The annotated workbook: the officer's own workbook back, every problem marked on its cell.

A workbook is built from a valid example return with openpyxl, problems are injected where a
borough officer would make them, and the annotated copy is opened again with openpyxl.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from copy import copy
from pathlib import Path

import hostile_xlsx as hostile
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font

import validator
from validator import InputError, validate
from validator.cli import main
from validator.excel.annotate import ERROR_FILL, PROBLEMS_HEADER, WARNING_FILL, annotate

EXAMPLE = Path(__file__).parents[2] / "examples/valid/resident-survey_E09000030_2025-26.csv"
DATA = "Resident survey"
DATA_ROWS = 160  # a slice of the example: rows 2..161 of the sheet
BLANK_ROW = 150  # left empty, between rows of data
REPEATED = range(10, 140)  # 130 rows with the label 'Online' instead of the code 'online'
EMAIL = "jo.bloggs@example.org"
INJECTION = '=HYPERLINK("http://example.com","click")'


def _example() -> tuple[list[str], list[list[str]]]:
    with EXAMPLE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1 : DATA_ROWS + 1]


def build_workbook(path: Path, *, extra_column: bool = False) -> Path:
    """A borough's workbook: a notes sheet first, the return, a hidden sheet; real mistakes."""
    header, rows = _example()
    wb = Workbook()
    notes = wb.active
    notes.title = "Notes"
    notes["A1"] = "Prepared by the performance team"
    notes["B2"] = "=1+1"
    notes["A3"].comment = Comment("Ask Sam before sending", "Sam")
    ws = wb.create_sheet(DATA)
    ws.append(header + (["officer_notes"] if extra_column else []))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    weight = header.index("weight") + 1
    date = header.index("interview_date") + 1
    for i, values in enumerate(rows):
        number = i + 2 if i + 2 < BLANK_ROW else i + 3
        for column, text in enumerate(values, start=1):
            if column == weight:
                value = float(text)
            elif column == date:
                value = dt.date.fromisoformat(text)
            else:
                value = text or None
            if value is not None:
                ws.cell(number, column, value)
        if extra_column:
            ws.cell(number, len(header) + 1, "checked")
    ws.column_dimensions["A"].width = 18
    ws["E2"].number_format = "0.00"
    ws["L2"] = "yes_a_lot"  # activity_limitation, but long_term_condition is 'no': routed out
    ws["B3"] = "Tower Hamlets"  # a borough name, not its code
    ws["H4"] = "Female"  # a label, not the code
    ws["E5"] = 0  # a weight of 0
    ws["E6"] = 99999  # an extreme weight: a warning
    ws["A7"] = EMAIL  # personal data in the respondent id
    ws["A7"].comment = Comment("Check this one with Jo", "Officer")
    ws["C2"].comment = Comment("Period confirmed", "Officer")  # a cell with no finding
    ws["J8"] = INJECTION
    ws["J8"].data_type = "s"  # typed as text, as an officer pasting it would have it
    for number in REPEATED:
        ws.cell(number, header.index("mode") + 1, "Online")
    hidden = wb.create_sheet("Old data")
    hidden["A1"] = "last year's figures"
    hidden.sheet_state = "hidden"
    if extra_column:
        wb.create_sheet("Problems")["A1"] = "our own list"
    wb.save(path)
    return path


def expected_cells(report) -> dict[str, set[str]]:
    """The report's findings expanded to cells: severity by cell."""
    cells: dict[str, set[str]] = {}
    for f in report.findings:
        if f.column and f.rows:
            refs = [f"{f.column}{row}" for row in f.rows]
        elif f.column:
            refs = [f"{f.column}1"]  # a whole column: its header cell
        elif f.rows:
            refs = [f"A{row}" for row in f.rows]  # a whole row: its first cell
        else:
            refs = []  # the whole file: the Problems sheet only
        for ref in refs:
            cells.setdefault(ref, set()).add(f.severity)
    return cells


def all_cells(ws) -> dict[str, object]:
    return {
        c.coordinate: c.value
        for row in ws.iter_rows(max_row=ws.max_row, max_col=ws.max_column)
        for c in row
    }


@pytest.fixture(scope="module")
def annotated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("annotate")
    source = build_workbook(folder / "return.xlsx")
    output = folder / "return-annotated.xlsx"
    report = annotate(source, output, metadata={"weight_total": 1000})
    return source, output, report, load_workbook(output)


def test_the_return_sheet_is_found_and_every_mistake_reported(annotated):
    _, _, report, _ = annotated
    assert report.sheet == DATA
    assert {
        "routed-answer",
        "not-in-codelist",
        "out-of-range",
        "weight-extreme",
        "personal-email",
        "weights-total",
        "blank-row",
        "hidden-sheet-ignored",
    } <= report.codes


def test_comments_are_exactly_on_the_cells_with_findings(annotated):
    _, _, report, wb = annotated
    ws = wb[DATA]
    commented = {c.coordinate for row in ws.iter_rows() for c in row if c.comment}
    expected = set(expected_cells(report))
    assert commented == expected | {"C2"}  # C2 kept the comment it had
    injected = {"L2", "B3", "H4", "E5", "E6", "A7", "J8", "E1", f"A{BLANK_ROW}"}
    assert injected <= expected
    assert "'Tower Hamlets' is not one of the codes for 'borough'." in ws["B3"].comment.text
    assert "E09000030" in ws["B3"].comment.text  # the hint says what would be right
    assert "weights add up to" in ws["E1"].comment.text  # a column finding: its header


def test_one_comment_lists_every_finding_on_a_cell(annotated):
    _, _, _, wb = annotated
    text = wb[DATA]["A7"].comment.text
    assert "holds an email address" in text
    assert "not in the form 'respondent_id' needs" in text


def test_fills_are_exactly_on_the_cells_with_findings(annotated):
    _, _, report, wb = annotated
    ws = wb[DATA]
    filled = {
        c.coordinate: c.fill.fgColor.rgb[-6:]
        for row in ws.iter_rows()
        for c in row
        if c.fill.fill_type == "solid"
    }
    expected = {
        ref: ERROR_FILL if "error" in severities else WARNING_FILL
        for ref, severities in expected_cells(report).items()
    }
    assert filled == expected
    assert filled["E6"] == WARNING_FILL and filled["E5"] == ERROR_FILL


def test_problems_sheet_matches_the_report_one_to_one_with_links(annotated):
    _, _, report, wb = annotated
    assert wb.sheetnames == ["Notes", DATA, "Problems", "Old data"]
    ws = wb["Problems"]
    assert [c.value for c in ws[1]] == PROBLEMS_HEADER
    rows = list(ws.iter_rows(min_row=2, max_row=len(report.findings) + 1))
    assert ws.max_row == len(report.findings) + 1
    for row, f in zip(rows, report.findings, strict=True):
        values = [c.value for c in row]
        assert values[:9] == [
            f.severity, f.code, f.row, f.column, f.field, f.value, f.message, f.hint or None,
            f.count,
        ]  # fmt: skip
        link = row[10].hyperlink
        cells = sorted(
            (ref for ref in expected_cells(report) if f in _findings_at(report, ref)),
            key=lambda ref: (int("".join(ch for ch in ref if ch.isdigit())), ref),
        )
        if not cells:
            assert link is None  # the whole file: nothing to point at
            continue
        sheet, _, ref = link.location.partition("!")
        assert sheet == f"'{DATA}'"
        assert wb[sheet.strip("'")][ref].comment is not None  # it lands on a marked cell
        assert ref == cells[0]
    assert any(r[10].hyperlink is None and r[1].value == "hidden-sheet-ignored" for r in rows)


def _findings_at(report, ref):
    found = []
    for f in report.findings:
        if (
            (f.column and f.rows and ref in {f"{f.column}{r}" for r in f.rows})
            or (f.column and not f.rows and ref == f"{f.column}1")
            or (not f.column and ref in {f"A{r}" for r in f.rows})
        ):
            found.append(f)
    return found


def test_personal_data_is_masked_on_the_problems_sheet_and_in_comments(annotated):
    _, _, report, wb = annotated
    email = next(f for f in report.findings if f.code == "personal-email")
    assert email.value == "j***@e***.org"
    problems = all_cells(wb["Problems"]).values()
    assert "j***@e***.org" in problems
    assert not any(EMAIL in str(v) for v in problems)
    comments = [c.comment.text for row in wb[DATA].iter_rows() for c in row if c.comment]
    assert not any(EMAIL in text for text in comments)


def test_a_value_like_a_formula_is_written_as_text(annotated):
    _, _, _, wb = annotated
    cells = [c for row in wb["Problems"].iter_rows() for c in row if c.value == INJECTION]
    assert cells and all(c.data_type == "s" for c in cells)


def test_nothing_else_in_the_workbook_changes(annotated):
    source, _, _, wb = annotated
    original = load_workbook(source)
    for ws in original.worksheets:
        copy_of = wb[ws.title]
        assert all_cells(copy_of) == all_cells(ws), ws.title
        assert copy_of.sheet_state == ws.sheet_state
        for row in ws.iter_rows():
            for cell in row:
                assert copy_of[cell.coordinate].number_format == cell.number_format
                assert copy(copy_of[cell.coordinate].font) == copy(cell.font)
    assert wb[DATA].column_dimensions["A"].width == 18
    assert wb["Notes"]["B2"].value == "=1+1"  # the formula, not its result
    assert wb.active.title == original.active.title


def test_existing_comments_survive(annotated):
    _, _, _, wb = annotated
    data = wb[DATA]
    assert data["C2"].comment.text == "Period confirmed"
    assert data["A7"].comment.text.startswith("Check this one with Jo\n\n")
    assert data["A7"].comment.author == "Officer"
    assert wb["Notes"]["A3"].comment.text == "Ask Sam before sending"


def test_a_mistake_repeated_on_over_100_rows_is_marked_on_every_row(annotated):
    source, _, report, wb = annotated
    mode = next(f for f in report.findings if f.code == "not-in-codelist" and f.field == "mode")
    assert mode.count == len(REPEATED) and not mode.truncated
    assert mode.rows == list(REPEATED)
    column = mode.column
    assert all(wb[DATA][f"{column}{n}"].comment for n in REPEATED)
    # the usual report keeps only the first 100 rows; annotate asks for all of them
    usual = next(f for f in validate(source).findings if f.field == "mode")
    assert usual.truncated and len(usual.rows) == 100


@pytest.fixture(scope="module")
def second_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("annotate-extra")
    source = build_workbook(folder / "return.xlsx", extra_column=True)
    output = folder / "annotated.xlsx"
    return source, annotate(source, output), load_workbook(output)


def test_an_unknown_column_is_marked_on_its_header_cell(second_run):
    _, report, wb = second_run
    unknown = next(f for f in report.findings if f.code == "unknown-column")
    assert unknown.field == "officer_notes"
    header = wb[DATA][f"{unknown.column}1"]
    assert header.value == "officer_notes"
    assert "'officer_notes' is not part of the resident-survey return" in header.comment.text
    commented = {c.coordinate for row in wb[DATA].iter_rows() for c in row if c.comment}
    assert commented == set(expected_cells(report)) | {"A7", "C2"}


def test_an_existing_problems_sheet_is_left_alone(second_run):
    _, report, wb = second_run
    assert wb["Problems"]["A1"].value == "our own list"
    assert wb["Problems"].max_row == 1
    added = wb["Problems (2)"]
    assert added.max_row == len(report.findings) + 1
    assert wb.sheetnames.index("Problems (2)") == wb.sheetnames.index(DATA) + 1


def test_a_valid_workbook_comes_back_unmarked_with_an_empty_problems_sheet(tmp_path):
    with EXAMPLE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))  # the whole example: a slice would have low bases
    wb = Workbook()
    for values in rows:
        wb.active.append([value or None for value in values])
    wb.save(tmp_path / "valid.xlsx")
    report = annotate(tmp_path / "valid.xlsx", tmp_path / "out.xlsx")
    assert report.valid and not report.findings
    out = load_workbook(tmp_path / "out.xlsx")
    marked = [c for row in out.worksheets[0].iter_rows() for c in row if c.comment or c.has_style]
    assert marked == []
    assert out["Problems"]["A2"].value == "No problems found."


def test_rows_are_listed_as_ranges_on_the_problems_sheet(annotated):
    _, _, report, wb = annotated
    index = next(i for i, f in enumerate(report.findings) if f.field == "mode")
    assert wb["Problems"].cell(index + 2, 10).value == f"{REPEATED[0]}-{REPEATED[-1]}"


def test_a_csv_is_refused_with_a_clear_message(tmp_path):
    with pytest.raises(InputError) as caught:
        annotate(EXAMPLE, tmp_path / "out.xlsx")
    assert "--annotate works on Excel workbooks; for a CSV, use --format html" in str(caught.value)
    assert not (tmp_path / "out.xlsx").exists()


def test_a_hostile_workbook_is_refused_before_it_is_loaded(annotated, tmp_path):
    _, _, report, _ = annotated
    bomb = hostile.billion_laughs(tmp_path)
    for given in (None, report):  # validated here, or with a report made elsewhere
        with pytest.raises(InputError) as caught:
            annotate(bomb, tmp_path / "out.xlsx", given)
        assert caught.value.code == "unsafe-workbook"
    assert not (tmp_path / "out.xlsx").exists()


def test_the_original_is_never_overwritten(annotated):
    source, _, _, _ = annotated
    with pytest.raises(InputError, match="would overwrite the original"):
        annotate(source, source)


def test_a_report_given_must_list_every_row(annotated, tmp_path):
    source, _, _, _ = annotated
    with pytest.raises(ValueError, match="all_rows=True"):
        annotate(source, tmp_path / "out.xlsx", validate(source))


def test_the_public_api_takes_a_report_made_with_every_row(tmp_path):
    source = build_workbook(tmp_path / "return.xlsx")
    report = validator.validate(source, borough="E09000030", all_rows=True)
    returned = validator.annotate(source, tmp_path / "out.xlsx", report)
    assert returned is report
    assert "borough-mismatch" not in report.codes  # 'Tower Hamlets' is not a code at all
    wb = load_workbook(tmp_path / "out.xlsx")
    commented = {c.coordinate for row in wb[DATA].iter_rows() for c in row if c.comment}
    assert commented == set(expected_cells(report)) | {"C2"}


def test_cli_annotate_writes_the_workbook_and_exits_as_validate(annotated, tmp_path, capsys):
    source, _, _, _ = annotated
    out = tmp_path / "marked.xlsx"
    assert main(["validate", str(source), "--annotate", str(out)]) == 1
    captured = capsys.readouterr()
    assert f"Wrote the annotated workbook to {out}." in captured.out
    assert "Problems" in load_workbook(out).sheetnames


def test_cli_annotate_with_json_keeps_stdout_for_the_report(tmp_path, capsys):
    source = build_workbook(tmp_path / "return.xlsx")
    out = tmp_path / "marked.xlsx"
    assert main(["validate", str(source), "--format", "json", "--annotate", str(out)]) == 1
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["sheet"] == DATA and out.exists()
    assert f"Wrote the annotated workbook to {out}." in captured.err


def test_cli_annotate_refuses_a_csv_and_more_than_one_file(tmp_path, capsys):
    out = tmp_path / "marked.xlsx"
    assert main(["validate", str(EXAMPLE), "--annotate", str(out)]) == 2
    assert "--annotate works on Excel workbooks" in capsys.readouterr().out
    assert main(["validate", str(EXAMPLE), str(EXAMPLE), "--annotate", str(out)]) == 2
    assert "one workbook at a time" in capsys.readouterr().err
    assert not out.exists()
