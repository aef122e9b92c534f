"""Survey measures: figures for each borough and for London from pooled resident-survey returns.

Each return is one stratum. A borough's figures use its own weights; London's are one stratified
estimate after each borough's weights are rescaled to sum to its adult population (the return's
``weight_total``), so a borough that surveyed more people does not count for more. Rescaling
changes no borough figure: a proportion, its standard error and the Kish base do not depend on
the scale of the weights.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..catalogue.figures import LONDON
from ..standard import SURVEY_SOURCE, Measure, Standard
from .demographics import breakdown_parts, survey_breakdowns, text_column
from .estimate import Estimates, from_sums


@dataclass(frozen=True)
class SurveyReturn:
    """An accepted resident-survey return: its rows (text cells, '' for blank) and what its
    metadata says the weights add up to (None: take the weights as they are)."""

    frame: pd.DataFrame
    weight_total: float | None = None


@dataclass(frozen=True)
class _Stratum:
    borough: str
    period: str
    respondents: int
    scale: float  # what rescales the weights to the adult population
    sums: np.ndarray  # (6, domains): m, k, a, b, c, d


SUM_NAMES = ("m", "k", "a", "b", "c", "d")


def survey_measures(standard: Standard) -> list[Measure]:
    return [
        m for m in standard.measures.values() if m.source_type == SURVEY_SOURCE and m.survey_field
    ]


def domains(standard: Standard) -> pd.DataFrame:
    """Every (measure, breakdown, value) a survey figure is given for, in a fixed order."""
    rows = [
        (m.id, b, v)
        for m in survey_measures(standard)
        for b in survey_breakdowns(standard)
        for v in standard.breakdowns[b].values
    ]
    return pd.DataFrame(rows, columns=["measure_id", "breakdown", "breakdown_value"])


def _role_value(frame: pd.DataFrame, standard: Standard, role: str) -> str:
    survey = next(s for s in standard.submission_types.values() if s.weighted)
    name = survey.role(role)
    values = np.unique(text_column(frame, name)) if name in frame else []
    if len(values) != 1:
        raise ValueError(f"A survey return must hold one {role}; found {len(values)}.")
    return str(values[0])


def _stratum(ret: SurveyReturn, standard: Standard) -> _Stratum:
    frame = ret.frame
    survey = next(s for s in standard.submission_types.values() if s.weighted)
    w = pd.to_numeric(frame[survey.role("weight")], errors="coerce").to_numpy(dtype=float)
    if len(w) == 0 or not np.all(np.isfinite(w) & (w > 0)):
        raise ValueError("Every survey weight must be a number above zero.")
    measures = survey_measures(standard)
    base = np.zeros((len(frame), len(measures)))
    num = np.zeros_like(base)
    for j, m in enumerate(measures):
        if m.survey_field not in frame:
            continue
        answer = text_column(frame, m.survey_field)
        in_base = (answer != "") & ~np.isin(answer, list(m.excluded_codes))
        base[:, j] = in_base
        num[:, j] = in_base & np.isin(answer, list(m.numerator_codes))
    parts = breakdown_parts(frame, standard)
    blocks = []
    for b in survey_breakdowns(standard):
        values = list(standard.breakdowns[b].values)
        onehot = (parts[b][:, None] == np.array(values, dtype=object)[None, :]).astype(float)
        sums = [
            onehot.T @ base,
            onehot.T @ num,
            onehot.T @ (num * w[:, None]),
            onehot.T @ (base * w[:, None]),
            onehot.T @ (num * (w * w)[:, None]),
            onehot.T @ (base * (w * w)[:, None]),
        ]  # each (values, measures)
        blocks.append(np.stack(sums))  # (6, values, measures)
    # order the domains measure-major, as domains() lists them
    per_measure = [
        np.concatenate([blk[:, :, j] for blk in blocks], axis=1) for j in range(len(measures))
    ]
    sums = np.concatenate(per_measure, axis=1) if per_measure else np.zeros((6, 0))
    total = w.sum()
    scale = ret.weight_total / total if ret.weight_total else 1.0
    return _Stratum(
        _role_value(frame, standard, "borough"),
        _role_value(frame, standard, "period"),
        len(frame),
        scale,
        sums,
    )


def _rows(
    keys: pd.DataFrame,
    period: str,
    area: str,
    est: Estimates,
    contributing: np.ndarray,
    share: np.ndarray,
    multipliers: np.ndarray,
) -> pd.DataFrame:
    out = keys.copy()
    out.insert(1, "period", period)
    out.insert(2, "area_code", area)
    out["value"] = est.value * multipliers
    out["ci_lower"] = est.ci_lower * multipliers
    out["ci_upper"] = est.ci_upper * multipliers
    out["standard_error"] = est.standard_error * multipliers
    out["n_unweighted"] = est.n_unweighted
    out["n_effective"] = est.n_effective
    out["numerator"] = np.nan
    out["denominator"] = np.nan
    out["boroughs_contributing"] = contributing
    out["population_share"] = share
    out["_count"] = est.numerator_unweighted  # respondents with a numerator answer
    out["_weight"] = est.weighted_base  # the weighted base on the population scale
    out["_exact_interval"] = est.exact_interval
    return out[est.n_unweighted > 0]


def survey_figures(
    returns: Sequence[SurveyReturn],
    standard: Standard,
    shares: Mapping[str, Mapping[str, float]],
) -> pd.DataFrame:
    """Every survey figure, unsuppressed: each borough's and London's, for each period.

    ``shares`` gives each borough's share of London's adult population by period (NaN where it
    is not known).
    """
    keys = domains(standard)
    by_id = {m.id: m for m in survey_measures(standard)}
    multipliers = keys["measure_id"].map(lambda i: by_id[i].multiplier or 1).to_numpy(float)
    strata = [_stratum(r, standard) for r in returns]
    seen: set[tuple[str, str]] = set()
    for s in strata:
        if (s.borough, s.period) in seen:
            raise ValueError(f"Two survey returns for {s.borough} in {s.period}.")
        seen.add((s.borough, s.period))
    frames = []
    for period in sorted({s.period for s in strata}):
        group = [s for s in strata if s.period == period]
        share = np.array([shares.get(period, {}).get(s.borough, np.nan) for s in group])
        for s, own_share in zip(group, share, strict=True):
            sums = s.sums[:, :, None]  # (6, domains, 1 stratum)
            with_base = (sums[0] > 0).astype(int)[:, 0]
            est = from_sums(np.array([s.respondents]), *sums, strata_in_domain=with_base)
            scaled = _scaled(est, s.scale)
            frames.append(
                _rows(keys, period, s.borough, scaled, with_base, own_share * with_base,
                      multipliers)
            )  # fmt: skip
        stacked = np.stack([s.sums for s in group], axis=2)  # (6, domains, strata)
        scales = np.array([s.scale for s in group])
        power = np.array([0, 0, 1, 1, 2, 2])  # m, k are counts; a, b weights; c, d squared
        scaled_sums = stacked * scales[None, None, :] ** power[:, None, None]
        in_domain = stacked[0] > 0  # (domains, strata)
        est = from_sums(
            np.array([s.respondents for s in group])[None, :],
            *scaled_sums,
            strata_in_domain=in_domain.sum(axis=1),
        )
        frames.append(
            _rows(keys, period, LONDON, est, in_domain.sum(axis=1), in_domain @ share,
                  multipliers)
        )  # fmt: skip
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames, ignore_index=True)


def _scaled(est: Estimates, scale: float) -> Estimates:
    """A borough's figures with its weighted base on the population scale (nothing else moves)."""
    return Estimates(**{**est.__dict__, "weighted_base": est.weighted_base * scale})
