"""A weighted proportion, its design-based standard error and its 95% interval, from sums.

The design: boroughs are strata, respondents the units, drawn with replacement with no finite
population correction (R: ``svydesign(ids=~1, strata=~borough, weights=~w)``). A figure is a
domain of that design (the base, or the base within one part of a breakdown), so each stratum's
variance term counts all ``n_h`` respondents of the borough, with a linearised score of zero
outside the domain, as R's ``subset()`` of a design does.

Everything here works on per-stratum sums, so a whole table of figures is a few array operations:
for the domain indicator ``d`` and answer ``y`` (1 for a numerator code),

- ``m = Σd``, ``k = Σdy`` (unweighted base and numerator),
- ``B = Σdw``, ``A = Σdwy``, ``D = Σdw²``, ``C = Σdw²y``.

With ``p = ΣA/ΣB`` the linearised score is ``z = dw(y - p)/ΣB``; per stratum
``Σz = (A - pB)/ΣB`` and ``Σz² = (C(1 - 2p) + p²D)/ΣB²``, and the variance is
``Σ_h n_h/(n_h - 1) (Σz² - (Σz)²/n_h)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

LEVEL = 0.95


@dataclass(frozen=True)
class Estimates:
    """Figures for many domains at once (arrays of equal length)."""

    value: np.ndarray  # the weighted proportion, 0 to 1
    standard_error: np.ndarray
    ci_lower: np.ndarray
    ci_upper: np.ndarray
    n_unweighted: np.ndarray  # base respondents
    numerator_unweighted: np.ndarray  # base respondents with a numerator answer
    n_effective: np.ndarray  # Kish effective base
    weighted_base: np.ndarray  # ΣB, the weighted base
    df: np.ndarray  # degrees of freedom of the interval
    exact_interval: np.ndarray  # True where the interval is Clopper–Pearson (value 0 or 1)


def stratum_terms(
    p: np.ndarray, total_b: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray, d: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Σz and Σz² of one stratum for domains with proportion ``p`` and weighted base
    ``total_b`` (arrays broadcast together)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        s1 = (a - p * b) / total_b
        s2 = (c * (1 - 2 * p) + p * p * d) / (total_b * total_b)
    return s1, s2


def variance_term(n_h: np.ndarray, s1: np.ndarray, s2: np.ndarray) -> np.ndarray:
    """One stratum's share of the variance: n_h/(n_h - 1) times the spread of its scores.

    A stratum of one respondent has no spread to measure and adds nothing (its figures fall far
    below any minimum base).
    """
    n_h = np.asarray(n_h, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        term = n_h / (n_h - 1) * (s2 - s1 * s1 / n_h)
    return np.where(n_h > 1, term, 0.0)


def intervals(
    p: np.ndarray, se: np.ndarray, df: np.ndarray, m: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The 95% interval: logit on a t distribution with ``df`` degrees of freedom, or
    Clopper–Pearson on the unweighted base ``m`` where ``p`` is exactly 0 or 1.

    The logit interval is ``expit(logit(p) ± t·se/(p(1 - p)))``, what R's
    ``svyciprop(method = "logit")`` gives. Returns the lower and upper ends and where the
    interval is Clopper–Pearson.
    """
    p, se, df, m = (np.asarray(x, dtype=float) for x in (p, se, df, m))
    alpha = 1 - LEVEL
    inner = (p > 0) & (p < 1) & (df >= 1)
    t = np.full(p.shape, np.nan)
    t[inner] = stats.t.ppf(1 - alpha / 2, df[inner])
    lower = np.full(p.shape, np.nan)
    upper = np.full(p.shape, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = np.log(p[inner] / (1 - p[inner]))
        half = t[inner] * se[inner] / (p[inner] * (1 - p[inner]))
    lower[inner] = 1 / (1 + np.exp(-(centre - half)))
    upper[inner] = 1 / (1 + np.exp(-(centre + half)))
    # Clopper–Pearson with x = 0 or x = m: the beta quantiles have a closed form
    zero = (p == 0) & (m > 0)
    one = (p == 1) & (m > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        lower[zero], upper[zero] = 0.0, 1 - (alpha / 2) ** (1 / m[zero])
        lower[one], upper[one] = (alpha / 2) ** (1 / m[one]), 1.0
    return lower, upper, zero | one


def from_sums(
    n_h: np.ndarray,
    m: np.ndarray,
    k: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    c: np.ndarray,
    d: np.ndarray,
    strata_in_domain: np.ndarray,
) -> Estimates:
    """Figures for domains whose sums are given per stratum, shape (domains, strata).

    ``n_h`` is each stratum's number of respondents (all of them, in the domain or not);
    ``strata_in_domain`` (domains,) counts the strata with a base, so that the degrees of
    freedom are base respondents less boroughs contributing.
    """
    total_m, total_k = m.sum(axis=1), k.sum(axis=1)
    total_a, total_b = a.sum(axis=1), b.sum(axis=1)
    total_d = d.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = total_a / total_b
        n_eff = total_b * total_b / total_d
    s1, s2 = stratum_terms(p[:, None], total_b[:, None], a, b, c, d)
    variance = variance_term(n_h, s1, s2).sum(axis=1)
    se = np.sqrt(np.clip(variance, 0, None))
    df = total_m - strata_in_domain
    lower, upper, exact = intervals(p, se, df, total_m)
    return Estimates(p, se, lower, upper, total_m, total_k, n_eff, total_b, df, exact)
