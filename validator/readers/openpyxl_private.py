"""The parts of openpyxl we use that are not its public API, behind one door.

The workbook reader streams a sheet with openpyxl's own sheet parser (``worksheet._reader``) and
opens a workbook's parts without reading every sheet (the steps inside ``load_workbook``), which
needs the workbook's private date and duration formats. openpyxl may change any of these in a
minor release, so they are used only here, and ``tests/readers/test_openpyxl_private.py`` pins the
versions this was written and tested for (``TESTED_VERSIONS``): a new openpyxl fails that test
first, not an officer's upload.
"""

from __future__ import annotations

import datetime as dt
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

import openpyxl
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

TESTED_VERSIONS = ("3.1",)
"""openpyxl release series (major.minor) this adapter was written and tested against."""

UNCALCULATED = "uncalculated-formula"
"""The data type given to a formula cell saved without its calculated value."""


def openpyxl_series() -> str:
    """The installed openpyxl's major.minor release series, such as ``3.1``."""
    return ".".join(openpyxl.__version__.split(".")[:2])


@dataclass(frozen=True)
class SheetEntry:
    """A sheet as the workbook lists it: its name, visibility and zip part."""

    name: str
    state: str
    part: str


@dataclass
class WorkbookParts:
    """What reading one sheet needs, read from the workbook without touching any sheet."""

    archive: zipfile.ZipFile
    sheets: list[SheetEntry]
    shared_strings: list[str]
    epoch: dt.datetime
    date_formats: set[int]
    timedelta_formats: set[int]


def read_parts(handle: BinaryIO) -> WorkbookParts:
    """The steps of openpyxl's read-only ``load_workbook`` but reading the worksheets: that
    step parses every sheet without a ``<dimension>`` tag in full just to size it.

    Raises whatever openpyxl raises for a damaged file; the caller words it.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = ExcelReader(handle, read_only=True, data_only=True)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        sheets = [
            SheetEntry(sheet.name, sheet.state or "visible", rel.target)
            for sheet, rel in reader.parser.find_sheets()
            if "chartsheet" not in rel.Type and rel.target in reader.valid_files
        ]
    return WorkbookParts(
        archive=reader.archive,
        sheets=sheets,
        shared_strings=reader.shared_strings,
        epoch=reader.wb.epoch,
        date_formats=reader.wb._date_formats,
        timedelta_formats=reader.wb._timedelta_formats,
    )


class _CellParser(WorkSheetParser):
    """openpyxl's streaming sheet parser, also marking formulas saved without a calculated value."""

    def parse_cell(self, element: Any) -> dict[str, Any]:
        cell = super().parse_cell(element)
        if cell["value"] is None and element.find(FORMULA_TAG) is not None:
            cell["data_type"] = UNCALCULATED
        return cell


class SheetStream:
    """A sheet's physical rows as openpyxl parses them, and the row attributes seen so far."""

    def __init__(self, source: BinaryIO, parts: WorkbookParts) -> None:
        self._parser = _CellParser(
            source,
            parts.shared_strings,
            data_only=True,
            epoch=parts.epoch,
            date_formats=parts.date_formats,
            timedelta_formats=parts.timedelta_formats,
        )

    def rows(self) -> Iterator[tuple[int, list[dict[str, Any]]]]:
        """(row number, cells) for each row the sheet stores; each cell a dict of its parts."""
        return self._parser.parse()

    def row_attributes(self, number: int) -> dict[str, Any]:
        """The attributes of row ``number`` (``hidden`` and so on), once it has been parsed."""
        return self._parser.row_dimensions.pop(str(number), None) or {}
