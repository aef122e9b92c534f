"""The compiled reader's door: python-calamine (Rust) reads a sheet's cells, unless the sheet is
plain enough for ``plainsheet`` to read exactly (``open_compiled`` asks it first when told to).

calamine reads a whole sheet in one call, at compiled speed, into one dense block from its first
cell to its last, and gives each cell a typed value (text, number, boolean, date, time, duration).
What it does not give — hidden rows, formulas saved without a value, and how far the cells reach
before it is asked — comes from ``sheetscan``'s pass over the raw XML, run while ``archive`` checks
the file. The workbook's list of sheets (names, visibility, parts) is read here from the two small
XML parts that hold it, so the sheet can be chosen, and its facts found, before calamine reads it.

Anything the pass could not be sure of, and any file calamine cannot read, is left to the
streaming reader: ``sheet_list`` returns ``None`` and ``CompiledSheet`` raises.

One value reads differently: a number past 9999-12-31 in a date format, which Excel itself shows
as ``#####`` (calamine gives the number, openpyxl ``#VALUE!``); telling it from any other large
number would need each cell's style, which the pass does not read. (A negative number in a date
format, which calamine reads as a time of day, is made the date before 1900 that openpyxl gives
from the number the pass noted: ``date_before_1900``.)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import posixpath
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO

from defusedxml import ElementTree

if TYPE_CHECKING:
    from ..standard import Standard
    from .archive import ArchiveFacts

MAX_LIST_BYTES = 16 * 1024 * 1024
"""The most a workbook's list of sheets or its relationships may hold (far more than any has)."""

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
_WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"


@dataclass(frozen=True)
class SheetEntry:
    """A sheet as the workbook lists it: its name, visibility and zip part."""

    name: str
    state: str
    part: str


def sheet_list(archive: zipfile.ZipFile) -> list[SheetEntry] | None:
    """The workbook's sheets in order, or None when the list is anything but plain worksheets."""
    try:
        workbook = _target(archive, "_rels/.rels", "", _OFFICE_DOCUMENT)
        if workbook is None:
            return None
        folder = posixpath.dirname(workbook)
        rels_part = posixpath.join(folder, "_rels", posixpath.basename(workbook) + ".rels")
        relations = _relations(archive, rels_part, folder)
        root = _parse(archive, workbook)
    except (KeyError, ValueError, ElementTree.ParseError, zipfile.BadZipFile, OSError):
        return None
    sheets = []
    names = set(archive.namelist())
    for element in root.iter(f"{_MAIN}sheet"):
        relation = relations.get(element.get(f"{_REL}id", ""))
        name = element.get("name")
        if relation is None or name is None:
            return None
        kind, part = relation
        if kind != _WORKSHEET or part not in names:
            return None
        sheets.append(SheetEntry(name, element.get("state") or "visible", part))
    return sheets


_STATES = {"Visible": "visible", "Hidden": "hidden", "VeryHidden": "veryHidden"}


