"""The Excel-features review: what an officer sees in a template and from 'lsids fix'."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from validator.cli import main
from validator.excel.template import CODES_SHEET, README_SHEET, write_template
from validator.excel.uk_dates import read_uk_date
from validator.standard import load_standard

STANDARD = load_standard()
ROOT = Path(__file__).resolve().parents[1]
SERVICE = "service-data"
SURVEY = "resident-survey"


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("review")
    return {t: write_template(t, folder / f"{t}.xlsx") for t in STANDARD.submission_types}


def _service_measures() -> set[str]:
    return {m.id for m in STANDARD.measures.values() if m.source_type == "service"}


# --- 5: the measure drop-down offers only service measures ----------------------------------------


def test_the_measure_drop_down_offers_only_measures_a_service_return_may_send(templates):
    workbook = openpyxl.load_workbook(templates[SERVICE])
    sub = STANDARD.submission_types[SERVICE]
    measure = sub.role("measure")
    letter = get_column_letter(sub.field_names.index(measure) + 1)
    rule = next(
        r
        for r in workbook[SERVICE].data_validations.dataValidation
        if str(r.sqref).startswith(f"{letter}2:")
    )
    sheet_name, cells = rule.formula1.rsplit("!", 1)
    offered = [row[0].value for row in workbook[sheet_name.strip("'")][cells.replace("$", "")]]
    assert set(offered) == _service_measures()
    assert len(offered) < len(STANDARD.measures)
    listed = [
        code
        for column, code, _ in workbook[CODES_SHEET].iter_rows(min_row=2, values_only=True)
        if column == measure
    ]
    assert listed == offered


# --- 7: number columns show what was typed --------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(STANDARD.submission_types))
def test_number_columns_are_not_rounded_on_screen(templates, kind):
    sheet = openpyxl.load_workbook(templates[kind])[kind]
    numeric = [
        (i, f) for i, f in enumerate(STANDARD.submission_types[kind].fields, start=1)
        if f.type in ("integer", "number")
    ]  # fmt: skip
    assert numeric, "every type has a number column"
    for index, field in numeric:
        fmt = sheet.column_dimensions[get_column_letter(index)].number_format
        assert fmt == "General", f"{field.name} would show 12.5 as 13"


# --- 10: the Read me speaks to an officer ---------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(STANDARD.submission_types))
def test_the_read_me_does_not_talk_about_the_package_path(templates, kind):
    workbook = openpyxl.load_workbook(templates[kind])
    text = "\n".join(str(r[0] or "") for r in workbook[README_SHEET].iter_rows(values_only=True))
    assert "blank template" not in text and "The path is" not in text
    assert STANDARD.submission_types[kind].description in text


def test_the_standard_readme_says_a_return_follows_the_template_schema():
    text = (ROOT / "standard" / "README.md").read_text(encoding="utf-8")
    assert "a borough's return follows the same schema" in text


# --- 12: dates with a time of day -----------------------------------------------------------------


@pytest.mark.parametrize("text", ["2025-04-01T14:30:00", "2025-04-01 14:30", "01/04/2025 14:30"])
def test_a_date_with_a_time_of_day_says_so(text):
    reading = read_uk_date(text)
    assert reading is not None and reading.iso is None
    assert "time of day (14:30)" in reading.reason
    assert "only the date" in reading.reason and "2025-04-01" in reading.reason
    assert "not a date the fixer can read" not in reading.reason


@pytest.mark.parametrize(
    "text", ["2025-04-01T00:00:00", "2025-04-01 00:00", "2025-04-01T00:00", "01/04/2025 00:00:00"]
)
def test_a_midnight_time_is_dropped_and_the_reason_says_why(text):
    reading = read_uk_date(text)
    assert reading is not None and reading.iso == "2025-04-01"
    assert "00:00 dropped" in reading.reason and "only the date" in reading.reason


def test_a_time_on_a_date_that_does_not_exist_is_not_read():
    reading = read_uk_date("2025-02-30 00:00")
    assert reading is not None and reading.iso is None and "not a real date" in reading.reason


# --- 8: lsids fix writes what it left alone and groups repeated lines ----------------------------


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
