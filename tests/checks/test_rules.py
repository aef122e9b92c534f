"""The standard's own rules, each on a tiny return: one mistake gives one finding, and its
message shows the figures."""

from __future__ import annotations

import numpy as np
import pytest

from validator.checks.rules import median
from validator.standard import load_standard

BOROUGH, PERIOD = "E09000030", "2025-26"  # as in conftest.py's small returns


def test_clean_returns_are_valid(check, service, survey):
    assert check(survey(), borough=BOROUGH, period=PERIOD).valid
    assert check(service(), borough=BOROUGH, period=PERIOD).valid


def test_routed_question_answered_when_not_asked(check, survey, only):
    frame = survey()
    row = frame.index[frame["main_language"] == "english"][0]
    frame.loc[row, "english_proficiency"] = "well"
    finding = only(check(frame), "routed-answer")
    assert finding.field == "english_proficiency" and finding.rows == [row + 2]
    assert "main_language" in finding.message


def test_borough_must_be_the_submitting_borough(check, survey, only):
    frame = survey()
    frame.loc[[3, 7], "borough"] = "E09000001"
    finding = only(check(frame, borough=BOROUGH), "borough-mismatch")
    assert finding.rows == [5, 9] and finding.value == "E09000001"
    mixed = only(check(frame), "mixed-boroughs")  # marked on the rows of the odd borough out
    assert mixed.rows == [5, 9] and mixed.row == 5 and mixed.count == 2


def test_period_rules(check, survey, errors, only):
    frame = survey()
    frame.loc[2, "period"] = "2025-27"
    assert only(check(frame), "period-invalid").rows == [4]
    frame.loc[2, "period"] = "2024-25"
    frame.loc[2, "interview_date"] = "2024-07-01"
    assert only(check(frame, period=PERIOD), "period-mismatch").rows == [4]
    assert "mixed-periods" in errors(check(frame))


def test_interview_date_outside_the_period(check, survey, only):
    frame = survey(
        changes={(0, "interview_date"): "2026-04-01", (1, "interview_date"): "2025-03-31"}
    )
    finding = only(check(frame), "date-outside-period")
    assert finding.rows == [2, 3]
    assert "1 April 2025" in finding.hint and "31 March 2026" in finding.hint


def test_weights(check, survey, only):
    frame = survey(changes={(5, "weight"): "0"})
    assert only(check(frame), "out-of-range").rows == [7]
    frame = survey()
    frame.loc[5, "weight"] = str(float(frame["weight"].astype(float).median()) * 50)
    assert only(check(frame), "weight-extreme").rows == [7]
    total = frame["weight"].astype(float).sum()
    report = check(survey(), metadata={"weight_total": total * 2})
    assert only(report, "weights-total").severity == "warning" and report.valid


def test_service_numbers(check, service, only):
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


def test_parts_must_add_up_to_the_total(check, service, only):
    standard = load_standard()
    frame = service()
    summing = {b.code for b in standard.breakdowns.values() if b.parts_sum_to_total}
    part = frame.index[frame["breakdown"].isin(summing)][0]
    frame.loc[part, "numerator"] = str(int(frame.loc[part, "numerator"]) + 7)
    finding = only(check(frame), "parts-do-not-add-up")
    assert finding.field == "numerator" and frame.loc[part, "measure"] in finding.message


def test_measure_and_breakdown_must_suit_service_data(check, service, only):
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


# --- one mistake, one finding ---------------------------------------------------------------------


def test_a_label_in_a_routing_gate_is_only_not_in_codelist(check, finding_codes, survey):
    frame = survey()
    row = frame.index[frame["activity_limitation"] != ""][0]
    frame.loc[row, "long_term_condition"] = "Yes"
    assert finding_codes(check(frame)) == ["not-in-codelist"]


def test_a_blank_gate_does_not_make_the_answer_routed(check, finding_codes, survey):
    frame = survey()
    row = frame.index[frame["activity_limitation"] != ""][0]
    frame.loc[row, "long_term_condition"] = ""
    assert "routed-answer" not in finding_codes(check(frame))


def test_a_wrong_period_is_not_also_dates_outside_it(check, finding_codes, survey):
    frame = survey().astype(str)
    frame["period"] = "2024-25"
    frame["interview_date"] = "2024-09-01"
    report = check(frame, period="2025-26")
    assert finding_codes(report) == ["period-mismatch"]


def test_an_invalid_part_key_is_not_also_parts_that_do_not_add_up(check, finding_codes, service):
    frame = service()
    part = frame.index[frame["breakdown"] != "total"][0]
    frame.loc[part, "borough"] = "Tower Hamlets"
    assert finding_codes(check(frame)) == ["not-in-codelist"]


def test_parts_still_add_up_against_the_total_row(check, finding_codes, service):
    frame = service()
    part = frame.index[frame["breakdown"] != "total"][0]
    frame.loc[part, "numerator"] = int(frame.loc[part, "numerator"]) + 1
    assert "parts-do-not-add-up" in finding_codes(check(frame))


# --- messages -------------------------------------------------------------------------------------


def test_numerator_over_denominator_shows_both_figures(check, service):
    frame = service()
    row = frame.index[frame["denominator"].astype(str) != ""][0]
    frame.loc[row, "numerator"] = int(frame.loc[row, "denominator"]) + 5
    report = check(frame)
    found = next(f for f in report.findings if f.code == "numerator-exceeds-denominator")
    assert f"{int(frame.loc[row, 'numerator']):,}" in found.message


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 50, 51, 1000, 1001])
def test_the_weights_median_is_numpys_to_the_last_bit(size):
    rng = np.random.default_rng(size)
    for scale in (1.0, 1e-300, 1e300):
        values = rng.random(size) * scale
        assert median(values) == float(np.median(values))
        rounded = np.round(values * 10) / 10  # ties between the middle two
        assert median(rounded) == float(np.median(rounded))
