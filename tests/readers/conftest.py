"""Fixtures for the reader tests: a workbook read to the end, as the checks would read it."""

from __future__ import annotations

import pytest

from validator.readers.workbook import read_xlsx


def _cells_of(chunk):
    columns = [chunk.column(i).to_pylist() for i in range(len(chunk.arrays))]
    return [list(row) for row in zip(*columns, strict=True)]


@pytest.fixture
def cells_of():
    """A chunk's rows as lists of text cells, read the way the checks read them."""
    return _cells_of


@pytest.fixture
def read_all():
    """Read a workbook to the end, as the engine does (errors may come while streaming):
    ``read_all(source, sheet=None)`` gives the table and its rows as lists of cells."""

    def read(source, sheet=None):
        table = read_xlsx(source, sheet)
        rows = [row for chunk in table.chunks for row in _cells_of(chunk)]
        return table, rows

    return read


@pytest.fixture
def read_rows():
    """Read a workbook to the end: ``read_rows(source, sheet=None)`` gives the table and its data
    rows as (sheet row number, cells) pairs."""

    def read(source, sheet=None):
        table = read_xlsx(source, sheet)
        rows = [
            (int(number), cells)
            for chunk in table.chunks
            for number, cells in zip(chunk.rows, _cells_of(chunk), strict=True)
        ]
        return table, rows

    return read
