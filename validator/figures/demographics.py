"""Each survey respondent's part of every breakdown a survey measure is broken down by.

Which answers give which part is data in the standard (the ``breakdown-derivations`` table, loaded
as ``Standard.survey_breakdowns``); this module only interprets it, so it names no field or code.
A respondent is in the first value one of whose conditions holds (every test of the condition:
the answer, read through a code-list column when one is named, is one of the codes); anyone no
condition places (a blank, 'prefer not to say') is in the breakdown's ``otherwise`` value, so the
parts always add up to the total.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..standard import AnswerTest, Standard, SurveyBreakdown


def survey_breakdowns(standard: Standard) -> list[str]:
    """The breakdowns survey measures are given by: the total, then each the standard derives."""
    wanted = [standard.total_breakdown, *standard.survey_breakdowns]
    return [b for b in wanted if b in standard.breakdowns]


def breakdown_parts(frame: pd.DataFrame, standard: Standard) -> dict[str, np.ndarray]:
    """For each survey breakdown, every respondent's part (a breakdown value code)."""
    n = len(frame)
    out: dict[str, np.ndarray] = {}
    for code in survey_breakdowns(standard):
        if code in standard.total_breakdowns:
            out[code] = np.full(n, code, dtype=object)
        else:
            out[code] = _parts(frame, standard, standard.survey_breakdowns[code])
    return out


def text_column(frame: pd.DataFrame, field: str) -> np.ndarray:
    """A column as stripped text ('' for blank), or all blank when the return lacks it."""
    if field not in frame:
        return np.full(len(frame), "", dtype=object)
    values = frame[field].to_numpy(dtype=object, copy=True)
    blank = pd.isna(values)
    values[blank] = ""
    return np.char.strip(values.astype(str)).astype(object)


def _parts(frame: pd.DataFrame, standard: Standard, breakdown: SurveyBreakdown) -> np.ndarray:
    n = len(frame)
    out = np.full(n, breakdown.otherwise, dtype=object)
    placed = np.zeros(n, dtype=bool)
    for rule in breakdown.rules:
        holds = ~placed
        for test in rule.tests:
            holds &= np.isin(text_column(frame, test.field), _answer_codes(standard, test))
        out[holds] = rule.value
        placed |= holds
    return out


def _answer_codes(standard: Standard, test: AnswerTest) -> list[str]:
    """The answer codes that pass a test: its codes, or through ``via`` the field's code-list
    codes whose ``via`` column holds one of them."""
    if test.via is None:
        return list(test.codes)
    survey = next(s for s in standard.submission_types.values() if test.field in s.field_names)
    codelist = standard.codelists[survey.field(test.field).codelist or ""]
    return [c.code for c in codelist.codes.values() if c.extra.get(test.via) in test.codes]
