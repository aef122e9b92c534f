"""Synthetic resident-survey microdata: respondents drawn from a borough profile built from
the standard and the strategy's baselines, in seeded blocks so any size streams in bounded memory.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from ..standard import SURVEY_SOURCE, Standard, load_standard
from . import baselines as base
from .areas import (
    BLOCK_ROWS,
    CALIBRATION_ROWS,
    LINE_END,
    STREAM_CALIBRATION,
    STREAM_SURVEY_BLOCK,
    SURVEY,
    adult_population,
    area_kind,
    borough_number,
    borough_rng,
    logit,
    period_dates,
    sigmoid,
    tag,
)

# --- survey profile: what a borough's respondents are like ---------------------------------


@dataclass
class _Choice:
    """A categorical answer: the codes, and one row of probabilities per group (or one row)."""

    codes: np.ndarray
    probs: np.ndarray  # shape (groups, codes)
    group_field: str | None = None


@dataclass
class _MeasureModel:
    field: str
    codes: np.ndarray
    numerator: np.ndarray  # indexes of numerator codes
    excluded: np.ndarray  # indexes of codes left out of the base
    rest: np.ndarray  # indexes of the other answers
    rate: base.SurveyRate
    target: float  # the borough's share for this period
    intercept: float = 0.0


@dataclass
class _Profile:
    standard: Standard
    borough: str
    period: str
    start: date
    days: int
    population: int
    inner: bool
    choices: dict[str, _Choice]
    measures: list[_MeasureModel]
    scores: dict[str, np.ndarray]  # field -> score per code index


def _codes(standard: Standard, field: str) -> list[str]:
    survey = standard.submission_types[SURVEY]
    return list(standard.codelists[survey.field(field).codelist].codes)


def _non_answers(standard: Standard) -> set[str]:
    """Codes that mean "no answer", as the survey measures leave them out of their bases."""
    return {
        code
        for m in standard.measures.values()
        if m.source_type == SURVEY_SOURCE
        for code in m.excluded_codes
    }


def _mix(codes: list[str], shares: dict[str, float], factors: dict[str, float]) -> np.ndarray:
    default = base.UNKNOWN_SHARE
    p = np.array([shares.get(c, default) * factors.get(c, 1.0) for c in codes], dtype=float)
    return p / p.sum()


def ethnic_mix(standard: Standard, borough: str, inner: bool) -> np.ndarray:
    codes = _codes(standard, "ethnic_group")
    factors = base.INNER_FACTORS.get("ethnic_group", {}) if inner else {}
    london = _mix(codes, base.SURVEY_MIX["ethnic_group"], factors)
    rng = borough_rng(borough, tag("ethnic_group"))
    return rng.dirichlet(london * base.ETHNIC_CONCENTRATION) * 0.999 + london * 0.001


def _gate_probs(codes: list[str], asked: Sequence[str], share: float, non: set[str]) -> np.ndarray:
    """A gate question's answer mix: ``share`` for the asked codes, a little for non-answers."""
    asked_idx = [i for i, c in enumerate(codes) if c in asked]
    non_idx = [i for i, c in enumerate(codes) if c in non and c not in asked]
    rest_idx = [i for i in range(len(codes)) if i not in asked_idx and i not in non_idx]
    p = np.zeros(len(codes))
    p[non_idx] = base.NON_ANSWER_SHARE
    left = 1 - p.sum()
    if asked_idx:
        p[asked_idx] = left * share / len(asked_idx)
    if rest_idx:
        p[rest_idx] = left * (1 - share if asked_idx else 1) / len(rest_idx)
    return p / p.sum()


