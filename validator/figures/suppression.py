"""The publication rules, applied before any figure leaves the aggregator.

Primary suppression reads the measure's thresholds through ``validator.publication`` (the one
reading of "below"):

- survey figures: the estimate is withheld on a base below ``min_base`` or when the respondents
  with a numerator answer are a small count; the base itself is withheld when it is a small count;
- service rates: the numerator (and so the rate) is withheld when it is a small count or the
  denominator is below ``min_base``; the denominator when it is a small count;
- counts: a small count is withheld.

Secondary suppression then withholds more, so that no withheld number can be worked out from
published ones by adding and subtracting. The relations an onlooker can use are London = the sum
of the boroughs, a total = the sum of a breakdown's parts, and one period's base = another's
where they are equal. A survey estimate enters them weighted by its weighted base, as if the
onlooker knew the bases (they are not published; this is the cautious reading). First every
relation with exactly one withheld number gets a second; then a linear-algebra check (is the
withheld number's unit vector in the row space of the relations?) catches any pattern of several
relations that still pins one down, and withholds one more number there, until none is pinned.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from ..catalogue.figures import LONDON, LOW_RELIABILITY, PUBLISHED, SUPPRESSED
from ..publication import base_too_small, low_reliability, small_count
from ..standard import SURVEY_SOURCE, Measure, Standard

SURVEY_VALUE, BASE, NUMERATOR, DENOMINATOR = "value", "n_unweighted", "numerator", "denominator"
ESTIMATE_COLUMNS = ["value", "ci_lower", "ci_upper", "standard_error", "n_effective"]
RELATIVE_TOLERANCE = 1e-9  # how closely a relation must hold to count as one


@dataclass(frozen=True)
class Relation:
    """Σ coef·x = 0 over rows ``rows`` of one quantity."""

    quantity: str
    rows: np.ndarray
    coef: np.ndarray


def quantities(measure: Measure) -> list[str]:
    """The additive numbers a row of this measure publishes."""
    if measure.source_type == SURVEY_SOURCE:
        return [SURVEY_VALUE, BASE]
    return [NUMERATOR, DENOMINATOR] if measure.has_denominator else [NUMERATOR]


def _amount(table: pd.DataFrame, quantity: str) -> np.ndarray:
    """What a relation adds up for a quantity: a survey estimate counts by its weighted base."""
    if quantity == SURVEY_VALUE:
        return (table["value"] * table["_weight"]).to_numpy(float)
    return table[quantity].to_numpy(float)


def _coef(table: pd.DataFrame, quantity: str) -> np.ndarray:
    if quantity == SURVEY_VALUE:
        return table["_weight"].to_numpy(float)
    return np.ones(len(table))


def primary(table: pd.DataFrame, measure: Measure) -> dict[str, np.ndarray]:
    """What each row withholds by the measure's own thresholds, per quantity."""
    threshold, min_base = measure.small_count_threshold, measure.min_base
    if measure.source_type == SURVEY_SOURCE:
        n = table["n_unweighted"].to_numpy(float)
        count = table["_count"].to_numpy(float)
        return {
            SURVEY_VALUE: np.asarray(base_too_small(n, min_base))
            | np.asarray(small_count(count, threshold)),
            BASE: np.asarray(small_count(n, threshold)),
        }
    num = table["numerator"].to_numpy(float)
    out = {NUMERATOR: np.asarray(small_count(num, threshold))}
    if measure.has_denominator:
        den = table["denominator"].to_numpy(float)
        out[NUMERATOR] = out[NUMERATOR] | np.asarray(base_too_small(den, min_base))
        out[DENOMINATOR] = np.asarray(small_count(den, threshold))
    return out


def _holds(amounts: np.ndarray, signs: np.ndarray) -> bool:
    if not np.all(np.isfinite(amounts)):
        return False
    scale = max(float(np.abs(amounts).max(initial=0.0)), 1.0)
    return abs(float((signs * amounts).sum())) <= RELATIVE_TOLERANCE * scale


