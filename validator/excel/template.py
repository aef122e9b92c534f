"""Excel and CSV templates for a submission type, generated from the standard.

The workbook has three sheets: "Read me" (how to fill it in), a data sheet named after the type
whose row 1 holds the field names the validator reads, and "Code lists" (each coded column's codes
with their labels). Every coded column has a drop-down list drawn from "Code lists", so a cell
always holds a pure code; every column shows its title and question as an input message and a
header comment. Code and id columns are text-formatted so Excel cannot turn ``16-24`` or a leading
zero into a date or a number. The rules run to the sheet's last row; a note below the table's last
row (``TABLE_ROWS``) keeps them that far when LibreOffice re-saves the workbook as .xlsx. The
workbook's custom properties stamp the standard's name, version and the type, so
``template_version`` can tell a template from an older version.

Nothing here names a field or a code: it all comes from ``load_standard()``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..readers.archive import EXCEL_MAX_ROW
from ..readers.stamp import STAMP_STANDARD, STAMP_TYPE, STAMP_VERSION
from ..standard import Field, Standard, SubmissionType, load_standard
from .field_codes import FieldCodes, field_codes
from .readme import readme_paragraphs

README_SHEET = "Read me"
CODES_SHEET = "Code lists"

TABLE_ROWS = 50_000
"""The rows a return can fill with the drop-downs and input messages in place. Excel keeps them
on every row of the sheet, but LibreOffice, saving as .xlsx, keeps a cell's settings only down to
1,000 rows below the last cell holding something; a note on the cell below the table's last row
holds the table open that far. As many rows as a marked workbook can carry
(``MAX_ANNOTATE_ROWS``)."""
END_NOTE = (
    "The end of the table: the drop-down lists and input messages run down to this row "
    "({rows:,} rows of data). Leave this cell empty."
)

PROMPT_TITLE_MAX = 32  # Excel's limits on a data-validation input message
PROMPT_MAX = 255

TEXT_FORMAT = "@"
DATE_FORMAT = "yyyy-mm-dd"
# "General" for numbers: a fixed "0" would show 12.5 as 13 while the validator says it is not a
# whole number; General shows what was typed.
NUMBER_FORMATS = {"integer": "General", "number": "General", "date": DATE_FORMAT}

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_WRAP = Alignment(wrap_text=True, vertical="top")


def write_template(type: str, path: Path, standard: Standard | None = None) -> Path:
    """Write the Excel template for submission type ``type`` to ``path`` and return the path."""
    standard = standard or load_standard()
    sub = _submission_type(standard, type)
    codes = field_codes(standard, type)
    workbook = Workbook()
    readme = workbook.active
    readme.title = README_SHEET
    data = workbook.create_sheet(_sheet_title(type))
    code_sheet = workbook.create_sheet(CODES_SHEET)
    ranges = _write_code_lists(code_sheet, codes)
    _write_data_sheet(data, sub, codes, ranges)
    _write_readme(readme, readme_paragraphs(standard, sub, codes, data.title, CODES_SHEET))
    _stamp(workbook, standard, type)
    workbook.active = 0
    path = Path(path)
    workbook.save(path)
    return path


def write_blank_csv(type: str, path: Path, standard: Standard | None = None) -> Path:
    """Write a CSV holding only the header row of ``type`` (UTF-8, comma, CRLF as RFC 4180)."""
    standard = standard or load_standard()
    sub = _submission_type(standard, type)
    path = Path(path)
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerow(sub.field_names)
    return path


# --- sheets ------------------------------------------------------------------------------------


def _submission_type(standard: Standard, type: str) -> SubmissionType:
    if type not in standard.submission_types:
        known = ", ".join(sorted(standard.submission_types))
        raise ValueError(f"There is no submission type called {type!r}. The types are: {known}.")
    return standard.submission_types[type]


def _sheet_title(type: str) -> str:
    return type[:31]  # Excel's limit on a sheet name


def _write_code_lists(ws: Worksheet, codes: dict[str, FieldCodes]) -> dict[str, str]:
    """One row per (column, code, label); return each column's drop-down source range."""
    ws.append(["column", "code", "label"])
    for cell in ws[1]:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    ranges: dict[str, str] = {}
    for name, fc in codes.items():
        first = ws.max_row + 1
        for code, label in fc.codes.items():
            ws.append([name, code, label])
            ws.cell(ws.max_row, 2).number_format = TEXT_FORMAT
        ranges[name] = f"{quote_sheetname(ws.title)}!$B${first}:$B${ws.max_row}"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:C{ws.max_row}"
    for letter, width in (("A", 28), ("B", 32), ("C", 70)):
        ws.column_dimensions[letter].width = width
    ws.protection.sheet = True  # the drop-downs read these cells: keep them from being edited
    ws.protection.autoFilter = False
    ws.protection.sort = False
    return ranges


