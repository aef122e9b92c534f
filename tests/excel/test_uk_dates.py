"""Reading a date as an officer in the UK writes it, and saying why when it is left alone."""

from __future__ import annotations

import pytest

from validator.excel.uk_dates import read_uk_date


@pytest.mark.parametrize("text", ["2025-04-01T14:30:00", "2025-04-01 14:30", "01/04/2025 14:30"])
def test_a_date_with_a_time_of_day_says_so(text):
    reading = read_uk_date(text)
    assert reading is not None and reading.iso is None
    assert "time of day (14:30)" in reading.reason
    assert "only the date" in reading.reason and "2025-04-01" in reading.reason
    assert "not a date the fixer can read" not in reading.reason


@pytest.mark.parametrize(
    "text", ["2025-04-01T00:00:00", "2025-04-01 00:00", "2025-04-01T00:00", "01/04/2025 00:00:00"]
)
def test_a_midnight_time_is_dropped_and_the_reason_says_why(text):
    reading = read_uk_date(text)
    assert reading is not None and reading.iso == "2025-04-01"
    assert "00:00 dropped" in reading.reason and "only the date" in reading.reason


def test_a_time_on_a_date_that_does_not_exist_is_not_read():
    reading = read_uk_date("2025-02-30 00:00")
    assert reading is not None and reading.iso is None and "not a real date" in reading.reason
