"""Read a workbook (XLSX, ODS or XLS) into a ``Table``: one sheet, each cell as the text a person
sees.

The archive is checked first (``archive``), so no parser ever sees a zip bomb or an XML entity;
the same pass notes what the compiled reader cannot tell (``sheetscan``). Then one of three readers:

- the plain reader (``plainsheet``), for a plain sheet as Excel saves one — rows of cells naming
  their place, holding numbers, shared strings and booleans, 1900 dates, at most 32 MB of XML —
  which cuts the sheet's XML up with numpy straight into Arrow text, no Python object a cell;
- the compiled reader (python-calamine, through ``calamine_reader``), for every other sheet it
  can read safely: one whose cells all name their place and whose block from first to last cell
  is bounded (``sheetscan.DENSE_CELL_LIMIT``) — the returns people send;
- otherwise openpyxl's own streaming sheet parser (through ``openpyxl_private``), which reads only
  the rows the file really holds — a used range that claims the whole sheet costs nothing — so a
  huge or odd sheet never sits in memory at once. It also words any file calamine cannot read.

All give the same ``Table``: the same rows, texts, issues and notes, in chunks. The plain reader
and calamine share ``_CompiledSheetReader``, the plain reader's blocks of rows made chunks from
its own columns.

An OpenDocument spreadsheet (``.ods``, LibreOffice's own format) and an old-style Excel workbook
(``.xls``) are told by their bytes and read by the compiled reader alone, after the same kind of
checks: the zip's safety checks and ``odsscan``'s pass over ``content.xml`` for an ``.ods``, a size
limit and ``xlsscan``'s pass over the BIFF records for an ``.xls``. Those passes give the hidden
rows, the merged ranges (calamine gives them for an ``.xls``) and the reach of the cells, so both
get everything an ``.xlsx`` gets; a sheet whose cells spread further than the compiled reader can
hold is refused, as there is no streaming reader for these formats.

What a person would not see is not read: hidden sheets and hidden rows are skipped and reported.
Merged cells are read as their top-left value with the rest blank. The headings need not be on
row 1: they are looked for among the first non-blank rows (``headers.header_index``), so a title
or notes above the table are skipped, with a note naming the heading row. Leading blank rows, and
trailing blank rows and columns, are ignored; blank rows between data rows are reported as
``RowIssue``s and left out of the chunks. Row numbers are the sheet's own.

``Table.issues`` and the notes about hidden rows and uncalculated formulas are complete only once
``Table.chunks`` has been read to the end; notes about sheets and merged cells are there at once.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import warnings
import weakref
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import TYPE_CHECKING, Any, BinaryIO

import numpy as np
import pyarrow as pa
from defusedxml import DefusedXmlException

from ..addresses import column_letter
from ..arrow import pc
from ..catalogue.inputs import InputError
from ..standard import Standard, load_standard
from . import plainsheet
from .archive import EXCEL_MAX_ROW, MAX_UNCOMPRESSED_BYTES, ArchiveFacts, check_workbook_file
from .calamine_reader import (
    WINDOWS_EPOCH,
    CompiledSheet,
    SheetEntry,
    compiled_reader_errors,
    compiled_sheet,
    date_before_1900,
    listed_sheets,
    other_sheet_list,
)
from .plainsheet import PlainBlock, PlainRows, PlainSheet
from .plainsheet import number_text as _number_text
from .sheetchoice import choose_sheet
from .sheetscan import DENSE_CELL_LIMIT, SheetFacts
from .table import MAX_COLUMNS, Chunk, ReaderNote, RowIssue, Table

if TYPE_CHECKING:
    from .openpyxl_private import WorkbookParts

CHUNK_ROWS = 50_000
CHUNK_CELLS = 1_000_000
"""A chunk holds at most CHUNK_ROWS rows and, for wide sheets, about this many cells."""
COMPILED_CHUNK_CELLS = 200_000
"""The compiled reader's rows hold a Python object a cell until their chunk is made text, and the
whole sheet sits in calamine's memory beside them: its chunks are smaller."""
MAX_BLANK_ROWS = 100_000
"""More empty rows than this between rows of data is a stray far-away cell, not a return."""

NOTE_EXAMPLES = 10

FORMULA_NOT_CALCULATED = "formula-not-calculated"
"""Note code for formula cells saved without a calculated value (they are read as blank)."""


