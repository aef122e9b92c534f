"""The annotated workbook: the officer's own workbook back, with every problem marked where it is.

Each cell with a finding gets a fill (one colour for errors, another for warnings) and a comment
with the message and hint. A finding about a whole column goes on its header cell, one about a
whole row on the row's first cell, and one about the whole file only on the added "Problems"
sheet, which lists every finding with a link to its cell. Nothing else in the workbook changes,
but for the data sheet's page setup, which asks Excel to print comments at the end.

On paper: the Problems sheet wraps its text in rows tall enough for it, repeats its heading row on
every page and fits the page width (landscape), so its printout alone gives each marked cell's
reason (LibreOffice does not print an Excel file's comments). An .ods or .xls workbook, which
openpyxl cannot open, is marked on an .xlsx copy of its values (``xlsx_copy.py``), which says so.
The file is written with the permissions of any new file.

The file is validated (or its safety checked) by ``validator.xlsx`` before openpyxl loads it in
full, so a hostile workbook is refused first. Row numbers in the report are the sheet's own, so a
finding's cells are its column letter and rows; the report must keep every row of a repeated
finding (``validate(..., all_rows=True)``), or some cells would go unmarked.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from ..catalogue.inputs import InputError
from ..engine import validate
from ..readers.archive import looks_like_workbook
from ..readers.source import read_table
from ..readers.workbook import read_xlsx
from ..report.finding import Finding
from ..report.model import Report
from .xlsx_copy import copied_format, write_xlsx_copy

ERROR_FILL = "FFC7CE"
"""Excel's own light red ("Bad") for cells with an error."""
WARNING_FILL = "FFEB9C"
"""Excel's own light yellow ("Neutral") for cells with only warnings."""
AUTHOR = "LSIDS validator"
PROBLEMS_SHEET = "Problems"
PROBLEMS_HEADER = [
    "Severity",
    "Code",
    "Row",
    "Column",
    "Column name",
    "Value",
    "Message",
    "Hint",
    "Times found",
    "Rows",
    "Go to",
]
PROBLEMS_WIDTHS = [9, 20, 7, 8, 18, 18, 45, 45, 8, 14, 12]
"""Column widths of the Problems sheet: narrow enough to print landscape at a readable size."""
_WRAP = Alignment(wrap_text=True, vertical="top")
LINE_HEIGHT = 15.0
"""Points per line of 11-point text."""
MAX_ROW_HEIGHT = 409.0
"""Excel's tallest row, in points."""
COPIED_NOTE = (
    "Your return is an .{kind} workbook, so this marked copy is an Excel workbook (.xlsx), "
    "which LibreOffice Calc and Excel both open. It holds your values at the same cells; "
    "formatting, formulas and comments were not copied. Correct your own .{kind} file."
)
"""Said on the Problems sheet of the copy of an .ods or .xls workbook, and by the CLI."""
TRUNCATED_NOTE = (
    "The validator stopped listing new kinds of problem at its limit, so there may be more. "
    "Fix these, then check the file again."
)
MAX_ROWS_TEXT = 2_000
"""The longest list of rows written in one cell of the Problems sheet (Excel's limit is 32,767)."""
MAX_ANNOTATE_ROWS = 50_000
"""A workbook is loaded whole to be copied; beyond this many rows, the HTML report is the way."""
PRINT_NOTE = "Each marked cell's reason: the Message and Hint on its row here."
"""The Problems sheet's printed footer, so a printout explains itself."""


