"""Views of a chunk's column that several checks need, each computed once per chunk.

A coded column is looked up in its code list once (``code_index``); the schema layer, privacy,
the rules and disclosure all read that one answer. The views live in ``Chunk.cache``, so they
go when the chunk goes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..standard import Standard, SubmissionType
from ..table import Chunk


@dataclass(frozen=True)
class CodeList:
    """The codes a coded column may hold, in a fixed order (``code_index`` answers in it)."""

    codes: pa.Array
    key: tuple[str, ...] = field(repr=False)

    @classmethod
    def of(cls, codes: Iterable[str]) -> CodeList:
        ordered = tuple(sorted(codes))
        return cls(codes=pa.array(ordered, pa.string()), key=ordered)

    def __len__(self) -> int:
        return len(self.codes)

    def positions(self, codes: tuple[str, ...] | list[str]) -> np.ndarray:
        """The indexes of ``codes`` in this list (codes it lacks are left out)."""
        where = {code: i for i, code in enumerate(self.key)}
        return np.asarray([where[c] for c in codes if c in where], dtype=np.int64)


def coded_fields(standard: Standard, sub: SubmissionType) -> dict[str, CodeList]:
    """Each field joined to a code list by a one-field foreign key, with that list's codes."""
    from .cells import reference_keys  # cells imports this module

    return {
        fk.fields[0]: CodeList.of(reference_keys(standard, fk.resource, fk.reference_fields))
        for fk in sub.foreign_keys
        if len(fk.fields) == 1
    }


def code_index(chunk: Chunk, position: int, codes: CodeList) -> np.ndarray:
    """Where each cell of the column stands in ``codes``: its index, or -1 if it is not a code."""
    key = ("code-index", position, codes.key)
    if key not in chunk.cache:
        found = pc.index_in(chunk.column(position), value_set=codes.codes)
        chunk.cache[key] = pc.fill_null(found, -1).to_numpy(zero_copy_only=False)
    return chunk.cache[key]


def blank_mask(chunk: Chunk, position: int, missing: pa.Array) -> np.ndarray:
    """Which cells of a column are missing values ('' unless the schema says more); cached."""
    key = ("blank", position)
    if key not in chunk.cache:
        if missing.to_pylist() == [""]:
            chunk.cache[key] = empty_mask(chunk, position)
        else:
            chunk.cache[key] = bools(pc.is_in(chunk.column(position), value_set=missing))
    return chunk.cache[key]


def empty_mask(chunk: Chunk, position: int) -> np.ndarray:
    """Which cells of a column are empty text (whatever the schema counts as missing); cached."""
    key = ("empty", position)
    if key not in chunk.cache:
        col = chunk.column(position)
        parts = col.chunks if isinstance(col, pa.ChunkedArray) else [col]
        if all(_is_text(part) and not part.null_count for part in parts):
            offsets = [text_buffers(part)[0] for part in parts]
            empty = [o[1:] == o[:-1] for o in offsets]  # zero bytes long: the offsets tell
            chunk.cache[key] = np.concatenate(empty) if empty else np.zeros(0, dtype=bool)
        else:
            chunk.cache[key] = bools(pc.equal(col, ""))
    return chunk.cache[key]


def _is_text(values: pa.Array) -> bool:
    return pa.types.is_string(values.type) or pa.types.is_large_string(values.type)


def text_buffers(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The offsets (int64) and bytes of a string array, without copying the bytes."""
    width = np.int64 if pa.types.is_large_string(values.type) else np.int32
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        raise TypeError(f"expected text, got {values.type}")
    _, offsets_buf, data_buf = values.buffers()
    count = len(values) + 1
    start = values.offset * np.dtype(width).itemsize
    offsets = np.frombuffer(offsets_buf, dtype=width, count=count, offset=start).astype(np.int64)
    data = np.frombuffer(data_buf, dtype=np.uint8) if data_buf else np.empty(0, np.uint8)
    return offsets, data


def by_value(values: pa.Array, rows: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """Each distinct value (in sorted order) with the rows that hold it."""
    if not len(values):
        return []
    encoded = pc.dictionary_encode(values)
    codes = encoded.indices.to_numpy()
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(encoded.dictionary) + 1))
    named = encoded.dictionary.to_pylist()
    return [
        (named[k], rows[order[bounds[k] : bounds[k + 1]]])
        for k in sorted(range(len(named)), key=named.__getitem__)
    ]


def bools(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A pyarrow boolean array as a writable numpy array, nulls as False."""
    return pc.fill_null(array, False).to_numpy(zero_copy_only=False).copy()