def read_xlsx(
    source: str | os.PathLike[str] | BinaryIO,
    sheet: str | None = None,
    *,
    standard: Standard | None = None,
    early: Any = None,
) -> Table:
    """Read the first visible sheet of a workbook, or the sheet named, as a ``Table``.

    ``source`` is a path or a binary file object. The sheet and the heading row are recognised
    by the submission types of ``standard`` (the current version when not given). Raises
    ``InputError`` when the file is not a workbook, is encrypted, damaged or unsafe, when the
    sheet is missing, or when it is empty. ``early`` is what ``early_open`` did for this very
    file (``early_open.take``): its handle, checks and compiled sheet are taken up.
    """
    standard = standard or load_standard()
    handle, owned = (early.handle, True) if early is not None else _open_binary(source)
    resources = _Resources(handle if owned else None)
    try:
        if early is not None and early.error is not None:
            raise early.error
        facts = early.facts if early is not None and early.facts else check_workbook_file(handle)
        if facts.kind != "xlsx":
            return _read_other(handle, facts, sheet, standard, resources)
        table = _read_compiled(handle, facts, sheet, standard, resources, early)
        if table is not None:
            return table
        layout, resources.archive = _load_layout(handle, sheet, standard)
        resources.member = _open_part(resources.archive, layout.part)
        notes = list(layout.notes)
        merges = facts.merged.get(layout.part, [])
        reader = _StreamingSheetReader(resources.member, layout.parts, merges, notes)
        return _table(reader, layout.title, merges, notes, standard, resources)
    except BaseException:
        resources.close()
        raise
    finally:
        if early is not None:
            early.close_compiled()  # read but not taken up (another sheet was chosen)


def _table(
    reader: _SheetReader,
    title: str,
    merges: list[str],
    notes: list[ReaderNote],
    standard: Standard,
    resources: _Resources,
    kind: str = "xlsx",
) -> Table:
    """Find the headings, note what the reader saw before them, and stream the rest in chunks."""
    header = reader.read_header(standard)
    if reader.header_row > reader.first_row:
        notes.append(_headings_note(reader.header_row))
    merges = [m for m in merges if _parse_merges([m])[0].max_row >= reader.header_row]
    if merges:
        notes.append(_merged_note(merges))
    chunks = reader.chunks(resources)
    weakref.finalize(chunks, resources.close)
    return Table(
        header=header,
        chunks=chunks,
        format=kind,  # type: ignore[arg-type]
        issues=reader.issues,
        notes=notes,
        sheet=title,
        header_row=reader.header_row,
        ragged_rows_kept=True,
    )


def _read_compiled(
    handle: BinaryIO,
    facts: ArchiveFacts,
    wanted: str | None,
    standard: Standard,
    resources: _Resources,
    early: Any = None,
) -> Table | None:
    """The sheet read by the compiled reader, or None to leave it to the streaming reader.

    ``early`` is what ``early_open`` read in a second process or thread: its sheet is taken up
    when it is the one chosen here."""
    listed = listed_sheets(handle)
    if not listed:
        return None
    sheets, epoch = listed
    chosen, notes = _choose_sheet(sheets, wanted, standard)
    scanned = facts.sheets.get(chosen.part)
    if scanned is None or not scanned.fits_compiled_reader():
        return None
    if early is not None and early.compiled is not None and early.sheet == chosen.name:
        compiled, early.compiled = early.compiled, None
    else:
        compiled = plainsheet.plain_sheet(
            handle, chosen, scanned, epoch, facts.kept
        ) or compiled_sheet(handle, chosen.name)
        if compiled is None:
            return None
    resources.compiled = compiled
    merges = facts.merged.get(chosen.part, [])
    reader = _CompiledSheetReader(compiled, scanned, epoch, merges, notes)
    return _table(reader, chosen.name, merges, notes, standard, resources)


