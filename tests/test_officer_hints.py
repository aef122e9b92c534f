"""Answers that fit what the officer did: each wrong hint of issue 9 corrected, as an officer
would meet it through ``lsids`` or the library."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from validator import validate
from validator.catalogue import InputError
from validator.excel.template import write_template

ROOT = Path(__file__).resolve().parents[1]
SURVEY = ROOT / "examples" / "valid" / "resident-survey_E09000030_2025-26.csv"
SERVICE = ROOT / "examples" / "valid" / "service-data_E09000030_2025-26.csv"


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_a_space_after_each_comma_is_named_as_a_space_not_as_capitals(tmp_path, lsids):
    lines = lines_of(SURVEY)
    path = tmp_path / "spaced.csv"
    path.write_text("\n".join([lines[0], *(line.replace(",", ", ") for line in lines[1:])]) + "\n")
    report = validate(path)
    (borough,) = [f for f in report.findings if f.field == "borough"]
    assert borough.value == " E09000030"
    assert "capitals" not in borough.hint
    assert "written with a space before it: write E09000030" in borough.hint
    status, out, _ = lsids("validate", path)
    assert status == 1 and "in capitals" not in out


def test_a_code_really_in_capitals_is_still_named_so(tmp_path):
    lines = lines_of(SERVICE)
    lines[1] = lines[1].replace(",final,", ",FINAL,")
    path = tmp_path / "capitals.csv"
    path.write_text("\n".join(lines) + "\n")
    (finding,) = [f for f in validate(path).findings if f.field == "status"]
    assert "'FINAL' is the code final written in capitals" in finding.hint


def test_blank_lines_are_not_counted_as_rows_of_the_return(tmp_path, lsids):
    lines = lines_of(SURVEY)  # 270 respondents
    lines.insert(50, "")
    lines.insert(100, "," * 30)
    path = tmp_path / "blank-lines.csv"
    path.write_text("\n".join(lines) + "\n")
    report = validate(path)
    assert report.summary["rows"] == 270
    assert sorted(f.code for f in report.findings) == ["blank-row"]
    status, out, _ = lsids("validate", path)
    assert status == 0
    assert "in 270 rows" in out and "The row is blank and has been ignored" in out


def test_a_row_too_wide_in_a_workbook_is_counted_once(tmp_path):
    with SERVICE.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.active.cell(row=5, column=len(rows[0]) + 2, value="stray")
    book.save(tmp_path / "wide.xlsx")
    report = validate(tmp_path / "wide.xlsx")
    assert [f.code for f in report.findings] == ["ragged-row"]
    assert report.summary["rows"] == len(rows) - 1


def _readme_as_csv(tmp_path: Path, kind: str) -> Path:
    """What Excel writes when the template is saved as CSV with its first sheet showing."""
    template = write_template(kind, tmp_path / f"{kind}.xlsx")
    sheet = openpyxl.load_workbook(template)["Read me"]
    path = tmp_path / f"{kind}.csv"
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        csv.writer(handle).writerows(
            [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
        )
    return path


@pytest.mark.parametrize(
    ("kind", "title"),
    [("resident-survey", "Resident survey return"), ("service-data", "Service data return")],
)
def test_a_csv_saved_from_the_templates_read_me_sheet_is_recognised(tmp_path, kind, title):
    path = _readme_as_csv(tmp_path, kind)
    for options in ({}, {"type": kind}):
        with pytest.raises(InputError) as caught:
            validate(path, **options)
        error = caught.value
        assert f"the {title} template's 'Read me' sheet" in error.message
        assert f"click the '{kind}' sheet tab" in error.hint
        assert "LibreOffice Calc" in error.hint


def test_lsids_prints_the_hint_with_the_message_when_a_file_cannot_be_used(tmp_path, lsids):
    path = _readme_as_csv(tmp_path, "resident-survey")
    status, _, err = lsids("fix", path, "--output", tmp_path / "fixed.csv")
    assert status == 2
    assert "'Read me' sheet" in err
    assert "click the 'resident-survey' sheet tab" in err
