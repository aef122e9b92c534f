"""A cheap pass over a worksheet's raw XML for what the compiled reader cannot tell.

The compiled reader (python-calamine, ``calamine_reader``) gives each cell's value, but not which
rows are hidden nor which formulas were saved without a calculated value, and it lays the sheet
out as one dense block from its first cell to its last: a few hundred hostile bytes with a value in
A1 and another in XFD1048576 would ask it for half a terabyte, and it aborts the process. So while
``archive`` inflates each part for its safety checks, this pass reads the same bytes once more in
memory, block by block, and notes:

- the rows marked hidden (``<row r="7" hidden="1">``);
- the formula cells with no calculated value (``<c r="B3"><f>A3*2</f></c>``), in document order;
- the error values a cell shows (``<c r="C5" t="e"><v>#DIV/0!</v></c>``), which calamine reads
  as blank;
- the negative numbers cells hold (``<v>-0.5</v>``): in a date format calamine reads them as a
  time of day, where the streaming reader gives a date before 1900;
- how far the cells reach (the largest row and column any cell or row names), so the dense block
  can be bounded before the compiled reader is asked for it;
- anything that makes those facts uncertain: a value in a cell that does not name its place
  (calamine would place it by counting), a hidden row, formula or error cell without its
  reference, rows out of order, a reference past column XFD or with a leading zero, a
  ``sheetData`` element with a namespace prefix.

Nothing here decides what a cell holds; a sheet whose facts are uncertain or whose block would be
too large is read by the streaming reader instead (``SheetFacts.fits_compiled_reader``).

Blocks are cut after the last ``</row>`` they hold (a ``<`` cannot appear inside text or formulas,
so that never falls inside a cell), so no element is ever split between two blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from numpy.lib.stride_tricks import as_strided

EXCEL_MAX_ROW = 1_048_576
EXCEL_MAX_COLUMN = 16_384
DENSE_CELL_LIMIT = 8_000_000
"""The most cells (rows × columns, blanks included) a sheet may span to be read by the compiled
reader, which holds them all at 32 bytes each (256 MB): anything larger is streamed instead."""

EXAMPLES = 10

_ROW_END = b"</row>"
_HIDDEN_ROW = re.compile(rb"<row\b([^>]*?)\bhidden\s*=\s*[\"'](?:1|true)[\"']([^>]*)>")
_UNCALCULATED = re.compile(  # openpyxl too reads an empty <v/> as no value
    rb"<c\b([^>]*)>\s*<f\b[^>]*?(?:/>|>[^<]*</f>)\s*(?:<v\s*/>|<v></v>)?\s*</c>"
)
_ERROR = re.compile(
    rb"<c\b([^>]*?\bt\s*=\s*[\"']e[\"'][^>]*)>(?:\s*<f\b[^>]*?(?:/>|>[^<]*</f>))?\s*<v>([^<]*)</v>"
)
_NEGATIVE = re.compile(
    rb"<c\b([^>]*)>(?:\s*<f\b[^>]*?(?:/>|>[^<]*</f>))?\s*<v>(-[0-9][0-9.Ee+-]*)</v>"
)
_REF = re.compile(rb"\br\s*=\s*[\"']([A-Za-z]{0,3})([0-9]{1,7})[\"']")
_PREFIXED = re.compile(rb"<[A-Za-z_][\w.-]*:sheetData\b")
_PAD = 16
_LETTER = np.zeros(256, np.int32)
_LETTER[65:91] = _LETTER[97:123] = np.arange(1, 27)
_SPACE = np.zeros(256, bool)
_SPACE[[32, 9, 10, 13]] = True  # the white space XML allows before an attribute
_LEADING_BYTES = np.array(
    [((1 << 64) - (1 << (64 - 8 * width))) if width else 0 for width in range(9)], np.uint64
)
"""By how many digits lead: the mask that keeps that many leading bytes of a big-endian u64."""


@dataclass
class SheetFacts:
    """What the pass learnt about one part (any part: most hold no rows at all)."""

    hidden_rows: list[int] = field(default_factory=list)
    uncalculated: list[str] = field(default_factory=list)
    """The first ``EXAMPLES`` formula cells saved without a value, in document order."""
    uncalculated_count: int = 0
    errors: dict[int, dict[int, str]] = field(default_factory=dict)
    """Row → column → the error value shown (``#N/A``), for cells holding one."""
    negatives: dict[int, dict[int, float]] = field(default_factory=dict)
    """Row → column → the number, for cells holding a negative one."""
    max_row: int = 0
    max_column: int = 0
    rows: int = 0
    """How many ``<row>`` elements name their row."""
    uncertain: str = ""
    """Why the facts cannot be trusted, or "" when they can."""

    def fits_compiled_reader(self) -> bool:
        """Whether the compiled reader can read this sheet safely with these facts beside it."""
        return (
            not self.uncertain
            and self.max_row <= EXCEL_MAX_ROW
            and self.max_column <= EXCEL_MAX_COLUMN
            and self.max_row * self.max_column <= DENSE_CELL_LIMIT
        )


class SheetScanner:
    """Fed a part's bytes block by block (``feed``), then ``finish`` gives its ``SheetFacts``."""

    def __init__(self) -> None:
        self.facts = SheetFacts()
        self._buffer = b""
        self._last_row = 0

    def feed(self, block: bytes) -> None:
        buffer = self._buffer + block
        end = buffer.rfind(_ROW_END)
        if end < 0:
            self._buffer = buffer
            return
        end += len(_ROW_END)
        self._scan(buffer[:end])
        self._buffer = buffer[end:]

    def finish(self) -> SheetFacts:
        if self._buffer:
            self._scan(self._buffer)
            self._buffer = b""
        return self.facts

    def _scan(self, text: bytes) -> None:
        facts = self.facts
        if facts.uncertain:
            return
        # a byte absent from row data ("h", "i", "-") is found at memory speed, longer words
        # are not: each word is looked for only where its rare byte is
        rare_h = b"h" in text  # in "hidden" and ":sheetData"
        if rare_h and b":sheetData" in text and _PREFIXED.search(text):
            facts.uncertain = "element names with a namespace prefix"
            return
        if rare_h and b"hidden" in text:
            for match in _HIDDEN_ROW.finditer(text):
                ref = _REF.search(match.group(1) + b" " + match.group(2))
                if ref is None or ref.group(1):
                    facts.uncertain = "a hidden row without its number"
                    return
                facts.hidden_rows.append(int(ref.group(2)))
        if b"f" in text and b"<f" in text:  # one byte is found at memory speed, two are not
            for match in _UNCALCULATED.finditer(text):
                ref = _REF.search(match.group(1))
                if ref is None or not ref.group(1):
                    facts.uncertain = "a formula cell without its place"
                    return
                facts.uncalculated_count += 1
                if len(facts.uncalculated) < EXAMPLES:
                    cell = ref.group(1).upper() + ref.group(2)
                    facts.uncalculated.append(cell.decode("ascii"))
        if b"#" in text:  # every error value starts with "#" (#N/A, #DIV/0!, #REF!...)
            for match in _ERROR.finditer(text):
                ref = _REF.search(match.group(1))
                if ref is None or not ref.group(1):
                    facts.uncertain = "an error cell without its place"
                    return
                row, column = _place(ref)
                facts.errors.setdefault(row, {})[column] = match.group(2).decode("utf-8", "replace")
        if b"-" in text and b"<v>-" in text:
            for match in _NEGATIVE.finditer(text):
                ref = _REF.search(match.group(1))
                if ref is None or not ref.group(1):
                    facts.uncertain = "a negative number without its place"
                    return
                row, column = _place(ref)
                facts.negatives.setdefault(row, {})[column] = float(match.group(2))
        self._extent(text)

    def _extent(self, text: bytes) -> None:
        """The largest row and column named by any ``r="…"``, and that every cell names one."""
        facts = self.facts
        # a reference is read up to 11 bytes on: a block ending "</row>" always has them
        padded = text if text.endswith(_ROW_END) else text + b"\0" * _PAD
        data = np.frombuffer(padded, dtype=np.uint8)
        # each 'r="' after white space: looked for from the places of "r" (a third as many as
        # of "=", which every attribute has)
        found = np.flatnonzero(data[2 : len(text) - 1] == 114) + 2
        found = found[(data[found + 1] == 61) & (data[found + 2] == 34)]
        starts = found[_SPACE[data[found - 1]]] + 3
        # each reference's first 8 bytes as a row, gathered at once from a view of the block
        # that starts a row at every byte (nothing is copied but the rows taken)
        windows = as_strided(data, shape=(max(len(data) - 7, 0), 8), strides=(1, 1))
        head = _LETTER[windows[starts, :4]]
        first, second, third = head[:, 0], head[:, 1], head[:, 2]
        letters = (first > 0).astype(np.int32)
        letters += (letters > 0) & (second > 0)
        letters += (letters > 1) & (third > 0)
        if (head[:, 3][letters == 3] > 0).any():
            facts.uncertain = "a cell reference past column XFD"
            return
        column = np.where(letters >= 2, first * 26 + second, first)  # 0 with no letter
        column = np.where(letters == 3, column * 26 + third, column)
        # each reference's digits as 8 bytes, zero after the last digit: read big-endian, the
        # larger of two numbers with as many digits is the larger number
        digits = windows[starts + letters]
        if (digits[:, 0] == 48).any():  # "A01": numbers with leading zeros do not compare so
            facts.uncertain = "a reference with a leading zero"
            return
        is_digit = (digits - 48) < 10
        going = is_digit[:, 0].copy()
        width = going.astype(np.intp)  # how many digits lead, at most 8
        for place in range(1, 8):
            going &= is_digit[:, place]
            width += going
        keys = digits.view(">u8").ravel().astype(np.uint64) & _LEADING_BYTES[width]
        longest = width == width.max() if len(width) else width
        largest = keys[longest].max() if len(width) else 0
        # every value (<v>…</v>, or <is>…</is> inline, with any prefix) must be in a cell that
        # names its place, or calamine would place it by counting, past what was measured here;
        # "v>" is counted where a "v" and a ">" follow one another (bytes.count is slower)
        values = int(np.count_nonzero((data[: len(text) - 1] == 118) & (data[1 : len(text)] == 62)))
        values += text.count(b"is>") if b"i" in text else 0
        if 2 * int((letters > 0).sum()) < values:
            facts.uncertain = "cells without their place"
            return
        row_tags = _numbers(keys[letters == 0])
        facts.rows += len(row_tags)
        if len(row_tags) and (
            row_tags[0] <= self._last_row or (len(row_tags) > 1 and (np.diff(row_tags) <= 0).any())
        ):
            facts.uncertain = "rows out of order"
            return
        if len(row_tags):
            self._last_row = int(row_tags[-1])
        if len(starts):
            facts.max_row = max(facts.max_row, int(_numbers(np.array([largest], ">u8"))[0]))
            facts.max_column = max(facts.max_column, int(column.max()))


def _numbers(keys: np.ndarray) -> np.ndarray:
    """Numbers from their digits held as big-endian 8-byte keys (zero bytes after the digits)."""
    digits = keys.astype(">u8").view(np.uint8).reshape(-1, 8).astype(np.int64)
    number = np.zeros(len(keys), np.int64)
    going = np.ones(len(keys), bool)
    for place in range(8):
        digit = digits[:, place] - 48
        going &= (digit >= 0) & (digit <= 9)
        number = np.where(going, number * 10 + digit, number)
    return number


def _place(ref: re.Match[bytes]) -> tuple[int, int]:
    """(row, column), both from 1, of a matched ``_REF``."""
    column = 0
    for letter in ref.group(1).upper():
        column = column * 26 + letter - 64
    return int(ref.group(2)), column