def _read_other(
    handle: BinaryIO,
    facts: ArchiveFacts,
    wanted: str | None,
    standard: Standard,
    resources: _Resources,
) -> Table:
    """An OpenDocument (.ods) or old-style Excel (.xls) workbook: calamine reads it, with the
    facts of the scan (``odsscan``, ``xlsscan``) beside it; nothing else can, so a sheet too
    spread out for it is refused rather than streamed. calamine lays out every sheet as it opens
    one of these files, so every sheet is measured first."""
    for name, scanned in facts.sheets.items():
        if not scanned.fits_compiled_reader():
            raise InputError(
                "sheet-too-spread",
                sheet=name,
                cell=f"{column_letter(scanned.max_column - 1)}{scanned.max_row}",
                most=f"{DENSE_CELL_LIMIT:,}",
            )
    try:
        sheets = other_sheet_list(handle)
    except compiled_reader_errors() as error:
        raise _damaged(error) from None
    finally:
        handle.seek(0)
    chosen, notes = _choose_sheet(sheets, wanted, standard)
    scanned = facts.sheets.get(chosen.name)
    if scanned is None:
        raise InputError(
            "damaged-workbook", error_type="ValueError", error=f"sheet {chosen.name!r} not found"
        )
    try:
        compiled = CompiledSheet(handle, chosen.name)
    except compiled_reader_errors() as error:
        raise _damaged(error) from None
    except BaseException as error:  # a panic inside the Rust code is a BaseException
        if not isinstance(error, Exception) and type(error).__name__ != "PanicException":
            raise
        raise _damaged(error) from None
    finally:
        handle.seek(0)
    resources.compiled = compiled
    merges = facts.merged.get(chosen.name) or compiled.merged_ranges()
    reader = _CompiledSheetReader(compiled, scanned, WINDOWS_EPOCH, merges, notes)
    return _table(reader, chosen.name, merges, notes, standard, resources, facts.kind)


def _open_part(archive: zipfile.ZipFile, part: str) -> BinaryIO:
    """Open the sheet's XML part for streaming (the archive was checked before)."""
    try:
        return archive.open(part)  # type: ignore[return-value]
    except (KeyError, zipfile.BadZipFile, OSError) as error:
        raise _damaged(error) from None


