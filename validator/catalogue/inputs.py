"""``InputError``: the input cannot be read at all, told in the catalogue's words.

Every sentence an ``InputError`` says is here, in ``INPUT_MESSAGES``, keyed by the situation it
describes (``no-such-file``, ``pdf-or-image-named-as-workbook``…). Code raises by situation with
the values it found, ``raise InputError("no-such-file", path=path)``, and the error takes its
public code, message and hint from the entry. The public codes are the ``input`` layer of
``CATALOGUE`` (``findings.py``); several situations share one code.

Templates use ``str.format`` fields, filled by ``render_template``; a value a site formats itself
(a count with thousands separators, a list of sheet names) is passed already formatted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .words import render_template


@dataclass(frozen=True)
class InputMessage:
    """One situation in which a file or an option cannot be used: its public code and words."""

    code: str
    message: str
    hint: str = ""


# Words shared by several situations.
_SAVE_AS_XLSX = (
    "Open it in Excel and use File > Save As > 'Excel Workbook (*.xlsx)' (or 'CSV UTF-8 (Comma "
    "delimited)'); in LibreOffice Calc use File > Save As > 'ODF Spreadsheet (.ods)' or 'Excel "
    "2007-365 (.xlsx)'. Then try again."
)
_SAVE_AS_CSV_OR_XLSX = (
    "You need to save the return as CSV (comma separated) or as a workbook (.xlsx, .ods or .xls)."
)
_REPAIR_IN_EXCEL = (
    "Open it in Excel or LibreOffice Calc; if it offers to repair it, let it, then save it as a "
    "new .xlsx (or .ods) file"
)
_TOO_LARGE_HINT = "Save the sheet as 'CSV UTF-8 (Comma delimited)' instead: CSV has no such limit."
_TEMPLATE_SUFFIX_HINT = "Name the file ending .xlsx for the workbook, or .csv for a blank CSV."


def _unsafe(reason: str) -> InputMessage:
    """A workbook built in a way that could harm the computer reading it, and why."""
    return InputMessage(
        "unsafe-workbook",
        f"The workbook was not read because {reason}. Files built like this can exhaust the "
        "memory of the computer that opens them.",
        "If this is a genuine return, open it in Excel or LibreOffice Calc, copy the table into a "
        "new workbook, save it as .xlsx (or .ods) and try again.",
    )


def _metadata(problem: str) -> InputMessage:
    """A property of the submission metadata that its schema does not allow, and why."""
    return InputMessage(
        "invalid-option",
        f"The submission metadata is not valid: {problem}",
        "Correct the metadata file; `lsids standard` describes each property.",
    )


INPUT_MESSAGES: dict[str, InputMessage] = {
    # --- the file itself: missing, empty, or not a table at all -------------------------------
    "no-such-file": InputMessage(
        "not-a-table",
        "There is no file at {path}.",
        "Check the file name and folder.",
    ),
    "empty-csv": InputMessage(
        "empty-file",
        "The file is empty.",
        "You need to save the return with its header row and data, then upload it again.",
    ),
    "empty-workbook-file": InputMessage(
        "empty-file",
        "The file is empty: it has no bytes at all.",
        "Check you attached the right file, and that it was saved before you uploaded it.",
    ),
    "empty-sheet": InputMessage(
        "empty-file",
        "The sheet is empty: it has no column names and no data.",
        "Put the column names in the first row and one record in each row below, or name the "
        "sheet that holds the return.",
    ),
    "source-not-a-file": InputMessage(
        "not-a-table",
        "Cannot read a {python_type}: give a file path, a file opened in binary mode, or a "
        "pandas DataFrame.",
    ),
    "text-mode-file": InputMessage(
        "not-a-table",
        "The file was opened as text; the validator needs to read it in binary mode.",
        "Open the file with open(path, 'rb') and pass that, or pass the path itself.",
    ),
    "no-workbook-reader": InputMessage(
        "not-a-table",
        "This installation cannot read Excel workbooks.",
        "Save the sheet as CSV (comma separated) and check that instead.",
    ),
    # --- a CSV file that is not one ------------------------------------------------------------
    "other-format-named-as-csv": InputMessage(
        "not-a-table",
        "This file is {file_kind}, not a CSV file.",
        _SAVE_AS_CSV_OR_XLSX,
    ),
    "binary-data": InputMessage(
        "not-a-table",
        "This file holds binary data (NUL bytes), so it is not a CSV file.",
        _SAVE_AS_CSV_OR_XLSX,
    ),
    "line-too-long": InputMessage(
        "line-too-long",
        "One line of the file is longer than 1 MB, too long to be a row of a return.",
        "Check that the file is saved as CSV with one respondent or figure per line.",
    ),
    "unclosed-quote": InputMessage(
        "not-a-table",
        "The file cannot be read as CSV: a quote may be missing, so a cell runs on over many "
        "lines.",
        "Open the file in Excel or LibreOffice Calc, check the quotes, and save it as CSV again.",
    ),
    # --- a file named or built as a workbook that is not one ----------------------------------
    "other-format-named-as-workbook": InputMessage(
        "not-a-table",
        "This file is {file_kind}, not a workbook (.xlsx, .ods or .xls).",
        _SAVE_AS_XLSX,
    ),
    "text-named-as-workbook": InputMessage(
        "not-a-table",
        "This file is plain text, not a workbook (.xlsx, .ods or .xls). If it is a CSV file, "
        "give it a .csv name.",
        _SAVE_AS_XLSX,
    ),
    "not-a-workbook": InputMessage(
        "not-a-table",
        "This file is not a workbook (.xlsx, .ods or .xls): it does not start like one.",
        _SAVE_AS_XLSX,
    ),
    "other-zip-format": InputMessage(
        "not-a-table",
        "This file is {file_kind}, not a spreadsheet workbook (.xlsx, .ods or .xls).",
        _SAVE_AS_XLSX,
    ),
    "zip-not-workbook": InputMessage(
        "not-a-table",
        "This file is a zip archive, not a workbook (.xlsx or .ods).",
        "If the return is inside the zip, unzip it and upload the .xlsx, .ods or .csv file itself.",
    ),
    "empty-zip": InputMessage(
        "corrupt-workbook",
        "The file is an empty zip archive, not a workbook.",
        _SAVE_AS_XLSX,
    ),
    # --- a workbook that is protected, damaged or unsafe --------------------------------------
    "password-protected": InputMessage(
        "encrypted-workbook",
        "The workbook is protected with a password, so it cannot be read.",
        "Open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with "
        "Password, then clear the password), save it as .xlsx and try again. In LibreOffice "
        "Calc, use File > Save As and untick 'Save with password'.",
    ),
    "encrypted-parts": InputMessage(
        "encrypted-workbook",
        "Parts of the workbook are encrypted, so it cannot be read.",
        "Save an unprotected copy as .xlsx or .ods (without a password) and try again.",
    ),
    "broken-zip": InputMessage(
        "corrupt-workbook",
        "The workbook is damaged and cannot be opened (the zip archive inside it is broken: "
        "{error}).",
        _REPAIR_IN_EXCEL + ". If it was sent to you by email, ask for it again.",
    ),
    "damaged-workbook": InputMessage(
        "corrupt-workbook",
        "The workbook is damaged and cannot be read ({error_type}: {error}).",
        _REPAIR_IN_EXCEL + " and try again.",
    ),
    "rows-out-of-order": InputMessage(
        "corrupt-workbook",
        "The workbook is damaged and cannot be read (ValueError: row {row} is out of order or "
        "beyond Excel's last row).",
        _REPAIR_IN_EXCEL + " and try again.",
    ),
    "workbook-file-too-large": InputMessage(
        "unsafe-workbook",
        "The workbook is {megabytes} MB; the most that can be read is {most_megabytes} MB.",
        _TOO_LARGE_HINT,
    ),
    "workbook-stream-too-large": InputMessage(
        "unsafe-workbook",
        "The workbook is larger than {most_megabytes} MB, the most that can be read.",
        _TOO_LARGE_HINT,
    ),
    "too-many-zip-parts": _unsafe("it is a zip archive of {count} parts"),
    "unusual-compression": _unsafe(
        "its part '{part}' uses a compression method Excel never writes"
    ),
    "zip-bomb-size": _unsafe(
        "it would inflate to more than {most_megabytes} MB of data (a 'zip bomb')"
    ),
    "zip-bomb-ratio": _unsafe(
        "its part '{part}' is compressed {ratio} to 1, far more than any real spreadsheet "
        "(a 'zip bomb')"
    ),
    "xml-declarations": _unsafe(
        "its part '{part}' declares XML entities or a document type (<!DOCTYPE> or "
        "<!ENTITY>), which Excel never writes"
    ),
    "too-many-merged-ranges": _unsafe("it has more than {most} merged cell ranges"),
    "unsafe-xml": InputMessage(
        "unsafe-workbook",
        "The workbook was not read because its XML is unsafe ({error}).",
        "Open it in Excel or LibreOffice Calc, copy the table into a new workbook, save it as "
        ".xlsx (or .ods) and try again.",
    ),
    "sheet-too-spread": InputMessage(
        "unsafe-workbook",
        "The sheet '{sheet}' was not read because its cells spread from A1 to {cell}: more than "
        "{most} cells, far more than a return needs.",
        "Delete any stray cells far below or to the right of the table, save and try again; or "
        "save the sheet as .xlsx or CSV.",
    ),
    "too-many-blank-rows": InputMessage(
        "unsafe-workbook",
        "The sheet has more than {most} empty rows between rows of data (a value sits in row "
        "{row}), so it was not read.",
        "Delete the stray cells far below the table (around row {row}), save and try again.",
    ),
    # --- sheets and columns --------------------------------------------------------------------
    "no-such-sheet": InputMessage(
        "sheet-not-found",
        "The workbook has no sheet called '{sheet}'. Its sheets are: {sheets}.",
        "Give the name of the sheet that holds the return, exactly as its tab shows it.",
    ),
    "every-sheet-hidden": InputMessage(
        "sheet-not-found",
        "Every sheet in the workbook is hidden, so there is nothing to read. Its sheets are: "
        "{sheets}.",
        "In Excel, right-click a sheet tab and choose Unhide (in LibreOffice Calc, Show Sheet), "
        "then save and try again; or name the sheet to read.",
    ),
    "too-many-columns-in-file": InputMessage(
        "too-many-columns",
        "The file has {count} columns; a return has at most {most}.",
        "You need to use the template's columns only.",
    ),
    "too-many-columns-in-table": InputMessage(
        "too-many-columns",
        "The table has {count} columns; a return has at most {most}.",
        "You need to use the template's columns only.",
    ),
    "value-beyond-last-column": InputMessage(
        "too-many-columns",
        "Cell {cell} holds a value in column {column}; a return can have at most {most} columns.",
        "Delete anything to the right of the table (select the columns, right-click, Delete), "
        "save and try again.",
    ),
    "readme-sheet-saved": InputMessage(
        "not-a-table",
        "This file holds the notes of the {template} template's 'Read me' sheet, not the "
        "return: it was saved while the Read me sheet was showing.",
        "Open the template, click the '{sheet}' sheet tab that holds the data, and save it as "
        "CSV again (Excel and LibreOffice Calc save only the sheet showing); or send the "
        "workbook itself.",
    ),
    "columns-match-no-type": InputMessage(
        "not-a-table",
        "The columns of this file do not match any kind of return in the standard.",
        "Check that row {header_row} holds the column headings, or name the type ({types}).",
    ),
    # --- options and submission metadata -------------------------------------------------------
    "unknown-type": InputMessage(
        "invalid-option",
        "'{value}' is not a kind of return.",
        "Use one of: {types}.",
    ),
    "unknown-borough": InputMessage(
        "invalid-option",
        "'{value}' is not a borough code.",
        "Use the borough's ONS GSS code, {codes} (see `lsids standard`).",
    ),
    "unknown-period": InputMessage(
        "invalid-option",
        "'{value}' is not a financial year.",
        "Write the period like 2025-26.",
    ),
    "unknown-standard-version": InputMessage(
        "invalid-option",
        "{reason}",
        "Name a version this validator knows.",
    ),
    "option-disagrees-with-metadata": InputMessage(
        "invalid-option",
        "The {option_name} given ({option}) is not the {option_name} in the submission metadata "
        "({said}).",
        "Correct the submission metadata's '{property}', or leave the option out.",
    ),
    "metadata-not-an-object": InputMessage(
        "invalid-option",
        "The submission metadata is not a JSON object.",
    ),
    # a property of the submission metadata against the standard's metadata schema
    "metadata-unknown-property": _metadata(
        "{names} is not a metadata property; the properties are {known}."
    ),
    "metadata-unknown-properties": _metadata(
        "{names} are not metadata properties; the properties are {known}."
    ),
    "metadata-unknown-property-inside": _metadata(
        "{names} is not a metadata property of '{parent}'; the properties are {known}."
    ),
    "metadata-unknown-properties-inside": _metadata(
        "{names} are not metadata properties of '{parent}'; the properties are {known}."
    ),
    "metadata-wrong-type": _metadata("{subject} should be {kinds}, not {given}."),
    "metadata-not-allowed": _metadata(
        "{subject} is {given}, which is not one of the allowed values: {allowed_values}."
    ),
    "metadata-not-like-example": _metadata("{subject} should be written like {like}, not {given}."),
    "metadata-wrong-form": _metadata("{subject} is not in the right form, not {given}."),
    "metadata-wrong-format": _metadata("{subject} should be {format_words}, not {given}."),
    "metadata-not-above": _metadata("{subject} should be more than {least}, not {given}."),
    "metadata-below-minimum": _metadata("{subject} should be {least} or more, not {given}."),
    "metadata-empty": _metadata("{subject} should not be empty."),
    "metadata-too-short": _metadata("{subject} needs at least {characters} characters."),
    "metadata-too-long": _metadata(
        "{subject} is too long: it may have at most {characters} characters."
    ),
    "metadata-missing-property": _metadata("{subject} has no {names}, which it must have."),
    "metadata-missing-for-type": _metadata(
        "{subject} has no {names}, which a {type} return must have."
    ),
    "metadata-not-valid": _metadata(
        "{subject} has a value that the standard does not allow ({given})."
    ),
    "metadata-file-unreadable": InputMessage(
        "invalid-option",
        "Cannot read the metadata file {path}: {error}",
    ),
    "metadata-file-not-an-object": InputMessage(
        "invalid-option",
        "The metadata file {path} is not a JSON object.",
    ),
    # --- the command line's own options --------------------------------------------------------
    "annotate-one-file": InputMessage(
        "invalid-option",
        "--annotate works on one workbook at a time.",
        "Name one FILE.xlsx, or run the command once for each workbook.",
    ),
    "annotate-not-a-workbook": InputMessage(
        "invalid-option",
        "--annotate works on Excel workbooks; for a CSV, use --format html.",
        "Save the return as an Excel workbook (.xlsx) to get it back annotated, or run "
        "lsids validate FILE --format html --output report.html for a report to open in a browser.",
    ),
    "annotate-overwrites-original": InputMessage(
        "invalid-option",
        "The annotated workbook would overwrite the original.",
        "Give --annotate a new file name, so that nothing you sent is lost.",
    ),
    "annotate-too-many-rows": InputMessage(
        "invalid-option",
        "The sheet has {rows} rows, too many to annotate (the most is {most}).",
        "Use --format html for a report of the problems instead.",
    ),
    "annotate-sheet-missing": InputMessage(
        "sheet-not-found",
        "The workbook has no sheet called '{sheet}', the sheet the report is about.",
        "Annotate the workbook the report was made from.",
    ),
    "fix-overwrites-original": InputMessage(
        "invalid-option",
        "The fixed file would overwrite the original.",
        "Give --output a new file name, so that nothing you sent is lost.",
    ),
    "fix-output-format": InputMessage(
        "invalid-option",
        "lsids fix cannot write {file_name}: it writes the fixed copy of {file_kind} workbook "
        "as a new .xlsx workbook or a CSV file.",
        "Name the output FILE.xlsx (a new workbook with the fixed values, which LibreOffice "
        "Calc opens; File > Save As > 'ODF Spreadsheet (.ods)' keeps it as .ods) or FILE.csv.",
    ),
    "template-csv-misnamed": InputMessage(
        "invalid-option",
        "Cannot write a blank CSV to {file_name}.",
        _TEMPLATE_SUFFIX_HINT,
    ),
    "template-workbook-misnamed": InputMessage(
        "invalid-option",
        "Cannot write an Excel workbook to {file_name}.",
        _TEMPLATE_SUFFIX_HINT,
    ),
    "generate-too-few-rows": InputMessage(
        "invalid-option",
        "--rows must be a whole number of at least 1.",
    ),
    "generate-refused": InputMessage(
        "invalid-option",
        "{reason}",
    ),
    # lsids aggregate: the returns cannot be added up (the reason comes from the aggregator)
    "aggregate-refused": InputMessage(
        "invalid-option",
        "{reason}",
        "Give each borough's return for a period once, as it was accepted.",
    ),
}


class InputError(Exception):
    """The input cannot be read at all: not a table, not the format it claims, or unsafe.

    Raised by situation, a key of ``INPUT_MESSAGES``, with the values its words need:
    ``InputError("no-such-file", path=path)``. Carries the situation's stable public ``code``
    and its message and hint, written for a borough officer. The command line turns it into exit
    status 2; the portal shows it in place of a report.

    Where the problem is, when it is in the submission metadata: ``metadata_property`` names
    the property at fault ('weight_total', 'contact.email'; '' when it is not about one), so a
    form can show the words on the field it is typed in. It is not part of the message.
    """

    metadata_property: str

    def __init__(self, situation: str, **values: Any) -> None:
        entry = INPUT_MESSAGES[situation]
        self.situation = situation
        self.values = values
        self.metadata_property = ""
        self.code = entry.code
        self.message = render_template(entry.message, values)
        self.hint = render_template(entry.hint, values)
        super().__init__(self.message)

    def in_metadata(self, metadata_property: str) -> InputError:
        """This error, located at a property of the submission metadata ('contact.email')."""
        self.metadata_property = metadata_property
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by situation and values (a worker process can raise one to its parent)."""
        return (_rebuild, (self.situation, self.values, self.metadata_property))


def _rebuild(situation: str, values: dict[str, Any], metadata_property: str = "") -> InputError:
    return InputError(situation, **values).in_metadata(metadata_property)
