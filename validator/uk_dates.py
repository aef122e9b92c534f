"""Read a date as a UK council writes it and give it as YYYY-MM-DD, or say why not.

Day comes before month (the standard is for UK councils), so 04/05/2025 is 4 May 2025; when both
readings were possible the reason says so. Two-digit years, Excel date numbers and text that is
not a date are never guessed. A date with a time of day (``2025-04-01 14:30``) is read only when
the time is midnight, as a spreadsheet writes a plain date: any other time is reported, since the
column holds only the date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_WITH_TIME = re.compile(r"^(.+?)(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$")
_DMY = re.compile(r"^(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4})$")
_YMD = re.compile(r"^(\d{4})([/.])(\d{1,2})\2(\d{1,2})$")
_DMY_SHORT = re.compile(r"^\d{1,2}([/.-])\d{1,2}\1\d{2}$")
_NAMED = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s-]+([a-z]+)\.?,?[\s-]+(\d{4})$", re.IGNORECASE)
_SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)

UK_READING = "read as a UK date (day/month/year)"
MIDNIGHT = "time of day 00:00 dropped: the column holds only the date, and midnight adds nothing"


@dataclass(frozen=True)
class DateReading:
    """``iso`` when the text is certainly a date, else None; ``reason`` says what was done."""

    iso: str | None
    reason: str


def read_uk_date(text: str) -> DateReading | None:
    """The ISO form of a UK-written date; None when ``text`` already is one (nothing to do)."""
    if _ISO.match(text):
        return None if _real(*_ints(_ISO.match(text).groups())) else _not_real(text)
    if m := _WITH_TIME.match(text):
        return _with_time(text, m)
    if m := _DMY.match(text):
        day, month, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
        both = day <= 12 and month <= 12 and day != month
        reason = UK_READING if both else "day/month/year written as YYYY-MM-DD"
        return _reading(text, year, month, day, reason)
    if m := _YMD.match(text):
        year, month, day = int(m.group(1)), int(m.group(3)), int(m.group(4))
        return _reading(text, year, month, day, "year/month/day written as YYYY-MM-DD")
    if m := _NAMED.match(text):
        month = _month(m.group(2))
        if month is None:
            return DateReading(None, f"'{text}' does not name a month the fixer knows.")
        return _reading(text, int(m.group(3)), month, int(m.group(1)), "date written as YYYY-MM-DD")
    if _DMY_SHORT.match(text):
        return DateReading(
            None, f"'{text}' has a two-digit year; write the year in full, such as 2025."
        )
    if _SERIAL.match(text):
        return DateReading(
            None,
            f"'{text}' looks like an Excel date number; format the column as a date in Excel "
            "and save again.",
        )
    return DateReading(None, f"'{text}' is not a date the fixer can read.")


def _with_time(text: str, m: re.Match[str]) -> DateReading:
    """A date followed by a time: drop the time when it is midnight, else say what is wrong."""
    day = m.group(1)
    reading = read_uk_date(day)
    if reading is not None and reading.iso is None:
        return reading
    iso = day if reading is None else reading.iso
    hours, minutes, seconds, fraction = m.group(2), m.group(3), m.group(4), m.group(5)
    if int(hours) > 23 or int(minutes) > 59 or int(seconds or 0) > 59:
        return DateReading(None, f"'{text}' is not a date the fixer can read.")
    if int(hours) == int(minutes) == int(seconds or 0) == int(fraction or 0) == 0:
        return DateReading(iso, MIDNIGHT if reading is None else f"{reading.reason}; {MIDNIGHT}")
    clock = f"{int(hours):02d}:{minutes}"
    return DateReading(
        None,
        f"'{text}' holds a time of day ({clock}) as well as the date; the column holds only the "
        f"date. Write the date alone, such as {iso}, if that is the day.",
    )


def _ints(groups: tuple[str | None, ...]) -> tuple[int, int, int]:
    year, month, day = (int(g or 0) for g in groups[:3])
    return year, month, day


def _real(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _not_real(text: str) -> DateReading:
    return DateReading(None, f"'{text}' is not a real date.")


def _reading(text: str, year: int, month: int, day: int, reason: str) -> DateReading:
    if not _real(year, month, day):
        return _not_real(text)
    return DateReading(date(year, month, day).isoformat(), reason)


def _month(word: str) -> int | None:
    word = word.lower()
    if word == "sept":
        return 9
    for number, name in enumerate(_MONTHS, start=1):
        if word == name or (len(word) == 3 and name.startswith(word)):
            return number
    return None
