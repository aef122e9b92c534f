"""Make realistic synthetic returns from the standard, for tests, demonstrations and benchmarks.

Everything about the returns' shape comes from ``load_standard()``: the header, the code lists, the
routing, the measures and the breakdowns. Only the rates and populations are kept here (in
``synthetic_baselines``). Output is deterministic: the same arguments give byte-identical files.

Survey rows are made in fixed blocks of ``BLOCK_ROWS``, each with its own seeded generator and its
weights scaled to its share of the borough's adult population, so a 10-million-row file streams in
bounded memory, the weights still add up to the population, and the file does not depend on how
many rows are written at a time.
"""

from __future__ import annotations

import csv
import sys
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from . import synthetic_baselines as base
from .periods import financial_year
from .standard import SERVICE_SOURCE, SURVEY_SOURCE, Standard, load_standard

SURVEY = "resident-survey"
SERVICE = "service-data"
BLOCK_ROWS = 10_000
CALIBRATION_ROWS = 4_000
LINE_END = "\n"

# tags that keep the random streams of different jobs apart
_CHARACTER, _SURVEY_BLOCK, _CALIBRATION, _SERVICE = 1, 2, 3, 4


# --- periods and populations -------------------------------------------------------------


def period_dates(period: str) -> tuple[date, date]:
    """The first and last day of a financial-year period such as ``2025-26``."""
    span = financial_year(period)
    if span is None:
        raise ValueError(
            f"'{period}' is not a financial year: write it like 2025-26 (1 April 2025 to "
            "31 March 2026)."
        )
    return span


def _area(borough: str, standard: Standard) -> str:
    """'city', 'inner' or 'outer', from the boroughs code list."""
    try:
        extra = standard.boroughs.codes[borough].extra
    except KeyError:
        raise ValueError(
            f"'{borough}' is not a London borough code: use a GSS code from E09000001 to E09000033."
        ) from None
    if extra.get("statutory_1963") == "city":
        return "city"
    return "inner" if extra.get("ons_inner_outer") == "inner" else "outer"


def resident_population(borough: str, period: str) -> int:
    """A plausible number of usual residents (all ages) of a borough in a period."""
    start, _ = period_dates(period)
    _area(borough, load_standard())  # a clear error for an unknown borough
    thousands = base.RESIDENTS_2021_THOUSANDS.get(borough, base.RESIDENTS_DEFAULT_THOUSANDS)
    growth = (1 + base.POPULATION_GROWTH) ** (start.year - base.POPULATION_BASE_YEAR)
    return round(thousands * 1000 * growth)


def adult_population(borough: str, period: str) -> int:
    """A plausible adult (16 and over) population: what a survey return's weights add up to.

    Approximate Census 2021 residents (``synthetic_baselines.RESIDENTS_2021_THOUSANDS``) grown by
    0.5% a year, times the adult share of the City, inner or outer London. The City of London has
    about 8,000 adults; the boroughs about 110,000 to 320,000. Synthetic, not official, figures.
    """
    share = base.ADULT_SHARE[_area(borough, load_standard())]
    return round(resident_population(borough, period) * share)


# --- random streams ------------------------------------------------------------------------


