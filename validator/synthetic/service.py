"""Synthetic service data: one tidy row per number, with breakdowns that add up to their totals."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from ..publication import clear_of_suppression
from ..standard import SERVICE_SOURCE, Standard, load_standard
from . import baselines as base
from .areas import (
    LINE_END,
    SERVICE,
    STREAM_SERVICE,
    SURVEY,
    adult_population,
    area_kind,
    borough_number,
    borough_rng,
    logit,
    period_dates,
    resident_population,
    sigmoid,
    tag,
)
from .survey import ethnic_mix

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
    inner = area_kind(borough, standard) != "outer"
    ethnic = standard.codelists[standard.submission_types[SURVEY].field("ethnic_group").codelist]
    groups = {c.extra.get("group", "") for c in ethnic.codes.values()} - {""}
    if set(values) - {"unknown"} <= groups:  # a breakdown by the five Census ethnic groups
        mix = ethnic_mix(standard, borough, inner)
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
    area = area_kind(borough, standard)
    inner = area != "outer"
    inner_share = sum(area_kind(b, standard) != "outer" for b in standard.boroughs.codes) / len(
        standard.boroughs.codes
    )
    character = borough_rng(borough, tag(measure.id))
    offset = character.normal(0, spec.spread)
    size_offset = character.normal(0, 0.1)
    ethnic_effects = character.normal(0, base.ETHNIC_EFFECT_SPREAD, 16)
    drift = sum(
        borough_rng(borough, tag(measure.id), year).normal(0, base.PERIOD_DRIFT)
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
        p = float(sigmoid(logit(p0) + shift)) if percent else min(0.5, p0 * np.exp(shift))
        numerator = int(rng.binomial(denominator, p))
    threshold = measure.small_count_threshold or 0
    min_base = 0 if count_measure else measure.min_base or 0
    if not small_counts and not clear_of_suppression(
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
        if not small_counts and not clear_of_suppression(*parts, threshold, min_base):
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
        rates = sigmoid(logit(min(max(p, 1e-6), 1 - 1e-6)) + effects)
    else:
        rates = p * np.exp(effects)
    numerators = _cap(_allocate(numerator, denominators * rates), denominators)
    return numerators, denominators


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
    area_kind(borough, standard)
    rng = np.random.default_rng([STREAM_SERVICE, seed, borough_number(borough), start.year])
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
