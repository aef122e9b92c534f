"""Reads a plain worksheet's cells straight from its XML into Arrow text columns.

Most returns are saved by Excel, whose sheets hold nothing but rows of cells, each cell naming its
place and holding a number, a shared string or a boolean. For such a sheet calamine's work — a
typed Python value a cell, made text again a column at a time — is mostly spent making objects
that are thrown away. Here the sheet's bytes are cut up with numpy instead: where each tag starts,
what kind it is, each cell's place, style, type and value, for a megabyte of rows at once; the
texts are the shared strings, the numbers' own digits (when they read as ``number_text`` would
give them), ISO dates written from their day numbers, TRUE/FALSE, and the few numbers written
otherwise made text in Python. What comes out is one text buffer and a grid of indices into it,
row by column, from which the reader takes its rows and its chunks' columns (``PlainSheet``).
Nothing here loads pyarrow until the texts are asked for: the sheet is read by ``early_open``'s
second process (or thread) while the command line imports it.

Only a sheet read exactly is read here; ``plain_sheet`` returns None for anything else and the
compiled reader (calamine) reads it as before:

- the region between ``<sheetData>`` and ``</sheetData>`` holds only ``<row …>``, ``</row>``,
  ``<c …>``, ``<c …/>``, ``</c>``, ``<v>`` and ``</v>``, with nothing between tags but a value;
- every cell is ``<c r="REF"`` with at most ``s="N"`` and ``t="s|n|b"`` after it, in document
  order (no formulas, inline strings, errors, cached formula strings);
- the 1900 date system; shared strings that are text or runs of text (no phonetic runs, no
  ``_xHHHH_`` escapes, no carriage returns);
- a number in a date format only when the format is one calamine is known to read as a date
  (``DATE_FORMATS``) and the number a whole day from 1900-03-01 to 9999-12-31; a number in any
  other format that could be a date or a time sends the sheet back too;
- the sheet's part inflates to at most ``MAX_PLAIN_BYTES``.

The archive checks (``archive``) must have passed for the file before any of this is called.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from decimal import Decimal
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple

import numpy as np
from defusedxml import ElementTree
from numpy.lib.stride_tricks import sliding_window_view

from .calamine_reader import WINDOWS_EPOCH, SheetEntry, _relations
from .sheetscan import EXCEL_MAX_COLUMN, SheetFacts

if TYPE_CHECKING:
    import pyarrow as pa

MAX_PLAIN_BYTES = 32 * 1024 * 1024
"""The largest sheet part read here (a bigger one is read by calamine, which holds less)."""

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SHARED = "xl/sharedStrings.xml"
_STYLES = "xl/styles.xml"

# Tag kinds
_ROW, _ROW_EMPTY, _ROW_END, _CELL, _CELL_EMPTY, _CELL_END, _VALUE, _VALUE_END = range(1, 9)
_ALLOWED = np.zeros((9, 9), bool)  # [tag, next tag]
for _a, _bs in {
    _ROW: (_CELL, _CELL_EMPTY, _ROW_END),
    _ROW_EMPTY: (_ROW, _ROW_EMPTY),
    _ROW_END: (_ROW, _ROW_EMPTY),
    _CELL: (_VALUE, _CELL_END),
    _CELL_EMPTY: (_CELL, _CELL_EMPTY, _ROW_END),
    _CELL_END: (_CELL, _CELL_EMPTY, _ROW_END),
    _VALUE: (_VALUE_END,),
    _VALUE_END: (_CELL_END,),
}.items():
    _ALLOWED[_a, list(_bs)] = True
_ALLOWED_PAIR = _ALLOWED.ravel()
"""Whether a tag of kind ``a`` may follow one of kind ``b``, at ``a * 9 + b``."""
_KIND_OF_PAIR = np.zeros(1 << 16, np.uint8)
"""A tag's kind by the two bytes after its "<"."""
for _pair, _kind in {
    b"c ": _CELL,
    b"v>": _VALUE,
    b"/c": _CELL_END,
    b"/v": _VALUE_END,
    b"ro": _ROW,
    b"/r": _ROW_END,
}.items():
    _KIND_OF_PAIR[_pair[0] << 8 | _pair[1]] = _kind
_FIXED_LENGTH = np.zeros(9, np.int32)
_FIXED_LENGTH[[_ROW_END, _CELL_END, _VALUE_END]] = [6, 4, 4]

_TAG = 48
"""The longest cell tag read: ``<c r="XFD1048576" s="65535" t="s"/>`` and room to spare."""
_VALUE_BYTES = 24
"""The longest number read here (longer ones send the sheet back)."""
_PAD = 64

