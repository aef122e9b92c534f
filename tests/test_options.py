"""What a return is checked with: the borough, period and type given as options, and the
submission metadata. Each agrees with the return or is refused in plain words.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from validator import load_standard, validate
from validator.catalogue import InputError

ROOT = Path(__file__).resolve().parents[1]
VALID = ROOT / "examples" / "valid" / "resident-survey_E09000001_2025-26.csv"
BOROUGH, PERIOD = "E09000030", "2025-26"  # as in conftest.py's small returns


def test_metadata_of_the_wrong_type_is_an_invalid_option(check, survey):
    with pytest.raises(InputError) as caught:
        check(survey(), metadata={"weight_total": "250000"})
    assert caught.value.code == "invalid-option"
    assert "weight_total" in caught.value.message


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


@pytest.fixture
def fewer_boroughs(tmp_path, monkeypatch):
    """A copy of the standard whose boroughs code list stops at Wandsworth (E09000032)."""
    import validator.standard as standard_module

    copy = tmp_path / "standard"
    shutil.copytree(ROOT / "standard", copy)
    boroughs = copy / "codelists" / "boroughs.csv"
    lines = boroughs.read_text(encoding="utf-8").splitlines()
    boroughs.write_text("\n".join(line for line in lines if "E09000033" not in line) + "\n")
    monkeypatch.setattr(standard_module, "standard_root", lambda: copy)
    load_standard.cache_clear()
    yield
    load_standard.cache_clear()


def test_the_borough_hint_names_the_codes_of_the_boroughs_code_list(fewer_boroughs):
    with pytest.raises(InputError) as caught:
        validate(VALID, borough="E09000033")
    assert caught.value.message == "'E09000033' is not a borough code."
    assert "E09000001 to E09000032" in caught.value.hint


def metadata_error(metadata) -> str:
    with pytest.raises(InputError) as caught:
        validate(VALID, metadata=metadata)
    assert caught.value.code == "invalid-option"
    return caught.value.message


def test_metadata_of_the_wrong_type_says_what_it_should_be():
    message = metadata_error({"weight_total": "250000"})
    assert "'weight_total' should be a number" in message
    assert "is not of type" not in message


def test_metadata_not_in_the_list_names_the_allowed_values():
    message = metadata_error({"submission_type": "survey"})
    assert "'submission_type'" in message
    assert "resident-survey, service-data" in message


def test_metadata_in_the_wrong_form_shows_the_schemas_example():
    example = load_standard().metadata_schema["properties"]["period"]["examples"][0]
    message = metadata_error({"period": "2025/26"})
    assert f"'period' should be written like {example}" in message
    assert "does not match" not in message


def test_an_unknown_metadata_property_is_named_with_the_real_ones():
    message = metadata_error({"colour": "red"})
    properties = ", ".join(load_standard().metadata_schema["properties"])
    assert f"'colour' is not a metadata property; the properties are {properties}." in message
    assert "Additional properties" not in message
