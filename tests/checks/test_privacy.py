"""Personal data in a return: found wherever it is typed, never shown in full, and ordinary
notes, titles and periods are not mistaken for it."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from validator import validate
from validator.catalogue import CATALOGUE
from validator.standard import load_standard
from validator.synthetic import generate_service, generate_survey

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "valid"
SURVEY = EXAMPLES / "resident-survey_E09000030_2025-26.csv"
SERVICE = EXAMPLES / "service-data_E09000030_2025-26.csv"
PRIVACY = {code for code, kind in CATALOGUE.items() if kind.layer == "privacy"}


def edited(example: Path, tmp_path: Path, changes: dict[tuple[int, str], str], rows: int = 0):
    """The example (or its first ``rows`` data rows) with cells changed: {(row, column): text}."""
    with example.open(encoding="utf-8", newline="") as fh:
        table = list(csv.DictReader(fh))[: rows or None]
    for (row, column), text in changes.items():
        table[row][column] = text
    path = tmp_path / example.name
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    return validate(path)


def privacy_findings(report) -> dict[tuple[str, str | None], object]:
    return {(f.code, f.field): f for f in report.findings if f.code in PRIVACY}


def shown(report) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False)


@pytest.mark.parametrize(
    ("column", "text", "code", "masked"),
    [
        ("interview_date", "jane.doe@example.com", "personal-email", "j***@e***.com"),
        ("weight", "07700 900123", "personal-phone", "********123"),
        ("weight", "(020) 7946 0000", "personal-phone", "********000"),
        ("interview_date", "born 1985-03-12", "personal-date-of-birth", "born 1985-**-**"),
    ],
)
def test_personal_data_in_a_date_or_number_column(tmp_path, column, text, code, masked):
    report = edited(SURVEY, tmp_path, {(1, column): text})
    found = privacy_findings(report)
    assert set(found) == {(code, column)}
    assert found[code, column].rows == [3] and found[code, column].value == masked
    type_error = next(f for f in report.findings if f.code == "type-error")
    assert type_error.field == column and type_error.value == masked
    assert text not in shown(report) and not report.valid


@pytest.mark.parametrize(
    ("text", "code", "masked", "hidden"),
    [
        ("Mr John Smith", "personal-name", "Mr J***", "John"),
        ("jane.doe@example.com", "personal-email", "j***@e***.com", "jane.doe"),
        ("SW1A 1AA", "personal-postcode", "SW1A ***", "1AA"),
        ("DOB 12/04/1980", "personal-date-of-birth", "DOB **/**/1980", "12/04"),
    ],
)
def test_personal_data_in_a_coded_column(tmp_path, text, code, masked, hidden):
    report = edited(SURVEY, tmp_path, {(2, "tenure"): text})
    assert set(privacy_findings(report)) == {(code, "tenure")}
    assert privacy_findings(report)[code, "tenure"].value == masked
    wrong_code = next(f for f in report.findings if f.code == "not-in-codelist")
    assert wrong_code.value == masked and hidden not in shown(report)


@pytest.mark.parametrize(
    ("note", "code", "hidden"),
    [
        ("Queries to (020) 7946 0000", "personal-phone", "7946 0000"),
        ("Call (01632) 960 001 before 5pm", "personal-phone", "960 001"),
        ("Contact 0044 20 7946 0000", "personal-phone", "7946 0000"),
        ("Contact +44 (0)20 7946 0000", "personal-phone", "7946 0000"),
        ("Client date of birth: 12 March 1985", "personal-date-of-birth", "12 March"),
        ("Resident born on March 12, 1985", "personal-date-of-birth", "March 12"),
        ("Resident d.o.b. 12.03.1985", "personal-date-of-birth", "12.03"),
        ("Lives at E2 3RD", "personal-postcode", "3RD"),
        ("Checked by Mrs Patel on Tuesday", "personal-name", "Patel"),
        ("Ask Dr Foster Smith", "personal-name", "Smith"),
        ("NI number AB 12 34 56 C", "personal-ni-number", "12 34 56"),
    ],
)
def test_personal_data_in_notes(tmp_path, note, code, hidden):
    report = edited(SERVICE, tmp_path, {(0, "notes"): note})
    assert set(privacy_findings(report)) == {(code, "notes")}
    assert hidden not in shown(report)


def test_a_cell_with_two_kinds_of_personal_data_hides_both(tmp_path):
    note = "Mr John Smith, john@example.org, 07700 900123"
    report = edited(SERVICE, tmp_path, {(0, "notes"): note})
    assert {code for code, _ in privacy_findings(report)} == {
        "personal-name",
        "personal-email",
        "personal-phone",
    }
    text = shown(report)
    assert "John" not in text and "john@" not in text and "900123" not in text


@pytest.mark.parametrize(
    "note",
    [
        "Covers KS4 5th term only; Year 10 2nd cohort to follow",
        "Q4 1st week missing",
        "E2 3rd quarter figures revised",
        "Dr Foster data",
        "Ms Excel export",
        "Figures as at 01/04/2025",
        "Provisional; final figures due 2026-06-30",
        "Revised 12 March 2026 after audit",
        "Target met in 2025-26",
    ],
)
def test_ordinary_notes_are_not_personal_data(tmp_path, note):
    report = edited(SERVICE, tmp_path, {(0, "notes"): note})
    assert not privacy_findings(report) and report.valid, report.findings


def test_a_period_written_as_a_date_is_shown_as_typed(tmp_path):
    report = edited(SURVEY, tmp_path, {(row, "period"): "01/04/2025" for row in range(6)}, rows=6)
    assert not privacy_findings(report)
    mismatch = next(f for f in report.findings if f.code == "pattern-mismatch")
    assert mismatch.value == "01/04/2025" and mismatch.count == 6


def test_dates_in_coded_columns_and_date_columns_are_not_dates_of_birth(tmp_path):
    report = edited(
        SURVEY, tmp_path, {(0, "sex"): "12/04/1980", (1, "interview_date"): "14/06/2025"}
    )
    assert not privacy_findings(report)
    assert {"not-in-codelist", "type-error"} <= report.codes


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.csv")), ids=lambda p: p.name)
def test_valid_examples_hold_no_personal_data(example):
    assert not privacy_findings(validate(example))


ORDINARY_NOTES = [
    "",
    "Covers KS4 5th term only",
    "Q4 1st week estimated",
    "Source: Dr Foster data",
    "Ms Excel export, checked",
    "Year 10 2nd cohort",
    "Figures as at 31/03/2026",
    "Revised 2026-05-01",
    "Provisional",
]


def test_generated_returns_hold_no_personal_data(tmp_path):
    survey = generate_survey("E09000030", "2025-26", 2000, seed=11)
    survey.to_csv(tmp_path / "survey.csv", index=False)
    assert not privacy_findings(validate(tmp_path / "survey.csv"))

    boroughs = sorted(load_standard().boroughs.codes)
    service = pd.concat(
        [generate_service(b, p, seed=11) for b in boroughs for p in ("2024-25", "2025-26")],
        ignore_index=True,
    )
    assert len(service) >= 2000
    service["notes"] = [ORDINARY_NOTES[i % len(ORDINARY_NOTES)] for i in range(len(service))]
    service.to_csv(tmp_path / "service.csv", index=False)
    assert not privacy_findings(validate(tmp_path / "service.csv"))


# --- on a small generated return ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "code", "shown"),
    [
        ("respondent_id", "jane.smith@example.org", "personal-email", "j***@e***.org"),
        ("respondent_id", "AB123456C", "personal-ni-number", "AB*******"),
        ("respondent_id", "07700900123", "personal-phone", "********123"),
        ("mode", "SW1A 1AA", "personal-postcode", "SW1A ***"),
        ("sex", "DOB 12/04/1980", "personal-date-of-birth", "DOB **/**/1980"),
    ],
)
def test_personal_data_is_an_error_and_never_echoed(
    column, value, code, shown, check, survey, only
):
    report = check(survey(changes={(3, column): value}))
    finding = only(report, code)
    assert finding.rows == [5] and finding.value == shown and not report.valid
    assert value not in str(report.to_dict())


def test_names_in_free_text(check, service, only):
    frame = service()
    frame.loc[1, "notes"] = "Figures checked by Mrs Patel on Tuesday"
    finding = only(check(frame), "personal-name")
    assert finding.field == "notes" and "Patel" not in str(finding.to_dict())