_DIGIT = np.zeros(256, bool)
_DIGIT[48:58] = True
_NUMBER_BYTE = np.zeros(256, bool)
_NUMBER_BYTE[[*range(48, 58), 46, 45, 43, 69, 101]] = True  # digits . - + E e
_POWERS = 10 ** np.arange(15, -1, -1, dtype=np.int64)

_NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")

DATE_FORMATS = frozenset(
    {
        "yyyy\\-mm\\-dd",
        "yyyy-mm-dd",
        "dd/mm/yyyy",
        "d/m/yyyy",
        "dd/mm/yy",
        "d/m/yy",
        "mm/dd/yyyy",
        "m/d/yyyy",
        "m/d/yy",
        "mm-dd-yy",
        "dd-mm-yyyy",
        "yyyy/mm/dd",
        "d-mmm-yy",
        "d-mmm-yyyy",
        "dd-mmm-yyyy",
        "d mmmm yyyy",
        "dd mmmm yyyy",
        "dd mmm yyyy",
    }
)
"""Custom formats calamine reads a number in as a date (checked in tests/readers)."""
_DATE_IDS = frozenset({14})
_NUMBER_IDS = frozenset({*range(0, 14), *range(37, 45), 48, 49})
_NUMBER_FORMAT = re.compile(r'(?:General|[0#?.,%;\-+ ()@]|"[^"a-zA-Z]*"|E[+-])*')


class PlainSheet:
    """The sheet read: its texts and, row by column from A1, the index of each cell's text.

    The texts are kept as numpy buffers until first asked for as Arrow text (``texts``): the
    sheet is read by ``early_open``'s second process (or thread), which would otherwise import
    pyarrow (about 50 ms) as the command line does."""

    first_row = 1
    first_column = 1

    def __init__(self, texts: _Texts, grid: np.ndarray, blank: int) -> None:
        self._texts: Any = texts
        self.grid = grid
        self.blank = blank

    @property
    def texts(self) -> pa.Array:
        if isinstance(self._texts, tuple):
            import pyarrow as pa

            offsets, data = self._texts
            self._texts = pa.StringArray.from_buffers(
                len(offsets) - 1, pa.py_buffer(offsets), pa.py_buffer(data)
            )
        return self._texts

    def rows(self) -> PlainRows:
        return PlainRows(self)

    def close(self) -> None:
        self.grid = np.empty((0, 0), np.int32)


class PlainRows:
    """The sheet's rows, one at a time as Python lists (``next``) or a block at a time
    (``block``), from where the last left off."""

    _BATCH = 64

    def __init__(self, sheet: PlainSheet) -> None:
        self._sheet = sheet
        self._next = 0
        self._batch: list[list[str]] = []

    def __iter__(self) -> PlainRows:
        return self

    def __next__(self) -> list[str]:
        if not self._batch:
            grid = self._sheet.grid
            if self._next >= len(grid):
                raise StopIteration
            stop = min(self._next + self._BATCH, len(grid))
            self._batch = _python_rows(self._sheet, self._next, stop)
            self._batch.reverse()
            self._next = stop
        return self._batch.pop()

    def block(self, size: int) -> PlainBlock | None:
        """The next ``size`` rows (fewer at the end; None past it)."""
        if self._batch:  # rows already made Python lists: hand them back first
            start = self._next - len(self._batch)
            self._batch = []
        else:
            start = self._next
        stop = min(start + size, len(self._sheet.grid))
        if stop <= start:
            return None
        self._next = stop
        return PlainBlock(self._sheet, start, stop)


class PlainBlock:
    """A block of rows of a ``PlainSheet``."""

    def __init__(self, sheet: PlainSheet, start: int, stop: int) -> None:
        self._sheet = sheet
        self._start = start
        self._stop = stop

    def __len__(self) -> int:
        return self._stop - self._start

    def rows(self) -> list[list[str]]:
        return _python_rows(self._sheet, self._start, self._stop)

    def columns(self, width: int) -> list[pa.Array] | None:
        """The block's first ``width`` columns as text, as ``_CompiledSheetReader._plain_chunk``
        makes them from calamine's rows: None when the rows reach past the last column, some
        column has a value past ``width`` or every column has a blank (a row may be blank)."""
        from ..arrow import from_numpy, pc
        from ..arrow import texts as arrow_texts
        from .table import MAX_COLUMNS

        sheet = self._sheet
        grid = sheet.grid[self._start : self._stop]
        if grid.shape[1] > MAX_COLUMNS:
            return None
        blank = grid == sheet.blank
        if blank.any(axis=0).all():
            return None
        if not blank[:, width:].all():
            return None
        texts = sheet.texts
        arrays = [
            pc.take(texts, from_numpy(grid[:, column]))
            for column in range(min(width, grid.shape[1]))
        ]
        if grid.shape[1] < width:
            empty = arrow_texts([""] * len(grid))
            arrays.extend([empty] * (width - grid.shape[1]))
        return arrays


