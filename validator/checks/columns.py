"""Views of a chunk's column that several checks need, each computed once per chunk.

A coded column is looked up in its code list once (``code_index``); the schema layer, privacy,
the rules and disclosure all read that one answer. The views live in ``Chunk.cache``, so they
go when the chunk goes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from ..arrow import from_numpy, pc, scalar, texts, to_numpy
from ..readers.table import Chunk
from ..standard import Standard, SubmissionType

PLAIN_NUMBER = r"^-?[0-9]+(\.[0-9]+)?$"  # digits, perhaps a minus and a decimal part: no more


def missing_values(sub: SubmissionType) -> pa.Array:
    """The texts the submission type's schema counts as a missing value ('' unless it says)."""
    return texts(sub.schema.get("missingValues", [""]))


@dataclass(frozen=True)
class CodeList:
    """The codes a coded column may hold, in a fixed order (``code_index`` answers in it)."""

    codes: pa.Array
    key: tuple[str, ...] = field(repr=False)

    @classmethod
    def of(cls, codes: Iterable[str]) -> CodeList:
        ordered = tuple(sorted(codes))
        return cls(codes=texts(ordered), key=ordered)

    def __len__(self) -> int:
        return len(self.codes)

    def positions(self, codes: tuple[str, ...] | list[str]) -> np.ndarray:
        """The indexes of ``codes`` in this list (codes it lacks are left out)."""
        where = {code: i for i, code in enumerate(self.key)}
        return np.asarray([where[c] for c in codes if c in where], dtype=np.int64)


def coded_fields(standard: Standard, sub: SubmissionType) -> dict[str, CodeList]:
    """Each field joined to a code list by a one-field foreign key, with that list's codes.

    Made once per standard and kind of return: four checks ask for it on every return. (Keyed by
    identity, the objects kept with it: a ``Standard`` holds dicts, so it cannot be hashed.)
    """
    key = (id(standard), id(sub))
    made = _CODED.get(key)
    if made is None or made[0] is not standard or made[1] is not sub:
        coded = {
            fk.fields[0]: CodeList.of(reference_keys(standard, fk.resource, fk.reference_fields))
            for fk in sub.foreign_keys
            if len(fk.fields) == 1
        }
        made = _CODED[key] = (standard, sub, coded)
    return made[2]


_CODED: dict[tuple[int, int], tuple[Standard, SubmissionType, dict[str, CodeList]]] = {}


def code_index(chunk: Chunk, position: int, codes: CodeList) -> np.ndarray:
    """Where each cell of the column stands in ``codes``: its index, or -1 if it is not a code."""
    key = ("code-index", position, codes.key)
    if key not in chunk.cache:
        found = pc.index_in(chunk.column(position), value_set=codes.codes)
        chunk.cache[key] = to_numpy(found, fill=-1)
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
            chunk.cache[key] = bools(pc.equal(col, scalar("")))
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
    codes = to_numpy(encoded.indices)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(encoded.dictionary) + 1))
    named = encoded.dictionary.to_pylist()
    return [
        (named[k], rows[order[bounds[k] : bounds[k + 1]]])
        for k in sorted(range(len(named)), key=named.__getitem__)
    ]


