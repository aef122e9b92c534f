"""Each survey respondent's part of every breakdown a survey measure is broken down by.

Survey measures break down by the standard's demographic fields: age band, sex, ethnic group (the
five Census groups of the ethnic-group code list) and disability (the Equality Act core
definition, from the long-term condition and activity limitation answers). Whatever does not name
a part of the breakdown (a blank, 'prefer not to say') is ``unknown``, so the parts always add up
to the total.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..standard import Standard

UNKNOWN = "unknown"

# survey field -> breakdown code, where the field's codes are the breakdown's values
DIRECT = {"age_band": "age_band", "sex": "sex"}
ETHNIC_FIELD, ETHNIC_BREAKDOWN = "ethnic_group", "ethnic_group_5"
# Equality Act 2010 core definition (the activity_limitation field's description in the schema):
# a long-term condition that reduces day-to-day activities a lot or a little
DISABILITY = "disability"
CONDITION_FIELD, CONDITION_YES, CONDITION_NO = "long_term_condition", "yes", "no"
LIMITATION_FIELD = "activity_limitation"
LIMITED = ("yes_a_lot", "yes_a_little")
NOT_LIMITED = ("not_at_all",)
DISABLED, NOT_DISABLED = "disabled", "not_disabled"


def survey_breakdowns(standard: Standard) -> list[str]:
    """The breakdowns survey measures are given by: the total, then each demographic one."""
    wanted = [standard.total_breakdown, *DIRECT.values(), ETHNIC_BREAKDOWN, DISABILITY]
    return [b for b in wanted if b in standard.breakdowns]


def breakdown_parts(frame: pd.DataFrame, standard: Standard) -> dict[str, np.ndarray]:
    """For each survey breakdown, every respondent's part (a breakdown value code)."""
    n = len(frame)
    out: dict[str, np.ndarray] = {}
    for code in survey_breakdowns(standard):
        values = standard.breakdowns[code].values
        if code in standard.total_breakdowns:
            out[code] = np.full(n, code, dtype=object)
        elif code == ETHNIC_BREAKDOWN:
            out[code] = _ethnic_groups(frame, standard, values)
        elif code == DISABILITY:
            out[code] = _disability(frame, values)
        else:
            field = next(f for f, b in DIRECT.items() if b == code)
            out[code] = _known(text_column(frame, field), values)
    return out


def text_column(frame: pd.DataFrame, field: str) -> np.ndarray:
    """A column as stripped text ('' for blank), or all blank when the return lacks it."""
    if field not in frame:
        return np.full(len(frame), "", dtype=object)
    values = frame[field].to_numpy(dtype=object, copy=True)
    blank = pd.isna(values)
    values[blank] = ""
    return np.char.strip(values.astype(str)).astype(object)


def _known(codes: np.ndarray, values: dict[str, str]) -> np.ndarray:
    return np.where(np.isin(codes, list(values)), codes, UNKNOWN).astype(object)


def _ethnic_groups(frame: pd.DataFrame, standard: Standard, values: dict[str, str]) -> np.ndarray:
    survey = next(s for s in standard.submission_types.values() if ETHNIC_FIELD in s.field_names)
    codelist = standard.codelists[survey.field(ETHNIC_FIELD).codelist]
    group = {c.code: c.extra.get("group", "") for c in codelist.codes.values()}
    mapped = (
        pd.Series(text_column(frame, ETHNIC_FIELD)).map(group).fillna("").to_numpy(dtype=object)
    )
    return _known(mapped, values)


def _disability(frame: pd.DataFrame, values: dict[str, str]) -> np.ndarray:
    condition = text_column(frame, CONDITION_FIELD)
    limitation = text_column(frame, LIMITATION_FIELD)
    out = np.full(len(frame), UNKNOWN, dtype=object)
    out[condition == CONDITION_NO] = NOT_DISABLED
    has = condition == CONDITION_YES
    out[has & np.isin(limitation, LIMITED)] = DISABLED
    out[has & np.isin(limitation, NOT_LIMITED)] = NOT_DISABLED
    return _known(out, values)
