"""A cheap pass over an OpenDocument spreadsheet's ``content.xml`` for what calamine cannot tell.

The compiled reader (python-calamine) reads an ``.ods`` file's cells and which sheets are hidden,
but not which rows are hidden nor which cells are merged, and it lays a sheet out as one dense block
from its first cell to its last, repeated rows and columns expanded: a few hundred bytes saying
"this value, repeated a million times across a thousand columns" would ask it for a billion cells.
So, after ``archive`` has checked the zip (sizes, ratios, no DTD or entity declarations), this pass
reads ``content.xml`` once with a streaming XML parser and notes, sheet by sheet:

- the rows marked hidden (``table:visibility="collapse"`` or ``"filter"``);
- the merged ranges (``table:number-columns-spanned`` / ``table:number-rows-spanned``);
- how far the cells that hold a value reach, repeats counted, so the dense block can be bounded
  before calamine is asked for it (``SheetFacts.fits_compiled_reader``).

Empty cells repeated to the end of the sheet (LibreOffice writes them for every sheet) hold no
value and do not count.
"""

from __future__ import annotations

import html
import re
import zipfile
from typing import IO

from defusedxml import ElementTree

from ..addresses import column_letter
from .sheetscan import EXCEL_MAX_COLUMN, SheetFacts

CONTENT = "content.xml"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_SHEET = f"{_TABLE}table"
_ROW = f"{_TABLE}table-row"
_CELL = f"{_TABLE}table-cell"
_COVERED = f"{_TABLE}covered-table-cell"
_REPEATED_ROWS = f"{_TABLE}number-rows-repeated"
_REPEATED_COLUMNS = f"{_TABLE}number-columns-repeated"
_SPAN_COLUMNS = f"{_TABLE}number-columns-spanned"
_SPAN_ROWS = f"{_TABLE}number-rows-spanned"
_VALUE_TYPE = f"{_OFFICE}value-type"
_HIDDEN = ("collapse", "filter")


class OdsFacts:
    """What the pass learnt, by sheet name: ``sheets`` (``SheetFacts``) and ``merged`` (ranges
    such as ``"A2:C2"``, as the XLSX archive scan gives them)."""

    def __init__(self) -> None:
        self.sheets: dict[str, SheetFacts] = {}
        self.merged: dict[str, list[str]] = {}


def scan_ods(archive: zipfile.ZipFile, *, max_merged: int) -> OdsFacts:
    """Scan ``content.xml`` of a checked archive; raise ``ValueError`` if it cannot be parsed
    and ``OverflowError`` past ``max_merged`` merged ranges.

    The tags are read with a regular expression over the bytes (``_fast_scan``, about twenty times
    quicker than an XML parser) when the file is written as LibreOffice and Excel write it; any
    doubt (other namespace prefixes, quotes out of the ordinary, a table inside a cell) and the
    XML parser reads it instead (``_scan``). Both give the same facts.
    """
    facts = OdsFacts()
    with archive.open(CONTENT) as stream:
        if _fast_scan(stream, facts, max_merged):
            return facts
    facts = OdsFacts()
    with archive.open(CONTENT) as stream:
        _scan(stream, facts, max_merged)
    return facts


_BLOCK = 1 << 20
_ROW_END = b"</table:table-row>"
_OUTSIDE_ROWS = re.compile(  # between rows: a sheet opening or closing, or an empty row
    rb"<(/?)table:table(?=[\s/>])([^>]*)>|<table:table-row(?=[\s/>])([^>]*?)/>"
)
_ROW_START = b"<table:table-row"
_ROW_TAG = re.compile(rb"<table:table-row(?=[\s>])([^>]*)>")
_CELL_TAG = re.compile(rb"<table:(table-cell|covered-table-cell)(?=[\s/>])([^>]*)>")
_CELL_START = (b"<table:table-cell", b"<table:covered-table-cell")
_NESTED_TABLE = re.compile(rb"<table:table[\s>]")
_ATTRIBUTE = re.compile(rb'([\w.:-]+)\s*=\s*"([^"]*)"')
_PREFIXES = (
    b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"',
    b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"',
)


class _Uncertain(Exception):
    """The fast scan cannot be sure of this file: the XML parser reads it instead."""


def _fast_scan(stream: IO[bytes], facts: OdsFacts, max_merged: int) -> bool:
    """The pass as regular expressions over the bytes; False when the file needs the parser."""
    first = stream.read(_BLOCK)
    root = first[: first.find(b">", first.find(b"<office:document-content")) + 1]
    if not root or not all(prefix in root for prefix in _PREFIXES):
        return False
    state = _FastState(facts, max_merged)
    buffer = first
    try:
        while True:
            block = stream.read(_BLOCK)
            end = buffer.rfind(_ROW_END) if block else len(buffer)
            if end < 0:
                buffer += block
                continue
            if block:
                end += len(_ROW_END)
            state.feed(buffer[:end])
            buffer = buffer[end:] + block
            if not block:
                break
        state.finish()
    except _Uncertain:
        return False
    return True


