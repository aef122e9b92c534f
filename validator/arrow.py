"""Arrays between numpy and Arrow without waking pyarrow's pandas bridge.

pyarrow imports pandas (about 0.4 s) the first time a Python or numpy value becomes Arrow data
(``pa.array``, ``pa.scalar``, a plain ``"x"`` or ``0`` handed to a compute function) or Arrow
data becomes numpy (``to_numpy``, ``np.asarray``), even for a numpy array of integers: it looks
for pandas' missing-value markers first. A CSV validation needs no pandas, so the checks cross
with these helpers instead, which read and write Arrow's buffers directly:

- ``to_numpy`` for booleans and numbers (nulls given a fill value);
- ``from_numpy`` for a numpy array of booleans or numbers (e.g. row positions for ``take``);
- ``texts`` for a list of Python strings, ``scalar`` for one value a compute function compares
  with.

The checks call Arrow's compute kernels through ``pc`` here, not ``pyarrow.compute``: importing
that module builds a Python wrapper, signature and docstring for each of its ~300 kernels (about
a fifth of a 5,000-row check's start-up). ``pc.NAME`` resolves only the kernels used, on first
use, and calls them as ``pyarrow.compute`` does. pyarrow's own computing methods (``Array.take``,
``.filter``, ``.cast``…) import ``pyarrow.compute``, so the checks call ``pc.take`` and the like.

``tests/test_startup.py`` runs a clean and a faulty CSV validation in fresh interpreters and
fails if pandas or ``pyarrow.compute`` (any of ``validator.HEAVY_MODULES``) is loaded.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow._compute as _compute

_NUMPY = {
    pa.int8(): np.int8,
    pa.int16(): np.int16,
    pa.int32(): np.int32,
    pa.int64(): np.int64,
    pa.uint8(): np.uint8,
    pa.uint16(): np.uint16,
    pa.uint32(): np.uint32,
    pa.uint64(): np.uint64,
    pa.float32(): np.float32,
    pa.float64(): np.float64,
}
_ARROW = {np.dtype(dtype): arrow for arrow, dtype in _NUMPY.items()}


def to_numpy(values: pa.Array | pa.ChunkedArray, fill: Any = None) -> np.ndarray:
    """Booleans or numbers as a numpy array (writable for booleans); nulls become ``fill``.

    A null with no ``fill`` given is an error: the caller must say what a null means.
    """
    if isinstance(values, pa.ChunkedArray):
        parts = [to_numpy(part, fill) for part in values.chunks]
        if parts:
            return np.concatenate(parts)
        return np.zeros(0, dtype=bool if pa.types.is_boolean(values.type) else _dtype(values))
    n, offset = len(values), values.offset
    buffers = values.buffers()
    if pa.types.is_boolean(values.type):
        out = _bits(buffers[1], offset, n)
    else:
        dtype = np.dtype(_dtype(values))
        if n == 0:
            return np.zeros(0, dtype=dtype)
        out = np.frombuffer(buffers[1], dtype=dtype, count=n, offset=offset * dtype.itemsize)
    if values.null_count:
        if fill is None:
            raise ValueError("nulls in an array read without a fill value")
        out = out.copy() if not out.flags.writeable else out
        out[~_bits(buffers[0], offset, n)] = fill
    return out


def _dtype(values: pa.Array | pa.ChunkedArray) -> type:
    try:
        return _NUMPY[values.type]
    except KeyError:
        raise TypeError(f"expected booleans or numbers, got {values.type}") from None


def _bits(buffer: pa.Buffer | None, offset: int, n: int) -> np.ndarray:
    """Arrow's little-endian bitmap as numpy booleans."""
    if n == 0 or buffer is None:
        return np.zeros(n, dtype=bool)
    raw = np.frombuffer(buffer, dtype=np.uint8, count=(offset + n + 7) // 8)
    return np.unpackbits(raw, count=offset + n, bitorder="little")[offset:].astype(bool)


def from_numpy(values: np.ndarray) -> pa.Array:
    """A numpy array of booleans or numbers as an Arrow array with no nulls."""
    values = np.ascontiguousarray(values)
    if values.dtype == bool:
        data = pa.py_buffer(np.packbits(values, bitorder="little"))
        return pa.Array.from_buffers(pa.bool_(), len(values), [None, data])
    try:
        kind = _ARROW[values.dtype]
    except KeyError:
        raise TypeError(f"expected booleans or numbers, got {values.dtype}") from None
    return pa.Array.from_buffers(kind, len(values), [None, pa.py_buffer(values)])


def texts(values: Iterable[str]) -> pa.Array:
    """Python strings as an Arrow string array (no nulls)."""
    encoded = [value.encode("utf-8") for value in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    data = pa.py_buffer(b"".join(encoded))
    if offsets[-1] < 2**31:
        return pa.Array.from_buffers(
            pa.string(), len(encoded), [None, pa.py_buffer(offsets.astype(np.int32)), data]
        )
    wide = [None, pa.py_buffer(offsets), data]
    return pa.Array.from_buffers(pa.large_string(), len(encoded), wide)


@functools.lru_cache(maxsize=256, typed=True)
def scalar(value: str | bool | int | float) -> pa.Scalar:
    """One value as an Arrow scalar, to compare with or fill in: text, boolean, int64, float64."""
    if isinstance(value, str):
        return texts([value])[0]
    if isinstance(value, bool):
        return from_numpy(np.array([value], dtype=bool))[0]
    if isinstance(value, int):
        return from_numpy(np.array([value], dtype=np.int64))[0]
    if isinstance(value, float):
        return from_numpy(np.array([value], dtype=np.float64))[0]
    raise TypeError(f"no Arrow scalar for {type(value).__name__}")


def null_text() -> pa.Scalar:
    """A null of type string (to blank cells out with ``if_else``)."""
    return pa.nulls(1, pa.string())[0]


class _Kernels:
    """Arrow's compute kernels by name: ``pc.equal(a, b)``, ``pc.is_in(a, value_set=codes)``.

    As in ``pyarrow.compute``, positional arguments past the kernel's arity and keyword
    arguments make its options (``pc.match_substring_regex(col, pattern)``); none, its defaults.
    """

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            function = _compute.get_function(name)
        except KeyError:  # pyarrow's ArrowKeyError
            raise AttributeError(f"no Arrow compute function {name!r}") from None
        call = _caller(function)
        setattr(self, name, call)
        return call

    @staticmethod
    def cast(values: Any, target_type: pa.DataType) -> Any:
        """``values`` as ``target_type``, refusing a lossy cast (``pyarrow.compute.cast``)."""
        return _compute.call_function("cast", [values], _compute.CastOptions.safe(target_type))


def _caller(function: Any) -> Callable[..., Any]:
    arity = function.arity  # Ellipsis for a kernel taking any number of arguments
    name = function._doc.options_class
    options_class = getattr(_compute, name) if name else None

    def call(*args: Any, **kwargs: Any) -> Any:
        extra = ()
        if arity is not Ellipsis:
            if len(args) < arity:
                raise TypeError(f"{function.name} takes {arity} argument(s), {len(args)} given")
            args, extra = args[:arity], args[arity:]
        options = None
        if extra or kwargs:
            if options_class is None:
                raise TypeError(f"{function.name} takes no options")
            options = options_class(*extra, **kwargs)
        return function.call(list(args), options)

    call.__name__ = call.__qualname__ = function.name
    return call


pc = _Kernels()
"""The compute kernels (see the module's docstring): use in place of ``pyarrow.compute``."""