def _python_rows(sheet: PlainSheet, start: int, stop: int) -> list[list[str]]:
    from ..arrow import from_numpy, pc

    grid = sheet.grid[start:stop]
    width = grid.shape[1]
    flat = pc.take(sheet.texts, from_numpy(grid.ravel())).to_pylist()
    return [flat[i : i + width] for i in range(0, len(flat), width)]


def plain_sheet(
    handle: BinaryIO,
    chosen: SheetEntry,
    facts: SheetFacts,
    epoch: dt.datetime,
    kept: dict[str, bytes] | None = None,
) -> PlainSheet | None:
    """The sheet read here, or None to leave it to calamine (the handle is left at its start).
    ``kept``: the parts the archive checks kept (``ArchiveFacts.kept``), read from the file when
    missing there."""
    if epoch != WINDOWS_EPOCH or facts.errors or not facts.fits_compiled_reader():
        return None
    kept = kept or {}
    try:
        with zipfile.ZipFile(handle) as archive:
            info = archive.getinfo(chosen.part)
            if info.file_size > MAX_PLAIN_BYTES:
                return None
            names = set(archive.namelist())
            if not _usual_parts(archive, names):
                return None
            data, shared, styles = (
                (kept[part] if part in kept else archive.read(part)) if part in names else None
                for part in (chosen.part, _SHARED, _STYLES)
            )
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError, ElementTree.ParseError):
        return None
    finally:
        handle.seek(0)
    if data is None:
        return None
    try:
        return read_plain(data, shared, styles)
    except (ElementTree.ParseError, ValueError, IndexError, UnicodeDecodeError):
        return None


def _usual_parts(archive: zipfile.ZipFile, names: set[str]) -> bool:
    """Whether the shared strings and styles are where calamine looks for them, and only there
    (the workbook's relationships name no other part for them, no other case of their names)."""
    if "xl/_rels/workbook.xml.rels" not in names:
        return False
    for kind, target in _relations(archive, "xl/_rels/workbook.xml.rels", "xl").values():
        for suffix, part in (("/sharedStrings", _SHARED), ("/styles", _STYLES)):
            if kind.endswith(suffix) and target != part:
                return False
    lowered = {name.lower(): name for name in names}
    return all(lowered.get(part.lower(), part) == part for part in (_SHARED, _STYLES))


def read_plain(data: bytes, shared: bytes | None, styles: bytes | None) -> PlainSheet | None:
    """The worksheet ``data`` read with its shared strings and styles parts, or None."""
    start = data.find(b"<sheetData>")
    end = data.rfind(b"</sheetData>")
    if start < 0 or end <= start or b"<sheetData" in data[:start] or b"<sheetData" in data[end:]:
        return None  # (one inside the rows is a tag not read here)
    start += len(b"<sheetData>")
    size = end - start
    if len(data) - end >= _PAD:  # what follows the rows is read past them: "</sheetData>…"
        padded = np.frombuffer(data, np.uint8, len(data) - start, start)
    else:
        padded = np.zeros(size + _PAD, np.uint8)
        padded[:size] = np.frombuffer(data, np.uint8, size, start)
    pieces: list[_Cells] = []
    at = 0
    while at < size:
        stop = data.find(b"<row", start + at + _PIECE_BYTES, end)
        stop = size if stop < 0 else stop - start
        piece = _piece(padded, at, stop)
        if piece is None or (pieces and _place(piece, 0) <= _place(pieces[-1], -1)):
            return None  # (cells in order across pieces, as within one)
        pieces.append(piece)
        at = stop
    if not pieces:
        return None
    cells = _Cells(*map(np.concatenate, zip(*pieces, strict=True)))
    return _assemble(padded, cells, shared, styles)


_PIECE_BYTES = 1 << 20
"""The sheet is cut up a piece of about this many bytes at a time, each starting at a row, so
the arrays made along the way are small: they stay in the processor's cache, and the memory one
piece used is reused by the next instead of being faulted in afresh."""


class _Cells(NamedTuple):
    """The cells of (a piece of) a sheet, in document order: rows and columns from 1."""

    rows: np.ndarray
    columns: np.ndarray
    style: np.ndarray
    kind: np.ndarray
    has_value: np.ndarray
    value_start: np.ndarray
    """For each cell with a value: where it starts and ends in the sheet's bytes."""
    value_end: np.ndarray