def annotate(
    source: str | Path,
    output: str | Path,
    report: Report | None = None,
    *,
    sheet: str | None = None,
    **validate_options: Any,
) -> Report:
    """Write a copy of the workbook ``source`` to ``output`` with every finding marked on it.

    Validates ``source`` (with ``validate_options``: type, borough, period, metadata…) unless
    given ``report``, which must come from ``validate(source, ..., all_rows=True)`` so that it
    lists every row (``sheet`` is then the report's own). Returns the report. Raises
    ``InputError`` for a CSV, an unreadable or unsafe workbook, a sheet too large to load whole,
    or an ``output`` that would overwrite ``source``.
    """
    source, output = Path(source), marked_path(source, output)
    _check_paths(source, output)
    if report is None:
        report = validate(source, sheet=sheet, all_rows=True, **validate_options)
    else:
        _check_report(report)
    copied = copied_format(source)
    if copied is None:
        _mark(source, output, report, _header_row(source, report.sheet))
        return report
    _check_safe(source, report.sheet)  # before python-calamine reads every sheet
    with tempfile.TemporaryDirectory(prefix="lsids-marked-") as folder:
        book = write_xlsx_copy(source, Path(folder) / "copy.xlsx")
        _mark(book, output, report, _header_row(book, report.sheet), copied_from=copied)
    return report


def marked_path(source: str | Path, output: str | Path) -> Path:
    """Where the marked copy of ``source`` is written: ``output``, except that the copy of an
    .ods or .xls workbook is an .xlsx, so an ``output`` not ending .xlsx gets that ending."""
    output = Path(output)
    source = Path(source)
    if source.is_file() and copied_format(source) and output.suffix.lower() != ".xlsx":
        return output.with_suffix(".xlsx")
    return output


def copied_note(source: str | Path) -> str | None:
    """What to tell the officer when the marked copy is not in their workbook's own format."""
    source = Path(source)
    copied = copied_format(source) if source.is_file() else None
    return COPIED_NOTE.format(kind=copied) if copied else None


def _mark(
    book: Path, output: Path, report: Report, header_row: int, copied_from: str | None = None
) -> None:
    """Load ``book`` (the workbook, or its .xlsx copy), mark it and save it at ``output``."""
    if report.summary.get("rows", 0) > MAX_ANNOTATE_ROWS:
        raise InputError(
            "annotate-too-many-rows",
            rows=f"{report.summary['rows']:,}",
            most=f"{MAX_ANNOTATE_ROWS:,}",
        )
    workbook = _load(book)
    if report.sheet not in workbook.sheetnames:
        raise InputError("annotate-sheet-missing", sheet=report.sheet)
    data = workbook[report.sheet]
    _mark_cells(data, report.findings, header_row)
    note = COPIED_NOTE.format(kind=copied_from) if copied_from else None
    _write_problems(workbook, data, report, header_row, note)
    _save(workbook, output)


def finding_cells(finding: Finding, header_row: int = 1) -> list[str]:
    """The cells a finding is marked on, such as ``["C5", "C9"]``; [] for the whole file.

    A cell finding is its column at each of its rows; a column finding (no rows) is the column's
    header cell; a row finding (no column) is the row's first cell.
    """
    rows = finding.rows or ([finding.row] if finding.row is not None else [])
    if finding.column:
        return [f"{finding.column}{row}" for row in rows] or [f"{finding.column}{header_row}"]
    return [f"A{row}" for row in rows]


# --- checks before the workbook is opened -----------------------------------------------------


def _check_paths(source: Path, output: Path) -> None:
    if not source.is_file():
        raise InputError("no-such-file", path=source)
    if output.exists() and output.resolve() == source.resolve():
        raise InputError("annotate-overwrites-original")
    with source.open("rb") as fh:
        head = fh.read(8)
    if not looks_like_workbook(head, source.name):
        raise _not_a_workbook()


def _not_a_workbook() -> InputError:
    return InputError("annotate-not-a-workbook")


def _check_report(report: Report) -> None:
    if report.format == "csv" or report.sheet is None:
        raise _not_a_workbook()
    if any(f.truncated for f in report.findings):
        raise ValueError(
            "annotate() needs a report that lists every row of a repeated finding: make it with "
            "validate(source, ..., all_rows=True), or leave report out."
        )


def _check_safe(source: Path, sheet: str | None) -> None:
    """Have the validator's own reader for the format check the file (size, archive, parts)."""
    table = read_table(source, sheet=sheet)
    close = getattr(table.chunks, "close", None)
    if close:
        close()


def _header_row(source: Path, sheet: str | None) -> int:
    """The row the reader took the headings from, where a finding about a column is marked.

    Reading the sheet's first rows also refuses a hostile workbook before openpyxl loads it
    whole (the reader checks the archive first).
    """
    table = read_xlsx(source, sheet=sheet)
    close = getattr(table.chunks, "close", None)
    if close:
        close()
    return table.header_row


