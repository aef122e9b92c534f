"""The data-collection audit's data: how each borough holds each measure of the standard.

A borough answers once per measure: from its residents' survey (which survey, its year, sample
size and whether its question matches the standard's wording), from a service system, or not
collected. Every answer is kept; the latest per (borough, measure) is the current one. The
measures and boroughs come from the standard, so a measure added there is a new row here.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from . import audit, db
from .times import now

# How a borough holds a measure: the stored value, the words a person reads, the tag colour.
SOURCES = {
    "survey": ("Survey", "govuk-tag--green"),
    "service": ("Service", "govuk-tag--blue"),
    "none": ("Not collected", "govuk-tag--red"),
}
NOT_ANSWERED = ("Not answered", "govuk-tag--grey")
WORDING = {
    "yes": "Yes, it matches",
    "partly": "Partly",
    "no": "No, it is different",
}


@dataclass(frozen=True)
class Cell:
    """One borough's current answer for one measure, as the matrix shows it."""

    label: str
    classes: str
    answer: dict[str, Any] | None


def cell(answer: dict[str, Any] | None) -> Cell:
    label, classes = SOURCES[answer["source"]] if answer else NOT_ANSWERED
    return Cell(label, classes, answer)


def save(
    conn: sqlite3.Connection, borough: str, measure: str, values: dict[str, Any], user_id: int
) -> int:
    """Store a borough's answer for a measure and its audit entry in one transaction."""
    with db.write(conn):
        pk = db.insert(
            conn,
            "holdings",
            {
                "borough": borough,
                "measure": measure,
                **values,
                "answered_by": user_id,
                "answered_at": now(),
            },
        )
        audit.record(
            conn,
            "data-collection-answered",
            f"{measure}: {values['source']}",
            user_id=user_id,
            borough=borough,
        )
    return pk


_LATEST = """
    SELECT holdings.*, users.email AS answered_by_email FROM holdings
    LEFT JOIN users ON users.id = holdings.answered_by
    WHERE holdings.id IN (SELECT max(id) FROM holdings {where} GROUP BY borough, measure)
"""


def latest(conn: sqlite3.Connection, borough: str | None = None) -> dict[tuple[str, str], dict]:
    """Current answers keyed by (borough, measure), for one borough or all of London."""
    if borough is None:
        found = db.rows(conn, _LATEST.format(where=""))
    else:
        found = db.rows(conn, _LATEST.format(where="WHERE borough = ?"), (borough,))
    return {(r["borough"], r["measure"]): r for r in found}


def counts(cells: list[Cell]) -> dict[str, int]:
    """How many boroughs gave each answer (and how many have not answered) for one measure."""
    tally = {label: 0 for label, _ in [*SOURCES.values(), NOT_ANSWERED]}
    for c in cells:
        tally[c.label] += 1
    return tally