def _piece(padded: np.ndarray, at: int, stop: int) -> _Cells | None:
    """The cells of the tags from ``at`` to ``stop``: whole rows, starting with one."""
    tags = np.flatnonzero(padded[at:stop] == 60).astype(np.int32)  # "<"
    if not len(tags) or tags[0] != 0:
        return None
    tags += at
    ends = np.empty_like(tags)  # where each tag's text ends: at the next tag
    ends[:-1] = tags[1:]
    ends[-1] = stop
    kinds = _kinds(padded, tags, ends)
    if kinds is None:
        return None
    cell_tags = np.flatnonzero(kinds == _CELL)
    if not len(cell_tags):
        return None
    empty = np.take(padded, ends[cell_tags] - 2) == 47  # "/>"
    kinds[cell_tags[empty]] = _CELL_EMPTY
    # whole rows: the tag before the next piece's "<row" must end one (as it must in a piece)
    if kinds[0] not in (_ROW, _ROW_EMPTY) or kinds[-1] not in (_ROW_END, _ROW_EMPTY):
        return None
    if not _ALLOWED_PAIR[kinds[:-1] * 9 + kinds[1:]].all():
        return None
    cells = _cells(padded, tags[cell_tags], ends[cell_tags], empty)
    if cells is None:
        return None
    rows, columns, style, kind = cells
    place = rows * EXCEL_MAX_COLUMN + columns
    if len(place) > 1 and not (place[1:] > place[:-1]).all():
        return None
    # the value of a cell: the tag after it is <v>, and the value runs to the tag after that
    value_tag = cell_tags + 1
    has_value = kinds[value_tag] == _VALUE
    value_tag = value_tag[has_value]
    value_start = tags[value_tag] + 3
    value_end = ends[value_tag]
    if (value_end <= value_start).any():
        return None  # <v></v>
    return _Cells(
        rows.astype(np.int32), columns, style.astype(np.int32), kind, has_value, value_start,
        value_end,
    )  # fmt: skip


def _place(cells: _Cells, at: int) -> int:
    """The place of one cell, by which cells are in order: row × 16,384 + column."""
    return int(cells.rows[at]) * EXCEL_MAX_COLUMN + int(cells.columns[at])


def _kinds(padded: np.ndarray, tags: np.ndarray, ends: np.ndarray) -> np.ndarray | None:
    """Each tag's kind, told by its first bytes (a cell and a row are marked empty later), or
    None when a tag is none of those read here or is not written exactly."""
    pair = np.take(padded[1:], tags).astype(np.uint16)
    pair <<= 8
    pair |= np.take(padded[2:], tags)
    kinds = _KIND_OF_PAIR[pair]
    if not kinds.all():
        return None
    # every tag but <v> ends right before the next tag ("<v>" is told by its ">" already)
    if not ((np.take(padded, ends - 1) == 62) | (kinds == _VALUE)).all():
        return None
    fixed = _FIXED_LENGTH[kinds]
    if ((fixed != 0) & (ends - tags != fixed)).any():  # "</c>", "</v>", "</row>" exactly
        return None
    rows = tags[kinds == _ROW]
    if not (np.take(padded, rows + 3) == 119).all():  # "<row"
        return None
    after = np.take(padded, rows + 4)
    if not ((after == 32) | (after == 62) | (after == 47)).all():
        return None
    empty_rows = rows[np.take(padded, ends[kinds == _ROW] - 2) == 47]
    if len(empty_rows):
        kinds[np.searchsorted(tags, empty_rows)] = _ROW_EMPTY
    row_ends = tags[kinds == _ROW_END]
    if not ((np.take(padded, row_ends + 3) == 111) & (np.take(padded, row_ends + 4) == 119)).all():
        return None
    return kinds


