"""A pandas DataFrame as a ``Table``: row numbers as if it were saved as CSV with its header."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

if TYPE_CHECKING:
    import pandas as pd

from . import table as _table
from .table import Chunk, Table, check_width


def read_dataframe(frame: pd.DataFrame, *, chunk_rows: int | None = None) -> Table:
    """A DataFrame as a return: row numbers as if it were saved as CSV with its header."""
    chunk_rows = chunk_rows or _table.CHUNK_ROWS
    header = [str(c) for c in frame.columns]
    check_width(header, table=True)

    def chunks() -> Iterator[Chunk]:
        for start in range(0, len(frame), chunk_rows):
            part = frame.iloc[start : start + chunk_rows]
            rows = np.arange(start + 2, start + 2 + len(part), dtype=np.int64)
            yield Chunk(rows=rows, arrays=[_text(part.iloc[:, i]) for i in range(len(header))])

    return Table(header=header, chunks=chunks(), format="dataframe")


def _text(series: pd.Series) -> pa.Array:
    """A column's values as the text a person would have typed ('' for missing)."""
    import pandas as pd
    import pyarrow.compute as pc  # with pandas: a CSV check loads neither (``validator/arrow.py``)

    missing = series.isna().to_numpy()
    if pd.api.types.is_float_dtype(series.dtype):
        values = series.to_numpy(dtype=float, na_value=np.nan)
        whole = np.isfinite(values) & (np.floor(values) == values) & (np.abs(values) < 2**53)
        text = np.where(
            whole, np.char.mod("%d", np.where(whole, values, 0)), series.astype(str).to_numpy()
        )
    elif pd.api.types.is_datetime64_any_dtype(series.dtype):
        stamps = pd.to_datetime(series)
        midnight = (stamps == stamps.dt.normalize()).to_numpy()
        text = np.where(
            midnight, stamps.dt.strftime("%Y-%m-%d"), stamps.dt.strftime("%Y-%m-%dT%H:%M:%S")
        )
    elif pd.api.types.is_bool_dtype(series.dtype):
        text = np.where(series.to_numpy(), "true", "false")
    else:
        try:  # a column of text: straight to Arrow
            return pc.fill_null(pa.array(series, type=pa.string(), from_pandas=True), "")
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed values: one by one
            text = np.array([_cell_text(v) for v in series.to_numpy(dtype=object)], dtype=object)
    text = np.where(missing, "", text).astype(object)
    return pa.array(text, type=pa.string())


def _cell_text(value: Any) -> str:
    import pandas as pd

    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d") if value == value.normalize() else value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