def relations(table: pd.DataFrame, measure: Measure, standard: Standard) -> list[Relation]:
    """Every relation among one measure's rows (``table`` holds only them) that holds exactly."""
    out: list[Relation] = []
    london = (table["area_code"] == LONDON).to_numpy()
    whole = table["breakdown"].isin(standard.total_breakdowns).to_numpy()
    additive = (
        table["breakdown"]
        .isin([b.code for b in standard.breakdowns.values() if b.parts_sum_to_total])
        .to_numpy()
    )
    keys = table[["period", "area_code", "breakdown", "breakdown_value"]].astype(object)
    # London = the sum of the boroughs, for each period and part
    groups = [
        rows
        for rows in keys.groupby(["period", "breakdown", "breakdown_value"]).indices.values()
        if london[rows].sum() == 1 and len(rows) > 1
    ]
    signed = [(rows, np.where(london[rows], 1.0, -1.0)) for rows in groups]
    # a total = the sum of a breakdown's parts, for each period and area
    totals = {
        key: rows[0]
        for key, rows in keys[whole].groupby(["period", "area_code"]).indices.items()
        if len(rows) == 1
    }
    positions = np.flatnonzero(whole)
    totals = {key: positions[row] for key, row in totals.items()}
    additive_rows = np.flatnonzero(additive)
    by_part = keys.iloc[additive_rows].groupby(["period", "area_code", "breakdown"]).indices
    for (period, area, _), rows in by_part.items():
        total = totals.get((period, area))
        if total is not None:
            members = np.r_[total, additive_rows[rows]]
            signed.append((members, np.r_[1.0, -np.ones(len(rows))]))
    for quantity in quantities(measure):
        amount, coef = _amount(table, quantity), _coef(table, quantity)
        for rows, signs in signed:
            if _holds(amount[rows], signs):
                out.append(Relation(quantity, rows, signs * coef[rows]))
    return out


def _shared_bases(table: pd.DataFrame, measure: Measure) -> list[np.ndarray]:
    """Rows of different periods that share a base (an equal denominator): one is all."""
    if DENOMINATOR not in quantities(measure):
        return []
    keyed = table[table["denominator"].notna()]
    groups = keyed.groupby(["area_code", "breakdown", "breakdown_value", "denominator"]).indices
    positions = np.flatnonzero(table["denominator"].notna().to_numpy())
    return [positions[rows] for rows in groups.values() if len(rows) > 1]


def _smallest(rows: np.ndarray, hidden: np.ndarray, size: np.ndarray) -> int | None:
    """The open row with the smallest amount (a non-zero one if there is one): the cheapest
    complement to withhold."""
    open_rows = rows[~hidden[rows]]
    if not len(open_rows):
        return None
    nonzero = open_rows[size[open_rows] > 0]
    pool = nonzero if len(nonzero) else open_rows
    return int(pool[np.argmin(size[pool])])


