"""The output table: every figure for each measure, period, borough and London, rules applied.

``aggregate`` is the one door: accepted returns in (as data, not files), the published table out,
with the publication rules already applied. The portal and ``lsids aggregate`` both call it, so
they give the same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..catalogue.figures import (
    CONFIDENTIAL,
    LONDON,
    LOW,
    LOW_RELIABILITY,
    NOT_AVAILABLE,
    OUTPUT_COLUMNS,
    SUPPRESSED,
)
from ..standard import SURVEY_SOURCE, Standard, load_standard
from .service import service_figures
from .suppression import suppress
from .survey import SurveyReturn, survey_figures

COLUMNS = list(OUTPUT_COLUMNS)
SORT = ["measure_id", "period", "_london_last", "area_code", "breakdown", "breakdown_value"]


def population_shares(
    populations: Mapping[tuple[str, str], float], standard: Standard
) -> dict[str, dict[str, float]]:
    """Each borough's share of London's adult population, by period; NaN for a period in which
    some borough's population is not known (London's total is then unknown too)."""
    boroughs = list(standard.boroughs.codes)
    out: dict[str, dict[str, float]] = {}
    for period in sorted({p for _, p in populations}):
        known = {b: populations.get((b, period)) for b in boroughs}
        complete = all(v is not None and v > 0 for v in known.values())
        total = sum(v for v in known.values() if v) if complete else np.nan
        out[period] = {b: (v / total if complete and v else np.nan) for b, v in known.items()}
    return out


def survey_populations(surveys: Sequence[SurveyReturn], standard: Standard) -> dict:
    """The adult populations the survey returns state, (borough, period) → total: the metadata's
    ``weight_total``, or else what the weights add up to (which the standard says it is)."""
    sub = next(s for s in standard.submission_types.values() if s.weighted)
    out = {}
    for ret in surveys:
        if len(ret.frame):
            borough = str(ret.frame[sub.role("borough")].iloc[0]).strip()
            period = str(ret.frame[sub.role("period")].iloc[0]).strip()
            total = ret.weight_total or pd.to_numeric(ret.frame[sub.role("weight")]).sum()
            out[(borough, period)] = float(total)
    return out


def aggregate(
    surveys: Sequence[SurveyReturn] = (),
    services: Sequence[pd.DataFrame] = (),
    *,
    populations: Mapping[tuple[str, str], float] | None = None,
    standard: Standard | None = None,
) -> pd.DataFrame:
    """The published output table from accepted returns, every period of them (the back series).

    ``surveys`` are resident-survey returns with their metadata's ``weight_total``; ``services``
    are service-data returns as text DataFrames. ``populations`` gives each borough's adult
    population by (borough, period) for coverage; by default the survey returns' weight totals.
    Rows of the publication rules' withheld numbers are blank, with ``status`` saying why.
    """
    standard = standard or load_standard()
    pops = dict(survey_populations(surveys, standard))
    pops.update(populations or {})
    shares = population_shares(pops, standard)
    parts = [
        survey_figures(list(surveys), standard, shares),
        service_figures(list(services), standard, shares),
    ]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in COLUMNS})
    raw = pd.concat(parts, ignore_index=True)
    raw["_london_last"] = raw["area_code"] == LONDON
    raw = raw.sort_values(SORT, kind="stable").reset_index(drop=True)
    raw["population_share"] = raw["population_share"].round(12)  # no 0.9999999999999998
    table = suppress(raw, standard)
    return table[COLUMNS].astype({c: _dtype(c) for c in COLUMNS})


def _dtype(column: str) -> str:
    kind = OUTPUT_COLUMNS[column][0]
    return {"string": "object", "integer": "Int64", "number": "float64"}[kind]


def back_series(
    table: pd.DataFrame,
    measure_id: str,
    area_code: str = LONDON,
    breakdown: str = "total",
    breakdown_value: str = "total",
) -> pd.DataFrame:
    """One figure's time series across periods, oldest first."""
    rows = table[
        (table["measure_id"] == measure_id)
        & (table["area_code"] == area_code)
        & (table["breakdown"] == breakdown)
        & (table["breakdown_value"] == breakdown_value)
    ]
    return rows.sort_values("period").reset_index(drop=True)


def for_people(table: pd.DataFrame, standard: Standard | None = None) -> pd.DataFrame:
    """The table as text for people, with the GSS shorthand: ``[c]`` for a withheld number,
    ``[u]`` after a low-reliability figure, ``[x]`` where a figure does not exist."""
    standard = standard or load_standard()
    out = table.astype(object).copy()
    measures = table["measure_id"].map(standard.measures)
    survey = measures.map(lambda m: m.source_type == SURVEY_SOURCE).to_numpy(bool)
    rate = measures.map(lambda m: m.has_denominator).to_numpy(bool)
    withheld = (table["status"] == SUPPRESSED).to_numpy()
    # the numbers a row of each kind publishes; a blank among them is a withheld one (a count
    # measure's value is its count, written as a whole number)
    exists = {
        "value": np.ones(len(table), dtype=bool),
        "ci_lower": survey,
        "ci_upper": survey,
        "standard_error": survey,
        "n_unweighted": survey,
        "n_effective": survey,
        "numerator": ~survey,
        "denominator": ~survey & rate,
        "population_share": np.zeros(len(table), dtype=bool),
    }
    for col, present in exists.items():
        blank = table[col].isna().to_numpy()
        kind = np.where(survey | rate, col, "numerator") if col == "value" else [col] * len(table)
        values = table[col].to_numpy(float)
        text = np.array([_number(v, k) for v, k in zip(values, kind, strict=True)], dtype=object)
        text[blank] = NOT_AVAILABLE
        text[blank & withheld & present] = CONFIDENTIAL
        out[col] = text
    low = (table["status"] == LOW_RELIABILITY).to_numpy()
    out.loc[low, "value"] = out.loc[low, "value"] + f" {LOW}"
    return out


def _number(value: float, column: str) -> str:
    if np.isnan(value):
        return ""
    if column in ("n_unweighted", "numerator", "denominator"):
        return f"{value:.0f}"
    if column == "population_share":
        return f"{value:.3f}"
    return f"{value:.2f}" if column == "standard_error" else f"{value:.1f}"
