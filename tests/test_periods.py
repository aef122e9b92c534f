"""A period is a financial year written like 2025-26: the validator and the generator agree."""

from datetime import date

import pytest

from validator.periods import financial_year, looks_like_period
from validator.synthetic import period_dates


def test_a_financial_year_runs_from_april_to_march():
    assert financial_year("2025-26") == (date(2025, 4, 1), date(2026, 3, 31))
    assert financial_year("1999-00") == (date(1999, 4, 1), date(2000, 3, 31))


def test_years_that_do_not_follow_on_are_not_a_period():
    assert looks_like_period("2025-27") and financial_year("2025-27") is None
    assert not looks_like_period("2025/26") and financial_year("2025/26") is None


def test_the_generator_refuses_what_the_validator_refuses():
    assert period_dates("2025-26") == financial_year("2025-26")
    with pytest.raises(ValueError, match="write it like 2025-26"):
        period_dates("2025-27")
