"""What a period means: a financial year written like 2025-26, from 1 April to 31 March."""

from __future__ import annotations

import re
from datetime import date

_FY = re.compile(r"([0-9]{4})-([0-9]{2})")


def looks_like_period(text: str) -> bool:
    """Whether ``text`` has a period's shape (four digits, a dash, two digits), sound or not."""
    return _FY.fullmatch(text) is not None


def financial_year(period: str) -> tuple[date, date] | None:
    """1 April to 31 March of a period written like 2025-26, or None if it is not one."""
    m = _FY.fullmatch(period)
    if not m or (int(m.group(1)) + 1) % 100 != int(m.group(2)):
        return None
    year = int(m.group(1))
    return date(year, 4, 1), date(year + 1, 3, 31)
