"""Generated survey returns shared by the figures tests, and an independent reading of them."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from validator.figures.survey import SurveyReturn
from validator.standard import load_standard
from validator.synthetic import adult_population, generate_survey

PERIOD = "2025-26"
BOROUGHS = ("E09000001", "E09000007", "E09000012", "E09000025", "E09000030", "E09000033")


@lru_cache(maxsize=4)
def survey_returns(rows: int = 300, seed: int = 7) -> tuple[SurveyReturn, ...]:
    """Six boroughs' returns, the City's small, each with weights that do not add up to the
    metadata's adult population (so London's rescaling matters)."""
    out = []
    for i, borough in enumerate(BOROUGHS):
        n = 40 if borough == "E09000001" else rows + 37 * i
        frame = generate_survey(borough, PERIOD, n, seed=seed)
        weights = pd.to_numeric(frame["weight"]) * (0.5 + i / 4)  # off the population scale
        frame["weight"] = weights.map(repr)
        out.append(SurveyReturn(frame, float(adult_population(borough, PERIOD))))
    return tuple(out)


def microdata(returns, measure_id: str, breakdown: str, value: str) -> pd.DataFrame:
    """One row per respondent: borough, raw and rescaled weight, in the domain, answer is a
    numerator code. Written from the standard's definitions, not with the aggregator's code."""
    std = load_standard()
    m = std.measures[measure_id]
    frames = []
    for ret in returns:
        f = ret.frame
        w = f["weight"].astype(float).to_numpy()
        answer = f[m.survey_field].fillna("").astype(str)
        in_base = (answer != "") & ~answer.isin(m.excluded_codes)
        part = _part(f, breakdown)
        frames.append(
            pd.DataFrame(
                {
                    "borough": f["borough"].to_numpy(),
                    "w_raw": w,
                    "w": w * ret.weight_total / w.sum(),
                    "in_domain": (in_base & (part == value)).to_numpy(),
                    "y": (in_base & answer.isin(m.numerator_codes)).astype(int).to_numpy(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _part(f: pd.DataFrame, breakdown: str) -> pd.Series:
    if breakdown == "total":
        return pd.Series("total", index=f.index)
    if breakdown in ("age_band", "sex"):
        return f[breakdown].where(f[breakdown] != "prefer_not_to_say", "unknown")
    if breakdown == "ethnic_group_5":
        group = f["ethnic_group"].str.split("_").str[0]
        return group.where(group.isin(["white", "mixed", "asian", "black", "other"]), "unknown")
    if breakdown == "disability":
        out = pd.Series("unknown", index=f.index)
        out[f["long_term_condition"] == "no"] = "not_disabled"
        yes = f["long_term_condition"] == "yes"
        out[yes & f["activity_limitation"].isin(["yes_a_lot", "yes_a_little"])] = "disabled"
        out[yes & (f["activity_limitation"] == "not_at_all")] = "not_disabled"
        return out
    raise KeyError(breakdown)


def by_hand(d: pd.DataFrame, weight: str = "w") -> dict[str, float]:
    """The textbook formulas, respondent by respondent, stratum by stratum."""
    from scipy import stats

    dom = d["in_domain"].to_numpy()
    w = d[weight].to_numpy()
    y = d["y"].to_numpy()
    total = (w * dom).sum()
    p = (w * dom * y).sum() / total
    variance = 0.0
    for _, g in d.groupby("borough"):
        z = (g[weight] * g["in_domain"] * (g["y"] - p) / total).to_numpy()
        n = len(z)
        variance += n / (n - 1) * ((z - z.mean()) ** 2).sum()
    se = variance**0.5
    base = int(dom.sum())
    df = base - d.loc[d["in_domain"], "borough"].nunique()
    out = {"p": p, "se": se, "n": base, "n_eff": total**2 / (w * w * dom).sum(), "df": df}
    if 0 < p < 1:
        t = stats.t.ppf(0.975, df)
        half = t * se / (p * (1 - p))
        lo, hi = np.log(p / (1 - p)) - half, np.log(p / (1 - p)) + half
        out["lo"], out["hi"] = 1 / (1 + np.exp(-lo)), 1 / (1 + np.exp(-hi))
    else:
        x = int((dom * y).sum())
        out["lo"] = stats.beta.ppf(0.025, x, base - x + 1) if x > 0 else 0.0
        out["hi"] = stats.beta.ppf(0.975, x + 1, base - x) if x < base else 1.0
    return out
