"""Loose ends from the review: words from the catalogue, headings lower down in CSV, hints that
name the real heading row, plain-English metadata errors, and the fixer's heading row.

Each test drives the real validator on a small return, as a borough officer would.
"""

from __future__ import annotations

import re
import shutil
import string
from pathlib import Path

import hostile_xlsx as raw
import openpyxl
import pytest

from validator import load_standard, validate
from validator.catalogue import CATALOGUE, InputError
from validator.readers import read_table
from validator.readers import table as readers_table
from validator.synthetic import generate_survey

ROOT = Path(__file__).resolve().parents[1]
VALID = ROOT / "examples" / "valid" / "resident-survey_E09000001_2025-26.csv"
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


# --- 2. reader notes are worded by the catalogue -------------------------------------------------


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


# --- 4. the borough hint comes from the boroughs code list ---------------------------------------


@pytest.fixture
def fewer_boroughs(tmp_path, monkeypatch):
    """A copy of the standard whose boroughs code list stops at Wandsworth (E09000032)."""
    import validator.standard as standard_module

    copy = tmp_path / "standard"
    shutil.copytree(ROOT / "standard", copy)
    boroughs = copy / "codelists" / "boroughs.csv"
    lines = boroughs.read_text(encoding="utf-8").splitlines()
    boroughs.write_text("\n".join(line for line in lines if "E09000033" not in line) + "\n")
    monkeypatch.setattr(standard_module, "standard_root", lambda: copy)
    load_standard.cache_clear()
    yield
    load_standard.cache_clear()


def test_the_borough_hint_names_the_codes_of_the_boroughs_code_list(fewer_boroughs):
    with pytest.raises(InputError) as caught:
        validate(VALID, borough="E09000033")
    assert caught.value.message == "'E09000033' is not a borough code."
    assert "E09000001 to E09000032" in caught.value.hint


# --- 3. hints name the real heading row ----------------------------------------------------------


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


# --- 5. metadata errors in plain English ---------------------------------------------------------


def metadata_error(metadata) -> str:
    with pytest.raises(InputError) as caught:
        validate(VALID, metadata=metadata)
    assert caught.value.code == "invalid-option"
    return caught.value.message


def test_metadata_of_the_wrong_type_says_what_it_should_be():
    message = metadata_error({"weight_total": "250000"})
    assert "'weight_total' should be a number" in message
    assert "is not of type" not in message


def test_metadata_not_in_the_list_names_the_allowed_values():
    message = metadata_error({"submission_type": "survey"})
    assert "'submission_type'" in message
    assert "resident-survey, service-data" in message


def test_metadata_in_the_wrong_form_shows_the_schemas_example():
    example = load_standard().metadata_schema["properties"]["period"]["examples"][0]
    message = metadata_error({"period": "2025/26"})
    assert f"'period' should be written like {example}" in message
    assert "does not match" not in message


def test_an_unknown_metadata_property_is_named_with_the_real_ones():
    message = metadata_error({"colour": "red"})
    properties = ", ".join(load_standard().metadata_schema["properties"])
    assert f"'colour' is not a metadata property; the properties are {properties}." in message
    assert "Additional properties" not in message


# --- 6. the fixer writes headings to the heading row the reader found ---------------------------


def test_fix_renames_a_heading_on_the_heading_row_not_a_hidden_row_below_it(
    tmp_path, valid_rows, workbook_with_title
):
    from validator.excel.fix import fix_file

    header, *body = valid_rows[:4]
    rows = [["Respondent ID", *header[1:]], *body]
    path = workbook_with_title(rows)
    book = openpyxl.load_workbook(path)
    book.active.row_dimensions[4].hidden = True  # the first row under the headings
    book.save(path)

    result = fix_file(path, tmp_path / "fixed.xlsx")

    [renamed] = [c for c in result.changes if c.before == "Respondent ID"]
    assert (renamed.row, renamed.after) == (3, "respondent_id")
    fixed = openpyxl.load_workbook(tmp_path / "fixed.xlsx").active
    assert fixed["A3"].value == "respondent_id"
    assert fixed["A4"].value == body[0][0]  # the hidden row is left as it was


# --- 1. CSV headings below a title ---------------------------------------------------------------


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


def test_fix_keeps_a_csv_title_and_renames_the_heading_on_its_own_row(tmp_path):
    from validator.excel.fix import fix_file

    text = VALID.read_text(encoding="utf-8").replace("respondent_id", "Respondent ID", 1)
    path = tmp_path / "return.csv"
    path.write_text("Resident survey 2025-26\n" + text, encoding="utf-8")

    result = fix_file(path, tmp_path / "fixed.csv")

    [renamed] = [c for c in result.changes if c.before == "Respondent ID"]
    assert renamed.row == 2
    lines = (tmp_path / "fixed.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "Resident survey 2025-26"
    assert lines[1].startswith("respondent_id,")
    assert lines[2:] == text.splitlines()[1:]