def _tag(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def _borough_number(borough: str) -> int:
    return int(borough[3:]) if borough[3:].isdigit() else _tag(borough)


def _character(borough: str, *tags: int) -> np.random.Generator:
    """A borough's own lasting character: the same for every seed and every period."""
    return np.random.default_rng([_CHARACTER, _borough_number(borough), *tags])


def _logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


def _sigmoid(x: np.ndarray | float) -> np.ndarray | float:
    return 1 / (1 + np.exp(-x))


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


def _ethnic_mix(standard: Standard, borough: str, inner: bool) -> np.ndarray:
    codes = _codes(standard, "ethnic_group")
    factors = base.INNER_FACTORS.get("ethnic_group", {}) if inner else {}
    london = _mix(codes, base.SURVEY_MIX["ethnic_group"], factors)
    rng = _character(borough, _tag("ethnic_group"))
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
            probs = _ethnic_mix(standard, borough, inner)[None, :]
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
    inner_share = sum(_area(b, standard) != "outer" for b in standard.boroughs.codes) / len(
        standard.boroughs.codes
    )
    fields = set(standard.submission_types[SURVEY].field_names)
    models = []
    for m in standard.measures.values():
        if m.source_type != SURVEY_SOURCE or m.survey_field not in fields:
            continue
        rate = base.SURVEY_RATES.get(m.id, base.SurveyRate(0.5))
        codes = _codes(standard, m.survey_field)
        rng = _character(borough, _tag(m.id))
        shift = rate.inner * ((1 - inner_share) if inner else -inner_share)
        offset = rng.normal(0, base.BOROUGH_SPREAD)
        drift = sum(
            _character(borough, _tag(m.id), year).normal(0, base.PERIOD_DRIFT)
            for year in range(2025, start.year)
        )
        target = float(_sigmoid(_logit(rate.baseline) + shift + offset + drift))
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
    inner = _area(borough, standard) != "outer"
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
    rng = _character(profile.borough, _CALIBRATION)
    answers = _draw_choices(profile, rng, CALIBRATION_ROWS)
    for model in profile.measures:
        effect = _group_effect(profile, model, answers)
        asked = _asked(profile, model.field, answers)
        effect = effect[asked] if asked is not None else effect
        lo, hi = -15.0, 15.0
        for _ in range(50):
            mid = (lo + hi) / 2
            if float(np.mean(_sigmoid(mid + effect))) < model.target:
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
        [_SURVEY_BLOCK, seed, _borough_number(profile.borough), profile.start.year, first]
    )
    answers = _draw_choices(profile, rng, count)
    measure_answers = {}
    for model in profile.measures:
        p = _sigmoid(model.intercept + _group_effect(profile, model, answers))
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


# --- service data --------------------------------------------------------------------------


def _allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Split a whole number into whole parts in proportion to ``weights`` (largest remainder)."""
    weights = np.asarray(weights, dtype=float)
    if total <= 0 or weights.sum() <= 0:
        return np.zeros(len(weights), dtype=int)
    quotas = total * weights / weights.sum()
    parts = np.floor(quotas).astype(int)
    order = np.argsort(-(quotas - parts), kind="stable")
    parts[order[: total - parts.sum()]] += 1
    return parts


def _cap(numerators: np.ndarray, denominators: np.ndarray) -> np.ndarray:
    """Move any numerator above its part's denominator to parts with room; the sum is kept."""
    n = numerators.copy()
    excess = int(np.clip(n - denominators, 0, None).sum())
    n = np.minimum(n, denominators)
    while excess > 0:
        room = denominators - n
        i = int(np.argmax(room))
        if room[i] <= 0:
            break
        moved = min(excess, int(room[i]))
        n[i] += moved
        excess -= moved
    return n


def _breakdown_shares(
    standard: Standard, borough: str, breakdown: str, values: list[str], adults_only: bool
) -> np.ndarray:
    inner = _area(borough, standard) != "outer"
    ethnic = standard.codelists[standard.submission_types[SURVEY].field("ethnic_group").codelist]
    groups = {c.extra.get("group", "") for c in ethnic.codes.values()} - {""}
    if set(values) - {"unknown"} <= groups:  # a breakdown by the five Census ethnic groups
        mix = _ethnic_mix(standard, borough, inner)
        by_group = {g: 0.0 for g in values}
        for share, code in zip(mix, ethnic.codes.values(), strict=True):
            by_group[code.extra.get("group") or "unknown"] = (
                by_group.get(code.extra.get("group") or "unknown", 0.0) + share
            )
        shares = np.array([by_group.get(v, 0.0) for v in values]) * (1 - base.UNKNOWN_SHARE)
        shares[[i for i, v in enumerate(values) if v == "unknown"]] += base.UNKNOWN_SHARE
    else:
        table = base.BREAKDOWN_SHARES.get(breakdown, {})
        shares = np.array([table.get(v, base.UNKNOWN_SHARE) for v in values])
    if adults_only:
        children = base.CHILD_VALUES.get(breakdown, ())
        shares = np.where(np.isin(values, list(children)), 0.0, shares)
    return shares / shares.sum()