def _write_data_sheet(
    ws: Worksheet, sub: SubmissionType, codes: dict[str, FieldCodes], ranges: dict[str, str]
) -> None:
    ws.append(sub.field_names)
    for index, field in enumerate(sub.fields, start=1):
        letter = get_column_letter(index)
        header = ws.cell(1, index)
        header.font, header.fill = _HEADER_FONT, _HEADER_FILL
        header.number_format = TEXT_FORMAT
        header.comment = _comment(field, field.name in codes)
        column = ws.column_dimensions[letter]
        column.number_format = NUMBER_FORMATS.get(field.type, TEXT_FORMAT)
        column.width = _width(field, codes.get(field.name))
        ws.add_data_validation(_validation(field, ranges.get(field.name), letter))
    end = ws.cell(TABLE_ROWS + 2, 1)
    end.comment = Comment(END_NOTE.format(rows=TABLE_ROWS), "LSIDS")
    end.comment.width, end.comment.height = 260, 80
    ws.freeze_panes = "A2"


def _validation(field: Field, source: str | None, letter: str) -> DataValidation:
    """A drop-down for a coded column, else an any-value rule that only shows the input message."""
    if source:
        rule = DataValidation(type="list", formula1=source, allow_blank=True)
        rule.error = (
            f"Pick a code from the list. The '{CODES_SHEET}' sheet shows what each code means."
        )
        rule.errorTitle = "Not a code"
        rule.showErrorMessage = True
    else:
        rule = DataValidation(allow_blank=True)
    rule.promptTitle = field.title[:PROMPT_TITLE_MAX]
    rule.prompt = _prompt(field, bool(source))
    rule.showInputMessage = True
    rule.add(f"{letter}2:{letter}{EXCEL_MAX_ROW}")
    return rule


def _prompt(field: Field, coded: bool) -> str:
    lead = "Pick a code from the list. " if coded else ""
    text = lead + field.description
    if len(text) <= PROMPT_MAX:
        return text
    cut = text[: PROMPT_MAX - 1].rsplit(" ", 1)[0]
    return cut + "…"


def _comment(field: Field, coded: bool) -> Comment:
    lines = [field.title, "", field.description, ""]
    lines.append("Required: " + ("yes" if field.required else "no, leave blank if not known"))
    if coded:
        lines.append(f"Enter a code from the '{CODES_SHEET}' sheet, not its label.")
    if field.example:
        lines.append(f"Example: {field.example}")
    comment = Comment("\n".join(lines), "LSIDS")
    comment.width, comment.height = 320, 220
    return comment


def _width(field: Field, codes: FieldCodes | None) -> float:
    longest = max(
        [len(field.name), len(field.example), *(len(c) for c in (codes.codes if codes else ()))]
    )
    return float(min(max(longest + 3, 12), 40))


def _write_readme(ws: Worksheet, paragraphs: list[tuple[str, str]]) -> None:
    ws.column_dimensions["A"].width = 110
    for style, text in paragraphs:
        ws.append([text])
        cell = ws.cell(ws.max_row, 1)
        cell.alignment = _WRAP
        if style == "title":
            cell.font = Font(bold=True, size=16)
        elif style == "heading":
            cell.font = Font(bold=True, size=12)


# --- the version stamp -------------------------------------------------------------------------


def _stamp(workbook: Workbook, standard: Standard, type: str) -> None:
    workbook.properties.title = f"{standard.package.get('title', '')}: {type} template"
    workbook.properties.creator = "LSIDS"
    for name, value in (
        (STAMP_STANDARD, standard.package.get("name", "")),
        (STAMP_VERSION, standard.version),
        (STAMP_TYPE, type),
    ):
        workbook.custom_doc_props.append(StringProperty(name=name, value=value))
