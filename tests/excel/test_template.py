"""Excel templates and blank CSVs generated from the standard: what an officer opens and fills."""

from __future__ import annotations

import dataclasses
import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter, range_boundaries

from validator.engine import validate
from validator.excel.field_codes import field_codes
from validator.excel.template import CODES_SHEET, README_SHEET, write_blank_csv, write_template
from validator.readers.stamp import template_version
from validator.standard import available_versions, load_standard
from validator.synthetic import generate_survey

STANDARD = load_standard()
SURVEY = "resident-survey"
SERVICE = "service-data"
TYPES = sorted(STANDARD.submission_types)


def _validations(sheet) -> dict[str, object]:
    """Data-validation rule per column letter of the data sheet."""
    rules = {}
    for rule in sheet.data_validations.dataValidation:
        for cells in rule.sqref.ranges:
            min_col, min_row, _, _ = range_boundaries(cells.coord)
            assert min_row == 2, "rules start below the header"
            rules[openpyxl.utils.get_column_letter(min_col)] = rule
    return rules


def _list_values(workbook, formula: str) -> list[str]:
    sheet_name, cells = formula.rsplit("!", 1)
    sheet = workbook[sheet_name.strip("'")]
    return [row[0].value for row in sheet[cells.replace("$", "")]]


@pytest.mark.parametrize("kind", TYPES)
def test_read_me_comes_first_and_the_data_sheet_header_is_the_field_names(templates, kind):
    workbook = openpyxl.load_workbook(templates[kind])
    assert workbook.sheetnames == [README_SHEET, kind, CODES_SHEET]
    sheet = workbook[kind]
    assert [c.value for c in sheet[1]] == STANDARD.submission_types[kind].field_names
    assert sheet.freeze_panes == "A2"
    readme = "\n".join(str(r[0] or "") for r in workbook[README_SHEET].iter_rows(values_only=True))
    assert STANDARD.version in readme and "not its label" not in readme
    assert "Codes, not labels" in readme
    for field in STANDARD.submission_types[kind].fields:
        assert f"{field.name} — {field.title}" in readme


@pytest.mark.parametrize("kind", TYPES)
def test_every_coded_column_has_a_drop_down_of_exactly_its_codes(templates, kind):
    workbook = openpyxl.load_workbook(templates[kind])
    sheet = workbook[kind]
    rules = _validations(sheet)
    codes = field_codes(STANDARD, kind)
    assert codes, "each type has coded columns"
    for index, field in enumerate(STANDARD.submission_types[kind].fields, start=1):
        rule = rules[openpyxl.utils.get_column_letter(index)]
        assert rule.promptTitle and rule.prompt, f"{field.name} has an input message"
        assert rule.showInputMessage
        if field.name in codes:
            assert rule.type == "list", field.name
            assert _list_values(workbook, rule.formula1) == list(codes[field.name].codes)
        else:
            assert rule.type is None, f"{field.name} is free to type"


def test_drop_downs_follow_the_code_lists_for_single_and_composite_keys(templates):
    survey, service = (field_codes(STANDARD, t) for t in ("resident-survey", "service-data"))
    sub = STANDARD.submission_types["resident-survey"]
    age = sub.field("age_band").codelist
    assert list(survey["age_band"].codes) == list(STANDARD.codelists[age].codes)
    values = {v for b in STANDARD.breakdowns.values() for v in b.values}
    assert set(service["breakdown_value"].codes) == values
    assert set(service["breakdown"].codes) == set(STANDARD.breakdowns)


def test_code_lists_sheet_shows_each_code_beside_its_label(templates):
    workbook = openpyxl.load_workbook(templates["resident-survey"])
    rows = list(workbook[CODES_SHEET].iter_rows(values_only=True))
    assert rows[0] == ("column", "code", "label")
    agreement = STANDARD.codelists[
        STANDARD.submission_types["resident-survey"].field("london_good_place").codelist
    ]
    shown = {(code, label) for column, code, label in rows[1:] if column == "london_good_place"}
    assert shown == {(c.code, c.label) for c in agreement.codes.values()}
    assert workbook[CODES_SHEET].protection.sheet


@pytest.mark.parametrize("kind", TYPES)
def test_columns_are_formatted_so_excel_keeps_codes_dates_and_numbers(templates, kind):
    sheet = openpyxl.load_workbook(templates[kind])[kind]
    codes = field_codes(STANDARD, kind)
    for index, field in enumerate(STANDARD.submission_types[kind].fields, start=1):
        fmt = sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].number_format
        if field.type == "date":
            assert fmt == "yyyy-mm-dd", field.name
        elif field.type in ("integer", "number"):
            assert fmt == "General", field.name  # Excel shows what was typed: 12.5 stays 12.5
        elif field.name in codes or field.type == "string":
            assert fmt == "@", field.name
        comment = sheet.cell(1, index).comment
        assert comment is not None and field.title in comment.text


