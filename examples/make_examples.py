"""Regenerate the example returns in this folder from the standard's synthetic generator.

    python examples/make_examples.py

writes ``valid/`` (conforming returns from three boroughs) and ``invalid/<case>/`` (each a valid
return with one deliberate problem, plus ``expected.json`` naming the finding codes it must raise).
The output is deterministic; ``tests/test_examples.py`` fails when these files are stale.
Read the diff before you commit regenerated examples.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from validator.standard import load_standard
from validator.synthetic import (
    generate_service,
    generate_survey,
    period_dates,
    return_filename,
    write_frame_csv,
)

SURVEY, SERVICE = "resident-survey", "service-data"
PERIOD = "2025-26"
# Tower Hamlets (inner), Barnet (outer) and the City of London (tiny)
BOROUGHS = ("E09000030", "E09000003", "E09000001")
FEWEST_ROWS = 40  # survey returns grow from here until every measure clears its publication rules
SOURCE = "E09000030"  # the borough whose valid returns the invalid cases are made from
OTHER_BOROUGH = "E09000003"
HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Case:
    name: str
    type: str
    description: str
    codes: tuple[str, ...]
    schema_rule: bool
    change: Callable[[pd.DataFrame], pd.DataFrame]
    borough: str | None = None
    period: str | None = None


def _first(frame: pd.DataFrame, **where: str) -> int:
    """The index of the first row whose columns hold the given values."""
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    if not mask.any():
        raise LookupError(f"no row with {where}: the example source changed; pick another row")
    return int(mask.idxmax())


def _set(frame: pd.DataFrame, row: int, column: str, value: str) -> pd.DataFrame:
    frame = frame.copy()
    frame.loc[row, column] = value
    return frame


# --- survey problems ----------------------------------------------------------------------


def _label_for_code(frame: pd.DataFrame) -> pd.DataFrame:
    return _set(frame, _first(frame, london_good_place="strongly_agree"), "london_good_place",
                "Strongly agree")  # fmt: skip


def _borough_name(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(borough="Tower Hamlets")


def _uk_dates(frame: pd.DataFrame) -> pd.DataFrame:
    dates = pd.to_datetime(frame["interview_date"], format="%Y-%m-%d")
    return frame.assign(interview_date=dates.dt.strftime("%d/%m/%Y"))


def _date_outside(frame: pd.DataFrame) -> pd.DataFrame:
    _, end = period_dates(PERIOD)
    return _set(frame, 6, "interview_date", end.replace(month=4, day=15).isoformat())


def _routed_answer(frame: pd.DataFrame) -> pd.DataFrame:
    return _set(frame, _first(frame, long_term_condition="no"), "activity_limitation",
                "yes_a_little")  # fmt: skip


def _duplicate_id(frame: pd.DataFrame) -> pd.DataFrame:
    return _set(frame, 5, "respondent_id", frame.loc[4, "respondent_id"])


def _unknown_column(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(survey_wave="1")


def _mixed_boroughs(frame: pd.DataFrame) -> pd.DataFrame:
    return _set(frame, 9, "borough", OTHER_BOROUGH)


SURVEY_CASES = [
    Case("label-instead-of-code", SURVEY,
         "One answer is written as its label 'Strongly agree' instead of the code strongly_agree.",
         ("not-in-codelist",), True, _label_for_code),
    Case("borough-name-instead-of-code", SURVEY,
         "The borough column holds the name 'Tower Hamlets' instead of the GSS code E09000030.",
         ("not-in-codelist",), True, _borough_name),
    Case("uk-date-format", SURVEY,
         "Interview dates are written the UK way (14/06/2025), not as ISO dates (2025-06-14).",
         ("type-error",), True, _uk_dates),
    Case("weight-zero", SURVEY,
         "One respondent has a survey weight of 0; weights must be greater than zero.",
         ("out-of-range",), True, lambda f: _set(f, 3, "weight", "0")),
    Case("duplicate-respondent-id", SURVEY,
         "Two respondents share the same respondent id.",
         ("duplicate-key",), True, _duplicate_id),
    Case("missing-required-value", SURVEY,
         "One respondent's survey mode is blank; every respondent needs one.",
         ("required-missing",), True, lambda f: _set(f, 2, "mode", "")),
    Case("missing-column", SURVEY,
         "The loneliness column is missing.",
         ("missing-column",), True, lambda f: f.drop(columns=["loneliness"])),
    Case("unknown-column", SURVEY,
         "An extra column survey_wave that the standard does not define.",
         ("unknown-column",), True, _unknown_column),
    Case("period-invalid", SURVEY,
         "The period is 2025-27, which is not a financial year (2025-26 is).",
         ("period-invalid",), False, lambda f: f.assign(period="2025-27")),
    Case("date-outside-period", SURVEY,
         "One interview date (2026-04-15) falls after the end of the 2025-26 period.",
         ("date-outside-period",), False, _date_outside),
    Case("routed-answer", SURVEY,
         "A respondent with no long-term condition has an answer to the activity limitation "
         "question, which is only asked of people who have one.",
         ("routed-answer",), False, _routed_answer),
    Case("email-as-respondent-id", SURVEY,
         "A respondent id is an email address: personal data, and not the id pattern either.",
         ("pattern-mismatch", "personal-email"), True,
         lambda f: _set(f, 8, "respondent_id", "resident1042@example.org")),
    Case("mixed-boroughs", SURVEY,
         "One row names Barnet (E09000003) in a Tower Hamlets return.",
         ("mixed-boroughs",), False, _mixed_boroughs),
    Case("borough-mismatch", SURVEY,
         "A valid Tower Hamlets return checked as Barnet's (--borough E09000003).",
         ("borough-mismatch",), False, lambda f: f, borough=OTHER_BOROUGH),
    Case("period-mismatch", SURVEY,
         "A valid 2025-26 return checked as a 2024-25 return (--period 2024-25).",
         ("period-mismatch",), False, lambda f: f, period="2024-25"),
]  # fmt: skip


# --- service-data problems ----------------------------------------------------------------


def _row(frame: pd.DataFrame, measure: str, breakdown: str, value: str) -> int:
    return _first(frame, measure=measure, breakdown=breakdown, breakdown_value=value)


def _numerator_exceeds(frame: pd.DataFrame) -> pd.DataFrame:
    """Move registrations between two age bands so the parts still add up but one part's
    numerator is more than its denominator."""
    frame = frame.copy()
    measure = "par_electoral_registration"
    young = _row(frame, measure, "age_band", "16-24")
    parts = frame[(frame.measure == measure) & (frame.breakdown == "age_band")]
    largest = int(parts.numerator.astype(int).idxmax())
    moved = int(frame.loc[young, "denominator"]) + 25 - int(frame.loc[young, "numerator"])
    frame.loc[young, "numerator"] = str(int(frame.loc[young, "numerator"]) + moved)
    frame.loc[largest, "numerator"] = str(int(frame.loc[largest, "numerator"]) - moved)
    return frame


def _survey_measure(frame: pd.DataFrame) -> pd.DataFrame:
    row = {**frame.iloc[0].to_dict(), "measure": "out_belonging_neighbourhood"}
    row.update(breakdown="total", breakdown_value="total", numerator="120", denominator="180")
    row.update(status="final", notes="")
    return pd.concat([frame, pd.DataFrame([row])], ignore_index=True)


def _parts_do_not_add_up(frame: pd.DataFrame) -> pd.DataFrame:
    row = _row(frame, "eq_gcse_attainment", "sex", "female")
    return _set(frame, row, "numerator", str(int(frame.loc[row, "numerator"]) + 7))


def _breakdown_not_allowed(frame: pd.DataFrame) -> pd.DataFrame:
    """Split hate crimes by sex (parts that add up), which the measure does not allow."""
    total = _row(frame, "rel_hate_crime_rate", "total", "total")
    numerator, denominator = (int(frame.loc[total, c]) for c in ("numerator", "denominator"))
    parts = []
    for value, n, d in (
        ("female", numerator * 45 // 100, denominator // 2),
        ("male", numerator - numerator * 45 // 100, denominator - denominator // 2),
    ):
        part = {**frame.loc[total].to_dict(), "breakdown": "sex", "breakdown_value": value}
        parts.append({**part, "numerator": str(n), "denominator": str(d), "notes": ""})
    top, rest = frame.iloc[: total + 1], frame.iloc[total + 1 :]
    return pd.concat([top, pd.DataFrame(parts), rest], ignore_index=True)


def _small_count(frame: pd.DataFrame) -> pd.DataFrame:
    """One part of 4 volunteers (the other part takes the rest, so the parts still add up)."""
    frame = frame.copy()
    female = _row(frame, "prog_volunteers", "sex", "female")
    male = _row(frame, "prog_volunteers", "sex", "male")
    moved = int(frame.loc[female, "numerator"]) - 4
    frame.loc[female, "numerator"] = "4"
    frame.loc[male, "numerator"] = str(int(frame.loc[male, "numerator"]) + moved)
    return frame


def _denominator_missing(frame: pd.DataFrame) -> pd.DataFrame:
    return _set(frame, _row(frame, "eq_citizenship_ceremony_rate", "total", "total"),
                "denominator", "")  # fmt: skip


SERVICE_CASES = [
    Case("numerator-exceeds-denominator", SERVICE,
         "More 16 to 24 year-olds registered to vote than live in the borough (numerator above "
         "denominator).", ("numerator-exceeds-denominator",), False, _numerator_exceeds),
    Case("survey-measure-in-service-data", SERVICE,
         "A row for the survey measure out_belonging_neighbourhood, which belongs in the resident "
         "survey, not in service data.", ("measure-not-service",), False, _survey_measure),
    Case("parts-do-not-add-up", SERVICE,
         "GCSE results for girls and boys add up to 7 more than the total.",
         ("parts-do-not-add-up",), False, _parts_do_not_add_up),
    Case("breakdown-not-allowed", SERVICE,
         "Hate crimes split by sex, a breakdown the measure does not allow (only the total).",
         ("breakdown-not-allowed",), False, _breakdown_not_allowed),
    Case("denominator-missing", SERVICE,
         "The citizenship ceremony rate has no denominator; a rate needs one.",
         ("denominator-missing",), False, _denominator_missing),
    Case("small-count", SERVICE,
         "One figure is 4 (female volunteers): still valid, but too small for the GLA to publish, "
         "so it is only a warning.", ("small-count",), False, _small_count),
]  # fmt: skip

CASES = SURVEY_CASES + SERVICE_CASES


def _publishable(frame: pd.DataFrame) -> bool:
    """Whether every survey measure's base and count clear its minimum base and small-count
    threshold (with a margin), so the return raises no disclosure warning."""
    standard = load_standard()
    for m in standard.measures.values():
        if m.source_type != "survey" or m.survey_field not in frame:
            continue
        answers = frame[m.survey_field]
        base = (answers != "") & ~answers.isin(m.excluded_codes)
        count = int((base & answers.isin(m.numerator_codes)).sum())
        if int(base.sum()) <= (m.min_base or 0) or count <= (m.small_count_threshold or 0):
            return False
    return True


def _clean_survey(borough: str) -> pd.DataFrame:
    """The smallest survey return (in steps of 10 rows) that raises no disclosure warning."""
    for rows in range(FEWEST_ROWS, 2001, 10):
        frame = generate_survey(borough, PERIOD, rows)
        if _publishable(frame):
            return frame
    raise RuntimeError(f"no publishable survey return for {borough} up to 2,000 rows")


def valid_returns() -> dict[str, tuple[str, pd.DataFrame]]:
    """The valid example returns by file name: (submission type, text frame)."""
    out = {}
    for borough in BOROUGHS:
        out[return_filename(SURVEY, borough, PERIOD)] = (SURVEY, _clean_survey(borough))
        out[return_filename(SERVICE, borough, PERIOD)] = (
            SERVICE,
            generate_service(borough, PERIOD, small_counts=False),
        )
    return out


def make_examples(out_dir: str | Path) -> list[Path]:
    """Write ``valid/`` and ``invalid/<case>/`` under ``out_dir``; return the files written."""
    out = Path(out_dir)
    written = []
    returns = valid_returns()
    for name, (_, frame) in returns.items():
        (out / "valid").mkdir(parents=True, exist_ok=True)
        written.append(write_frame_csv(frame, out / "valid" / name))
    for case in CASES:
        name = return_filename(case.type, SOURCE, PERIOD)
        folder = out / "invalid" / case.name
        folder.mkdir(parents=True, exist_ok=True)
        written.append(write_frame_csv(case.change(returns[name][1]), folder / name))
        expected = {
            "type": case.type,
            "description": case.description,
            "codes": sorted(case.codes),
            "schema_rule": case.schema_rule,
            "options": {"borough": case.borough, "period": case.period},
        }
        path = folder / "expected.json"
        path.write_text(json.dumps(expected, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


def main() -> int:
    for sub in ("valid", "invalid"):
        shutil.rmtree(HERE / sub, ignore_errors=True)
    paths = make_examples(HERE)
    print(f"wrote {len(paths)} files under {HERE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