def other_sheet_list(handle: BinaryIO) -> list[SheetEntry]:
    """The worksheets of an ODS or XLS workbook as calamine lists them (the part is the name)."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(handle)
    try:
        return [
            SheetEntry(meta.name, _STATES.get(_enum_name(meta.visible), "hidden"), meta.name)
            for meta in workbook.sheets_metadata
            if _enum_name(meta.typ) == "WorkSheet"
        ]
    finally:
        workbook.close()


def _enum_name(value: Any) -> str:
    """``Visible`` from ``SheetVisibleEnum.Visible`` (calamine's enums have no ``name``)."""
    return str(value).rsplit(".", 1)[-1]


def _parse(archive: zipfile.ZipFile, part: str) -> Any:
    info = archive.getinfo(part)
    if info.file_size > MAX_LIST_BYTES:
        raise ValueError(f"{part} is too large")
    return ElementTree.fromstring(archive.read(info))


def _relations(archive: zipfile.ZipFile, part: str, folder: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type, part name), targets resolved as openpyxl resolves them."""
    relations = {}
    for element in _parse(archive, part).iter(f"{_PKG}Relationship"):
        if element.get("TargetMode") == "External":
            continue
        target = element.get("Target", "")
        path = target[1:] if target.startswith("/") else posixpath.join(folder, target)
        relations[element.get("Id", "")] = (element.get("Type", ""), posixpath.normpath(path))
    return relations


def _target(archive: zipfile.ZipFile, part: str, folder: str, kind: str) -> str | None:
    for relation_kind, target in _relations(archive, part, folder).values():
        if relation_kind == kind:
            return target
    return None


WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
MAC_EPOCH = dt.datetime(1904, 1, 1)


def date_before_1900(serial: float, epoch: dt.datetime) -> dt.datetime | str:
    """What openpyxl reads a negative serial in a date format as (``#VALUE!`` when no date is)."""
    day, fraction = divmod(serial, 1)
    try:
        return epoch + dt.timedelta(days=day, milliseconds=round(fraction * 86_400_000))
    except (OverflowError, ValueError):
        return "#VALUE!"


def workbook_epoch(archive: zipfile.ZipFile) -> dt.datetime:
    """Day 0 of the workbook's date system: 1904 when its properties say so."""
    try:
        root = _parse(archive, _target(archive, "_rels/.rels", "", _OFFICE_DOCUMENT) or "")
    except (KeyError, ValueError, ElementTree.ParseError, zipfile.BadZipFile, OSError):
        return WINDOWS_EPOCH
    properties = root.find(f"{_MAIN}workbookPr")
    flag = properties.get("date1904", "") if properties is not None else ""
    return MAC_EPOCH if flag.lower() in ("1", "true") else WINDOWS_EPOCH


class CompiledSheet:
    """One sheet read by calamine: where its cells start and its rows of typed values."""

    def __init__(self, handle: BinaryIO, name: str) -> None:
        from python_calamine import CalamineWorkbook

        self._workbook = CalamineWorkbook.from_filelike(handle)
        try:
            sheet = self._workbook.get_sheet_by_name(name)
            start = sheet.start
        except BaseException:
            self._workbook.close()
            raise
        self._sheet = sheet
        self.first_row = 1 if start else 0
        self.first_column = (start[1] + 1) if start else 0

    def merged_ranges(self) -> list[str]:
        """The sheet's merged ranges as ``A2:C2`` (calamine knows them for XLSX and XLS)."""
        from ..addresses import column_letter

        found = self._sheet.merged_cell_ranges or []
        return [
            f"{column_letter(c1)}{r1 + 1}:{column_letter(c2)}{r2 + 1}"
            for (r1, c1), (r2, c2) in found
        ]

    def rows(self) -> Iterator[list[Any]]:
        """Each row from row 1 to the last that holds a cell, from ``first_column`` on, empty
        cells as "" (calamine's ``iter_rows`` starts at row 1 but at the first column used)."""
        if self.first_row:
            yield from self._sheet.iter_rows()

    def close(self) -> None:
        self._sheet = None
        with contextlib.suppress(Exception):  # already closed
            self._workbook.close()


def compiled_reader_errors() -> tuple[type[BaseException], ...]:
    """What calamine raises for a file it cannot read (the streaming reader then words it)."""
    from python_calamine import CalamineError

    return (CalamineError, ValueError, OSError)


def listed_sheets(handle: BinaryIO) -> tuple[list[SheetEntry], dt.datetime] | None:
    """The workbook's sheets and its date system, or None when the compiled reader cannot be
    sure of them (the handle must be at the start; it is left there)."""
    if handle.tell() != 0:
        return None
    try:
        with zipfile.ZipFile(handle) as archive:
            sheets = sheet_list(archive)
            epoch = workbook_epoch(archive)
    except (zipfile.BadZipFile, OSError, ValueError):
        sheets = None
    finally:
        handle.seek(0)
    return (sheets, epoch) if sheets else None


def compiled_sheet(handle: BinaryIO, name: str) -> CompiledSheet | None:
    """The sheet read by calamine, or None for a file it cannot read (the streaming reader then
    words what is wrong)."""
    try:
        return CompiledSheet(handle, name)
    except compiled_reader_errors():
        return None
    except BaseException as error:  # a panic inside the Rust code is a BaseException
        if not isinstance(error, Exception) and type(error).__name__ != "PanicException":
            raise
        return None
    finally:
        handle.seek(0)


def open_compiled(
    handle: BinaryIO,
    facts: ArchiveFacts,
    wanted: str | None,
    standard: Standard | None,
    *,
    before_read: Callable[[], None] | None = None,
    plain: Callable[[BinaryIO, SheetEntry, Any, dt.datetime, dict[str, bytes]], Any] | None = None,
    calamine: bool = True,
) -> tuple[str, Any] | None:
    """The sheet ``read_xlsx`` would choose, read by the compiled reader, with its name; None
    when it would be left to the streaming reader. ``facts`` must come from the archive checks
    of this very handle. ``early_open`` runs this in a second process or thread. ``before_read``
    is called just before the sheet is read; ``plain`` (``plainsheet.plain_sheet``), when given,
    is asked first, and calamine (unless not ``calamine``) only when it returns None."""
    from ..standard import load_standard
    from .sheetchoice import choose_sheet

    listed = listed_sheets(handle)
    if not listed:
        return None
    chosen = choose_sheet(listed[0], wanted, standard or load_standard())
    scanned = facts.sheets.get(chosen.part)
    if scanned is None or not scanned.fits_compiled_reader():
        return None
    if before_read is not None:
        before_read()
    compiled = plain(handle, chosen, scanned, listed[1], facts.kept) if plain is not None else None
    if compiled is None and calamine:
        compiled = compiled_sheet(handle, chosen.name)
    return (chosen.name, compiled) if compiled is not None else None
