"""Read a date as a UK council writes it and give it as YYYY-MM-DD, or say why not.

Day comes before month (the standard is for UK councils), so 04/05/2025 is 4 May 2025; when both
readings were possible the reason names the other one. A column is judged as a whole: when any of
its dates only works as month/day (04/13/2025), every date that could be read either way is left
for a person rather than converted, since the column proves the month may come first. Two-digit
years, Excel date numbers and text that is not a date are never guessed. A date with a time of
day (``2025-04-01 14:30``) is read only when the time is midnight, as a spreadsheet writes a plain
date: any other time is reported, since the column holds only the date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
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

MIDNIGHT = "time of day 00:00 dropped: the column holds only the date, and midnight adds nothing"


@dataclass(frozen=True)
class DateReading:
    """``iso`` when the text is certainly a date, else None; ``reason`` says what was done."""

    iso: str | None
    reason: str


def month_day_proof(values: Iterable[str]) -> str | None:
    """The first value that is a real date only when read month/day (04/13/2025), if any."""
    for text in values:
        m = _DMY.match(text)
        if m and int(m.group(3)) > 12 and _real(int(m.group(4)), int(m.group(1)), int(m.group(3))):
            return text
    return None


def read_uk_date(text: str, *, month_day: str | None = None) -> DateReading | None:
    """The ISO form of a UK-written date; None when ``text`` already is one (nothing to do).

    ``month_day`` is a value from the same column that only works as month/day: when given, a
    date that could be read either way is left alone instead of read day first.
    """
    if _ISO.match(text):
        return None if _real(*_ints(_ISO.match(text).groups())) else _not_real(text)
    if m := _WITH_TIME.match(text):
        return _with_time(text, m, month_day)
    if m := _DMY.match(text):
        return _day_month(text, int(m.group(1)), int(m.group(3)), int(m.group(4)), month_day)
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


def _day_month(text: str, first: int, second: int, year: int, month_day: str | None) -> DateReading:
    """A date written with day and month as numbers: day first, unless that cannot be."""
    if not _real(year, second, first):
        if first <= 12 and _real(year, first, second):
            iso = date(year, first, second).isoformat()
            return DateReading(
                None,
                f"'{text}' is only a real date when read month/day "
                f"({_spoken(date(year, first, second))}); UK dates are day/month. Write it as "
                f"{iso} if that is the day.",
            )
        return _not_real(text)
    if first <= 12 and second <= 12 and first != second:
        uk, us = date(year, second, first), date(year, first, second)
        if month_day is not None:
            return DateReading(
                None,
                f"'{text}' could be {_spoken(uk)} or {_spoken(us)}: this column also holds "
                f"'{month_day}', which is only a date read month/day, so this one was not "
                "guessed. Write it as YYYY-MM-DD.",
            )
        return DateReading(
            uk.isoformat(),
            f"read as {_spoken(uk)} (day/month); could also be {_spoken(us, year=False)}",
        )
    return _reading(text, year, second, first, "day/month/year written as YYYY-MM-DD")


def _spoken(day: date, *, year: bool = True) -> str:
    """'4 May 2025' (or '4 May')."""
    words = f"{day.day} {_MONTHS[day.month - 1].title()}"
    return f"{words} {day.year}" if year else words


def _with_time(text: str, m: re.Match[str], month_day: str | None = None) -> DateReading:
    """A date followed by a time: drop the time when it is midnight, else say what is wrong."""
    day = m.group(1)
    reading = read_uk_date(day, month_day=month_day)
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