def _service_rows(
    standard: Standard, borough: str, period: str, measure, rng, small_counts: bool
) -> list[dict[str, str]]:
    spec = base.SERVICE_RATES.get(measure.id, base.ServiceRate("residents", 0.001, rate=50.0))
    start, _ = period_dates(period)
    area = _area(borough, standard)
    inner = area != "outer"
    inner_share = sum(_area(b, standard) != "outer" for b in standard.boroughs.codes) / len(
        standard.boroughs.codes
    )
    character = _character(borough, _tag(measure.id))
    offset = character.normal(0, spec.spread)
    size_offset = character.normal(0, 0.1)
    ethnic_effects = character.normal(0, base.ETHNIC_EFFECT_SPREAD, 16)
    drift = sum(
        _character(borough, _tag(measure.id), year).normal(0, base.PERIOD_DRIFT)
        for year in range(2025, start.year)
    )
    shift = spec.inner * ((1 - inner_share) if inner else -inner_share) + offset + drift
    people = (
        adult_population(borough, period)
        if spec.population == "adults"
        else resident_population(borough, period)
    )
    # a share of the population varies by borough; the whole population is the population
    size = people * spec.size * (np.exp(size_offset) if spec.size < 1 else 1.0)
    if measure.id == "eq_citizenship_ceremony_rate" and inner:
        size *= base.NON_BRITISH_INNER_FACTOR
    count_measure = not measure.has_denominator
    percent = measure.unit == "percent"
    if count_measure:
        numerator, denominator, p = int(rng.poisson(size * np.exp(shift))), 0, 0.0
    else:
        denominator = max(1, round(size))
        p0 = spec.rate / (measure.multiplier or 100)
        p = float(_sigmoid(_logit(p0) + shift)) if percent else min(0.5, p0 * np.exp(shift))
        numerator = int(rng.binomial(denominator, p))
    threshold = measure.small_count_threshold or 0
    min_base = 0 if count_measure else measure.min_base or 0
    if not small_counts and _small(
        np.array([numerator]), np.array([denominator]), threshold, min_base
    ):
        return []  # too few to publish: a borough may leave such a measure out
    status = "provisional" if rng.random() < base.PROVISIONAL_SHARE else "final"
    sub = standard.submission_types[SERVICE]
    total = (standard.total_breakdown, numerator, denominator)
    rows = [_service_row(sub, borough, period, measure, total, status, count_measure)]
    rows[0]["notes"] = base.PROVISIONAL_NOTE if status == "provisional" else ""
    for code in measure.breakdowns:
        breakdown = standard.breakdowns.get(code)
        if breakdown is None or not breakdown.parts_sum_to_total:
            continue
        values = list(breakdown.values)
        shares = _breakdown_shares(standard, borough, code, values, spec.adults_only)
        keep = shares > 0
        values = [v for v, k in zip(values, keep, strict=True) if k]
        shares = shares[keep]
        effects = np.array(
            [
                base.BREAKDOWN_EFFECTS.get(code, {}).get(v, 0.0)
                if code in base.BREAKDOWN_EFFECTS
                else ethnic_effects[i % len(ethnic_effects)]
                for i, v in enumerate(values)
            ]
        )
        parts = _parts(numerator, denominator, shares, effects, p, count_measure, percent)
        if not small_counts and _small(*parts, threshold, min_base):
            continue  # a part too small to publish: leave the breakdown out
        for value, n, d in zip(values, *parts, strict=True):
            rows.append(
                _service_row(
                    sub, borough, period, measure, (code, value, n, d), status, count_measure
                )
            )
    return rows


def _parts(numerator, denominator, shares, effects, p, count_measure, percent):
    """Numerators and denominators of a breakdown's parts that add up exactly to the total."""
    if count_measure:
        return _allocate(numerator, shares), np.zeros(len(shares), dtype=int)
    denominators = _allocate(denominator, shares)
    if percent:
        rates = _sigmoid(_logit(min(max(p, 1e-6), 1 - 1e-6)) + effects)
    else:
        rates = p * np.exp(effects)
    numerators = _cap(_allocate(numerator, denominators * rates), denominators)
    return numerators, denominators


def _small(numerators: np.ndarray, denominators: np.ndarray, threshold: int, min_base: int) -> bool:
    """Whether any figure is at or below the small-count threshold, or any base at or below the
    minimum base (both ways of reading "below the threshold" are kept clear of)."""
    small = np.any(numerators <= threshold)  # at the threshold counts as small: a safe margin
    return bool(small or (min_base and np.any(denominators <= min_base)))