def _cells(
    padded: np.ndarray, tags: np.ndarray, ends: np.ndarray, empty: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """Each cell tag's row, column (both from 1), style (-1 for none) and type byte (0 for
    none), or None when one is not ``<c r="REF"[ s="N"][ t="X"][/]>``."""
    length = ends - tags
    if (length > _TAG).any() or (length < 9).any():
        return None
    head = sliding_window_view(padded, 16)[tags]  # <c r="XFD1048576
    words = head.view("<u8")
    if ((words[:, 0] & _SIX_BYTES) != _CELL_START).any():
        return None
    upper = (head[:, 6:10] - 65) < 26  # A to Z (a byte below "A" wraps round past 26)
    if not upper[:, 0].all() or upper[:, 3].any():
        return None
    second = upper[:, 1]
    third = second & upper[:, 2]
    letters = 1 + second + third
    values = head[:, 6:9].astype(np.int32) - 64
    columns = values[:, 0]
    columns = np.where(second, columns * 26 + values[:, 1], columns)
    columns = np.where(third, columns * 26 + values[:, 2], columns)
    after = 6 + letters  # where the row's digits start, 7 to 9: within the 16 bytes read
    shift = (after * 8).astype(np.uint64)
    digits = (words[:, 0] >> shift) | (words[:, 1] << (np.uint64(64) - shift))
    rows, count = _leading_number(digits)
    if ((count < 1) | (count > 7)).any() or ((digits & np.uint64(0xFF)) == 48).any():
        return None  # no digits, too many, or a leading zero
    if (((digits >> (count * 8).astype(np.uint64)) & _BYTE) != 34).any():  # '"'
        return None
    position = tags + after + count + 1
    # the rest of the tag: [ s="N"][ t="X"] then ">" or "/>", 16 bytes for a style up to 999
    rest = sliding_window_view(padded, 16)[position].view("<u8")
    is_style = (rest[:, 0] & _FOUR_BYTES) == _STYLE_START
    style, count = _leading_number(rest[:, 0] >> np.uint64(32))
    style[~is_style] = -1
    count[~is_style] = 0
    quote = (rest[:, 0] >> ((4 + count) * 8).astype(np.uint64)) & _BYTE
    if (is_style & ((count < 1) | ((count < 4) & (quote != 34)))).any():
        return None
    skip = np.where(is_style, 5 + count, 0)  # to the type, within the 16 bytes read
    shift = (skip * 8).astype(np.uint64)
    after_style = np.where(
        skip == 0, rest[:, 0], (rest[:, 0] >> shift) | (rest[:, 1] << (np.uint64(64) - shift))
    )
    long = np.flatnonzero(is_style & (count == 4))  # a style of 1,000 or more: read apart
    if len(long):
        number, digits = _leading_number(_word_at(padded, position[long] + 4))
        if ((digits > 6) | (np.take(padded, position[long] + 4 + digits) != 34)).any():
            return None
        style[long] = number
        skip[long] = 5 + digits
        after_style[long] = _word_at(padded, position[long] + skip[long])
    is_type = ((after_style & _FOUR_BYTES) == _TYPE_START) & (
        ((after_style >> np.uint64(40)) & _BYTE) == 34
    )
    kind = np.where(is_type, (after_style >> np.uint64(32)) & _BYTE, 0).astype(np.uint8)
    position += skip + np.where(is_type, 6, 0)
    if not _KNOWN_TYPE[kind].all():
        return None
    if (position + 1 + empty != ends).any():  # ">" or "/>" ends the tag
        return None
    return rows, columns, style, kind


def _word_at(padded: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The 8 bytes at each position, as a little-endian 64-bit word."""
    return sliding_window_view(padded, 8)[positions].view("<u8")[:, 0]


_BYTE = np.uint64(0xFF)
_KNOWN_TYPE = np.zeros(256, bool)
_KNOWN_TYPE[[0, *b"snb"]] = True


def _word(text: bytes) -> np.uint64:
    return np.frombuffer(text.ljust(8, b"\0"), "<u8")[0]


_SIX_BYTES = np.uint64(0xFFFFFFFFFFFF)
_FOUR_BYTES = np.uint64(0xFFFFFFFF)
_CELL_START = _word(b'<c r="')
_STYLE_START = _word(b' s="')
_TYPE_START = _word(b' t="')


def _leading_number(digits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The number the leading digits of 8 bytes spell, and how many there are (8 bytes of
    digits count 8), worked out eight bytes at a time in one 64-bit word. ``digits``: rows of
    8 bytes, or their little-endian 64-bit words. A block at a time: its many temporary arrays
    stay small."""
    if len(digits) <= _BLOCK:
        return _leading_number_block(digits)
    number, count = np.empty(len(digits), np.int64), np.empty(len(digits), np.int64)
    for at in range(0, len(digits), _BLOCK):
        number[at : at + _BLOCK], count[at : at + _BLOCK] = _leading_number_block(
            digits[at : at + _BLOCK]
        )
    return number, count


_BLOCK = 32_768


def _leading_number_block(digits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    word = digits if digits.ndim == 1 else np.ascontiguousarray(digits).view("<u8")[:, 0]
    # a byte that is not a digit: its high nibble is not 3, or its low one is past 9
    low = word & _LOW_NIBBLES
    bad = ((word & _HIGH_NIBBLES) ^ _THREES) | ((low + _SIXES) & _HIGH_NIBBLES)
    first_bad = bad & (~bad + np.uint64(1))  # its lowest set bit: in the first non-digit
    # the bit's place, from the exponent of it as a float (a power of two is exact)
    count = ((first_bad.astype(np.float64).view(np.int64) >> 52) - 1023) >> 3
    count[first_bad == 0] = 8
    word = low << ((np.uint64(8) * (8 - count).astype(np.uint64)) & np.uint64(63))
    word[count == 0] = 0
    word = ((word * np.uint64(10)) + (word >> np.uint64(8))) & np.uint64(0x00FF00FF00FF00FF)
    word = ((word * np.uint64(100)) + (word >> np.uint64(16))) & np.uint64(0x0000FFFF0000FFFF)
    word = (word * np.uint64(10000)) + (word >> np.uint64(32))
    return (word & np.uint64(0xFFFFFFFF)).astype(np.int64), count


_HIGH_NIBBLES = np.uint64(0xF0F0F0F0F0F0F0F0)
_LOW_NIBBLES = np.uint64(0x0F0F0F0F0F0F0F0F)
_THREES = np.uint64(0x3030303030303030)
_SIXES = np.uint64(0x0606060606060606)


def _assemble(
    padded: np.ndarray, cells: _Cells, shared_part: bytes | None, styles_part: bytes | None
) -> PlainSheet | None:
    rows, columns, style, kind = cells.rows, cells.columns, cells.style, cells.kind
    has_value, value_start, value_end = cells.has_value, cells.value_start, cells.value_end
    kind = kind[has_value]
    lengths = value_end - value_start
    is_shared = kind == 115  # s
    is_bool = kind == 98  # b
    is_number = ~(is_shared | is_bool)
    pieces: list[_Texts] = []
    base = 0
    index = np.empty(len(kind), np.int64)
    # shared strings
    if is_shared.any():
        if shared_part is None:
            return None
        strings = _shared_strings(shared_part)
        if strings is None:
            return None
        number, count = _leading_number(sliding_window_view(padded, 8)[value_start[is_shared]])
        if (count != lengths[is_shared]).any():
            return None
        count = len(strings[0]) - 1
        if (number >= count).any():
            return None
        index[is_shared] = base + number
        pieces.append(strings)
        base += count
    # booleans
    if is_bool.any():
        first = padded[value_start[is_bool]]
        if (lengths[is_bool] != 1).any() or not np.isin(first, (48, 49)).all():
            return None
        index[is_bool] = base + (first == 49)
        pieces.append(_encoded(["FALSE", "TRUE"]))
        base += 2
    # numbers
    if is_number.any():
        formats = _number_formats(styles_part)
        if formats is None:
            return None
        number_style = style[has_value][is_number]
        unstyled = number_style < 0
        if unstyled.any() and formats[0] != 0:
            return None  # a number with no style where style 0 is not a number's: not sure
        number_style = np.where(unstyled, 0, number_style)
        if (number_style >= len(formats)).any():
            return None
        kinds = np.asarray(formats, np.int8)[number_style]  # 0 number, 1 date, 2 unsure
        if (kinds == 2).any():
            return None
        number_index = np.empty(int(is_number.sum()), np.int64)
        starts = value_start[is_number]
        number_lengths = lengths[is_number]
        dates = kinds == 1
        if dates.any():  # whole days in a date format, as YYYY-MM-DD
            serial, count = _leading_number(sliding_window_view(padded, 8)[starts[dates]])
            if (count != number_lengths[dates]).any():
                return None
            if ((serial < _FIRST_SERIAL) | (serial > _LAST_SERIAL)).any():
                return None
            number_index[dates] = base + np.arange(len(serial))
            pieces.append(_iso_dates(serial))
            base += len(serial)
        numbers = ~dates
        if numbers.any():
            if (number_lengths[numbers] > _VALUE_BYTES).any():
                return None
            at = np.flatnonzero(numbers)
            window = sliding_window_view(padded, _VALUE_BYTES)[starts[at]]
            inside = np.arange(_VALUE_BYTES) < number_lengths[at, None]
            if not (_NUMBER_BYTE[window] | ~inside).all():
                return None
            plain = _as_written(window, inside, number_lengths[at])
            written = at[plain]  # as written: their own bytes, gathered into one buffer
            number_index[written] = base + np.arange(len(written))
            pieces.append(_slices(padded, starts[written], number_lengths[written]))
            base += len(written)
            others = at[~plain]
            if len(others):
                made = _number_texts(padded, starts[others], number_lengths[others])
                if made is None:
                    return None
                number_index[others] = base + np.arange(len(made))
                pieces.append(_encoded(made))
                base += len(made)
        index[is_number] = number_index
    pieces.append(_encoded([""]))
    blank = base
    texts = _joined(pieces)
    offsets = texts[0]
    empty = offsets[1:] == offsets[:-1]  # a text that is empty is a blank cell
    index = np.where(empty[index], blank, index)
    height, width = int(rows.max()), int(columns.max())
    grid = np.full((height, width), blank, np.int32)
    grid[rows[has_value] - 1, columns[has_value] - 1] = index
    return PlainSheet(texts, grid, blank)


_Texts = tuple[np.ndarray, np.ndarray]
"""Texts as Arrow lays them out: offsets (int32, one more than the texts) and UTF-8 bytes."""


def _slices(padded: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> _Texts:
    """The bytes at each start, of each length, as texts (ASCII: digits, "." and "-")."""
    offsets = np.zeros(len(starts) + 1, np.int64)
    np.cumsum(lengths, out=offsets[1:])
    at = np.repeat(starts - offsets[:-1], lengths) + np.arange(offsets[-1])
    return offsets.astype(np.int32), padded[at]


def _encoded(values: list[str]) -> _Texts:
    return _from_bytes([value.encode("utf-8") for value in values])


def _from_bytes(items: list[bytes]) -> _Texts:
    offsets = np.zeros(len(items) + 1, np.int64)
    np.cumsum(np.fromiter(map(len, items), np.int64, len(items)), out=offsets[1:])
    if offsets[-1] >= 2**31:
        raise ValueError("texts too long")
    return offsets.astype(np.int32), np.frombuffer(b"".join(items), np.uint8)


def _joined(pieces: list[_Texts]) -> _Texts:
    """The pieces' texts one after another."""
    sizes = np.array([len(data) for _, data in pieces], np.int64)
    if sizes.sum() >= 2**31:
        raise ValueError("texts too long")
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    offsets = np.concatenate(
        [offsets[:-1] + start for (offsets, _), start in zip(pieces, starts.tolist(), strict=True)]
        + [np.array([sizes.sum()])]
    ).astype(np.int32)
    return offsets, np.concatenate([data for _, data in pieces])


def _as_written(window: np.ndarray, inside: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Whether each number's text is what ``number_text`` gives for it: ``-?(0|[1-9]\\d*)``
    and, if a fraction follows, ``\\.\\d*[1-9]``, fifteen digits at most, and not ``-0``."""
    negative = window[:, 0] == 45
    first = np.where(negative, window[:, 1], window[:, 0])
    second = np.where(negative, window[:, 2], window[:, 1])
    digit = _DIGIT[window] & inside
    dot = (window == 46) & inside
    other = inside & ~digit & ~dot
    other[:, 0] &= ~negative
    rows = np.arange(len(window))
    last = window[rows, lengths - 1]
    has_dot = dot.any(axis=1)
    ok = ~other.any(axis=1) & (dot.sum(axis=1) <= 1) & (digit.sum(axis=1) <= 15)
    ok &= _DIGIT[first] & ~((first == 48) & _DIGIT[second] & ~has_dot)  # no leading zero
    ok &= ~(first == 48) | (second == 46) | (lengths - negative == 1)
    ok &= ~has_dot | (_DIGIT[last] & (last != 48))
    ok &= ~(negative & (first == 48) & ~has_dot)  # -0
    return ok


def number_text(value: float) -> str:
    """Fifteen significant digits, as Excel shows them, so 812.4000000000001 reads 812.4 (how
    every reader shows a number; here because the plain reader writes most of them itself)."""
    if not math.isfinite(value):
        return str(value)
    text = format(value, ".15g")
    if "e" in text:
        text = format(Decimal(text), "f")
    return "0" if text == "-0" else text


def _number_texts(padded: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> list[str] | None:
    """Numbers not written as ``number_text`` gives them, made text one by one."""
    out = []
    for start, length in zip(starts.tolist(), lengths.tolist(), strict=True):
        text = padded[start : start + length].tobytes().decode("ascii")
        if not _NUMBER.fullmatch(text):
            return None
        out.append(number_text(float(text)))
    return out


def _iso_dates(serial: np.ndarray) -> _Texts:
    """Day serials of the 1900 date system (from 1900-03-01) as ``YYYY-MM-DD`` text, worked out
    with numpy (the civil calendar from a day count, as in Howard Hinnant's ``civil_from_days``):
    Arrow's cast would load ``pyarrow.compute`` (see ``validator.arrow``), 100 ms or more on
    the second process or thread, beside the command line's own imports."""
    days = serial.astype(np.int64) - _UNIX_SERIAL + 719_468  # days from 0000-03-01
    era = days // 146_097
    day_of_era = days - era * 146_097
    year_of_era = (
        day_of_era - day_of_era // 1_460 + day_of_era // 36_524 - day_of_era // 146_096
    ) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    shifted_month = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * shifted_month + 2) // 5 + 1
    month = np.where(shifted_month < 10, shifted_month + 3, shifted_month - 9)
    year = year_of_era + era * 400 + (month <= 2)
    text = np.empty((len(serial), 10), np.uint8)
    for column, (value, place) in enumerate(
        [(year, 1000), (year, 100), (year, 10), (year, 1), (None, 0), (month, 10), (month, 1),
         (None, 0), (day, 10), (day, 1)]
    ):  # fmt: skip
        text[:, column] = 45 if value is None else 48 + (value // place) % 10
    return np.arange(0, 10 * len(serial) + 1, 10, dtype=np.int32), text.ravel()


_FIRST_SERIAL = 61
"""1900-03-01: before it the 1900 date system counts a day that never was (1900-02-29)."""
_LAST_SERIAL = 2_958_465
"""9999-12-31."""
_UNIX_SERIAL = 25_569
"""1970-01-01, day 0 of Arrow's dates."""


def _shared_strings(part: bytes) -> _Texts | None:
    """The shared strings as text, or None when one is written in a way not read here."""
    found = re.search(rb"<sst\b[^>]*>", part)
    if found is None:
        return None
    if b"\r" in part[found.end() :] or b"_x" in part or b"rPh" in part:
        return None  # line ends calamine keeps as written, escapes, phonetic runs
    declaration = part[:200].lower().split(b"?>")[0] if part.startswith(b"<?xml") else b""
    if b"encoding" in declaration and not re.search(rb"encoding=[\"']utf-8[\"']", declaration):
        return None
    close = part.rfind(b"</sst>")
    if close > found.end():
        body = part[found.end() : close]
        if not body:
            return _from_bytes([])
        if re.fullmatch(rb"(?:<si><t>[^<&]*</t></si>)*", body) and not _EDGE.search(body):
            items = body[len(b"<si><t>") : -len(b"</t></si>")].split(b"</t></si><si><t>")
            return _utf8_texts(items)
    root = ElementTree.fromstring(part)
    if root.tag != f"{_MAIN}sst":
        return None
    texts = []
    for item in root:
        if item.tag != f"{_MAIN}si":
            return None
        parts = []
        for child in item:
            if child.tag == f"{_MAIN}t":
                parts.append(_t_text(child))
            elif child.tag == f"{_MAIN}r":
                for run in child:
                    if run.tag == f"{_MAIN}t":
                        parts.append(_t_text(run))
                    elif run.tag != f"{_MAIN}rPr":
                        return None
            else:
                return None
        texts.append("".join(parts))
    return _encoded(texts)


def _utf8_texts(items: list[bytes]) -> _Texts:
    """Byte strings as texts, checked to be UTF-8 (``UnicodeDecodeError`` if not)."""
    texts = _from_bytes(items)
    texts[1].tobytes().decode("utf-8")
    return texts


def _t_text(element: ElementTree.Element) -> str:
    """A ``<t>``'s text as calamine gives it: white space trimmed unless it is to be kept."""
    text = element.text or ""
    if element.get(_XML_SPACE) == "preserve":
        return text
    return text.strip(_XML_WHITE_SPACE)


_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_XML_WHITE_SPACE = " \t\n\r"
"""What calamine trims from a ``<t>`` (XML's white space only: not a no-break space)."""
_EDGE = re.compile(rb"<t>[ \t\n\r]|[ \t\n\r]</t>")
"""A text beginning or ending with white space: read the slow way, which trims it."""


def _number_formats(part: bytes | None) -> list[int] | None:
    """For each cell style (``cellXfs``): 0 when a number in it reads as a number, 1 when as a
    date, 2 when not known here."""
    if part is None:
        return [0]
    root = ElementTree.fromstring(part)
    codes = {}
    for element in root.iter(f"{_MAIN}numFmt"):
        codes[int(element.get("numFmtId", "-1"))] = element.get("formatCode", "")
    cell_styles = root.find(f"{_MAIN}cellXfs")
    if cell_styles is None:
        return [0]
    out = []
    for xf in cell_styles.findall(f"{_MAIN}xf"):
        out.append(_format_kind(int(xf.get("numFmtId", "0")), codes))
    return out or [0]


def _format_kind(number: int, codes: dict[int, str]) -> int:
    if number in codes:
        code = codes[number]
        if code in DATE_FORMATS:
            return 1
        return 0 if _NUMBER_FORMAT.fullmatch(code) else 2
    if number in _DATE_IDS:
        return 1
    return 0 if number in _NUMBER_IDS else 2
