"""The standard's own rules, structure, privacy and disclosure, each on a tiny return."""

from __future__ import annotations

import pytest
from small_returns import BOROUGH, PERIOD, check, service, survey

from validator import validate
from validator.standard import load_standard
from validator.synthetic import generate_service


def only(report, code: str):
    found = [f for f in report.findings if f.code == code]
    assert len(found) == 1, report.findings
    return found[0]


def errors(report) -> set[str]:
    return {f.code for f in report.findings if f.severity == "error"}


def test_clean_returns_are_valid(tmp_path):
    assert check(survey(), tmp_path, borough=BOROUGH, period=PERIOD).valid
    assert check(service(), tmp_path, borough=BOROUGH, period=PERIOD).valid


def test_routed_question_answered_when_not_asked(tmp_path):
    frame = survey()
    row = frame.index[frame["main_language"] == "english"][0]
    frame.loc[row, "english_proficiency"] = "well"
    finding = only(check(frame, tmp_path), "routed-answer")
    assert finding.field == "english_proficiency" and finding.rows == [row + 2]
    assert "main_language" in finding.message


def test_borough_must_be_the_submitting_borough(tmp_path):
    frame = survey()
    frame.loc[[3, 7], "borough"] = "E09000001"
    finding = only(check(frame, tmp_path, borough=BOROUGH), "borough-mismatch")
    assert finding.rows == [5, 9] and finding.value == "E09000001"
    assert only(check(frame, tmp_path), "mixed-boroughs").row is None


def test_period_rules(tmp_path):
    frame = survey()
    frame.loc[2, "period"] = "2025-27"
    assert only(check(frame, tmp_path), "period-invalid").rows == [4]
    frame.loc[2, "period"] = "2024-25"
    frame.loc[2, "interview_date"] = "2024-07-01"
    assert only(check(frame, tmp_path, period=PERIOD), "period-mismatch").rows == [4]
    assert "mixed-periods" in errors(check(frame, tmp_path))


def test_interview_date_outside_the_period(tmp_path):
    frame = survey(
        changes={(0, "interview_date"): "2026-04-01", (1, "interview_date"): "2025-03-31"}
    )
    finding = only(check(frame, tmp_path), "date-outside-period")
    assert finding.rows == [2, 3]
    assert "1 April 2025" in finding.hint and "31 March 2026" in finding.hint


def test_dates_must_be_iso(tmp_path):
    frame = survey(changes={(0, "interview_date"): "01/06/2025"})
    finding = only(check(frame, tmp_path), "type-error")
    assert finding.field == "interview_date" and finding.column == "D"


def test_weights(tmp_path):
    frame = survey(changes={(5, "weight"): "0"})
    assert only(check(frame, tmp_path), "out-of-range").rows == [7]
    frame = survey()
    frame.loc[5, "weight"] = str(float(frame["weight"].astype(float).median()) * 50)
    assert only(check(frame, tmp_path), "weight-extreme").rows == [7]
    total = frame["weight"].astype(float).sum()
    report = check(survey(), tmp_path, metadata={"weight_total": total * 2})
    assert only(report, "weights-total").severity == "warning" and report.valid


def test_service_numbers(tmp_path):
    frame = service()
    rate = frame.index[frame["denominator"] != ""][0]
    frame.loc[rate, "numerator"] = str(int(frame.loc[rate, "denominator"]) + 1)
    assert only(check(frame, tmp_path), "numerator-exceeds-denominator").rows == [rate + 2]
    frame = service()
    frame.loc[rate, "denominator"] = ""
    assert only(check(frame, tmp_path), "denominator-missing").rows == [rate + 2]
    frame = service()
    count = frame.index[frame["denominator"] == ""][0]
    frame.loc[count, "denominator"] = "500000"
    report = check(frame, tmp_path)
    assert only(report, "denominator-not-expected").severity == "warning"