def test_prompts_fit_excels_limits(templates):
    for kind, path in templates.items():
        for rule in openpyxl.load_workbook(path)[kind].data_validations.dataValidation:
            assert len(rule.prompt) <= 255 and len(rule.promptTitle) <= 32


def test_version_stamp_is_read_back(templates):
    for kind, path in templates.items():
        assert template_version(path) == (kind, STANDARD.version)
        with path.open("rb") as fh:
            fh.seek(7)
            assert template_version(fh) == (kind, STANDARD.version)
            assert fh.tell() == 7


def test_a_filled_template_from_another_version_is_named_when_validated(tmp_path):
    older = dataclasses.replace(STANDARD, version="0.9.0")
    path = write_template("resident-survey", tmp_path / "old.xlsx", standard=older)
    assert template_version(path) == ("resident-survey", "0.9.0")
    path = _fill(path, tmp_path / "old-filled.xlsx", "resident-survey")
    with path.open("rb") as upload:
        reports = [validate(path), validate(upload)]
    for report in reports:
        (finding,) = [f for f in report.findings if f.code == "template-other-version"]
        assert finding.severity == "warning"
        assert "version 0.9.0" in finding.message and STANDARD.version in finding.message
    current = write_template("resident-survey", tmp_path / "new.xlsx")
    current = _fill(current, tmp_path / "new-filled.xlsx", "resident-survey")
    assert "template-other-version" not in validate(current).codes


def test_a_workbook_that_is_not_a_template_has_no_version(tmp_path):
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"%PDF-1.4 not a workbook")
    assert template_version(plain) is None
    assert template_version(junk) is None
    with zipfile.ZipFile(plain) as archive:
        assert "docProps/custom.xml" not in archive.namelist()


@pytest.mark.parametrize("kind", TYPES)
def test_blank_csv_equals_the_committed_template(tmp_path, kind):
    written = write_blank_csv(kind, tmp_path / f"{kind}.csv")
    committed = STANDARD.path / "templates" / f"{kind}.csv"
    assert written.read_bytes() == committed.read_bytes()


def test_unknown_type_is_refused_plainly(tmp_path):
    with pytest.raises(ValueError, match="no submission type called 'survey'"):
        write_template("survey", tmp_path / "x.xlsx")


def _fill(template: Path, out: Path, kind: str) -> Path:
    """Type a synthetic return into the template's data sheet the way Excel stores it."""
    frame = generate_survey("E09000030", "2025-26", 60, seed=11)
    workbook = openpyxl.load_workbook(template)
    sheet = workbook[kind]
    header = [c.value for c in sheet[1]]
    types = {f.name: f.type for f in STANDARD.submission_types[kind].fields}
    for r, values in enumerate(frame[header].itertuples(index=False), start=2):
        for c, (name, value) in enumerate(zip(header, values, strict=True), start=1):
            if value == "":
                continue
            if types[name] == "date":
                cell = sheet.cell(r, c, dt.date.fromisoformat(value))
                cell.number_format = "yyyy-mm-dd"
            elif types[name] == "number":
                sheet.cell(r, c, float(value))
            else:
                sheet.cell(r, c, value)
    workbook.save(out)
    return out


def test_round_trip_a_filled_template_validates_clean(templates, tmp_path):
    filled = _fill(templates["resident-survey"], tmp_path / "filled.xlsx", "resident-survey")
    report = validate(filled, sheet="resident-survey", borough="E09000030", period="2025-26")
    assert report.valid, [(f.code, f.message) for f in report.errors]
    assert "hidden-sheet-ignored" not in report.codes


def test_round_trip_without_naming_the_sheet(templates, tmp_path):
    filled = _fill(templates["resident-survey"], tmp_path / "filled.xlsx", "resident-survey")
    assert validate(filled).valid


# --- lsids template -------------------------------------------------------------------------------


def test_template_named_csv_is_a_csv(tmp_path):
    from validator.cli import main

    output = tmp_path / "t.csv"
    assert main(["template", "service-data", "--output", str(output)]) == 0
    assert output.read_bytes().startswith(b"borough,")


# --- what an officer sees in a template -----------------------------------------------------------


def _service_measures() -> set[str]:
    return {m.id for m in STANDARD.measures.values() if m.source_type == "service"}


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


@pytest.mark.parametrize("kind", sorted(STANDARD.submission_types))
def test_the_read_me_does_not_talk_about_the_package_path(templates, kind):
    workbook = openpyxl.load_workbook(templates[kind])
    text = "\n".join(str(r[0] or "") for r in workbook[README_SHEET].iter_rows(values_only=True))
    assert "blank template" not in text and "The path is" not in text
    assert STANDARD.submission_types[kind].description in text


# --- the template's stamped type and version ------------------------------------------------------


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