def _survey_choices(standard: Standard, borough: str, inner: bool) -> dict[str, _Choice]:
    """How each coded field that is not a measure's is answered in this borough."""
    survey = standard.submission_types[SURVEY]
    measure_fields = {
        m.survey_field for m in standard.measures.values() if m.source_type == SURVEY_SOURCE
    }
    gates = {f.asked_when.field: f.asked_when.values for f in survey.fields if f.asked_when}
    non = _non_answers(standard)
    choices: dict[str, _Choice] = {}
    for f in survey.fields:
        if not f.codelist or f.name in measure_fields or f.role == "borough":
            continue
        codes = list(standard.codelists[f.codelist].codes)
        if f.name == "ethnic_group":
            probs = ethnic_mix(standard, borough, inner)[None, :]
            choices[f.name] = _Choice(np.array(codes, dtype=object), probs)
        elif f.name in gates and f.name == "long_term_condition" and "age_band" in choices:
            ages = _codes(standard, "age_band")
            probs = np.array(
                [
                    _gate_probs(
                        codes,
                        gates[f.name],
                        base.LONG_TERM_CONDITION_BY_AGE.get(a, base.LONG_TERM_CONDITION_DEFAULT),
                        non,
                    )
                    for a in ages
                ]
            )
            choices[f.name] = _Choice(np.array(codes, dtype=object), probs, "age_band")
        elif f.name in gates and f.name == "main_language" and "ethnic_group" in choices:
            groups = standard.codelists[survey.field("ethnic_group").codelist].codes
            probs = np.array(
                [
                    _gate_probs(codes, gates[f.name], _other_language_share(code, groups), non)
                    for code in groups
                ]
            )
            choices[f.name] = _Choice(np.array(codes, dtype=object), probs, "ethnic_group")
        elif f.name in gates:
            probs = _gate_probs(codes, gates[f.name], 0.3, non)[None, :]
            choices[f.name] = _Choice(np.array(codes, dtype=object), probs)
        else:
            shares = base.SURVEY_MIX.get(f.name) or {
                c: (base.NON_ANSWER_SHARE if c in non else 1.0) for c in codes
            }
            factors = base.INNER_FACTORS.get(f.name, {}) if inner else {}
            probs = _mix(codes, shares, factors)[None, :]
            choices[f.name] = _Choice(np.array(codes, dtype=object), probs)
    return choices


def _other_language_share(ethnic_code: str, codes: dict) -> float:
    if ethnic_code in base.OTHER_LANGUAGE_BY_ETHNIC_CODE:
        return base.OTHER_LANGUAGE_BY_ETHNIC_CODE[ethnic_code]
    group = codes[ethnic_code].extra.get("group", "")
    return base.OTHER_LANGUAGE_BY_ETHNIC_GROUP.get(group, base.OTHER_LANGUAGE_DEFAULT)


def _scores(standard: Standard) -> dict[str, np.ndarray]:
    """Group scores per code index for the fields that make answers differ between groups."""
    survey = standard.submission_types[SURVEY]
    names = set(survey.field_names)
    out: dict[str, np.ndarray] = {}
    for field, table in (
        ("age_band", base.AGE_SCORE),
        ("tenure", base.TENURE_SCORE),
        ("english_proficiency", base.PROFICIENCY_SCORE),
    ):
        if field in names:
            out[field] = np.array([table.get(c, 0.0) for c in _codes(standard, field)])
    if "ethnic_group" in names:
        codes = standard.codelists[survey.field("ethnic_group").codelist].codes.values()
        out["ethnic_group"] = np.array(
            [base.MINORITY_SCORE.get(c.extra.get("group", ""), 0.0) for c in codes]
        )
    return out


def _measure_models(standard: Standard, borough: str, period: str, inner: bool) -> list:
    start, _ = period_dates(period)
    inner_share = sum(area_kind(b, standard) != "outer" for b in standard.boroughs.codes) / len(
        standard.boroughs.codes
    )
    fields = set(standard.submission_types[SURVEY].field_names)
    models = []
    for m in standard.measures.values():
        if m.source_type != SURVEY_SOURCE or m.survey_field not in fields:
            continue
        rate = base.SURVEY_RATES.get(m.id, base.SurveyRate(0.5))
        codes = _codes(standard, m.survey_field)
        rng = borough_rng(borough, tag(m.id))
        shift = rate.inner * ((1 - inner_share) if inner else -inner_share)
        offset = rng.normal(0, base.BOROUGH_SPREAD)
        drift = sum(
            borough_rng(borough, tag(m.id), year).normal(0, base.PERIOD_DRIFT)
            for year in range(2025, start.year)
        )
        target = float(sigmoid(logit(rate.baseline) + shift + offset + drift))
        idx = np.arange(len(codes))
        numerator = np.array([i for i in idx if codes[i] in m.numerator_codes], dtype=int)
        excluded = np.array([i for i in idx if codes[i] in m.excluded_codes], dtype=int)
        rest = np.array([i for i in idx if i not in numerator and i not in excluded], dtype=int)
        models.append(
            _MeasureModel(
                m.survey_field,
                np.array(codes, dtype=object),
                numerator,
                excluded,
                rest,
                rate,
                target,
            )
        )
    return models