def cell_text(value: Any) -> str:
    """A cell value as the text a person sees: whole numbers without '.0', ISO dates, TRUE/FALSE."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number_text(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(timespec="milliseconds" if value.microsecond else "seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="milliseconds" if value.microsecond else "seconds")
    if isinstance(value, dt.timedelta):
        hours, rest = divmod(round(value.total_seconds()), 3600)
        return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"
    return str(value)


# --- opening the file -------------------------------------------------------------------------


def _open_binary(source: str | os.PathLike[str] | BinaryIO) -> tuple[BinaryIO, bool]:
    """A seekable binary handle on the source, and whether we opened it (so must close it)."""
    if isinstance(source, str | os.PathLike):
        return open(source, "rb"), True  # closed by _Resources
    if not hasattr(source, "read"):
        raise TypeError("read_xlsx() wants a path or a binary file object")
    if getattr(source, "seekable", lambda: False)():
        return source, False
    return _spool(source), True


def _spool(stream: BinaryIO) -> BinaryIO:
    """Copy a stream that cannot seek, refusing one longer than the size limit."""
    spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115
    copied = 0
    while block := stream.read(1024 * 1024):
        copied += len(block)
        if copied > MAX_UNCOMPRESSED_BYTES:
            spool.close()
            raise InputError(
                "workbook-stream-too-large", most_megabytes=MAX_UNCOMPRESSED_BYTES // 1024 // 1024
            )
        spool.write(block)
    spool.seek(0)
    return spool  # type: ignore[return-value]


@dataclass
class _Resources:
    """Everything open while the rows stream; closed when the chunks end or are dropped."""

    handle: BinaryIO | None = None
    archive: zipfile.ZipFile | None = None
    member: BinaryIO | None = None
    compiled: CompiledSheet | PlainSheet | None = None

    def close(self) -> None:
        for resource in (self.member, self.archive, self.compiled, self.handle):
            if resource is not None:
                resource.close()
        self.member = self.archive = self.compiled = self.handle = None


# --- the workbook's layout: which sheet, and what the parser needs --------------------------


@dataclass
class _Layout:
    """The chosen sheet: its title and zip part, and what decoding its cells needs."""

    title: str
    part: str
    parts: WorkbookParts
    notes: list[ReaderNote] = field(default_factory=list)


def _load_layout(
    handle: BinaryIO, sheet: str | None, standard: Standard
) -> tuple[_Layout, zipfile.ZipFile]:
    """Read the workbook's parts (not its sheets) with openpyxl and choose the sheet.

    These are the steps of openpyxl's read-only ``load_workbook`` except reading the worksheets:
    that step parses every sheet without a ``<dimension>`` tag in full just to size it.
    Returns the layout and the open archive, to stream the sheet from.
    """
    from .openpyxl_private import read_parts

    try:
        parts = read_parts(handle)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise _unreadable(error) from None
    try:
        chosen, notes = _choose_sheet(parts.sheets, sheet, standard)
    except InputError:
        parts.archive.close()
        raise
    return _Layout(title=chosen.name, part=chosen.part, parts=parts, notes=notes), parts.archive


def _unreadable(error: BaseException) -> InputError:
    """Unsafe if defusedxml refused the XML (openpyxl may wrap its error), else damaged."""
    cause: BaseException | None = error
    for _ in range(10):  # a bounded walk down the chain of causes
        if cause is None:
            break
        if isinstance(cause, DefusedXmlException):
            return InputError("unsafe-xml", error=str(cause))
        cause = cause.__cause__ or cause.__context__
    return _damaged(error)


def _damaged(error: BaseException) -> InputError:
    return InputError("damaged-workbook", error_type=type(error).__name__, error=str(error))


def _choose_sheet(
    sheets: list[SheetEntry], wanted: str | None, standard: Standard
) -> tuple[SheetEntry, list[ReaderNote]]:
    """The sheet to read (``sheetchoice.choose_sheet``), with a note for each hidden sheet
    left unread when none was named."""
    chosen = choose_sheet(sheets, wanted, standard)
    if wanted is not None:
        return chosen, []
    notes = [
        ReaderNote("hidden-sheet-ignored", {"sheet": s.name, "checked": chosen.name})
        for s in sheets
        if s.state != "visible"
    ]
    return chosen, notes


# --- merged cells ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Merge:
    min_col: int
    min_row: int
    max_col: int
    max_row: int

    def covers(self, row: int, column: int) -> bool:
        """True for a cell inside the range other than its top-left one."""
        return (
            self.min_row <= row <= self.max_row
            and self.min_col <= column <= self.max_col
            and (row, column) != (self.min_row, self.min_col)
        )


def _parse_merges(refs: list[str]) -> list[_Merge]:
    merges = []
    for ref in refs:
        first, _, last = ref.partition(":")
        (min_col, min_row), (max_col, max_row) = _cell(first), _cell(last or first)
        merges.append(_Merge(min_col, min_row, max_col, max_row))
    return sorted(merges, key=lambda m: m.min_row)


def _cell(ref: str) -> tuple[int, int]:
    """(column, row), both from 1, of a cell reference such as ``AB12`` (the archive scan
    collects only references of 1–3 letters and 1–7 digits)."""
    letters = ref.rstrip("0123456789")
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - 64
    return column, int(ref[len(letters) :])


def _headings_note(row: int) -> ReaderNote:
    return ReaderNote("headings-not-on-first-row", {"row": row}, rows=[row])


def _merged_note(refs: list[str]) -> ReaderNote:
    merges = _parse_merges(refs)
    shown = ", ".join(refs[:NOTE_EXAMPLES]) + (", …" if len(refs) > NOTE_EXAMPLES else "")
    return ReaderNote("merged-cells", {"ranges": shown}, rows=sorted({m.min_row for m in merges}))


# --- streaming the rows --------------------------------------------------------------------------


@dataclass
class _Row:
    """A visible row read ahead while looking for the headings, with the blank rows before it."""

    number: int
    texts: list[str]
    blank_before: list[int]
    blank_total: int


class _SheetReader:
    """Turns a reader's physical rows into a header, data chunks, row issues and notes.

    A subclass gives the rows (``_next_physical_row``) and each row's texts (``_texts``).
    """

    _chunk_cells = CHUNK_CELLS

    def __init__(self, merges: list[str], notes: list[ReaderNote]) -> None:
        self._merges = _parse_merges(merges)
        self._next_merge = 0
        self._active: list[_Merge] = []
        self._last_row = 0
        self._pending_blank: list[int] = []
        self._blank_total = 0
        self._width = 0
        self._same_text: dict[str, str] = {}
        self.hidden_rows: list[int] = []
        self.uncalculated: list[str] = []
        self.uncalculated_rows: list[int] = []
        self.uncalculated_count = 0
        self.issues: list[RowIssue] = []
        self.notes = notes
        self.header_row = 0
        self.first_row = 0
        self._replay: list[_Row] = []

    def read_header(self, standard: Standard) -> list[str]:
        """The heading row among the first visible non-blank rows; an empty sheet is an
        ``InputError``. The rows read past it are kept to be read again as data."""
        from .headers import HEADER_SEARCH_ROWS, header_index

        candidates: list[_Row] = []
        for number, texts in self._visible_rows():
            candidates.append(_Row(number, texts, self._pending_blank, self._blank_total))
            self._pending_blank, self._blank_total = [], 0
            if len(candidates) >= HEADER_SEARCH_ROWS:
                break
        if not candidates:
            raise InputError("empty-sheet")
        index = header_index([row.texts for row in candidates], standard)
        header = candidates[index]
        self._replay = candidates[index + 1 :]
        self._width = len(header.texts)
        self.first_row = candidates[0].number
        self.header_row = header.number
        self.hidden_rows = [row for row in self.hidden_rows if row > header.number]
        return header.texts

    def chunks(self, resources: _Resources) -> Iterator[Chunk]:
        """Data rows in chunks of ``CHUNK_ROWS``; notes are added once the sheet is read."""
        try:
            chunk_rows = self._chunk_rows()
            numbers: list[int] = []
            rows: list[list[str]] = []
            for item in self._rows_after_header():
                self._flush_blank_rows()
                if isinstance(item, Chunk):  # a block of rows made a chunk whole
                    if rows:
                        yield self._chunk(numbers, rows)
                        numbers, rows = [], []
                    yield item
                    continue
                number, texts = item
                if len(texts) > self._width:
                    self.issues.append(RowIssue(number, "ragged", self._width, len(texts)))
                    texts = texts[: self._width]
                elif len(texts) < self._width:
                    texts.extend([""] * (self._width - len(texts)))
                numbers.append(number)
                rows.append(texts)
                if len(rows) >= chunk_rows:
                    yield self._chunk(numbers, rows)
                    numbers, rows = [], []
            if rows:
                yield self._chunk(numbers, rows)
            self.notes.extend(self._closing_notes())
        finally:
            resources.close()

    def _chunk_rows(self) -> int:
        return min(CHUNK_ROWS, max(1_000, self._chunk_cells // max(self._width, 1)))

    def _chunk(self, numbers: list[int], rows: list[list[str]]) -> Chunk:
        self._same_text.clear()
        arrays = [pa.array(column, type=pa.string()) for column in zip(*rows, strict=True)]
        return Chunk(rows=np.asarray(numbers, dtype=np.int64), arrays=arrays)

    def _rows_after_header(self) -> Iterator[tuple[int, list[str]] | Chunk]:
        """The rows read while looking for the headings, then the rest of the sheet (a reader
        may give a block of plain rows as a whole ``Chunk``)."""
        replay, self._replay = self._replay, []
        for row in replay:
            self._pending_blank, self._blank_total = row.blank_before, row.blank_total
            yield row.number, row.texts
        self._pending_blank, self._blank_total = [], 0
        yield from self._visible_rows()

    def _visible_rows(self) -> Iterator[tuple[int, list[str]]]:
        """Visible rows that hold a value, as text by column; records hidden and blank rows."""
        while True:
            physical = self._next_physical_row()
            if physical is None:
                return
            number, hidden, cells = physical
            self._count_blank_rows(self._last_row + 1, number)
            self._last_row = number
            texts = self._texts(number, cells)
            if not texts:
                if not hidden:
                    self._count_blank_rows(number, number + 1)
                continue
            if hidden:
                self.hidden_rows.append(number)
                continue
            yield number, texts

    def _next_physical_row(self) -> tuple[int, bool, Any] | None:
        """The next row the sheet holds: its number, whether it is hidden, and its cells."""
        raise NotImplementedError

    def _texts(self, number: int, cells: Any) -> list[str]:
        """The row's cells as text, up to its last non-blank cell ([] for a blank row)."""
        raise NotImplementedError

    def _beyond_last_column(self, number: int, column: int) -> InputError:
        return InputError(
            "value-beyond-last-column",
            cell=f"{column_letter(column - 1)}{number}",
            column=f"{column:,}",
            most=f"{MAX_COLUMNS:,}",
        )

    def _is_covered(self, number: int, column: int) -> bool:
        while (
            self._next_merge < len(self._merges)
            and self._merges[self._next_merge].min_row <= number
        ):
            self._active.append(self._merges[self._next_merge])
            self._next_merge += 1
        self._active = [m for m in self._active if m.max_row >= number]
        return any(m.covers(number, column) for m in self._active)

    def _count_blank_rows(self, first: int, stop: int) -> None:
        """Hold blank rows until a data row follows (trailing blank rows are never reported)."""
        if stop <= first:
            return
        self._blank_total += stop - first
        room = MAX_BLANK_ROWS - len(self._pending_blank)
        self._pending_blank.extend(range(first, min(stop, first + max(room, 0))))

    def _flush_blank_rows(self) -> None:
        if self._blank_total > MAX_BLANK_ROWS:
            raise InputError(
                "too-many-blank-rows", most=f"{MAX_BLANK_ROWS:,}", row=f"{self._last_row:,}"
            )
        for number in self._pending_blank:
            self.issues.append(RowIssue(number, "blank", self._width, 0))
        self._pending_blank.clear()

    def _closing_notes(self) -> list[ReaderNote]:
        notes = []
        if self.hidden_rows:
            notes.append(
                ReaderNote(
                    "hidden-rows-ignored",
                    {"hidden": _rows_text(self.hidden_rows)},
                    rows=list(self.hidden_rows),
                )
            )
        if self.uncalculated_count:
            count = self.uncalculated_count
            shown = ", ".join(self.uncalculated) + (", …" if count > len(self.uncalculated) else "")
            notes.append(
                ReaderNote(
                    FORMULA_NOT_CALCULATED,
                    {"cells": shown},
                    rows=sorted(
                        {int("".join(c for c in ref if c.isdigit())) for ref in self.uncalculated}
                    ),
                )
            )
        return notes


