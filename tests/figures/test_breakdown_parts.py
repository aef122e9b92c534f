"""A respondent's part of each survey breakdown follows the standard's breakdown-derivations."""

from __future__ import annotations

import dataclasses

import pandas as pd

from validator.figures.demographics import breakdown_parts, survey_breakdowns
from validator.standard import AnswerTest, SurveyBreakdown, ValueRule, load_standard

STANDARD = load_standard()

RESPONDENTS = pd.DataFrame(
    [
        # age_band, sex, ethnic_group, long_term_condition, activity_limitation
        ("16-24", "female", "asian_indian", "yes", "yes_a_lot"),
        ("75+", "male", "white_roma", "yes", "not_at_all"),
        ("prefer_not_to_say", "prefer_not_to_say", "prefer_not_to_say", "no", ""),
        ("", " female ", "black_other", "yes", "dont_know"),
        ("35-49", "", "", "dont_know", "yes_a_little"),
    ],
    columns=["age_band", "sex", "ethnic_group", "long_term_condition", "activity_limitation"],
)


def test_each_respondent_gets_the_part_the_standard_says():
    parts = breakdown_parts(RESPONDENTS, STANDARD)
    assert list(parts) == survey_breakdowns(STANDARD)
    assert list(parts["total"]) == ["total"] * 5
    assert list(parts["age_band"]) == ["16-24", "75+", "unknown", "unknown", "35-49"]
    assert list(parts["sex"]) == ["female", "male", "unknown", "female", "unknown"]
    assert list(parts["ethnic_group_5"]) == ["asian", "white", "unknown", "black", "unknown"]
    assert list(parts["disability"]) == [
        "disabled",
        "not_disabled",
        "not_disabled",
        "unknown",
        "unknown",
    ]


def test_survey_breakdowns_are_the_total_then_the_derived_ones_in_table_order():
    order = list(dict.fromkeys(r["breakdown"] for r in STANDARD.tables["breakdown-derivations"]))
    assert survey_breakdowns(STANDARD) == [STANDARD.total_breakdown, *order]


def test_the_parts_come_from_the_data_not_the_code():
    """A standard whose table derived disability from the condition question alone, and left out
    the other breakdowns, gives those parts with no code changed."""
    condition_only = SurveyBreakdown(
        "disability",
        (
            ValueRule("disabled", (AnswerTest("long_term_condition", None, ("yes",)),)),
            ValueRule("not_disabled", (AnswerTest("long_term_condition", None, ("no",)),)),
        ),
        "unknown",
    )
    edited = dataclasses.replace(STANDARD, survey_breakdowns={"disability": condition_only})
    parts = breakdown_parts(RESPONDENTS, edited)
    assert list(parts) == ["total", "disability"]
    assert list(parts["disability"]) == [
        "disabled",
        "disabled",
        "not_disabled",
        "disabled",
        "unknown",
    ]


def test_a_version_without_the_table_gives_survey_figures_for_the_total_only():
    older = load_standard("1.0.0")
    assert older.survey_breakdowns == {}
    assert list(breakdown_parts(RESPONDENTS, older)) == ["total"]
