"""Where and when a synthetic return is from: periods, populations and each borough's random
streams."""

from __future__ import annotations

import zlib
from datetime import date

import numpy as np

from ..periods import financial_year
from ..standard import Standard, load_standard
from . import baselines as base

SURVEY = "resident-survey"
SERVICE = "service-data"
BLOCK_ROWS = 10_000
CALIBRATION_ROWS = 4_000
LINE_END = "\n"

# tags that keep the random streams of different jobs apart
STREAM_CHARACTER, STREAM_SURVEY_BLOCK, STREAM_CALIBRATION, STREAM_SERVICE = 1, 2, 3, 4


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


def area_kind(borough: str, standard: Standard) -> str:
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
    area_kind(borough, load_standard())  # a clear error for an unknown borough
    thousands = base.RESIDENTS_2021_THOUSANDS.get(borough, base.RESIDENTS_DEFAULT_THOUSANDS)
    growth = (1 + base.POPULATION_GROWTH) ** (start.year - base.POPULATION_BASE_YEAR)
    return round(thousands * 1000 * growth)


def adult_population(borough: str, period: str) -> int:
    """A plausible adult (16 and over) population: what a survey return's weights add up to.

    Approximate Census 2021 residents (``synthetic_baselines.RESIDENTS_2021_THOUSANDS``) grown by
    0.5% a year, times the adult share of the City, inner or outer London. The City of London has
    about 8,000 adults; the boroughs about 110,000 to 320,000. Synthetic, not official, figures.
    """
    share = base.ADULT_SHARE[area_kind(borough, load_standard())]
    return round(resident_population(borough, period) * share)


# --- random streams ------------------------------------------------------------------------


def tag(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def borough_number(borough: str) -> int:
    return int(borough[3:]) if borough[3:].isdigit() else tag(borough)


def borough_rng(borough: str, *tags: int) -> np.random.Generator:
    """A borough's own lasting character: the same for every seed and every period."""
    return np.random.default_rng([STREAM_CHARACTER, borough_number(borough), *tags])


def logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


def sigmoid(x: np.ndarray | float) -> np.ndarray | float:
    return 1 / (1 + np.exp(-x))