class _StreamingSheetReader(_SheetReader):
    """Rows from openpyxl's streaming sheet parser, one parsed cell (a dict) at a time."""

    def __init__(
        self, source: BinaryIO, parts: WorkbookParts, merges: list[str], notes: list[ReaderNote]
    ) -> None:
        from .openpyxl_private import SheetStream

        super().__init__(merges, notes)
        self._stream = SheetStream(source, parts)
        self._rows = self._stream.rows()

    def _next_physical_row(self) -> tuple[int, bool, list[dict[str, Any]]] | None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                number, cells = next(self._rows)
        except StopIteration:
            return None
        except Exception as error:  # a damaged sheet can fail in many ways inside openpyxl
            raise _unreadable(error) from None
        attributes = self._stream.row_attributes(number)
        if number <= self._last_row or number > EXCEL_MAX_ROW:
            raise InputError("rows-out-of-order", row=number)
        return number, attributes.get("hidden") in ("1", "true"), cells

    def _texts(self, number: int, cells: list[dict[str, Any]]) -> list[str]:
        from .openpyxl_private import UNCALCULATED

        values: dict[int, str] = {}
        for cell in cells:
            column = cell["column"]
            if cell["data_type"] == UNCALCULATED:
                self.uncalculated_count += 1
                if len(self.uncalculated) < NOTE_EXAMPLES:
                    self.uncalculated.append(f"{column_letter(column - 1)}{number}")
                if not self.uncalculated_rows or self.uncalculated_rows[-1] != number:
                    self.uncalculated_rows.append(number)
                continue
            text = cell_text(cell["value"])
            if text == "":
                continue
            if column > MAX_COLUMNS:
                raise self._beyond_last_column(number, column)
            if self._merges and self._is_covered(number, column):
                continue
            # one string object per distinct text in a chunk: coded answers repeat a lot
            values[column] = self._same_text.setdefault(text, text)
        if not values:
            return []
        texts = [""] * max(values)
        for column, text in values.items():
            texts[column - 1] = text
        return texts


