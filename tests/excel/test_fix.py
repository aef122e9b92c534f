"""Fixing a borough's own spellings: only what is certain changes, and every change is listed."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from validator.engine import validate
from validator.excel.field_codes import FieldCodes, field_codes
from validator.excel.fix import changes_to_csv, fix_file, fix_table
from validator.excel.labels import LabelMatcher
from validator.standard import load_standard
from validator.stock import stock_validate

STANDARD = load_standard()
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "fix"
OWN_LABELS = EXAMPLES / "hackney-own-labels.csv"
AMBIGUOUS = EXAMPLES / "hackney-ambiguous.xlsx"
SURVEY = "resident-survey"


def _survey_frame(**cells: list[str]) -> pd.DataFrame:
    """A resident-survey table of text cells: the field examples, with some cells overridden."""
    sub = STANDARD.submission_types[SURVEY]
    rows = max(len(v) for v in cells.values())
    data = {f.name: [f.example] * rows for f in sub.fields}
    data.update(cells)
    return pd.DataFrame(data, dtype=object)


@pytest.fixture(scope="module")
def fixed_own_labels(tmp_path_factory):
    out = tmp_path_factory.mktemp("fix") / "fixed.csv"
    return fix_file(OWN_LABELS, out, type=SURVEY), out


def test_the_example_fixes_to_a_file_that_validates_clean(fixed_own_labels):
    result, out = fixed_own_labels
    assert result.ambiguous == []
    report = validate(out, borough="E09000012", period="2025-26")
    assert report.valid, [(f.code, f.message) for f in report.errors]
    stock = stock_validate(out, SURVEY)
    assert stock.valid, stock.flatten(["rowNumber", "fieldName", "type"])


def test_before_fixing_the_example_is_not_valid():
    assert not validate(OWN_LABELS, type=SURVEY).valid


def test_every_change_is_listed_as_the_committed_expected_changes(fixed_own_labels, tmp_path):
    result, _ = fixed_own_labels
    written = changes_to_csv(result.changes, tmp_path / "changes.csv")
    expected = EXAMPLES / "hackney-own-labels.changes.csv"
    assert written.read_text(encoding="utf-8") == expected.read_text(encoding="utf-8"), (
        "run examples/fix/make_fix_examples.py and read the diff"
    )


def test_changes_name_row_column_before_and_after_as_the_officer_wrote_them(fixed_own_labels):
    result, out = fixed_own_labels
    with OWN_LABELS.open(encoding="cp1252", newline="") as fh:
        original = list(csv.reader(fh))
    with out.open(encoding="utf-8-sig", newline="") as fh:
        fixed = list(csv.reader(fh))
    names = fixed[0]
    assert names == STANDARD.submission_types[SURVEY].field_names
    changed = set()
    for change in result.changes:
        col = names.index(change.column)
        assert original[change.row - 1][col] == change.before
        assert fixed[change.row - 1][col] == change.after
        changed.add((change.row, col))
    for r, (before_row, after_row) in enumerate(zip(original, fixed, strict=True), start=1):
        for c, (before, after) in enumerate(zip(before_row, after_row, strict=True)):
            assert (before == after) or (r, c) in changed, f"unlisted change at row {r}"


def test_borough_names_labels_and_uk_dates_become_codes(fixed_own_labels):
    result, _ = fixed_own_labels
    seen = {(c.column, c.before, c.after) for c in result.changes}
    assert ("borough", "LB Hackney", "E09000012") in seen
    assert ("borough", "London Borough of Hackney", "E09000012") in seen
    assert ("borough", " hackney ", "E09000012") in seen
    assert any(col == "interview_date" and "/" in b for col, b, _ in seen)
    assert ("respondent_id", "Respondent ID", "respondent_id") in seen
    pounds = [c for c in result.changes if c.before.startswith("£")]
    assert pounds and all(c.column == "savings" for c in pounds), "the £ sign survives Windows-1252"


def test_running_fix_twice_changes_nothing_the_second_time(fixed_own_labels, tmp_path):
    _, out = fixed_own_labels
    again = fix_file(out, tmp_path / "again.csv")
    assert again.changes == [] and again.ambiguous == []
    assert (tmp_path / "again.csv").read_bytes() == out.read_bytes()


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Strongly agree", "strongly_agree"),
        ("strongly agree ", "strongly_agree"),
        ("Strongly_Agree", "strongly_agree"),
        ("Don't know", "dont_know"),
        ("Dont know", "dont_know"),
        ("DON’T KNOW", "dont_know"),
    ],
)
def test_answer_labels_and_codes_in_another_case_become_codes(written, code):
    result = fix_table(_survey_frame(london_good_place=[written]), SURVEY)
    assert result.frame.loc[0, "london_good_place"] == code
    assert [(c.row, c.column, c.before, c.after) for c in result.changes] == [
        (2, "london_good_place", written, code)
    ]


def test_get_on_well_takes_its_own_list_labels():
    result = fix_table(_survey_frame(get_on_well=["Tend to agree", "Prefer not to say"]), SURVEY)
    assert result.frame["get_on_well"].tolist()[0] == "tend_to_agree"
    assert result.ambiguous[0].value == "Prefer not to say", "not a code in this list"


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Tower Hamlets", "E09000030"),
        ("LB Hackney", "E09000012"),
        ("London Borough of Camden", "E09000007"),
        ("Royal Borough of Kingston upon Thames", "E09000021"),
        ("City of London", "E09000001"),
        ("Hammersmith & Fulham", "E09000013"),
        ("Kensington and Chelsea", "E09000020"),
        ("City of Westminster", "E09000033"),
        ("Barnet Council", "E09000003"),
    ],
)
def test_borough_names_become_gss_codes(written, code):
    assert STANDARD.boroughs.codes[code].label  # the name is the code list's, not ours
    result = fix_table(_survey_frame(borough=[written]), SURVEY)
    assert result.frame.loc[0, "borough"] == code


@pytest.mark.parametrize("written", ["RBKC", "London", "Kingston"])
def test_abbreviations_and_partial_names_are_reported_not_guessed(written):
    result = fix_table(_survey_frame(borough=[written]), SURVEY)
    assert result.frame.loc[0, "borough"] == written
    assert [(a.row, a.column, a.value) for a in result.ambiguous] == [(2, "borough", written)]


@pytest.mark.parametrize(
    ("written", "iso", "reason"),
    [
        ("01/04/2025", "2025-04-01", "read as 1 April 2025 (day/month); could also be 4 January"),
        ("1/4/2025", "2025-04-01", "read as 1 April 2025 (day/month); could also be 4 January"),
        ("01-04-2025", "2025-04-01", "read as 1 April 2025 (day/month); could also be 4 January"),
        ("04/05/2025", "2025-05-04", "read as 4 May 2025 (day/month); could also be 5 April"),
        ("14/06/2025", "2025-06-14", "day/month/year written as YYYY-MM-DD"),
        ("1 April 2025", "2025-04-01", "date written as YYYY-MM-DD"),
        ("3rd Sept 2025", "2025-09-03", "date written as YYYY-MM-DD"),
    ],
)
def test_uk_dates_become_iso(written, iso, reason):
    result = fix_table(_survey_frame(interview_date=[written]), SURVEY)
    assert result.frame.loc[0, "interview_date"] == iso
    assert result.changes[0].reason == reason


@pytest.mark.parametrize("written", ["31/02/2025", "12/03/25", "45748", "next Tuesday"])
def test_dates_that_cannot_be_read_for_certain_are_left_alone(written):
    result = fix_table(_survey_frame(interview_date=[written]), SURVEY)
    assert result.frame.loc[0, "interview_date"] == written
    assert result.changes == [] and result.ambiguous[0].value == written


def test_numbers_are_not_touched_and_headers_are_matched_by_case_or_title():
    frame = _survey_frame(weight=["1234.50"]).rename(
        columns={"weight": "Survey weight", "interview_date": "Interview Date"}
    )
    result = fix_table(frame, SURVEY)
    assert result.frame.loc[0, "weight"] == "1234.50"
    assert [(c.row, c.before, c.after) for c in result.changes] == [
        (1, "Interview Date", "interview_date"),
        (1, "Survey weight", "weight"),
    ]


def test_a_label_that_matches_two_codes_is_not_guessed():
    codes = FieldCodes("answer", "made-up", {"yes": "Yes", "y": "Yes"})
    match = LabelMatcher(codes).match("YES ")
    assert match.code is None and set(match.candidates) == {"yes", "y"}


def test_every_label_in_the_standard_fixes_to_its_own_code():
    for kind in STANDARD.submission_types:
        for name, fc in field_codes(STANDARD, kind).items():
            matcher = LabelMatcher(fc, borough_names=fc.source == STANDARD.boroughs.name)
            for code in fc.codes:
                for label in fc.labels_of(code):
                    assert matcher.match(label).code == code, (kind, name, label)


def test_ambiguous_workbook_values_are_reported_and_the_rest_of_the_workbook_kept(tmp_path):
    out = tmp_path / "fixed.xlsx"
    result = fix_file(AMBIGUOUS, out)
    left = {(a.row, a.column, a.value) for a in result.ambiguous}
    assert left == {
        (3, "borough", "RBKC"),
        (3, "london_good_place", "Strongly agreee"),
        (4, "interview_date", "31/02/2025"),
        (5, "interview_date", "12/03/25"),
        (5, "get_on_well", "Mostly agree"),
    }
    typo = next(a for a in result.ambiguous if a.value == "Strongly agreee")
    assert "strongly_agree" in typo.candidates
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames == ["Survey 2025-26", "Notes"]
    sheet = workbook["Survey 2025-26"]
    header = [c.value for c in sheet[1]]
    for a in result.ambiguous:
        assert sheet.cell(a.row, header.index(a.column) + 1).value == a.value
    for c in result.changes:
        assert sheet.cell(c.row, header.index(c.column) + 1).value == c.after
    assert sheet["A1"].comment.text == "Exported from the borough's survey system"
    assert workbook["Notes"]["A1"].value == "Fieldwork by the borough's research team"
    report = validate(out, type=SURVEY)
    flagged = {(f.code, f.field) for f in report.findings}
    assert ("not-in-codelist", "borough") in flagged
