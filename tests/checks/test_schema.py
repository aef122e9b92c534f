"""The Table Schema layer on a small return: how a wrong type or a missing value is told."""

from __future__ import annotations


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


def test_dates_must_be_iso(check, survey, only):
    frame = survey(changes={(0, "interview_date"): "01/06/2025"})
    finding = only(check(frame), "type-error")
    assert finding.field == "interview_date" and finding.column == "D"


def test_a_signalling_nan_weight_is_a_finding_not_a_crash(check, survey):
    """'sNaN' stops stock Frictionless with an error; an officer gets the same finding as 'NaN'."""
    frame = survey().astype(str)
    frame.loc[2, "weight"] = "sNaN"
    frame.loc[5, "weight"] = "NaN"
    found = [f for f in check(frame).findings if f.field == "weight"]
    assert [(f.code, f.rows) for f in found] == [("out-of-range", [4, 7])]