class _CompiledSheetReader(_SheetReader):
    """Rows from the compiled reader: lists of typed values from the sheet's first cell on, with
    the hidden rows and uncalculated formulas found by the archive scan."""

    _chunk_cells = COMPILED_CHUNK_CELLS

    def __init__(
        self,
        compiled: CompiledSheet | PlainSheet,
        facts: SheetFacts,
        epoch: dt.datetime,
        merges: list[str],
        notes: list[ReaderNote],
    ) -> None:
        super().__init__(merges, notes)
        self._rows_left = compiled.rows()
        self._number = compiled.first_row - 1
        self._offset = compiled.first_column - 1
        self._hidden = set(facts.hidden_rows)
        self._errors = facts.errors
        self._negatives = facts.negatives
        self._epoch = epoch
        self._typed = False
        self.uncalculated = list(facts.uncalculated)
        self.uncalculated_count = facts.uncalculated_count

    def _next_physical_row(self) -> tuple[int, bool, list[Any]] | None:
        values = next(self._rows_left, None)
        if values is None:
            return None
        self._number += 1
        return self._number, self._number in self._hidden, values

    def read_header(self, standard: Standard) -> list[str]:
        header = super().read_header(standard)
        self._typed = True  # from here on rows keep their values, made text a column at a time
        return header

    def _chunk(self, numbers: list[int], rows: list[list[Any]]) -> Chunk:
        arrays = [_text_array(column) for column in zip(*rows, strict=True)]
        return Chunk(rows=np.asarray(numbers, dtype=np.int64), arrays=arrays)

    def _rows_after_header(self) -> Iterator[tuple[int, list[str]] | Chunk]:
        """The rows read while looking for the headings, then the rest in blocks of a chunk's
        rows: a plain block (``_plain_chunk``) is made a chunk a column at a time, any other
        goes row by row."""
        rest, self._rows_left = self._rows_left, iter(())
        yield from super()._rows_after_header()  # the rows read while looking for the headings
        size = self._chunk_rows()
        while block := (
            rest.block(size) if isinstance(rest, PlainRows) else list(islice(rest, size))
        ):
            chunk = self._plain_chunk(block)
            if chunk is not None:
                yield chunk
                continue
            self._rows_left = iter(block if isinstance(block, list) else block.rows())
            yield from self._visible_rows()
        self._rows_left = rest

    def _plain_chunk(self, block: list[list[Any]] | PlainBlock) -> Chunk | None:
        """The block as a chunk when reading it row by row would change nothing in it: no
        hidden, blank or ragged row, no merged cell, error value or negative date, nothing left
        of column A or past the last column. Otherwise None (nothing is consumed). A block of a
        ``PlainSheet`` is made a chunk by its own ``columns``, under the same conditions."""
        first, last = self._number + 1, self._number + len(block)
        if (
            self._offset
            or any(m.min_row <= last and m.max_row >= first for m in self._merges)
            or any(first <= row <= last for row in self._hidden)
            or any(first <= row <= last for row in self._errors)
            or any(first <= row <= last for row in self._negatives)
        ):
            return None
        arrays = (
            self._list_columns(block) if isinstance(block, list) else block.columns(self._width)
        )
        if arrays is None:
            return None
        self._number = self._last_row = last
        return Chunk(rows=np.arange(first, last + 1, dtype=np.int64), arrays=arrays)

    def _list_columns(self, block: list[list[Any]]) -> list[pa.Array] | None:
        """The first ``_width`` columns of a block of calamine's rows, as text; None when a row
        is wider than the last column or than the others, every column has a blank (a row may
        be blank) or a value lies past the headings."""
        width = len(block[0])
        if width > MAX_COLUMNS or any(len(row) != width for row in block):
            return None
        cells = list(chain.from_iterable(block))  # every row as wide: a column is every width-th
        columns = [cells[column::width] for column in range(width)]  # (quicker than zip)
        if not any("" not in column for column in columns):  # a row may be blank
            return None
        if any(column.count("") != len(column) for column in columns[self._width :]):
            return None  # a value past the headings: a ragged row
        arrays = [_text_array(column) for column in columns[: self._width]]
        if width < self._width:
            blank = pa.array([""] * len(block), type=pa.string())
            arrays.extend([blank] * (self._width - width))
        return arrays

    def _texts(self, number: int, cells: list[Any]) -> list[Any]:
        """The row's values up to its last non-blank one ([] for a blank row): as text until the
        headings are found, then as calamine gives them (``_chunk`` makes them text)."""
        errors = self._errors.get(number)
        if errors:
            for column, text in errors.items():
                if 0 <= column - 1 - self._offset < len(cells):
                    cells[column - 1 - self._offset] = text
        negatives = self._negatives.get(number)
        if negatives:  # in a date format calamine gives the time of day, openpyxl a date
            for column, serial in negatives.items():
                index = column - 1 - self._offset
                if 0 <= index < len(cells) and isinstance(cells[index], dt.date | dt.time):
                    cells[index] = date_before_1900(serial, self._epoch)
        end = len(cells)
        while end and cells[end - 1] == "":
            end -= 1
        if not end:
            return []
        offset = self._offset
        if offset + end > MAX_COLUMNS:
            for index in range(max(MAX_COLUMNS - offset, 0), end):
                if cells[index] != "":
                    raise self._beyond_last_column(number, offset + index + 1)
        if self._typed:
            texts = cells[:end] if end < len(cells) else cells
        else:
            texts = [v if v.__class__ is str else cell_text(v) for v in cells[:end]]
        if offset:
            texts[:0] = [""] * offset
        if self._merges:
            for index, text in enumerate(texts):
                if text != "" and self._is_covered(number, index + 1):
                    texts[index] = ""
            while texts and texts[-1] == "":
                texts.pop()
        return texts


