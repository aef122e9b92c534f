"""Fixing a borough's own spellings: only what is certain changes, and every change is listed."""

from __future__ import annotations

import csv
import dataclasses
import re
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from validator.cli import main
from validator.engine import validate
from validator.excel.field_codes import FieldCodes, field_codes
from validator.excel.fix import ambiguous_to_csv, changes_to_csv, fix_file, fix_table
from validator.excel.labels import LabelMatcher
from validator.standard import load_standard
from validator.stock import stock_validate

STANDARD = load_standard()
ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "fix"
OWN_LABELS = EXAMPLES / "hackney-own-labels.csv"
AMBIGUOUS = EXAMPLES / "hackney-ambiguous.xlsx"
SURVEY = "resident-survey"
SERVICE = "service-data"
# valid examples to spoil: the City of London's and Tower Hamlets' survey returns
VALID = ROOT / "examples" / "valid" / "resident-survey_E09000001_2025-26.csv"
VALID_SURVEY = ROOT / "examples" / "valid" / f"{SURVEY}_E09000030_2025-26.csv"


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


# --- what a change is called ----------------------------------------------------------------------


def test_fix_calls_a_borough_name_a_borough_name(tmp_path, service):
    from validator.excel.fix import fix_file

    frame = service()
    frame.loc[0, "borough"] = "LB Tower Hamlets"
    source, output = tmp_path / "in.csv", tmp_path / "out.csv"
    frame.to_csv(source, index=False)
    result = fix_file(source, output)
    reasons = [c.reason for c in result.changes if c.before == "LB Tower Hamlets"]
    assert reasons and "another case" not in reasons[0]


# --- the heading row the reader found -------------------------------------------------------------


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


# --- lsids fix: what it says and what it left alone -----------------------------------------------


@pytest.fixture
def messy_return(tmp_path) -> Path:
    """A survey return whose borough is a name in 8 rows, unknown in 7, with dates and times."""
    sub = STANDARD.submission_types[SURVEY]
    borough = sub.role("borough")
    date = next(f.name for f in sub.fields if f.type == "date")
    code = sub.field(borough).example
    name = STANDARD.boroughs.codes[code].label
    rows = []
    for i in range(17):
        row = {f.name: f.example for f in sub.fields}
        row[borough] = name if i < 8 else "Not a borough" if i < 15 else code
        row[date] = "2025-04-01 00:00" if i == 15 else "2025-04-01 14:30" if i == 16 else row[date]
        rows.append(row)
    path = tmp_path / "messy.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=sub.field_names)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_fix_groups_repeated_lines_with_the_count_and_first_rows(messy_return, tmp_path, capsys):
    borough = STANDARD.submission_types[SURVEY].role("borough")
    code = main(["fix", str(messy_return), "--output", str(tmp_path / "out.csv")])
    out = capsys.readouterr().out
    assert code == 0
    lines = out.splitlines()
    named = [line for line in lines if f", {borough}: " in line]
    assert len(named) == 2, out
    assert named[0].startswith("8 rows (2, 3, 4, 5, 6 and 3 more), ")
    assert named[1].startswith("7 rows (10, 11, 12, 13, 14 and 2 more), ")
    assert "left unchanged" in named[1] and "Not a borough" in named[1]
    assert re.search(
        r"^row 17, \w+: '2025-04-01 00:00' → '2025-04-01' \(.*00:00 dropped", out, re.M
    )
    assert re.search(r"^row 18, \w+: left unchanged: .*time of day \(14:30\)", out, re.M)


def test_fix_left_writes_every_value_left_unchanged(messy_return, tmp_path, capsys):
    left = tmp_path / "left.csv"
    args = ["fix", str(messy_return), "--output", str(tmp_path / "o.csv"), "--left", str(left)]
    assert main(args) == 0
    capsys.readouterr()
    with left.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["row"] for r in rows] == [str(n) for n in range(10, 17)] + ["18"]
    assert {r["value"] for r in rows[:7]} == {"Not a borough"}
    assert "14:30" in rows[-1]["reason"]


# --- numbers and dates as a DataFrame or a spreadsheet holds them ---------------------------------


def _frame(kind: str, rows: int = 3, **cells: list) -> pd.DataFrame:
    """A table of the field examples, with some columns overridden."""
    sub = STANDARD.submission_types[kind]
    data = {f.name: [f.example] * rows for f in sub.fields}
    data.update(cells)
    return pd.DataFrame(data)


def _field_of_type(kind: str, type: str) -> str:
    return next(f.name for f in STANDARD.submission_types[kind].fields if f.type == type)


def test_a_whole_number_in_a_float_column_stays_a_whole_number():
    column = _field_of_type(SERVICE, "integer")
    frame = _frame(SERVICE, **{column: [12, np.nan, 7]})
    assert frame[column].dtype == float  # the NaN makes pandas store 12 as 12.0
    result = fix_table(frame, SERVICE)
    assert list(result.frame[column]) == ["12", "", "7"]
    assert [c for c in result.changes if c.column == column] == []
    report = validate(result.frame, type=SERVICE)
    assert not [f for f in report.findings if f.code == "type-error" and f.field == column]


