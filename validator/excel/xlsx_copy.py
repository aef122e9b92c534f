"""An .xlsx copy of a workbook openpyxl cannot open (LibreOffice's .ods, Excel's old .xls).

The marked workbook is written with openpyxl, which reads and writes only .xlsx. For an .ods or
.xls return, the marked copy is an .xlsx holding the same values at the same cells on the same
sheets (hidden sheets stay hidden, merged cells stay merged), so every finding's row and column
still point at the right cell. Formatting, formulas and comments are not carried over: the copy
says so on its Problems sheet, and the command line says so when it writes it.

The values are read with python-calamine, the compiled reader the validator already uses. The
caller has the file's safety checked first (``readers.source.read_table``), as for any workbook.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from python_calamine import CalamineWorkbook, SheetVisibleEnum

from ..readers.archive import OLE2_MAGIC, ZIP_MAGIC

OPENDOCUMENT = b"application/vnd.oasis.opendocument.spreadsheet"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
TIME_FORMAT = "hh:mm:ss"


def copied_format(source: Path) -> str | None:
    """ "ods" or "xls" for a workbook the marked copy is made from as .xlsx, else None."""
    with source.open("rb") as fh:
        head = fh.read(128)
    if head.startswith(ZIP_MAGIC) and OPENDOCUMENT in head:  # the ODF "mimetype" comes first
        return "ods"
    if head.startswith(OLE2_MAGIC) and source.suffix.lower() == ".xls":
        return "xls"  # (an encrypted .xlsx is OLE2 too: the reader refuses it by name)
    return None


def write_xlsx_copy(source: Path, target: Path) -> Path:
    """Write the values of every sheet of ``source`` to ``target`` (.xlsx) at the same cells."""
    book = CalamineWorkbook.from_path(str(source))
    workbook = Workbook()
    workbook.remove(workbook.active)
    for meta in book.sheets_metadata:
        sheet = book.get_sheet_by_name(meta.name)
        ws = workbook.create_sheet(meta.name[:31])
        if meta.visible != SheetVisibleEnum.Visible:
            ws.sheet_state = "hidden"
        for r, values in enumerate(sheet.to_python(skip_empty_area=False), start=1):
            for c, value in enumerate(values, start=1):
                if value is None or value == "":
                    continue
                cell = ws.cell(r, c, _plain(value))
                if isinstance(value, dt.datetime):
                    cell.number_format = DATE_FORMAT if _midnight(value) else DATETIME_FORMAT
                elif isinstance(value, dt.date):
                    cell.number_format = DATE_FORMAT
                elif isinstance(value, dt.time):
                    cell.number_format = TIME_FORMAT
                elif isinstance(value, str):
                    cell.data_type = "s"  # text stays text, never a formula
        for merged in getattr(sheet, "merged_cell_ranges", None) or []:
            (r1, c1), (r2, c2) = merged
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
    if not workbook.worksheets:
        workbook.create_sheet("Sheet1")
    first_visible = next(
        (i for i, ws in enumerate(workbook.worksheets) if ws.sheet_state == "visible"), 0
    )
    workbook.active = first_visible
    workbook.save(target)
    return target


def _plain(value: object) -> object:
    """A whole number read as a float (every .ods number is one) written as a whole number."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, dt.timedelta):
        return str(value)
    return value


def _midnight(value: dt.datetime) -> bool:
    return value.time() == dt.time(0, 0)


__all__ = ["copied_format", "write_xlsx_copy"]
