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
    and ``OverflowError`` past ``max_merged`` merged ranges."""
    facts = OdsFacts()
    with archive.open(CONTENT) as stream:
        _scan(stream, facts, max_merged)
    return facts


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
