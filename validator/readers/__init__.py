"""Readers: turn a return (CSV, workbook or DataFrame) into a ``Table`` of text cells.

The workbook reader is imported only when a workbook arrives, and pandas only with a DataFrame.
"""

from .dataframe import read_dataframe
from .source import read_table, require_binary, rewindable
from .table import CHUNK_ROWS, MAX_COLUMNS, Chunk, ReaderNote, RowIssue, Table

__all__ = [
    "CHUNK_ROWS",
    "MAX_COLUMNS",
    "Chunk",
    "ReaderNote",
    "RowIssue",
    "Table",
    "read_dataframe",
    "read_table",
    "require_binary",
    "rewindable",
]
