"""Where every borough stands in a round: the tracker's cells, counts and the chase list.

No Flask here: ``build`` turns a round and its submissions into the grid the tracker page, the
officer's status page and the non-submitters CSV all read, so the three never disagree.

A cell's state follows the borough's standing return, not its last click: an accepted version
stands even if a later attempt was rejected (the cell then also says the latest attempt failed).
An accepted version is late when it arrived (London date) after the round's closing date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from .times import LONDON

# State → (words on the tag, GOV.UK tag colour). The words always say what the colour says.
STATES = {
    "not-started": ("Not started", "govuk-tag--grey"),
    "rejected": ("Rejected", "govuk-tag--red"),
    "accepted": ("Accepted", "govuk-tag--green"),
    "accepted-late": ("Accepted late", "govuk-tag--yellow"),
}


@dataclass
class Cell:
    """One borough's return of one type in a round."""

    borough: str
    type: str
    state: str
    attempts: list[dict[str, Any]] = field(default_factory=list)  # newest first

    @property
    def label(self) -> str:
        return STATES[self.state][0]

    @property
    def tag_class(self) -> str:
        return STATES[self.state][1]

    @property
    def accepted(self) -> bool:
        return self.state in ("accepted", "accepted-late")

    @property
    def superseded(self) -> int:
        """How many earlier accepted versions the standing one replaced."""
        return sum(1 for s in self.attempts if s["status"] == "superseded")

    @property
    def latest_failed(self) -> bool:
        return bool(self.attempts) and self.attempts[0]["status"] == "rejected"


@dataclass
class Tracker:
    """A round's grid: ``cells[borough][type]``, boroughs in the standard's order."""

    round: dict[str, Any]
    boroughs: dict[str, str]  # code → name, from the standard
    cells: dict[str, dict[str, Cell]]
    days_left: int

    def accepted_count(self, kind: str) -> int:
        return sum(1 for row in self.cells.values() if row[kind].accepted)

    def missing(self) -> list[Cell]:
        """Every return not yet accepted, borough by borough in the standard's order."""
        return [
            cell
            for row in self.cells.values()
            for kind, cell in row.items()
            if not cell.accepted and kind in self.round["types"]
        ]


def arrived_on(submission: dict[str, Any]) -> date:
    """The London date a submission arrived (stored times are UTC)."""
    moment = datetime.fromisoformat(submission["uploaded_at"])
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LONDON).date()


def cell_for(
    round_: dict[str, Any], borough: str, kind: str, submissions: list[dict[str, Any]]
) -> Cell:
    """The cell for one return from the borough's submissions in the round (newest first)."""
    attempts = [s for s in submissions if s["borough"] == borough and s["type"] == kind]
    standing = next((s for s in attempts if s["status"] == "accepted"), None)
    if standing is not None:
        late = arrived_on(standing) > date.fromisoformat(round_["closes_on"])
        state = "accepted-late" if late else "accepted"
    elif attempts:
        state = "rejected"
    else:
        state = "not-started"
    return Cell(borough, kind, state, attempts)


def build(
    round_: dict[str, Any],
    submissions: list[dict[str, Any]],
    boroughs: dict[str, str],
    today: date,
) -> Tracker:
    """The grid for ``round_`` from its submissions (newest first) and the standard's boroughs."""
    cells = {
        code: {kind: cell_for(round_, code, kind, submissions) for kind in round_["types"]}
        for code in boroughs
    }
    days_left = (date.fromisoformat(round_["closes_on"]) - today).days
    return Tracker(round_, boroughs, cells, days_left)


def deadline_words(round_: dict[str, Any], days_left: int) -> str:
    """How the deadline stands, in words: 12 days left, Due today, Closed."""
    if round_.get("closed_at") or days_left < 0:
        return "Closed"
    if days_left == 0:
        return "Due today"
    return f"{days_left} day{'s' if days_left != 1 else ''} left"