# --- the workbook ------------------------------------------------------------------------------


def _load(source: Path) -> Workbook:
    """The whole workbook, formulas as written and rich text kept, so saving changes nothing."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about parts it does not keep
        return load_workbook(source, rich_text=True)


def _save(workbook: Workbook, output: Path) -> None:
    """Write through a temporary file, so a failure never leaves half a workbook at ``output``.

    ``mkstemp`` makes its file readable by its owner only (0o600); the finished workbook gets
    the permissions any new file gets (0o666 less the umask), as a file saved by Excel would.
    """
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(suffix=".xlsx", dir=output.parent)
    os.close(handle)
    try:
        workbook.save(temporary)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process's umask, read without changing it where Linux says it (``/proc``)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)  # elsewhere: the only portable way to read it is to set it
    os.umask(mask)
    return mask


def _mark_cells(sheet: Worksheet, findings: Iterable[Finding], header_row: int) -> None:
    """Fill and comment every cell with a finding; one comment lists all of a cell's findings."""
    by_cell: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        for ref in finding_cells(finding, header_row):
            by_cell[_anchor(sheet, ref)].append(finding)
    for ref, found in by_cell.items():
        cell = sheet[ref]
        worst = ERROR_FILL if any(f.severity == "error" for f in found) else WARNING_FILL
        cell.fill = PatternFill(fill_type="solid", start_color=worst, end_color=worst)
        text = "\n\n".join(_comment_entry(f) for f in found)
        if cell.comment is not None:
            old = cell.comment
            text = f"{old.text.rstrip()}\n\n{text}"
            author = old.author or AUTHOR
        else:
            author = AUTHOR
        lines = text.count("\n") + 1 + len(text) // 45
        cell.comment = Comment(text, author, height=min(40 + 15 * lines, 600), width=320)


def _comment_entry(finding: Finding) -> str:
    label = "Error" if finding.severity == "error" else "Warning"
    entry = f"{label} ({finding.code}): {finding.message}"
    return f"{entry}\n{finding.hint}" if finding.hint else entry


def _anchor(sheet: Worksheet, ref: str) -> str:
    """A cell inside a merged range is marked on the range's top-left cell, which shows it."""
    if not isinstance(sheet[ref], MergedCell):
        return ref
    for merged in sheet.merged_cells.ranges:
        if ref in merged:
            return merged.start_cell.coordinate
    return ref


# --- the Problems sheet ------------------------------------------------------------------------


def problems_sheet_name(workbook: Workbook) -> str:
    """The added sheet's name: Problems, or Problems (2), (3)… if the workbook has one already."""
    taken = {name.lower() for name in workbook.sheetnames}
    name, n = PROBLEMS_SHEET, 1
    while name.lower() in taken:
        n += 1
        name = f"{PROBLEMS_SHEET} ({n})"
    return name


def _write_problems(
    workbook: Workbook, data: Worksheet, report: Report, header_row: int, note: str | None = None
) -> None:
    """Add the Problems sheet after the data sheet, one row per finding in the report's order,
    then any ``note`` below them."""
    active = workbook.active
    problems = workbook.create_sheet(problems_sheet_name(workbook), workbook.index(data) + 1)
    workbook.active = workbook.index(active)
    problems.append(PROBLEMS_HEADER)
    for cell in problems[1]:
        cell.font = Font(bold=True)
    for number, finding in enumerate(report.findings, start=2):
        cells = finding_cells(finding, header_row)
        values = [
            finding.severity,
            finding.code,
            finding.row,
            finding.column,
            finding.field,
            finding.value,
            finding.message,
            finding.hint or None,
            finding.count,
            _rows_text(finding.rows) or None,
        ]
        for column, value in enumerate(values, start=1):
            _put_text(problems.cell(number, column), value)
        if cells:
            _link(problems.cell(number, len(values) + 1), data.title, _anchor(data, cells[0]))
    if not report.findings:
        problems.cell(2, 1, "No problems found.")
    problems.freeze_panes = "A2"
    last = get_column_letter(len(PROBLEMS_HEADER))
    problems.auto_filter.ref = f"A1:{last}{max(2, len(report.findings) + 1)}"
    for index, width in enumerate(PROBLEMS_WIDTHS, start=1):
        problems.column_dimensions[get_column_letter(index)].width = width
    _printable(problems)
    _print_comments(data)
    below = len(report.findings) + 3
    if report.summary.get("truncated"):
        _note(problems, below, TRUNCATED_NOTE)
        below += 1
    if note:
        _note(problems, below, note)


