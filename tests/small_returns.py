"""Small generated returns, edited cell by cell, and checked through the public API."""

from __future__ import annotations

import pandas as pd

from validator import validate
from validator.synthetic import generate_service, generate_survey

BOROUGH, PERIOD = "E09000030", "2025-26"


def survey(rows: int = 120, changes: dict | None = None) -> pd.DataFrame:
    """A Tower Hamlets survey return, with ``changes`` {(row index, column): value} applied."""
    frame = generate_survey(BOROUGH, PERIOD, rows, seed=5)
    for (row, column), value in (changes or {}).items():
        frame.loc[row, column] = value
    return frame


def service() -> pd.DataFrame:
    """A Tower Hamlets service return with no small numbers (so no disclosure warnings)."""
    return generate_service(BOROUGH, PERIOD, seed=5, small_counts=False)


def check(frame: pd.DataFrame, tmp_path, **options):
    """Write the frame as a CSV and validate it, as a borough would."""
    path = tmp_path / "return.csv"
    frame.to_csv(path, index=False)
    return validate(path, **options)
