"""The Excel-features review, part 2: what 'lsids fix' writes and what the report says."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from validator import validate
from validator.excel.fix import ambiguous_to_csv, changes_to_csv, fix_file, fix_table
from validator.excel.template import write_template
from validator.standard import available_versions, load_standard

STANDARD = load_standard()
SURVEY = "resident-survey"
SERVICE = "service-data"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
VALID_SURVEY = EXAMPLES / "valid" / f"{SURVEY}_E09000030_2025-26.csv"


def _frame(kind: str, rows: int = 3, **cells: list) -> pd.DataFrame:
    """A table of the field examples, with some columns overridden."""
    sub = STANDARD.submission_types[kind]
    data = {f.name: [f.example] * rows for f in sub.fields}
    data.update(cells)
    return pd.DataFrame(data)


def _field_of_type(kind: str, type: str) -> str:
    return next(f.name for f in STANDARD.submission_types[kind].fields if f.type == type)


# --- 2: numbers in a DataFrame are turned into text as the validator reads them -------------------


def test_a_whole_number_in_a_float_column_stays_a_whole_number():
    column = _field_of_type(SERVICE, "integer")
    frame = _frame(SERVICE, **{column: [12, np.nan, 7]})
    assert frame[column].dtype == float  # the NaN makes pandas store 12 as 12.0
    result = fix_table(frame, SERVICE)
    assert list(result.frame[column]) == ["12", "", "7"]
    assert [c for c in result.changes if c.column == column] == []
    report = validate(result.frame, type=SERVICE)
    assert not [f for f in report.findings if f.code == "type-error" and f.field == column]


# --- 3: a column that proves month/day is not read day first -------------------------------------


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


# --- 4: thousands separators ---------------------------------------------------------------------


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


# --- 6: a code in another case is not called a label ---------------------------------------------


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


# --- 9: files for Excel carry a byte-order mark --------------------------------------------------


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


# --- 11: the template's stamped type and version -------------------------------------------------


def test_a_template_checked_as_another_type_says_which_template_it_is(tmp_path):
    path = write_template(SURVEY, tmp_path / "survey.xlsx")
    report = validate(path, type=SERVICE)
    (finding,) = report.findings
    assert (finding.code, finding.severity) == ("template-other-type", "error")
    assert SURVEY in finding.message and SERVICE in finding.message
    assert f"--type {SURVEY}" in finding.hint


def test_a_template_from_an_unknown_version_does_not_suggest_checking_against_it(tmp_path):
    older = dataclasses.replace(STANDARD, version="0.9.0")
    assert "0.9.0" not in available_versions()
    path = write_template(SURVEY, tmp_path / "old.xlsx", standard=older)
    (finding,) = [f for f in validate(path).findings if f.code == "template-other-version"]
    assert "0.9.0" in finding.message
    assert "0.9.0" not in finding.hint
    assert f"version {STANDARD.version} template" in finding.hint


def test_a_template_whose_columns_were_replaced_with_the_right_ones_is_not_flagged(tmp_path):
    path = write_template(SURVEY, tmp_path / "survey.xlsx")
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[SURVEY]
    sheet.delete_rows(1, sheet.max_row)
    sheet.delete_cols(1, sheet.max_column)
    sub = STANDARD.submission_types[SERVICE]
    sheet.append(sub.field_names)
    sheet.append([f.example for f in sub.fields])
    workbook.save(path)
    report = validate(path, type=SERVICE)
    assert "template-other-type" not in report.codes
    assert "missing-column" not in report.codes