def bools(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A pyarrow boolean array as a writable numpy array, nulls as False."""
    return to_numpy(array, fill=False)


def iso_days(chunk: Chunk, position: int) -> np.ndarray:
    """A column's dates written exactly YYYY-MM-DD as numpy days, anything else NaT (cached)."""
    key = ("iso-days", position)
    if key not in chunk.cache:
        chunk.cache[key] = _iso_days(chunk.column(position))
    return chunk.cache[key]


def _iso_days(col: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Read on the text's bytes: exactly ten ASCII characters, digits and two dashes."""
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks() if col.num_chunks else texts([])
    if col.null_count:
        col = pc.coalesce(col, scalar(""))
    days = np.full(len(col), np.datetime64("NaT"), dtype="datetime64[D]")
    offsets, data = text_buffers(col)
    where = np.flatnonzero(np.diff(offsets) == 10)
    if not len(where):
        return days
    # one row per character position; subtracting "0" wraps anything below it past 9
    text = data[offsets[where] + np.arange(10)[:, None]] - np.uint8(ord("0"))
    ok = (text[_DIGITS] <= 9).all(axis=0) & (text[4] == _DASH) & (text[7] == _DASH)
    n = text.astype(np.int32)
    year = n[0] * 1000 + n[1] * 100 + n[2] * 10 + n[3]
    month = n[5] * 10 + n[6]
    day = n[8] * 10 + n[9]
    ok &= (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1)
    month = np.where(ok, month, 1)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    ok &= day <= _MONTH_DAYS[month] + (leap & (month == 2))
    days[where[ok]] = _days_since_1970(year[ok], month[ok], day[ok]).astype("datetime64[D]")
    return days


_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9]
_DASH = np.uint8((ord("-") - ord("0")) % 256)  # "-" after the same wrapping subtraction
_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def _days_since_1970(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Days from 1970-01-01 to each proleptic Gregorian date (H. Hinnant's days_from_civil)."""
    year = year - (month <= 2)
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * np.where(month > 2, month - 3, month + 9) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era.astype(np.int64) * 146097 + day_of_era - 719468


def numbers(col: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Cells as floats (NaN when not a number); plain decimals vectorised, the rest one by one.

    The rest are read as ``pandas.to_numeric`` reads them once stripped (``to_numeric_like``),
    without loading pandas.
    """
    plain = pc.match_substring_regex(col, PLAIN_NUMBER)
    values = pc.cast(pc.if_else(plain, col, scalar("0")), pa.float64())
    out = to_numpy(values, fill=math.nan).astype(float, copy=True)
    others = np.flatnonzero(~to_numpy(plain, fill=False))
    if others.size:
        out[others] = to_numeric_like(pc.take(col, from_numpy(others)).to_pylist())
    return out


_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# pandas reads a number with a leading '+' by its own older routine, whose exponent may follow
# the 'e' after white space (C's strtol)
_PLUS_DECIMAL = re.compile(r"\+(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][ \t\n\v\f\r]*[+-]?[0-9]+)?")
_PLUS_PARTS = re.compile(r"\+([0-9]*)(?:\.([0-9]*))?(?:[eE][ \t\n\v\f\r]*([+-]?[0-9]+))?")
_INFINITY = {
    sign + word: -math.inf if sign == "-" else math.inf
    for sign in ("", "+", "-")
    for word in ("inf", "infinity")
}
_POWERS = [float(f"1e{k}") for k in range(309)]
_LONG = 1 << 63  # C's long: strtol clamps an exponent to it


def to_numeric_like(cells: list[str | None]) -> np.ndarray:
    """The cells as ``pd.to_numeric(pd.Series(cells, dtype=object).str.strip(), errors="coerce")``
    reads them (pandas 3.1), as floats, exactly; ``tests/checks/test_numbers.py`` compares the
    two on many thousands of awkward cells.

    What pandas accepts once the cell is stripped: ASCII digits with an optional sign, decimal
    point and exponent ('1e3', '.5', '5.', ' 41.5 '), read correctly rounded (as Python's
    ``float``), and 'inf' or 'infinity' in any case with an optional sign. Everything else is
    NaN ('nan', '1_0', '1,000', Arabic-Indic digits, ''). Two quirks are kept: a leading '+' is
    read by pandas' older routine (``_plus_decimal``), and when every cell is a whole number
    that fits 64 bits pandas answers in integers, so '-0' is then 0, not -0.0.
    """
    stripped = ["" if cell is None else cell.strip() for cell in cells]
    kinds = []  # True: whole, False: decimal, None: not a number
    for text in stripped:
        pattern = _PLUS_DECIMAL if text[:1] == "+" else _DECIMAL
        if pattern.fullmatch(text):
            kinds.append(not any(c in text for c in ".eE"))
        else:
            kinds.append(None)
    whole = all(kinds)
    if whole:
        ints = [int(text) for text in stripped]
        whole = all(-_LONG <= v < 2 * _LONG for v in ints) and not (
            any(v < 0 for v in ints) and any(v >= _LONG for v in ints)
        )
    out = np.empty(len(stripped), dtype=float)
    for i, (text, kind) in enumerate(zip(stripped, kinds, strict=True)):
        if kind is None:
            out[i] = _INFINITY.get(text.lower(), math.nan) if text.isascii() else math.nan
        elif whole:
            out[i] = float(int(text))
        elif text[0] == "+":
            out[i] = _plus_decimal(text)
        else:
            out[i] = float(text)
    return out


def _plus_decimal(text: str) -> float:
    """pandas' reading of a number written with a leading '+': its first 17 significant digits
    as an integer, then scaled by a power of ten (not always correctly rounded)."""
    found = _PLUS_PARTS.fullmatch(text)
    assert found is not None
    whole, decimals, power = found.group(1), found.group(2) or "", found.group(3)
    mantissa = digits = exponent = 0
    for c in whole:
        if digits < 17:
            mantissa = mantissa * 10 + int(c)
            digits += mantissa > 0  # leading zeros are not significant
        else:
            exponent += 1
    taken = 0
    for c in decimals:
        if digits >= 17:
            break
        mantissa = mantissa * 10 + int(c)
        digits += mantissa > 0
        taken += 1
    exponent -= taken
    number = float(mantissa)
    if power is not None:
        n = min(max(int(power), -_LONG), _LONG - 1)
        exponent = exponent + n if -_LONG <= exponent + n < _LONG else n
    if exponent > 308:
        return math.inf if number else 0.0
    if exponent > 0:
        return number * _POWERS[exponent]
    if exponent < -308:
        return 0.0 if exponent < -616 else number / _POWERS[-308 - exponent] / _POWERS[308]
    return number / _POWERS[-exponent]


def integers(chunk: Chunk, position: int) -> np.ndarray:
    """A column's cells as whole numbers (NaN when not one), worked out once per chunk."""
    key = ("integers", position)
    if key not in chunk.cache:
        chunk.cache[key] = _integers(chunk.column(position))
    return chunk.cache[key]


def _integers(col: pa.Array) -> np.ndarray:
    values = numbers(col)
    values[~np.isfinite(values) | (np.floor(values) != values)] = np.nan
    return values


KEY_SEP = "\x1f"
"""Joins the parts of a composite key into one text, so that one set lookup checks them."""


def reference_keys(standard: Standard, resource: str, fields: tuple[str, ...]) -> frozenset[str]:
    """The allowed values of a foreign key, from the code list the standard already loaded.

    Composite keys are joined with ``KEY_SEP`` so that one set lookup checks them.
    """
    return standard.key_values(resource, tuple(fields), KEY_SEP)