def test_parts_must_add_up_to_the_total(tmp_path):
    standard = load_standard()
    frame = service()
    summing = {b.code for b in standard.breakdowns.values() if b.parts_sum_to_total}
    part = frame.index[frame["breakdown"].isin(summing)][0]
    frame.loc[part, "numerator"] = str(int(frame.loc[part, "numerator"]) + 7)
    finding = only(check(frame, tmp_path), "parts-do-not-add-up")
    assert finding.field == "numerator" and frame.loc[part, "measure"] in finding.message


def test_measure_and_breakdown_must_suit_service_data(tmp_path):
    standard = load_standard()
    survey_measure = next(m.id for m in standard.measures.values() if m.source_type == "survey")
    frame = service()
    frame.loc[0, "measure"] = survey_measure
    assert only(check(frame, tmp_path), "measure-not-service").value == survey_measure
    frame = service()
    measure = standard.measures[frame.loc[0, "measure"]]
    other = next(b for b in standard.breakdowns.values() if b.code not in measure.breakdowns)
    frame.loc[0, ["breakdown", "breakdown_value"]] = [other.code, next(iter(other.values))]
    assert only(check(frame, tmp_path), "breakdown-not-allowed").rows == [2]


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
def test_personal_data_is_an_error_and_never_echoed(tmp_path, column, value, code, shown):
    report = check(survey(changes={(3, column): value}), tmp_path)
    finding = only(report, code)
    assert finding.rows == [5] and finding.value == shown and not report.valid
    assert value not in str(report.to_dict())


def test_names_in_free_text(tmp_path):
    frame = service()
    frame.loc[1, "notes"] = "Figures checked by Mrs Patel on Tuesday"
    finding = only(check(frame, tmp_path), "personal-name")
    assert finding.field == "notes" and "Patel" not in str(finding.to_dict())


def test_disclosure_warnings(tmp_path):
    report = check(survey(rows=20), tmp_path)
    low = [f for f in report.findings if f.code == "low-base"]
    assert low and all(f.severity == "warning" for f in low) and report.valid
    frame = generate_service(BOROUGH, PERIOD, seed=5, small_counts=True)
    small = [f for f in check(frame, tmp_path).findings if f.code == "small-count"]
    assert all(f.severity == "warning" for f in small)


def test_small_count_on_a_service_row(tmp_path):
    standard = load_standard()
    frame = service()
    row = frame.index[frame["denominator"] == ""][0]  # a count measure
    threshold = standard.measures[frame.loc[row, "measure"]].small_count_threshold
    frame.loc[row, "numerator"] = str(threshold - 1)
    findings = [f for f in check(frame, tmp_path).findings if f.code == "small-count"]
    assert [f.rows for f in findings if row + 2 in f.rows]


def test_headings_are_matched_forgivingly_and_said_so(tmp_path):
    frame = survey()
    frame = frame.rename(
        columns={"respondent_id": "Respondent ID", "interview_date": "Interview-Date"}
    )
    report = check(frame, tmp_path)
    loose = [f for f in report.findings if f.code == "header-matched-loosely"]
    assert {f.field for f in loose} == {"respondent_id", "interview_date"}
    assert report.valid


def test_structure_errors_come_alone(tmp_path):
    frame = survey().drop(columns=["mode"])
    frame["email"] = "x@example.org"
    frame.loc[0, "weight"] = "heavy"
    report = check(frame, tmp_path, type="resident-survey")
    assert errors(report) == {"missing-column", "unknown-column"}
    assert only(report, "missing-column").field == "mode"


def test_duplicate_columns(tmp_path):
    frame = survey()
    path = tmp_path / "dup.csv"
    frame.to_csv(path, index=False)
    text = path.read_text().split("\n")
    text = [line + "," + line.split(",")[5] if line else line for line in text]
    path.write_text("\n".join(text))
    assert errors(validate(path)) == {"duplicate-column"}


def test_type_is_inferred_or_taken(tmp_path):
    report = check(service(), tmp_path)
    assert report.type == "service-data" and report.type_inferred
    report = check(service(), tmp_path, type="service-data")
    assert not report.type_inferred