def _text_array(values: Sequence[Any]) -> pa.Array:
    """A column of values as Arrow text, each as ``cell_text`` gives it.

    A column of plain ASCII text (most are: codes, ids, answers) is joined into one string with a
    NUL between values and handed to Arrow as its data buffer, the NULs taken out and their
    places giving the offsets: no work per cell in Python. (A value holding a NUL itself is
    counted one by one instead.)
    """
    try:
        joined = "\0".join(values)
    except TypeError:  # numbers, dates or booleans among the text
        kinds = set(map(type, values))
        if kinds == _DATE:  # only dates: Arrow writes them as date.isoformat does, at once
            return _date_texts(values)
        values = _column_texts(values, kinds)
        joined = "\0".join(values)
    count = len(values)
    if not count or not joined.isascii():
        return pa.array(values, type=pa.string())
    data = joined.encode("ascii")
    offsets = np.empty(count + 1, dtype=np.int32)
    offsets[0] = 0
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 0)
    if len(ends) == count - 1:
        offsets[1:count] = ends - np.arange(count - 1)
        offsets[count] = len(data) - (count - 1)
        data = data.replace(b"\0", b"")
    else:
        np.cumsum(np.fromiter(map(len, values), dtype=np.int32, count=count), out=offsets[1:])
        data = "".join(values).encode("ascii")
    return pa.StringArray.from_buffers(count, pa.py_buffer(offsets), pa.py_buffer(data))