def _profile(standard: Standard, borough: str, period: str) -> _Profile:
    start, end = period_dates(period)
    inner = area_kind(borough, standard) != "outer"
    profile = _Profile(
        standard=standard,
        borough=borough,
        period=period,
        start=start,
        days=(end - start).days,
        population=adult_population(borough, period),
        inner=inner,
        choices=_survey_choices(standard, borough, inner),
        measures=_measure_models(standard, borough, period, inner),
        scores=_scores(standard),
    )
    _calibrate(profile)
    return profile


def _calibrate(profile: _Profile) -> None:
    """Set each measure's intercept so that its share in the borough hits its target."""
    rng = borough_rng(profile.borough, STREAM_CALIBRATION)
    answers = _draw_choices(profile, rng, CALIBRATION_ROWS)
    for model in profile.measures:
        effect = _group_effect(profile, model, answers)
        asked = _asked(profile, model.field, answers)
        effect = effect[asked] if asked is not None else effect
        lo, hi = -15.0, 15.0
        for _ in range(50):
            mid = (lo + hi) / 2
            if float(np.mean(sigmoid(mid + effect))) < model.target:
                lo = mid
            else:
                hi = mid
        model.intercept = (lo + hi) / 2


# --- drawing survey rows ----------------------------------------------------------------------


