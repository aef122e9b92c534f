"""Where a borough's return stands in a round: the words and tag colour the pages show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

# The GOV.UK tag colour for each state a return can be in.
TAGS = {
    "accepted": ("Accepted", "govuk-tag--green"),
    "superseded": ("Superseded", "govuk-tag--grey"),
    "rejected": ("Rejected", "govuk-tag--red"),
    "not-started": ("Not started", "govuk-tag--blue"),
    "late": ("Late", "govuk-tag--orange"),
}


@dataclass
class Due:
    """One return due from a borough in a round."""

    round: dict[str, Any]
    type: str
    state: str
    latest: dict[str, Any] | None
    accepted: dict[str, Any] | None
    days_left: int

    @property
    def label(self) -> str:
        return TAGS[self.state][0]

    @property
    def tag_class(self) -> str:
        return TAGS[self.state][1]

    @property
    def deadline(self) -> str:
        if self.days_left < 0:
            return "Closed"
        if self.days_left == 0:
            return "Due today"
        return f"{self.days_left} day{'s' if self.days_left != 1 else ''} left"


def due(round_: dict[str, Any], kind: str, submissions: list[dict[str, Any]], today: date) -> Due:
    """The state of one return from the borough's submissions (newest first) for the round."""
    mine = [s for s in submissions if s["type"] == kind]
    accepted = next((s for s in mine if s["status"] == "accepted"), None)
    days_left = (date.fromisoformat(round_["closes_on"]) - today).days
    if accepted:
        state = "accepted"
    elif days_left < 0:
        state = "late"
    elif mine:
        state = "rejected"
    else:
        state = "not-started"
    return Due(round_, kind, state, mine[0] if mine else None, accepted, days_left)