def _service_row(sub, borough, period, measure, part, status, count_measure) -> dict[str, str]:
    if len(part) == 3:
        breakdown = value = part[0]
        numerator, denominator = part[1], part[2]
    else:
        breakdown, value, numerator, denominator = part
    role = sub.role
    return {
        role("borough"): borough,
        role("period"): period,
        role("measure"): measure.id,
        role("breakdown"): breakdown,
        role("breakdown_value"): value,
        role("numerator"): str(int(numerator)),
        role("denominator"): "" if count_measure else str(int(denominator)),
        "status": status,
        "notes": "",
    }


def generate_service(
    borough: str,
    period: str,
    *,
    seed: int = 0,
    standard: Standard | None = None,
    small_counts: bool = True,
) -> pd.DataFrame:
    """A synthetic service-data return: one row per service measure, breakdown and value.

    Parts add up exactly to their total where the standard says they must; numerators never
    exceed denominators; count measures have no denominator. With ``small_counts=False`` every
    numerator is above the measure's small-count threshold and every denominator above its
    minimum base: a measure or breakdown that would break that is left out (as a borough may leave
    out what it cannot supply), so no disclosure warning fires.
    """
    standard = standard or load_standard()
    start, _ = period_dates(period)
    _area(borough, standard)
    rng = np.random.default_rng([_SERVICE, seed, _borough_number(borough), start.year])
    rows: list[dict[str, str]] = []
    for measure in standard.measures.values():
        if measure.source_type == SERVICE_SOURCE:
            rows.extend(_service_rows(standard, borough, period, measure, rng, small_counts))
    names = standard.submission_types[SERVICE].field_names
    frame = pd.DataFrame(rows)
    for name in names:
        if name not in frame:
            frame[name] = ""
    return frame[names].astype(object)


def write_service_csv(
    path: str | Path,
    borough: str,
    period: str,
    *,
    seed: int = 0,
    standard: Standard | None = None,
    small_counts: bool = True,
) -> Path:
    """Write a synthetic service-data return as UTF-8 CSV."""
    frame = generate_service(
        borough, period, seed=seed, standard=standard, small_counts=small_counts
    )
    return write_frame_csv(frame, path)


def write_frame_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a text DataFrame exactly as the generator writes returns (UTF-8, comma, \\n)."""
    path = Path(path)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator=LINE_END)
        writer.writerow(list(frame.columns))
        writer.writerows(frame.itertuples(index=False, name=None))
    return path


# --- many returns at once -------------------------------------------------------------------


def return_filename(submission_type: str, borough: str, period: str) -> str:
    """A return's file name, e.g. ``resident-survey_E09000030_2025-26.csv``."""
    return f"{submission_type}_{borough}_{period}.csv"


def write_returns(
    out_dir: str | Path,
    *,
    boroughs: Sequence[str] | None = None,
    periods: Sequence[str] = ("2025-26",),
    survey_rows: int = 400,
    types: Sequence[str] = (SURVEY, SERVICE),
    seed: int = 0,
    standard: Standard | None = None,
) -> list[Path]:
    """Write synthetic returns for the boroughs (all 33 by default), periods and types."""
    standard = standard or load_standard()
    boroughs = list(boroughs or standard.boroughs.codes)
    for period in periods:
        period_dates(period)
    for borough in boroughs:
        _area(borough, standard)
    unknown = [t for t in types if t not in (SURVEY, SERVICE)]
    if unknown:
        raise ValueError(f"Unknown submission type {unknown[0]!r}: use {SURVEY} or {SERVICE}.")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    jobs = [(p, b, t) for p in periods for b in boroughs for t in types]
    paths = []
    for done, (period, borough, kind) in enumerate(jobs, start=1):
        path = out / return_filename(kind, borough, period)
        if kind == SURVEY:
            write_survey_csv(path, borough, period, survey_rows, seed=seed, standard=standard)
        else:
            write_service_csv(path, borough, period, seed=seed, standard=standard)
        paths.append(path)
        _progress(done, len(jobs))
    return paths


def _progress(done: int, total: int) -> None:
    """A one-line progress count on a terminal; nothing when output is piped or captured."""
    if not sys.stderr.isatty():
        return
    end = "\n" if done == total else ""
    print(f"\rwriting returns: {done}/{total}", end=end, file=sys.stderr, flush=True)
