"""Realistic synthetic returns made from the standard, for tests, demonstrations and benchmarks."""

from .areas import SERVICE, SURVEY, adult_population, period_dates, resident_population
from .files import return_filename, write_returns
from .service import generate_service, write_frame_csv, write_service_csv
from .survey import generate_survey, write_survey_csv

__all__ = [
    "SERVICE",
    "SURVEY",
    "adult_population",
    "generate_service",
    "generate_survey",
    "period_dates",
    "resident_population",
    "return_filename",
    "write_frame_csv",
    "write_returns",
    "write_service_csv",
    "write_survey_csv",
]
