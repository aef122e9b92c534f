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

import sys
from collections.abc import Sequence
from pathlib import Path

from ..standard import Standard, load_standard
from .areas import SERVICE, SURVEY, area_kind, period_dates
from .service import write_service_csv
from .survey import write_survey_csv

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
        area_kind(borough, standard)
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
