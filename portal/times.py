"""Dates and times as a London officer reads them (GOV.UK style: 2 December 2026, 7:05am)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def today() -> date:
    """Today's date in London."""
    return datetime.now(LONDON).date()


def clock(moment: datetime) -> str:
    """A time of day in London, e.g. 7:05am."""
    local = moment.astimezone(LONDON)
    return f"{local.hour % 12 or 12}:{local.minute:02d}{'am' if local.hour < 12 else 'pm'}"


def long_date(value: date | str) -> str:
    """A date as 2 December 2026."""
    day = date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return f"{day.day} {day:%B %Y}"


def stamp(iso: str) -> str:
    """A stored UTC timestamp as London date and time: 2 December 2026 at 7:05am."""
    moment = datetime.fromisoformat(iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return f"{long_date(moment.astimezone(LONDON).date())} at {clock(moment)}"


def now() -> str:
    """The current time in UTC as ISO 8601 with seconds, the form every table stores."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()
