"""Figures as people read them: a number in the measure's unit, with the GSS shorthand.

The publication rules were applied by the aggregator; this only reads a row's ``status``:
``[c]`` for a withheld figure, ``[u]`` after a low-reliability one, ``[x]`` where none exists.
"""

from __future__ import annotations

import re
from typing import Any

from validator.catalogue.figures import (
    CONFIDENTIAL,
    LOW,
    LOW_RELIABILITY,
    NOT_AVAILABLE,
    SUPPRESSED,
)
from validator.standard import Measure

MINUS = "\u2212"


def number(value: float, unit: str, short: bool = False) -> str:
    """A bare number in the unit's usual precision: 27.9%, 1.88 per 1,000, 26,954 (``short``
    leaves out "per 1,000", for a map tile whose scale says it)."""
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "per_1000":
        return f"{value:.2f}" + ("" if short else " per 1,000")
    if unit == "percentage_points":
        return f"{value:.1f} percentage points"
    return f"{value:,.0f}"


def figure(row: dict[str, Any] | None, measure: Measure, short: bool = False) -> str:
    """A row's value for people: the number, ``[u]`` after it if low reliability, or the
    shorthand alone where it is withheld or does not exist."""
    if row is None:
        return NOT_AVAILABLE
    if row["status"] == SUPPRESSED or row["value"] is None:
        return CONFIDENTIAL if row["status"] == SUPPRESSED else NOT_AVAILABLE
    text = number(row["value"], measure.unit, short)
    return f"{text} {LOW}" if row["status"] == LOW_RELIABILITY else text


def interval(row: dict[str, Any] | None, measure: Measure) -> str:
    """The 95% confidence interval ("25.2% to 30.8%"), or the shorthand."""
    if row is None or row["ci_lower"] is None or row["ci_upper"] is None:
        withheld = row is not None and row["status"] == SUPPRESSED
        return CONFIDENTIAL if withheld else NOT_AVAILABLE
    return f"{number(row['ci_lower'], measure.unit)} to {number(row['ci_upper'], measure.unit)}"


def change(latest: dict[str, Any] | None, previous: dict[str, Any] | None, measure: Measure) -> str:
    """The change from the previous period, signed, in the unit's terms (percentage points for
    a percentage); ``[c]`` where either figure is withheld, ``[x]`` where either is missing."""
    if latest is None or previous is None:
        return NOT_AVAILABLE
    if SUPPRESSED in (latest["status"], previous["status"]):
        return CONFIDENTIAL
    if latest["value"] is None or previous["value"] is None:
        return NOT_AVAILABLE
    diff = latest["value"] - previous["value"]
    unit = "percentage_points" if measure.unit == "percent" else measure.unit
    text = number(abs(diff), unit)
    shown = float(re.sub(r"[^0-9.]", "", text.split(" ")[0]) or 0)
    sign = "" if shown == 0 else "+" if diff > 0 else MINUS  # no "−0.0": the sign of what shows
    low = LOW_RELIABILITY in (latest["status"], previous["status"])
    return f"{sign}{text}" + (f" {LOW}" if low else "")


def coverage(row: dict[str, Any] | None, boroughs: int) -> str:
    """Which share of London a London figure covers: "30 of 33 boroughs (92% of adults)"."""
    if row is None or not row["boroughs_contributing"]:
        return NOT_AVAILABLE
    text = f"{row['boroughs_contributing']} of {boroughs} boroughs"
    if row["population_share"] is not None:
        text += f" ({row['population_share']:.0%} of London's adults)"
    return text
