"""The standard's own rules, structure, privacy and disclosure, each on a tiny return."""

from __future__ import annotations

import pytest

from validator import validate
from validator.standard import load_standard
from validator.synthetic import generate_service

BOROUGH, PERIOD = "E09000030", "2025-26"  # the small returns' (conftest.py)


def only(report, code: str):
    found = [f for f in report.findings if f.code == code]
    assert len(found) == 1, report.findings
    return found[0]


def errors(report) -> set[str]:
    return {f.code for f in report.findings if f.severity == "error"}


def test_clean_returns_are_valid(check, service, survey):
    assert check(survey(), borough=BOROUGH, period=PERIOD).valid
    assert check(service(), borough=BOROUGH, period=PERIOD).valid


def test_routed_question_answered_when_not_asked(check, survey):
    frame = survey()
    row = frame.index[frame["main_language"] == "english"][0]
    frame.loc[row, "english_proficiency"] = "well"
    finding = only(check(frame), "routed-answer")
    assert finding.field == "english_proficiency" and finding.rows == [row + 2]
    assert "main_language" in finding.message


def test_borough_must_be_the_submitting_borough(check, survey):
    frame = survey()
    frame.loc[[3, 7], "borough"] = "E09000001"
    finding = only(check(frame, borough=BOROUGH), "borough-mismatch")
    assert finding.rows == [5, 9] and finding.value == "E09000001"
    assert only(check(frame), "mixed-boroughs").row is None


def test_period_rules(check, survey):
    frame = survey()
    frame.loc[2, "period"] = "2025-27"
    assert only(check(frame), "period-invalid").rows == [4]
    frame.loc[2, "period"] = "2024-25"
    frame.loc[2, "interview_date"] = "2024-07-01"
    assert only(check(frame, period=PERIOD), "period-mismatch").rows == [4]
    assert "mixed-periods" in errors(check(frame))


def test_interview_date_outside_the_period(check, survey):
    frame = survey(
        changes={(0, "interview_date"): "2026-04-01", (1, "interview_date"): "2025-03-31"}
    )
    finding = only(check(frame), "date-outside-period")
    assert finding.rows == [2, 3]
    assert "1 April 2025" in finding.hint and "31 March 2026" in finding.hint


def test_dates_must_be_iso(check, survey):
    frame = survey(changes={(0, "interview_date"): "01/06/2025"})
    finding = only(check(frame), "type-error")
    assert finding.field == "interview_date" and finding.column == "D"


def test_weights(check, survey):
    frame = survey(changes={(5, "weight"): "0"})
    assert only(check(frame), "out-of-range").rows == [7]
    frame = survey()
    frame.loc[5, "weight"] = str(float(frame["weight"].astype(float).median()) * 50)
    assert only(check(frame), "weight-extreme").rows == [7]
    total = frame["weight"].astype(float).sum()
    report = check(survey(), metadata={"weight_total": total * 2})
    assert only(report, "weights-total").severity == "warning" and report.valid


def test_service_numbers(check, service):
    frame = service()
    rate = frame.index[frame["denominator"] != ""][0]
    frame.loc[rate, "numerator"] = str(int(frame.loc[rate, "denominator"]) + 1)
    assert only(check(frame), "numerator-exceeds-denominator").rows == [rate + 2]
    frame = service()
    frame.loc[rate, "denominator"] = ""
    assert only(check(frame), "denominator-missing").rows == [rate + 2]
    frame = service()
    count = frame.index[frame["denominator"] == ""][0]
    frame.loc[count, "denominator"] = "500000"
    report = check(frame)
    assert only(report, "denominator-not-expected").severity == "warning"


def test_parts_must_add_up_to_the_total(check, service):
    standard = load_standard()
    frame = service()
    summing = {b.code for b in standard.breakdowns.values() if b.parts_sum_to_total}
    part = frame.index[frame["breakdown"].isin(summing)][0]
    frame.loc[part, "numerator"] = str(int(frame.loc[part, "numerator"]) + 7)
    finding = only(check(frame), "parts-do-not-add-up")
    assert finding.field == "numerator" and frame.loc[part, "measure"] in finding.message


def test_measure_and_breakdown_must_suit_service_data(check, service):
    standard = load_standard()
    survey_measure = next(m.id for m in standard.measures.values() if m.source_type == "survey")
    frame = service()
    frame.loc[0, "measure"] = survey_measure
    assert only(check(frame), "measure-not-service").value == survey_measure
    frame = service()
    measure = standard.measures[frame.loc[0, "measure"]]
    other = next(b for b in standard.breakdowns.values() if b.code not in measure.breakdowns)
    frame.loc[0, ["breakdown", "breakdown_value"]] = [other.code, next(iter(other.values))]
    assert only(check(frame), "breakdown-not-allowed").rows == [2]


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
def test_personal_data_is_an_error_and_never_echoed(column, value, code, shown, check, survey):
    report = check(survey(changes={(3, column): value}))
    finding = only(report, code)
    assert finding.rows == [5] and finding.value == shown and not report.valid
    assert value not in str(report.to_dict())


def test_names_in_free_text(check, service):
    frame = service()
    frame.loc[1, "notes"] = "Figures checked by Mrs Patel on Tuesday"
    finding = only(check(frame), "personal-name")
    assert finding.field == "notes" and "Patel" not in str(finding.to_dict())


def test_disclosure_warnings(check, survey):
    report = check(survey(rows=20))
    low = [f for f in report.findings if f.code == "low-base"]
    assert low and all(f.severity == "warning" for f in low) and report.valid
    frame = generate_service(BOROUGH, PERIOD, seed=5, small_counts=True)
    small = [f for f in check(frame).findings if f.code == "small-count"]
    assert all(f.severity == "warning" for f in small)


def test_small_count_on_a_service_row(check, service):
    standard = load_standard()
    frame = service()
    row = frame.index[frame["denominator"] == ""][0]  # a count measure
    threshold = standard.measures[frame.loc[row, "measure"]].small_count_threshold
    frame.loc[row, "numerator"] = str(threshold - 1)
    findings = [f for f in check(frame).findings if f.code == "small-count"]
    assert [f.rows for f in findings if row + 2 in f.rows]


def test_headings_are_matched_forgivingly_and_said_so(check, survey):
    frame = survey()
    frame = frame.rename(
        columns={"respondent_id": "Respondent ID", "interview_date": "Interview-Date"}
    )
    report = check(frame)
    loose = [f for f in report.findings if f.code == "header-matched-loosely"]
    assert {f.field for f in loose} == {"respondent_id", "interview_date"}
    assert report.valid


def test_structure_errors_come_alone(check, survey):
    frame = survey().drop(columns=["mode"])
    frame["email"] = "x@example.org"
    frame.loc[0, "weight"] = "heavy"
    report = check(frame, type="resident-survey")
    assert errors(report) == {"missing-column", "unknown-column"}
    assert only(report, "missing-column").field == "mode"


def test_duplicate_columns(tmp_path, survey):
    frame = survey()
    path = tmp_path / "dup.csv"
    frame.to_csv(path, index=False)
    text = path.read_text().split("\n")
    text = [line + "," + line.split(",")[5] if line else line for line in text]
    path.write_text("\n".join(text))
    assert errors(validate(path)) == {"duplicate-column"}


def test_type_is_inferred_or_taken(check, service):
    report = check(service())
    assert report.type == "service-data" and report.type_inferred
    report = check(service(), type="service-data")
    assert not report.type_inferred