def _pick(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One categorical draw per row of ``probs`` (rows: respondents, columns: codes)."""
    cumulative = np.cumsum(probs, axis=1)
    cumulative[:, -1] = 1.0
    u = rng.random(len(probs))
    return (u[:, None] >= cumulative).sum(axis=1)


def _draw_choices(profile: _Profile, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Code indexes for every non-measure field, groups first so others can depend on them."""
    answers: dict[str, np.ndarray] = {}
    for name, choice in profile.choices.items():
        if choice.group_field is None:
            answers[name] = _pick(rng, np.broadcast_to(choice.probs, (n, choice.probs.shape[1])))
        else:
            answers[name] = _pick(rng, choice.probs[answers[choice.group_field]])
    return answers


def _asked(profile: _Profile, field: str, answers: dict[str, np.ndarray]) -> np.ndarray | None:
    """Which rows were asked a routed question (None when the question is not routed)."""
    f = profile.standard.submission_types[SURVEY].field(field)
    if not f.asked_when or f.asked_when.field not in answers:
        return None
    codes = profile.choices[f.asked_when.field].codes
    allowed = np.isin(codes, list(f.asked_when.values))
    return allowed[answers[f.asked_when.field]]


def _group_effect(profile: _Profile, model: _MeasureModel, answers: dict) -> np.ndarray:
    n = len(next(iter(answers.values())))
    effect = np.zeros(n)
    for field, coef in (
        ("age_band", model.rate.age),
        ("tenure", model.rate.tenure),
        ("ethnic_group", model.rate.minority),
        ("english_proficiency", model.rate.proficiency),
    ):
        if coef and field in answers and field in profile.scores:
            effect += coef * profile.scores[field][answers[field]]
    return effect


def _answer(rng: np.random.Generator, model: _MeasureModel, p: np.ndarray) -> np.ndarray:
    """Code indexes for a measure's question: excluded, numerator or other answers."""
    n = len(p)
    u = rng.random(n)
    excluded_share = base.EXCLUDED_SHARE if len(model.excluded) else 0.0
    in_excluded = u < excluded_share
    in_numerator = ~in_excluded & (u < excluded_share + (1 - excluded_share) * p)
    if not len(model.rest):
        in_numerator = ~in_excluded
    which = rng.random(n)
    out = _within(model.rest, which, geometric=True)
    out = np.where(in_numerator, _within(model.numerator, which), out)
    return np.where(in_excluded, _within(model.excluded, which), out)


def _within(indexes: np.ndarray, u: np.ndarray, geometric: bool = False) -> np.ndarray:
    """Spread rows over a set of codes: evenly, or tailing off in code-list order."""
    if not len(indexes):
        return np.zeros(len(u), dtype=int)
    weights = 0.6 ** np.arange(len(indexes)) if geometric else np.ones(len(indexes))
    cumulative = np.cumsum(weights / weights.sum())
    cumulative[-1] = 1.0
    return indexes[np.searchsorted(cumulative, u, side="right")]


def _weight_decimals(average: float) -> int:
    return int(min(8, max(2, 4 - np.floor(np.log10(average)))))


def _survey_block(
    profile: _Profile, rows: int, first: int, count: int, seed: int
) -> dict[str, list[str] | np.ndarray]:
    """Rows ``first`` … ``first + count - 1`` of a survey return, as text columns."""
    rng = np.random.default_rng(
        [STREAM_SURVEY_BLOCK, seed, borough_number(profile.borough), profile.start.year, first]
    )
    answers = _draw_choices(profile, rng, count)
    measure_answers = {}
    for model in profile.measures:
        p = sigmoid(model.intercept + _group_effect(profile, model, answers))
        measure_answers[model.field] = (model.codes, _answer(rng, model, p))
    columns: dict[str, list[str] | np.ndarray] = {}
    survey = profile.standard.submission_types[SURVEY]
    width = max(6, len(str(rows)))
    for f in survey.fields:
        if f.name == "respondent_id":
            columns[f.name] = [f"R{i:0{width}d}" for i in range(first + 1, first + count + 1)]
        elif f.role == "borough":
            columns[f.name] = np.full(count, profile.borough, dtype=object)
        elif f.role == "period":
            columns[f.name] = np.full(count, profile.period, dtype=object)
        elif f.name == "interview_date":
            offsets = rng.integers(0, profile.days + 1, count)
            days = np.datetime64(profile.start.isoformat()) + offsets
            columns[f.name] = days.astype(str).astype(object)
        elif f.role == "weight":
            columns[f.name] = _weights(profile, rng, answers, rows, count)
        elif f.name in profile.choices:
            columns[f.name] = profile.choices[f.name].codes[answers[f.name]]
        elif f.name in measure_answers:
            codes, idx = measure_answers[f.name]
            columns[f.name] = codes[idx]
        else:
            columns[f.name] = np.full(count, f.example if f.required else "", dtype=object)
    for f in survey.fields:  # routing: a routed-out question is blank
        asked = _asked(profile, f.name, answers)
        if asked is not None:
            columns[f.name] = np.where(asked, columns[f.name], "").astype(object)
    return columns


def _weights(
    profile: _Profile, rng: np.random.Generator, answers: dict, rows: int, count: int
) -> list[str]:
    """Positive, varying weights adding up to this block's share of the adult population."""
    raw = rng.lognormal(0.0, 0.35, count)
    if "age_band" in answers and "age_band" in profile.scores:
        raw *= np.exp(-0.2 * profile.scores["age_band"][answers["age_band"]])
    raw = np.clip(raw, 1 / 3, 3.0)  # no weight more than three times a typical one
    scaled = raw * (profile.population * count / rows) / raw.sum()
    decimals = _weight_decimals(profile.population / rows)
    return [f"{w:.{decimals}f}" for w in scaled]


def _survey_blocks(
    standard: Standard, borough: str, period: str, rows: int, seed: int
) -> Iterator[dict[str, list[str] | np.ndarray]]:
    if rows < 1:
        raise ValueError("A survey return needs at least one respondent.")
    profile = _profile(standard, borough, period)
    for first in range(0, rows, BLOCK_ROWS):
        yield _survey_block(profile, rows, first, min(BLOCK_ROWS, rows - first), seed)


def generate_survey(
    borough: str, period: str, rows: int, *, seed: int = 0, standard: Standard | None = None
) -> pd.DataFrame:
    """A synthetic resident-survey return: every column as the text its CSV holds ('' blank)."""
    standard = standard or load_standard()
    names = standard.submission_types[SURVEY].field_names
    parts = [
        pd.DataFrame({n: np.asarray(block[n], dtype=object) for n in names})
        for block in _survey_blocks(standard, borough, period, rows, seed)
    ]
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    return frame.astype(object)


def write_survey_csv(
    path: str | Path,
    borough: str,
    period: str,
    rows: int,
    *,
    seed: int = 0,
    chunk_rows: int = 200_000,
    standard: Standard | None = None,
) -> Path:
    """Write a synthetic resident-survey return as UTF-8 CSV, streaming in bounded chunks.

    ``chunk_rows`` bounds how many rows are held before they are written; the file's content does
    not depend on it.
    """
    standard = standard or load_standard()
    names = standard.submission_types[SURVEY].field_names
    path = Path(path)
    per_write = max(1, chunk_rows // BLOCK_ROWS)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator=LINE_END)
        writer.writerow(names)
        pending: list[dict] = []
        for block in _survey_blocks(standard, borough, period, rows, seed):
            pending.append(block)
            if len(pending) >= per_write:
                _write_blocks(writer, names, pending)
                pending = []
        _write_blocks(writer, names, pending)
    return path


def _write_blocks(writer, names: list[str], blocks: Iterable[dict]) -> None:
    for block in blocks:
        writer.writerows(zip(*(block[n] for n in names), strict=True))