def _attributes(text: bytes) -> dict[bytes, bytes]:
    if b"'" in text or text.count(b'"') % 2:
        raise _Uncertain  # a quote this pass might misread: leave it to the parser
    return dict(_ATTRIBUTE.findall(text))


def _number(value: bytes | None) -> int:
    try:
        return max(1, int(value)) if value is not None else 1
    except ValueError:
        return 1


class _FastState:
    """The scan's place in the document, fed whole rows at a time."""

    def __init__(self, facts: OdsFacts, max_merged: int) -> None:
        self.facts = facts
        self.max_merged = max_merged
        self.sheet: SheetFacts | None = None
        self.merged: list[str] = []
        self.merged_total = 0
        self.hidden: dict[int, list[tuple[int, int]]] = {}
        self.depth = 0
        self.row = self.column = self.last_column = 0
        self.row_repeats = 1
        self.row_hidden = self.row_has_value = False

    def feed(self, text: bytes) -> None:
        """Whole rows (the text is cut after a row's end): each row's cells are counted with
        byte searches, and only a row with repeats or spans is read cell by cell."""
        pieces = text.split(_ROW_END)
        for index, piece in enumerate(pieces):
            start = piece.rfind(_ROW_START) if index < len(pieces) - 1 else -1
            self._outside_rows(piece if start < 0 else piece[:start])
            if start < 0:
                continue
            row = _ROW_TAG.match(piece, start)
            if row is None:
                raise _Uncertain
            if self.depth != 1:
                continue
            cells = piece[row.end() :]
            if b"<table:table" in cells and _NESTED_TABLE.search(cells):
                raise _Uncertain  # a table inside a cell
            self._start_row(row.group(1))
            if b"ed=" in cells:  # number-columns-repeated, number-*-spanned
                self._cells(cells)
            else:
                self._plain_cells(cells)
            self._end_row()

    def _outside_rows(self, text: bytes) -> None:
        """Between rows: a sheet opening or closing, or an empty row ``<table:table-row/>``."""
        if b"table:table" not in text:
            return
        for match in _OUTSIDE_ROWS.finditer(text):
            closing, table, empty = match.groups()
            if empty is None:
                self._table(closing, table)
            elif self.depth == 1:
                self._start_row(empty)
                self._end_row()

    def _plain_cells(self, text: bytes) -> None:
        """A row without repeats or spans: one column a cell; the last with a value is the
        last cell that says its type or has content (an end tag)."""
        columns = text.count(_CELL_START[0]) + text.count(_CELL_START[1])
        self.column = columns
        valued = max(
            text.rfind(b"value-type"),
            text.rfind(b"</table:table-cell>"),
            text.rfind(b"</table:covered-table-cell>"),
        )
        if valued < 0:
            return
        before = text.count(_CELL_START[0], 0, valued) + text.count(_CELL_START[1], 0, valued)
        if before:
            self.row_has_value = True
            self.last_column = before

    def _table(self, closing: bytes, rest: bytes) -> None:
        if closing:
            self.depth -= 1
            if self.depth == 0:
                self.merged_total += len(self.merged)
                self.sheet = None
            return
        if rest.endswith(b"/"):
            return
        self.depth += 1
        if self.depth > 1:
            raise _Uncertain  # a table inside a cell
        name = html.unescape(_attributes(rest).get(b"table:name", b"").decode("utf-8", "replace"))
        self.sheet, self.merged = SheetFacts(), []
        self.facts.sheets[name] = self.sheet
        self.facts.merged[name] = self.merged
        self.row = 0

    def _start_row(self, rest: bytes) -> None:
        self.column = self.last_column = 0
        self.row_has_value = False
        self.row_repeats, self.row_hidden = 1, False
        if b"=" in rest:
            attributes = _attributes(rest)
            self.row_repeats = _number(attributes.get(b"table:number-rows-repeated"))
            self.row_hidden = attributes.get(b"table:visibility") in (b"collapse", b"filter")

    def _end_row(self) -> None:
        sheet = self.sheet
        first = self.row + 1
        self.row += self.row_repeats
        if sheet is None:
            return
        if self.row_hidden:
            self.hidden.setdefault(id(sheet), []).append((first, self.row))
        if self.row_has_value:
            sheet.max_row = max(sheet.max_row, self.row)
            sheet.max_column = max(sheet.max_column, self.last_column)
            sheet.rows += self.row_repeats

    def _cells(self, text: bytes) -> None:
        """The row's cells: how far they reach, the last that holds a value, merged ranges."""
        column = last = 0
        for name, rest in _CELL_TAG.findall(text):
            if b"'" in rest or rest.count(b'"') & 1:
                raise _Uncertain  # a quote this pass might misread: leave it to the parser
            repeats = 1
            if b"ed=" in rest:  # number-columns-repeated, number-*-spanned
                attributes = dict(_ATTRIBUTE.findall(rest))
                repeats = _number(attributes.get(b"table:number-columns-repeated"))
                spans = (
                    _number(attributes.get(b"table:number-columns-spanned")),
                    _number(attributes.get(b"table:number-rows-spanned")),
                )
                if name == b"table-cell" and spans != (1, 1):
                    self._merge(column + 1, column + repeats, spans)
            column += repeats
            # a cell holds a value when it says its type, or has content (text may have none)
            if b"value-type" in rest or not rest.endswith(b"/"):
                last = column
        self.column = column
        if last:
            self.row_has_value = True
            self.last_column = last

    def _merge(self, first: int, last: int, spans: tuple[int, int]) -> None:
        top = self.row + 1
        for start in range(first, min(last, EXCEL_MAX_COLUMN) + 1):
            self.merged.append(
                f"{column_letter(start - 1)}{top}:"
                f"{column_letter(start + spans[0] - 2)}{top + spans[1] - 1}"
            )
            if self.merged_total + len(self.merged) > self.max_merged:
                raise OverflowError(self.max_merged)

    def finish(self) -> None:
        if self.depth:
            raise _Uncertain  # not closed: the parser says how it is broken
        for found in self.facts.sheets.values():
            for first, last in self.hidden.get(id(found), []):
                found.hidden_rows.extend(range(first, min(last, found.max_row) + 1))