def _note(problems: Worksheet, row: int, text: str) -> None:
    """A note across the whole width of the Problems sheet, as tall as its wrapped text."""
    cell = problems.cell(row, 1, text)
    cell.alignment = _WRAP
    cell.font = Font(bold=True)
    problems.merge_cells(
        start_row=row, start_column=1, end_row=row, end_column=len(PROBLEMS_HEADER)
    )
    lines = _lines(text, sum(PROBLEMS_WIDTHS))
    problems.row_dimensions[row].height = min(LINE_HEIGHT * lines, MAX_ROW_HEIGHT)


def _printable(problems: Worksheet) -> None:
    """On paper: text wrapped in its column, the heading row on every page, one page wide."""
    for row in problems.iter_rows():
        lines = 1
        for cell in row:
            cell.alignment = _WRAP
            width = PROBLEMS_WIDTHS[cell.column - 1] if cell.column <= len(PROBLEMS_WIDTHS) else 0
            lines = max(lines, _lines(cell.value, width))
        if lines > 1:  # a height of its own: programs differ in growing a row to fit its text
            problems.row_dimensions[row[0].row].height = min(LINE_HEIGHT * lines, MAX_ROW_HEIGHT)
    problems.print_title_rows = "1:1"
    problems.page_setup.orientation = "landscape"
    problems.page_setup.fitToWidth = 1
    problems.page_setup.fitToHeight = 0  # as many pages tall as it needs
    problems.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    problems.print_options.gridLines = True
    problems.oddFooter.left.text = PRINT_NOTE
    problems.oddFooter.right.text = "Page &P of &N"


def _lines(value: Any, width: float) -> int:
    """How many lines ``value`` takes wrapped in a column ``width`` characters wide (at most)."""
    if value is None or not width:
        return 1
    per_line = max(int(width) - 2, 1)  # a little room for words that do not fill a line
    return sum(max(1, -(-len(part) // per_line)) for part in str(value).split("\n"))


def _print_comments(data: Worksheet) -> None:
    """Print every comment (each marked cell's reason) on pages after the data sheet's own."""
    data.page_setup.cellComments = "atEnd"


def _put_text(cell: Any, value: Any) -> None:
    """Write a value as itself; text is always text, never a formula (no formula injection)."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def _link(cell: Any, sheet_title: str, ref: str) -> None:
    """An internal link to ``ref`` on the data sheet, such as ``#'Survey data'!D5``."""
    cell.hyperlink = Hyperlink(
        ref=cell.coordinate, location=f"{quote_sheetname(sheet_title)}!{ref}"
    )
    cell.value = f"Go to {ref}"
    cell.font = Font(color="0563C1", underline="single")


def _rows_text(numbers: Iterable[int]) -> str:
    """Row numbers as short ranges ("2-5, 9"), cut short in a very long list."""
    rows = sorted(set(numbers))
    parts: list[str] = []
    i = 0
    while i < len(rows):
        j = i
        while j + 1 < len(rows) and rows[j + 1] == rows[j] + 1:
            j += 1
        parts.append(str(rows[i]) if i == j else f"{rows[i]}-{rows[j]}")
        i = j + 1
    text = ", ".join(parts)
    if len(text) > MAX_ROWS_TEXT:
        text = text[: text.rfind(", ", 0, MAX_ROWS_TEXT)] + f", … ({len(rows):,} rows in all)"
    return text


__all__ = ["annotate", "copied_note", "finding_cells", "marked_path", "problems_sheet_name"]