def _date_texts(values: Sequence[dt.date]) -> pa.Array:
    """A column of dates as ``YYYY-MM-DD`` text, written by Arrow from their day numbers (the
    days cross by a buffer: ``pa.array`` of Python dates would load pandas)."""
    days = np.fromiter(map(dt.date.toordinal, values), np.int32, count=len(values))
    days -= _UNIX_DAY_ONE
    dates = pa.Array.from_buffers(pa.date32(), len(values), [None, pa.py_buffer(days)])
    return pc.cast(dates, pa.string())


_UNIX_DAY_ONE = dt.date(1970, 1, 1).toordinal()


def _column_texts(values: Sequence[Any], kinds: set[type]) -> list[str]:
    """Each value as ``cell_text`` gives it, by a quicker road for the columns most are: text
    and numbers, or text and dates (a number's fifteen digits are ``_number_text``'s, which is
    asked again only for a number written with an exponent, and for minus zero). ``kinds``:
    the values' types."""
    if kinds <= _TEXT_AND_NUMBER:
        return [
            v
            if v.__class__ is str
            else (t if "e" not in (t := format(v, ".15g")) and t != "-0" else _number_text(v))
            for v in values
        ]
    if kinds <= _TEXT_AND_DATE:
        return [v if v.__class__ is str else v.isoformat() for v in values]
    return [v if v.__class__ is str else cell_text(v) for v in values]


_TEXT_AND_NUMBER = frozenset((str, float))
_TEXT_AND_DATE = frozenset((str, dt.date))
_DATE = frozenset((dt.date,))


def _rows_text(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:NOTE_EXAMPLES])
    return f"row{'s' if len(rows) != 1 else ''} {shown}" + (
        ", …" if len(rows) > NOTE_EXAMPLES else ""
    )