def _pinned(rels: list[Relation], hidden: np.ndarray) -> list[int]:
    """The withheld rows that the relations determine exactly (linear algebra, not guesswork).

    A withheld row is determined when its unit vector lies in the row space of the relations
    restricted to the withheld rows (its projection onto that space has length one).
    Withheld rows fall into independent groups (linked by sharing a relation), solved one by one.
    """
    cols = np.flatnonzero(hidden)
    if not len(cols):
        return []
    where = np.full(len(hidden), -1)
    where[cols] = np.arange(len(cols))
    lines = [(where[r.rows[hidden[r.rows]]], r.coef[hidden[r.rows]]) for r in rels]
    lines = [(c, v / np.abs(v).max()) for c, v in lines if len(c)]
    if not lines:
        return []
    incidence = sparse.csr_matrix(
        (
            np.ones(sum(len(c) for c, _ in lines)),
            (np.repeat(np.arange(len(lines)), [len(c) for c, _ in lines]),
             np.concatenate([c for c, _ in lines])),
        ),
        shape=(len(lines), len(cols)),
    )  # fmt: skip
    _, component = connected_components(incidence.T @ incidence, directed=False)
    line_component = np.array([component[c[0]] for c, _ in lines])
    pinned = []
    for comp in np.unique(line_component):
        members = np.flatnonzero(component == comp)
        local = np.full(len(cols), -1)
        local[members] = np.arange(len(members))
        matrix = np.zeros((int((line_component == comp).sum()), len(members)))
        for i, k in enumerate(np.flatnonzero(line_component == comp)):
            c, v = lines[k]
            matrix[i, local[c]] = v
        _, s, vt = np.linalg.svd(matrix, full_matrices=False)
        rank = int((s > 1e-9 * s.max()).sum())
        # squared length of each unit vector's projection onto the relations' row space
        reach = (vt[:rank] ** 2).sum(axis=0)
        free = 1 - reach
        pinned += [int(cols[m]) for m, f in zip(members, free, strict=True) if f < 1e-9]
    return pinned


def secondary(
    hidden: dict[str, np.ndarray],
    rels: list[Relation],
    shared: list[np.ndarray],
    sizes: dict[str, np.ndarray],
) -> dict[str, np.ndarray]:
    """Withhold more until no withheld number can be recovered from the published ones."""
    hidden = {q: h.copy() for q, h in hidden.items()}
    while True:
        changed = True
        while changed:
            changed = False
            for rel in rels:
                h = hidden[rel.quantity]
                if h[rel.rows].sum() == 1:
                    pick = _smallest(rel.rows, h, sizes[rel.quantity])
                    if pick is not None:
                        h[pick] = changed = True
            if DENOMINATOR in hidden:
                h = hidden[DENOMINATOR]
                for rows in shared:
                    if h[rows].any() and not h[rows].all():
                        h[rows] = changed = True
        added = False
        for quantity, h in hidden.items():
            mine = [r for r in rels if r.quantity == quantity]
            for row in _pinned(mine, h):
                picks = (_smallest(r.rows, h, sizes[quantity]) for r in mine if row in r.rows)
                pick = next((p for p in picks if p is not None), None)
                if pick is not None:
                    h[pick] = added = True
        if not added:
            return hidden


def suppress(table: pd.DataFrame, standard: Standard) -> pd.DataFrame:
    """The table with every withheld number blanked and each row's status set."""
    out = table.copy()
    out["status"] = PUBLISHED
    for measure_id, rows in table.groupby("measure_id").indices.items():
        measure = standard.measures[measure_id]
        part = table.iloc[rows].reset_index(drop=True)
        hidden = primary(part, measure)
        sizes = {q: np.abs(np.nan_to_num(_amount(part, q))) for q in hidden}
        hidden = secondary(
            hidden, relations(part, measure, standard), _shared_bases(part, measure), sizes
        )
        index = table.index[rows]
        if measure.source_type == SURVEY_SOURCE:
            withheld = hidden[SURVEY_VALUE]
            out.loc[index[withheld], ESTIMATE_COLUMNS] = np.nan
            out.loc[index[hidden[BASE]], BASE] = np.nan
            flagged = ~withheld & np.asarray(
                low_reliability(
                    part["n_unweighted"].to_numpy(float),
                    measure.min_base,
                    measure.low_reliability_base,
                )
            )
            out.loc[index[flagged], "status"] = LOW_RELIABILITY
        else:
            withheld = hidden[NUMERATOR].copy()
            out.loc[index[hidden[NUMERATOR]], NUMERATOR] = np.nan
            if DENOMINATOR in hidden:
                out.loc[index[hidden[DENOMINATOR]], DENOMINATOR] = np.nan
                withheld |= hidden[DENOMINATOR]
            out.loc[index[withheld], "value"] = np.nan
        out.loc[index[withheld], "status"] = SUPPRESSED
    return out
