"""Fixtures shared by tests in every folder: small returns to edit, the command line run in
this process, a stream that only reads forwards, and an example return as rows and as a workbook.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from validator import validate
from validator.cli import main
from validator.synthetic import generate_service, generate_survey

ROOT = Path(__file__).resolve().parents[1]
# The borough and period of the small returns below; tests that name them spell them out.
BOROUGH, PERIOD = "E09000030", "2025-26"
CITY_SURVEY = ROOT / "examples" / "valid" / "resident-survey_E09000001_2025-26.csv"


# --- small returns, edited cell by cell and checked through the public API -------------------


@pytest.fixture
def survey():
    """Make a Tower Hamlets survey return: ``survey(rows=120, changes={(row, column): value})``."""

    def make(rows: int = 120, changes: dict | None = None) -> pd.DataFrame:
        frame = generate_survey(BOROUGH, PERIOD, rows, seed=5)
        for (row, column), value in (changes or {}).items():
            frame.loc[row, column] = value
        return frame

    return make


@pytest.fixture
def service():
    """Make a Tower Hamlets service return with no small numbers (so no disclosure warnings)."""

    def make() -> pd.DataFrame:
        return generate_service(BOROUGH, PERIOD, seed=5, small_counts=False)

    return make


@pytest.fixture
def check(tmp_path):
    """Write a frame as a CSV in the test's folder and validate it, as a borough would:
    ``check(frame, **options)`` gives the report."""

    def run(frame: pd.DataFrame, **options):
        path = tmp_path / "return.csv"
        frame.to_csv(path, index=False)
        return validate(path, **options)

    return run


@pytest.fixture
def finding_codes():
    """The codes of a report's findings, warnings about small bases (a tiny return) left out."""

    def codes(report) -> list[str]:
        return [f.code for f in report.findings if f.code not in ("low-base", "small-count")]

    return codes


# --- the command line --------------------------------------------------------------------------


@pytest.fixture
def lsids(capsys):
    """Run ``lsids`` in this process: ``lsids("validate", path)`` gives (status, stdout, stderr)."""

    def run(*args: object) -> tuple[int, str, str]:
        status = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return status, out, err

    return run


# --- sources -----------------------------------------------------------------------------------


class ForwardOnly(io.RawIOBase):
    """Readable, not seekable: what a web upload or a shell pipe gives the validator."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


@pytest.fixture
def forward_only():
    """Make a file object that can only be read forwards, like an upload or a pipe:
    ``forward_only(data)``."""
    return ForwardOnly


@pytest.fixture
def valid_rows() -> list[list[str]]:
    """The City of London's valid survey example as rows of text, the headings first."""
    with CITY_SURVEY.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


@pytest.fixture
def workbook_with_title(tmp_path):
    """Make a workbook whose data sheet has a title and a blank row above ``rows``:
    ``workbook_with_title(rows, name="return.xlsx")`` gives its path."""

    def make(rows, name: str = "return.xlsx") -> Path:
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "resident-survey"
        sheet.append(["Resident survey 2025-26"])
        sheet.append([])
        for row in rows:
            sheet.append(row)
        path = tmp_path / name
        book.save(path)
        return path

    return make