def test_a_column_with_a_month_first_date_leaves_every_two_way_date_alone():
    column = _field_of_type(SURVEY, "date")
    written = ["04/13/2025", "04/05/2025", "06/07/2025"]
    result = fix_table(_frame(SURVEY, **{column: written}).astype(str), SURVEY)
    assert list(result.frame[column]) == written
    assert [c for c in result.changes if c.column == column] == []
    left = {a.value: a.reason for a in result.ambiguous if a.column == column}
    assert set(left) == set(written)
    assert "could be 4 May 2025 or 5 April 2025" in left["04/05/2025"]
    assert "04/13/2025" in left["06/07/2025"]
    assert "month/day (13 April 2025)" in left["04/13/2025"]


def test_a_uk_date_read_day_first_names_the_other_reading():
    column = _field_of_type(SURVEY, "date")
    result = fix_table(_frame(SURVEY, 1, **{column: ["04/05/2025"]}).astype(str), SURVEY)
    (change,) = [c for c in result.changes if c.column == column]
    assert change.after == "2025-05-04"
    assert change.reason == "read as 4 May 2025 (day/month); could also be 5 April"


@pytest.mark.parametrize(
    ("kind", "type", "written", "plain"),
    [
        (SURVEY, "number", "1,234.5", "1234.5"),
        (SERVICE, "integer", "1,020", "1020"),
        (SERVICE, "integer", "1,200", "1200"),
        (SERVICE, "integer", "12,345,678", "12345678"),
    ],
)
def test_thousands_separators_are_removed_and_listed(kind, type, written, plain):
    column = _field_of_type(kind, type)
    result = fix_table(_frame(kind, 1, **{column: [written]}).astype(str), kind)
    assert result.frame.loc[0, column] == plain
    (change,) = [c for c in result.changes if c.column == column]
    assert (change.before, change.after, change.reason) == (
        written,
        plain,
        "thousands separators removed",
    )


@pytest.mark.parametrize("written", ["1,23", "12,3456", "1.234,5", ",123"])
def test_commas_that_are_not_thousands_separators_are_left(written):
    column = _field_of_type(SURVEY, "number")
    result = fix_table(_frame(SURVEY, 1, **{column: [written]}).astype(str), SURVEY)
    assert result.frame.loc[0, column] == written


# --- a code in another case is not called a label -------------------------------------------------


def _hint(frame: pd.DataFrame, kind: str, value: str) -> str:
    report = validate(frame, type=kind)
    (finding,) = [f for f in report.findings if f.code == "not-in-codelist" and f.value == value]
    return finding.hint


def _yes_no_field() -> str:
    sub = STANDARD.submission_types[SURVEY]
    return next(
        fk.fields[0]
        for fk in sub.foreign_keys
        if fk.resource == "yes-no" and not sub.field(fk.fields[0]).asked_when
    )


def test_a_code_in_capitals_is_named_as_the_code_and_fix_is_suggested():
    column = _yes_no_field()
    frame = _frame(SURVEY, 1, **{column: ["YES"]}).astype(str)
    hint = _hint(frame, SURVEY, "YES")
    assert hint == (
        "'YES' is the code yes written in capitals: write yes. 'lsids fix' corrects this for you."
    )
    assert "label" not in hint
    fixed = fix_table(frame, SURVEY)
    assert fixed.frame.loc[0, column] == "yes"


def test_a_label_as_the_code_list_writes_it_is_still_called_a_label():
    column = _yes_no_field()
    label = STANDARD.codelists["yes-no"].codes["yes"].label
    frame = _frame(SURVEY, 1, **{column: [label]}).astype(str)
    assert _hint(frame, SURVEY, label) == f"'{label}' is a label; this column wants its code yes."


# --- files for Excel ------------------------------------------------------------------------------


def test_fixed_csv_and_lists_of_changes_are_written_for_excel(tmp_path):
    source = tmp_path / "return.csv"
    text = VALID_SURVEY.read_text(encoding="utf-8")
    header, first, *rest = text.splitlines()
    column = _yes_no_field()
    position = header.split(",").index(column)
    cells = first.split(",")
    cells[position] = "YES"
    source.write_text("\n".join([header, ",".join(cells), *rest]) + "\n", encoding="utf-8")
    out = tmp_path / "fixed.csv"
    result = fix_file(source, out, type=SURVEY)
    assert result.changes
    result.changes.append(dataclasses.replace(result.changes[0], reason="£ spent"))
    written = [
        out,
        changes_to_csv(result.changes, tmp_path / "changes.csv"),
        ambiguous_to_csv(result.ambiguous, tmp_path / "left.csv"),
    ]
    for path in written:
        assert path.read_bytes().startswith(b"\xef\xbb\xbf"), path.name
    assert "£ spent" in (tmp_path / "changes.csv").read_text(encoding="utf-8-sig")
    with out.open(encoding="utf-8-sig", newline="") as fh:
        assert next(csv.reader(fh)) == header.split(",")
    assert validate(out, type=SURVEY).valid


def test_fix_says_each_left_alone_value_once_in_plain_sentences(tmp_path, lsids):
    source = AMBIGUOUS
    status, out, _ = lsids("fix", source, "--output", tmp_path / "fixed.xlsx")
    assert status == 0
    left = [line for line in out.splitlines() if "unchanged" in line]
    assert left, out
    for line in left:
        assert line.count("Did you mean") <= 1, line
        assert "?." not in line and ".." not in line, line
