"""Readers: turn a return (CSV, workbook or DataFrame) into a ``Table`` of text cells.

The workbook reader is imported only when a workbook arrives, and pandas only with a DataFrame.
The names below are imported when first used, so a module of this package can be loaded alone
without loading pyarrow (``early_open`` starts a workbook's checks before the checks load).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .dataframe import read_dataframe
    from .source import read_table, require_binary, rewindable
    from .table import CHUNK_ROWS, MAX_COLUMNS, Chunk, ReaderNote, RowIssue, Table

_HOMES = {
    "read_dataframe": ".dataframe",
    "read_table": ".source",
    "require_binary": ".source",
    "rewindable": ".source",
    "CHUNK_ROWS": ".table",
    "MAX_COLUMNS": ".table",
    "Chunk": ".table",
    "ReaderNote": ".table",
    "RowIssue": ".table",
    "Table": ".table",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'validator.readers' has no attribute {name!r}")
    value = getattr(importlib.import_module(home, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])


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