def _count(element: ElementTree.Element, name: str) -> int:
    """A repeat or span count: a whole number of at least 1 (anything else counts as 1)."""
    text = element.get(name)
    if text is None:
        return 1
    try:
        return max(1, int(text))
    except ValueError:
        return 1


def _holds_value(cell: ElementTree.Element) -> bool:
    if cell.get(_VALUE_TYPE):
        return True
    return any((node.text or "").strip() for node in cell.iter())


def _scan(stream: IO[bytes], facts: OdsFacts, max_merged: int) -> None:
    sheet: SheetFacts | None = None
    merged: list[str] = []
    merged_total = 0
    row = 0  # the row before the one being read, from 1
    column = 0
    row_has_value = False
    row_last_column = 0
    hidden: dict[int, list[tuple[int, int]]] = {}  # sheet → ranges of hidden rows
    depth = 0  # tables inside a cell are the cell's content, not rows of the sheet
    try:
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == _SHEET:
                    depth += 1
                    if depth == 1:
                        sheet, merged, row = SheetFacts(), [], 0
                        facts.sheets[element.get(f"{_TABLE}name", "")] = sheet
                        facts.merged[element.get(f"{_TABLE}name", "")] = merged
                elif tag == _ROW and depth == 1:
                    column, row_has_value, row_last_column = 0, False, 0
                continue
            if tag == _SHEET:
                depth -= 1
                if depth == 0:
                    merged_total += len(merged)
                    sheet = None
                element.clear()
                continue
            if sheet is None or depth != 1:
                continue
            if tag in (_CELL, _COVERED):
                repeats = _count(element, _REPEATED_COLUMNS)
                first = column + 1
                column += repeats
                if _holds_value(element):
                    row_has_value = True
                    row_last_column = max(row_last_column, column)
                spans = _count(element, _SPAN_COLUMNS), _count(element, _SPAN_ROWS)
                if tag == _CELL and spans != (1, 1):
                    top = row + 1
                    for start in range(first, min(column, EXCEL_MAX_COLUMN) + 1):
                        merged.append(
                            f"{column_letter(start - 1)}{top}:"
                            f"{column_letter(start + spans[0] - 2)}{top + spans[1] - 1}"
                        )
                        if merged_total + len(merged) > max_merged:
                            raise OverflowError(max_merged)
                element.clear()
            elif tag == _ROW:
                repeats = _count(element, _REPEATED_ROWS)
                first = row + 1
                row += repeats
                if element.get(f"{_TABLE}visibility") in _HIDDEN:
                    hidden.setdefault(id(sheet), []).append((first, row))
                if row_has_value:
                    sheet.max_row = max(sheet.max_row, row)
                    sheet.max_column = max(sheet.max_column, row_last_column)
                    sheet.rows += repeats
                element.clear()
    except ElementTree.ParseError as error:
        raise ValueError(str(error)) from None
    for found in facts.sheets.values():
        # hidden rows past the last value are the empty rest of the sheet: nothing to report
        for first, last in hidden.get(id(found), []):
            found.hidden_rows.extend(range(first, min(last, found.max_row) + 1))
