"""A submission's metadata as complete as the standard's schema asks (``check_metadata``): what
the portal checks before it takes a return, in the catalogue's words, naming the property."""

from __future__ import annotations

import pickle

import pytest

from validator import InputError, check_metadata, load_standard

SURVEY = {
    "borough": "E09000007",
    "submission_type": "resident-survey",
    "period": "2025-26",
    "standard_version": load_standard().version,
    "contact": {"name": "Camden officer", "email": "officer@camden.example.gov.uk"},
    "weight_total": 176_000,
    "weight_total_source": "ONS mid-year population estimates, mid-2025",
}


def problem(metadata: dict, complete: bool = True) -> InputError:
    with pytest.raises(InputError) as caught:
        check_metadata(metadata, complete=complete)
    assert caught.value.code == "invalid-option"
    return caught.value


def test_complete_metadata_passes():
    check_metadata(SURVEY, complete=True)
    service = {k: v for k, v in SURVEY.items() if not k.startswith("weight_total")}
    check_metadata({**service, "submission_type": "service-data"}, complete=True)


def test_a_survey_without_its_weight_total_is_told_what_it_lacks_and_why():
    missing = problem({k: v for k, v in SURVEY.items() if k != "weight_total"})
    assert missing.situation == "metadata-missing-for-type"
    assert missing.metadata_property == "weight_total"
    assert "'weight_total' (what the weights add up to)" in missing.message
    assert "which a resident-survey return must have" in missing.message


def test_missing_properties_pass_unless_the_metadata_must_be_complete():
    partial = {"borough": "E09000007", "submission_type": "resident-survey"}
    check_metadata(partial)
    assert problem(partial).situation == "metadata-missing-property"


def test_a_missing_contact_email_names_the_property_inside_contact():
    found = problem({**SURVEY, "contact": {"name": "Camden officer"}})
    assert found.metadata_property == "contact.email"
    assert "the property 'contact' has no 'email'" in found.message


@pytest.mark.parametrize(
    "value, words",
    [
        (0, "should be more than 0, not 0"),
        (-5, "should be more than 0, not -5"),
        ("lots", 'should be a number, not "lots"'),
    ],
)
def test_a_weight_total_that_is_not_a_positive_number_is_refused(value, words):
    found = problem({**SURVEY, "weight_total": value})
    assert found.metadata_property == "weight_total"
    assert words in found.message


def test_a_fieldwork_date_must_be_a_date():
    found = problem({**SURVEY, "fieldwork_end": "31/03/2026"})
    assert found.metadata_property == "fieldwork_end"
    assert "a date written like 2025-04-01" in found.message


def test_metadata_that_is_not_an_object_is_refused():
    assert problem([1, 2]).situation == "metadata-not-an-object"  # type: ignore[arg-type]


def test_the_property_at_fault_travels_with_the_error_and_others_name_none():
    found = problem({**SURVEY, "weight_total": 0})
    carried = pickle.loads(pickle.dumps(found))  # as a worker process raises it to its parent
    assert (carried.metadata_property, carried.message) == ("weight_total", found.message)
    assert InputError("metadata-not-an-object").metadata_property == ""
