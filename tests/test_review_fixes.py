"""The reviewer's reproductions: each one crashed, repeated a finding or said nothing before."""

from __future__ import annotations

import io

import pytest

from validator import validate
from validator.catalogue import InputError

BOROUGH, PERIOD = "E09000030", "2025-26"  # the small returns' (conftest.py)

SERVICE_HEADER = (
    "borough,period,measure,breakdown,breakdown_value,numerator,denominator,status,notes"
)


# 2. no traceback ---------------------------------------------------------------------------


def test_header_only_csv_without_final_newline_has_no_data_rows(tmp_path, finding_codes):
    path = tmp_path / "header.csv"
    path.write_bytes(SERVICE_HEADER.encode())
    assert finding_codes(validate(path)) == ["no-data-rows"]
    assert finding_codes(validate(io.BytesIO(SERVICE_HEADER.encode()))) == ["no-data-rows"]


def test_metadata_of_the_wrong_type_is_an_invalid_option(check, survey):
    with pytest.raises(InputError) as caught:
        check(survey(), metadata={"weight_total": "250000"})
    assert caught.value.code == "invalid-option"
    assert "weight_total" in caught.value.message


def test_a_text_mode_file_asks_for_binary_mode(tmp_path, survey):
    path = tmp_path / "return.csv"
    survey().to_csv(path, index=False)
    with path.open() as fh, pytest.raises(InputError) as caught:
        validate(fh)
    assert "'rb'" in caught.value.message + (caught.value.hint or "")


# 3. one mistake, one finding ---------------------------------------------------------------


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


# 4. metadata ------------------------------------------------------------------------------


def test_metadata_borough_is_checked_against_the_return(check, finding_codes, survey):
    report = check(survey(), metadata={"borough": "E09000001"})
    assert "borough-mismatch" in finding_codes(report) and not report.valid


def test_metadata_period_and_type_are_the_defaults(check, finding_codes, survey):
    report = check(survey(), metadata={"period": "2024-25"})
    assert "period-mismatch" in finding_codes(report)
    report = check(survey(), metadata={"submission_type": "service-data"})
    assert report.type == "service-data" and not report.valid


def test_an_option_that_contradicts_the_metadata_is_refused(check, survey):
    with pytest.raises(InputError) as caught:
        check(survey(), borough=BOROUGH, metadata={"borough": "E09000001"})
    assert caught.value.code == "invalid-option"
    assert BOROUGH in caught.value.message and "E09000001" in caught.value.message


def test_metadata_that_agrees_is_valid(check, survey):
    meta = {"borough": BOROUGH, "period": PERIOD, "submission_type": "resident-survey",
            "standard_version": "1.0.0"}  # fmt: skip
    assert check(survey(), borough=BOROUGH, metadata=meta).valid


# 7. messages -------------------------------------------------------------------------------


def test_numerator_over_denominator_shows_both_figures(check, service):
    frame = service()
    row = frame.index[frame["denominator"].astype(str) != ""][0]
    frame.loc[row, "numerator"] = int(frame.loc[row, "denominator"]) + 5
    report = check(frame)
    found = next(f for f in report.findings if f.code == "numerator-exceeds-denominator")
    assert f"{int(frame.loc[row, 'numerator']):,}" in found.message


def test_required_value_hint_uses_an_before_a_vowel(check, survey):
    frame = survey().astype(str)
    frame.loc[3, "interview_date"] = ""
    found = next(f for f in check(frame).findings if f.code == "required-missing")
    assert "needs an interview date" in found.hint


def test_a_date_and_time_is_named_as_such(check, survey):
    frame = survey().astype(str)
    frame.loc[3, "interview_date"] = "2025-08-15 10:30:00"
    found = next(f for f in check(frame).findings if f.code == "type-error")
    assert "date and a time" in found.message


def test_fix_calls_a_borough_name_a_borough_name(tmp_path, service):
    from validator.excel.fix import fix_file

    frame = service()
    frame.loc[0, "borough"] = "LB Tower Hamlets"
    source, output = tmp_path / "in.csv", tmp_path / "out.csv"
    frame.to_csv(source, index=False)
    result = fix_file(source, output)
    reasons = [c.reason for c in result.changes if c.before == "LB Tower Hamlets"]
    assert reasons and "another case" not in reasons[0]


# 9. template format ------------------------------------------------------------------------


def test_template_named_csv_is_a_csv(tmp_path):
    from validator.cli import main

    output = tmp_path / "t.csv"
    assert main(["template", "service-data", "--output", str(output)]) == 0
    assert output.read_bytes().startswith(b"borough,")
