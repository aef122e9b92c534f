"""What every reader hands the checks: a header and the data rows in chunks of text cells.

A reader (CSV, XLSX, DataFrame) turns its input into a ``Table``; the checks never see the file.
Cells are kept as the text a person typed ('' for an empty cell), so each check decides for
itself what a value means and reports exactly what was written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pyarrow as pa

from ..catalogue.inputs import InputError

MAX_COLUMNS = 1_000
"""The most columns any reader accepts: a wider file is not a return (``too-many-columns``)."""
CHUNK_ROWS = 25_000
"""Rows per chunk: the unit of work and of memory (read at call time, so tests can shrink it).
Measured on 1M survey rows: 25k rows per chunk is as fast as 50k and peaks ~40 MB lower."""


@dataclass
class RowIssue:
    """A structural problem with one physical row that the reader found while reading."""

    row: int
    kind: Literal["ragged", "blank"]
    expected: int
    actual: int


@dataclass
class ReaderNote:
    """Something the reader did or skipped that a person should know (a hidden sheet…).

    ``code`` is a finding code from the catalogue (``hidden-sheet-ignored``,
    ``hidden-rows-ignored``, ``merged-cells``, ``formula-not-calculated``,
    ``headings-not-on-first-row``). The note carries only the *values* the catalogue's message
    template shows, by placeholder name (``{"sheet": "Lookups", "checked": "Data"}``,
    ``{"ranges": "A2:C2"}``, ``{"row": 3}``); the engine fills the template, so the catalogue
    is the one place for the words. ``rows`` are the spreadsheet rows concerned.
    """

    code: str
    values: dict[str, Any] = field(default_factory=dict)
    rows: list[int] = field(default_factory=list)

    @property
    def message(self) -> str:
        """The note in words: the catalogue's message for ``code`` filled with ``values``."""
        from ..catalogue.findings import CATALOGUE
        from ..catalogue.words import render_template

        return render_template(CATALOGUE[self.code].message, self.values)


@dataclass
class Chunk:
    """A block of data rows: text cells by header position, with their spreadsheet row numbers.

    The cells are ``arrays``: one ``pyarrow`` string array per header position, '' for an empty
    cell. The checks read them through ``column(i)``.
    """

    rows: np.ndarray
    arrays: list[pa.Array]
    cache: dict = field(default_factory=dict)  # results checks share, e.g. parsed dates

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, index: int) -> pa.Array:
        """The cells of the column at header position ``index``, as text."""
        return self.arrays[index]


@dataclass
class Table:
    """A readable table: its header, its rows in chunks, and what the reader noticed.

    ``header_row`` is the spreadsheet row the headings were read from (1 unless the reader found
    them lower down, below a title or blank rows); data row numbers are counted the same way.
    """

    header: list[str]
    chunks: Iterator[Chunk]
    format: Literal["csv", "xlsx", "ods", "xls", "dataframe"]
    issues: list[RowIssue] = field(default_factory=list)
    notes: list[ReaderNote] = field(default_factory=list)
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    name: str | None = None
    header_row: int = 1
    ragged_rows_kept: bool = False
    """Whether a ragged row (``RowIssue`` "ragged") is also in the chunks, cut to the header's
    width (a workbook's), or set aside (a CSV's: its cells cannot be placed)."""


def check_width(header: list[str], *, table: bool = False) -> None:
    """Raise ``too-many-columns`` if ``header`` is wider than any return (of a file, or of a
    ``table`` such as a DataFrame)."""
    if len(header) > MAX_COLUMNS:
        raise InputError(
            "too-many-columns-in-table" if table else "too-many-columns-in-file",
            count=f"{len(header):,}",
            most=f"{MAX_COLUMNS:,}",
        )
