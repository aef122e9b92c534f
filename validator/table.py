"""What every reader hands the checks: a header and the data rows in chunks of text cells.

A reader (CSV, XLSX, DataFrame) turns its input into a ``Table``; the checks never see the file.
Cells are kept as the text a person typed ('' for an empty cell), so each check decides for
itself what a value means and reports exactly what was written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd


class InputError(Exception):
    """The input cannot be read at all: not a table, not the format it claims, or unsafe.

    Carries a stable ``code`` and a message and hint written for a borough officer. The command
    line turns it into exit status 2; the portal shows it in place of a report.
    """

    def __init__(self, code: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint


@dataclass
class RowIssue:
    """A structural problem with one physical row that the reader found while reading."""

    row: int
    kind: Literal["ragged", "blank"]
    expected: int
    actual: int


@dataclass
class ReaderNote:
    """Something the reader did or skipped that a person should know (a hidden sheet, a BOM…).

    ``code`` is a finding code from the catalogue; the engine turns notes into findings.
    """

    code: str
    message: str
    rows: list[int] = field(default_factory=list)


@dataclass
class Chunk:
    """A block of data rows: text cells by header position, with their spreadsheet row numbers."""

    rows: np.ndarray
    frame: pd.DataFrame


@dataclass
class Table:
    """A readable table: its header, its rows in chunks, and what the reader noticed."""

    header: list[str]
    chunks: Iterator[Chunk]
    format: Literal["csv", "xlsx", "dataframe"]
    issues: list[RowIssue] = field(default_factory=list)
    notes: list[ReaderNote] = field(default_factory=list)
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
