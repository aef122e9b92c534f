"""The publication rule: which figures the GLA may publish, by each measure's thresholds.

The standard's measure definitions (``standard/codelists/measures.csv``) set three thresholds;
this module is their one reading, used by the validator's disclosure warnings, the generator and
the aggregator alike, so that "below" means the same everywhere:

- ``small_count_threshold``: a count from 1 up to one less than the threshold could identify
  people and is suppressed (0 is published);
- ``min_base``: a figure on a base below the minimum is withheld;
- ``low_reliability_base``: a survey figure on a base from the minimum up to one less than this
  is published with a low-reliability flag.

Each function takes a number or a numpy array (NaN is never small) and a threshold that may be
None or 0 (no rule).
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np

Number = TypeVar("Number", int, float, np.ndarray)


def small_count(count: Number, threshold: int | None) -> Number | bool:
    """Whether a count must be suppressed: above zero and below the small-count threshold."""
    if not threshold:
        return np.zeros(np.shape(count), dtype=bool) if np.ndim(count) else False
    return (count > 0) & (count < threshold)


def base_too_small(base: Number, min_base: int | None) -> Number | bool:
    """Whether a figure's base is below the minimum it may be published on."""
    if not min_base:
        return np.zeros(np.shape(base), dtype=bool) if np.ndim(base) else False
    return base < min_base


def low_reliability(base: Number, min_base: int | None, low_base: int | None) -> Number | bool:
    """Whether a published survey figure is flagged: at least the minimum base, below this one."""
    if not low_base:
        return np.zeros(np.shape(base), dtype=bool) if np.ndim(base) else False
    return ~np.asarray(base_too_small(base, min_base)) & (np.asarray(base) < low_base)


def clear_of_suppression(
    counts: np.ndarray, bases: np.ndarray, threshold: int | None, min_base: int | None
) -> bool:
    """Whether every count and base stays publishable with a margin of one and no zeros.

    Stricter than the rule on purpose: the generator uses it to make returns that raise no
    disclosure warning, whichever way a reader might round a threshold.
    """
    counts_clear = bool(np.all(np.asarray(counts) > (threshold or 0)))
    bases_clear = not min_base or bool(np.all(np.asarray(bases) > min_base))
    return counts_clear and bases_clear
