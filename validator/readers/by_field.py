"""A return read into a DataFrame whose columns are the standard's field names.

What the aggregator takes: ``lsids aggregate`` and the portal's figures both read accepted
returns through this one function, so they give the same numbers.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .headers import loose_names, normalise
from .source import read_table

if TYPE_CHECKING:
    import pandas as pd

    from ..standard import Standard


def return_frame(path: Path, type_name: str, standard: Standard) -> pd.DataFrame:
    """A valid return's cells as text, in columns named by the standard's fields."""
    import pandas as pd

    table = read_table(path, standard=standard)
    loose = loose_names(standard.submission_types[type_name])
    names = [loose.get(normalise(h), h) if h.strip() else f"_blank_{i}"
             for i, h in enumerate(table.header)]  # fmt: skip
    parts = [
        pd.DataFrame({n: a.to_pylist() for n, a in zip(names, chunk.arrays, strict=True)})
        for chunk in table.chunks
    ]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=names)
