"""Service measures: each borough's figures as returned, and London's by adding them up.

A rate is the numerator over the denominator times the measure's multiplier; London adds the
numerators and the denominators of every borough that returned the row (never an average of
rates). A count measure has no denominator: London adds the counts. The breakdowns are those the
standard allows for the measure, as the boroughs returned them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..catalogue.figures import LONDON
from ..standard import SERVICE_SOURCE, Standard

KEYS = ["measure_id", "period", "breakdown", "breakdown_value"]


def _frame(returns: Sequence[pd.DataFrame], standard: Standard) -> pd.DataFrame:
    sub = next(s for s in standard.submission_types.values() if s.role("numerator"))
    names = {
        sub.role(role): out
        for role, out in (
            ("borough", "area_code"),
            ("period", "period"),
            ("measure", "measure_id"),
            ("breakdown", "breakdown"),
            ("breakdown_value", "breakdown_value"),
            ("numerator", "numerator"),
            ("denominator", "denominator"),
        )
    }
    if not returns:
        return pd.DataFrame(columns=list(names.values()))
    frame = pd.concat([r[list(names)] for r in returns], ignore_index=True).rename(columns=names)
    for col in ("area_code", "period", "measure_id", "breakdown", "breakdown_value"):
        frame[col] = frame[col].fillna("").astype(str).str.strip()
    for col in ("numerator", "denominator"):
        text = frame[col].fillna("").astype(str).str.strip()
        frame[col] = pd.to_numeric(text.where(text != ""), errors="coerce")
    service = {m.id for m in standard.measures.values() if m.source_type == SERVICE_SOURCE}
    frame = frame[frame["measure_id"].isin(service)]
    if frame.duplicated(["area_code", *KEYS]).any():
        first = frame[frame.duplicated(["area_code", *KEYS])].iloc[0]
        raise ValueError(
            f"Two service rows for {first.area_code}, {first.period}, {first.measure_id}, "
            f"{first.breakdown} {first.breakdown_value}: send one return per borough and period."
        )
    return frame


def service_figures(
    returns: Sequence[pd.DataFrame],
    standard: Standard,
    shares: Mapping[str, Mapping[str, float]],
) -> pd.DataFrame:
    """Every service figure, unsuppressed: each borough's row and London's sum."""
    boroughs = _frame(returns, standard)
    if boroughs.empty:
        return pd.DataFrame()
    boroughs = boroughs.assign(
        boroughs_contributing=1,
        population_share=[
            shares.get(p, {}).get(b, np.nan)
            for p, b in zip(boroughs.period, boroughs.area_code, strict=True)
        ],
    )
    london = (
        boroughs.groupby(KEYS, sort=True)
        .agg(
            numerator=("numerator", "sum"),
            denominator=("denominator", lambda s: s.sum(min_count=1)),
            boroughs_contributing=("area_code", "nunique"),
            population_share=("population_share", lambda s: s.sum(min_count=len(s))),
        )
        .reset_index()
        .assign(area_code=LONDON)
    )
    table = pd.concat([boroughs, london], ignore_index=True)
    measures = standard.measures
    multiplier = table["measure_id"].map(lambda i: measures[i].multiplier or np.nan)
    is_rate = table["measure_id"].map(lambda i: measures[i].has_denominator)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = (
            table["numerator"] / table["denominator"].where(table["denominator"] > 0) * multiplier
        )
    table["value"] = np.where(is_rate, rate, table["numerator"])
    table.loc[~is_rate, "denominator"] = np.nan
    for col in ("ci_lower", "ci_upper", "standard_error", "n_unweighted", "n_effective"):
        table[col] = np.nan
    table["_count"] = table["numerator"]
    table["_weight"] = np.nan
    table["_exact_interval"] = False
    return table
