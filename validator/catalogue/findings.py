"""The catalogue of finding types, and ``Finding``: one problem (or one group of the same problem).

Every finding type has a stable kebab-case code, a title, a severity, a description (what it means
and why it matters), and a message and hint template in plain words for a borough officer. The
docs, ``lsids explain`` and the portal all read this catalogue; nothing else spells these words.

Templates use ``str.format`` fields: ``{field}`` (the column name), ``{title}`` (the column's
title), ``{value}`` (the value as written), and per-type extras named in each entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]
Layer = Literal["input", "structure", "schema", "rules", "privacy", "disclosure"]


@dataclass(frozen=True)
class FindingType:
    """One entry of the catalogue."""

    code: str
    layer: Layer
    severity: Severity
    title: str
    description: str
    message: str
    hint: str = ""


def _t(code: str, layer: Layer, severity: Severity, title: str, description: str, message: str,
       hint: str = "") -> FindingType:  # fmt: skip
    return FindingType(code, layer, severity, title, description, message, hint)


_ENTRIES = [
    # Input problems: raised as InputError, never part of a report.
    _t(
        "empty-file",
        "input",
        "error",
        "Empty file",
        "The file has nothing in it, not even a header row.",
        "The file is empty.",
        "You need to save the return with its header row and data, then upload it again.",
    ),
    _t(
        "not-a-table",
        "input",
        "error",
        "Not a table",
        "The file is not a CSV file or a workbook (for example a PDF, an image or a binary file "
        "renamed .csv), or it has no columns this validator recognises.",
        "This file is not a CSV file or a workbook.",
        "You need to save the return as CSV (comma separated) or as a workbook (.xlsx, .ods or "
        ".xls).",
    ),
    _t(
        "encrypted-workbook",
        "input",
        "error",
        "Password-protected workbook",
        "The workbook is protected with a password, so it cannot be read.",
        "The workbook is protected with a password.",
        "You need to remove the password (in Excel File > Info > Protect Workbook; in "
        "LibreOffice Calc File > Save As, untick 'Save with password') and save it again.",
    ),
    _t(
        "corrupt-workbook",
        "input",
        "error",
        "Damaged workbook",
        "The file claims to be a workbook (.xlsx, .ods or .xls) but cannot be opened as one.",
        "The workbook is damaged and cannot be opened.",
        "Open it in Excel or LibreOffice Calc, save a new copy as .xlsx (or .ods), and upload "
        "that.",
    ),
    _t(
        "unsafe-workbook",
        "input",
        "error",
        "Unsafe workbook",
        "The workbook has features that could harm the computer reading it (a compressed bomb, "
        "XML entity declarations, or a sheet claiming millions of cells).",
        "The workbook cannot be read safely.",
        "Copy the data into a new blank workbook, save it as .xlsx and upload that.",
    ),
    _t(
        "invalid-option",
        "input",
        "error",
        "Option not understood",
        "An option given to the validator (type, borough, period or standard version) is not one "
        "it knows, so it cannot check the file.",
        "An option is not valid.",
        "Check the option against `lsids standard`.",
    ),
    _t(
        "sheet-not-found",
        "input",
        "error",
        "Sheet not found",
        "The named sheet is not in the workbook.",
        "The workbook has no sheet with that name.",
        "Check the sheet name, or leave it out to use the first visible sheet.",
    ),
    _t(
        "too-many-columns",
        "input",
        "error",
        "Too many columns",
        "The file has more than 1,000 columns; no return of this standard has that many.",
        "The file has too many columns to be a return.",
        "You need to use the template's columns only.",
    ),
    _t(
        "line-too-long",
        "input",
        "error",
        "Line too long",
        "One line of the file is longer than 1 MB, which no return should need. Often a file "
        "saved with the wrong line endings or a broken quote.",
        "One line of the file is too long to read.",
        "Check that the file is saved as CSV with one respondent or figure per line.",
    ),
    # Structure: reported first and alone.
    _t(
        "no-data-rows",
        "structure",
        "error",
        "No data rows",
        "The file has a header row but no data, so there is nothing to submit. (Stock "
        "Frictionless calls such a file valid; an empty return is never what a borough meant.)",
        "The file has a header row but no data rows.",
        "You need to add the data below the header row.",
    ),
    _t(
        "blank-header",
        "structure",
        "error",
        "Blank column heading",
        "A column with data in it has no heading, so its values cannot be checked.",
        "Column {letter} has no heading.",
        "Enter the column's field name in the heading row (row {header_row}), or delete the "
        "column.",
    ),
    _t(
        "duplicate-column",
        "structure",
        "error",
        "Duplicate column",
        "Two columns have the same heading, so it is not clear which one holds the data.",
        "There is more than one column called '{field}'.",
        "You need to delete or rename the extra column.",
    ),
    _t(
        "missing-column",
        "structure",
        "error",
        "Missing column",
        "A column the standard requires is not in the file. Every column of the template must be "
        "there, even when all its cells are blank.",
        "The column '{field}' is missing.",
        "You need to add a column headed '{field}' ({title}).",
    ),
    _t(
        "unknown-column",
        "structure",
        "error",
        "Unknown column",
        "The file has a column the standard does not define. Extra columns can hold data the GLA "
        "must not receive, so they are not accepted.",
        "The column '{field}' is not part of the {type} return.",
        "Delete the column, or rename it to the standard field it holds{suggestion}.",
    ),
    _t(
        "ragged-row",
        "structure",
        "error",
        "Wrong number of cells",
        "A row has more or fewer cells than the header, often because of a stray comma or a "
        "missing quote. Its values cannot be matched to columns, so they are not checked.",
        "The row has {actual} cells but the header has {expected}.",
        "Check the row for a stray comma or quote, so that it has one value for each column.",
    ),
    _t(
        "blank-row",
        "structure",
        "warning",
        "Blank row",
        "A row with no values. It is ignored, but a blank row often means data was lost. (Stock "
        "Frictionless reports a blank row as an error; here it does not block a submission.)",
        "The row is blank and has been ignored.",
        "Delete blank rows, or check nothing is missing there.",
    ),
    _t(
        "header-matched-loosely",
        "structure",
        "warning",
        "Column heading matched loosely",
        "A heading differs from the field name in case, spaces, hyphens or underscores, or is "
        "the field's title. It was matched, but other tools read headings exactly (stock "
        "Frictionless would report the column as missing).",
        "The heading '{value}' was read as '{field}'.",
        "Rename the heading to '{field}' so every tool reads it.",
    ),
    _t(
        "headings-not-on-first-row",
        "structure",
        "warning",
        "Headings not on the first row",
        "The column headings are below a title, notes or blank rows. The validator found them "
        "and read the data from the row below, but other tools (stock Frictionless, the GLA's "
        "own) read the headings from row 1.",
        "The headings are on row {row}; the rows above them were not read.",
        "Check that nothing above the headings belongs in the return, then delete those rows so "
        "the headings are on row 1.",
    ),
    _t(
        "hidden-sheet-ignored",
        "structure",
        "warning",
        "Hidden sheet ignored",
        "The workbook has a hidden sheet. Only the visible sheet was checked.",
        "The hidden sheet '{sheet}' was not read; only the sheet '{checked}' was checked.",
        "Unhide the sheet and name it with --sheet if it holds the return.",
    ),
    _t(
        "hidden-rows-ignored",
        "structure",
        "warning",
        "Hidden rows ignored",
        "Some rows of the sheet are hidden. They were left out of the check and the return.",
        "Data on hidden {hidden} was not read.",
        "Unhide any that belong in the return, or delete them.",
    ),
    _t(
        "merged-cells",
        "structure",
        "warning",
        "Merged cells",
        "Merged cells hold a value in their first cell only, so the other cells read as blank.",
        "Cells {ranges} are merged; each range was read as the value in its top-left cell, "
        "with the other cells blank.",
        "Unmerge the cells and enter the value in each one.",
    ),
    _t(
        "formula-not-calculated",
        "structure",
        "warning",
        "Formula without a saved value",
        "A cell holds a formula whose result was never saved (the workbook was written by a "
        "program, not Excel), so the cell reads as blank.",
        "Each formula in {cells} has no saved result, so its cell reads as blank.",
        "Open the workbook in Excel or LibreOffice Calc and save it, or paste the values in place "
        "of the formulas.",
    ),
    _t(
        "template-other-version",
        "structure",
        "warning",
        "Template from another version",
        "The workbook was made from the template of a different version of the standard than "
        "the one it was checked against, so columns or codes may have changed between the two.",
        "This workbook was made from the template for version {template_version} of the "
        "standard; it was checked against version {version}.",
        "Download the version {version} template and copy your rows into it{other_version}.",
    ),
    _t(
        "template-other-type",
        "structure",
        "error",
        "Template for another kind of return",
        "The workbook was made from the template for one kind of return but was checked as "
        "another, so its columns cannot match. The columns are not checked one by one.",
        "This workbook was made from the {template_type} template, but it was checked as a "
        "{type} return.",
        "Check it as {template_type} (lsids validate --type {template_type}), or copy your rows "
        "into the {type} template.",
    ),
    # The Table Schema: the same rules a stock Frictionless tool checks.
    _t(
        "type-error",
        "schema",
        "error",
        "Wrong type of value",
        "A value is not of the column's type: a whole number, a number, or a date written "
        "YYYY-MM-DD. Values are read as Frictionless reads them: spaces around numbers and a "
        "leading '+' are allowed; 'NaN' and 'Infinity' read as numbers but fail any range.",
        "{type_message}",
        "{type_hint}",
    ),
    _t(
        "required-missing",
        "schema",
        "error",
        "Required value missing",
        "A column that must have a value in every row is blank.",
        "Enter a value for '{field}' ({title}).",
        "Every row needs {a_title}. For example: {example}.",
    ),
    _t(
        "not-in-codelist",
        "schema",
        "error",
        "Not an allowed code",
        "A coded column holds something that is not one of its codes. Codes are exact: case and "
        "spaces matter.",
        "'{value}' is not one of the codes for '{field}'.",
        "{codelist_hint}",
    ),
    _t(
        "pattern-mismatch",
        "schema",
        "error",
        "Wrong format",
        "A value does not have the form the column needs.",
        "The value is not in the form '{field}' needs.",
        "Enter it like this: {example}.",
    ),
    _t(
        "out-of-range",
        "schema",
        "error",
        "Out of range",
        "A number or date is outside the range the column allows.",
        "The value must be {bound}.",
        "Enter a value that is {bound}.",
    ),
    _t(
        "too-long",
        "schema",
        "error",
        "Too long",
        "A text value is longer than the column allows.",
        "The value is longer than {limit} characters.",
        "Shorten it to {limit} characters or fewer.",
    ),
    _t(
        "too-short",
        "schema",
        "error",
        "Too short",
        "A text value is shorter than the column allows.",
        "The value is shorter than {limit} characters.",
        "Enter at least {limit} characters.",
    ),
    _t(
        "duplicate-key",
        "schema",
        "error",
        "Duplicate key",
        "Two rows have the same key ({key}), so one would overwrite the other. Frictionless "
        "reports this twice (a unique error and a primary-key error); it is reported once here.",
        "This {key} is also used in an earlier row.",
        "Each row needs its own {key}. Check for a row pasted twice.",
    ),
    # The standard's own rules.
    _t(
        "borough-mismatch",
        "rules",
        "error",
        "Another borough's data",
        "The borough in the file is not the borough submitting it.",
        "The borough is {value}, but this return is from {expected}.",
        "Enter {expected} in every row, or submit the file as the right borough.",
    ),
    _t(
        "mixed-boroughs",
        "rules",
        "error",
        "More than one borough",
        "A return is for one borough; this file has rows for several.",
        "The file has rows for {count_values} boroughs: {values}.",
        "Split the file so each return holds one borough's rows.",
    ),
    _t(
        "period-mismatch",
        "rules",
        "error",
        "Wrong period",
        "The period in the file is not the period being submitted.",
        "The period is {value}, but this return is for {expected}.",
        "Enter {expected} in every row, or submit the file for the right period.",
    ),
    _t(
        "mixed-periods",
        "rules",
        "error",
        "More than one period",
        "A return is for one period; this file has rows for several.",
        "The file has rows for {count_values} periods: {values}.",
        "Split the file so each return holds one period's rows.",
    ),
    _t(
        "period-invalid",
        "rules",
        "error",
        "Not a financial year",
        "A period is a financial year written as the first year and the last two digits of the "
        "next, such as 2025-26.",
        "'{value}' is not a financial year.",
        "Enter the financial year like 2025-26 (1 April 2025 to 31 March 2026).",
    ),
    _t(
        "date-outside-period",
        "rules",
        "error",
        "Date outside the period",
        "A date falls outside the financial year of the row's period.",
        "The date is not inside the period {period}.",
        "Enter a date from {start} to {end}, or correct the period.",
    ),
    _t(
        "weight-extreme",
        "rules",
        "warning",
        "Extreme survey weight",
        "A weight far from the others (more than {ratio} times the median, or less than 1/{ratio} "
        "of it) gives one respondent too much or too little say, and widens confidence intervals.",
        "The weight is over {ratio} times larger or smaller than the median weight ({median}).",
        "Check the weight, or trim extreme weights before submitting.",
    ),
    _t(
        "weights-total",
        "rules",
        "warning",
        "Weights do not add up",
        "The weights of a survey return add up to the borough's adult population (the weight "
        "total in the submission metadata), so boroughs can be pooled fairly.",
        "The weights add up to {total}, but the metadata says {expected}.",
        "Scale the weights so they add up to {expected}, or correct the weight total.",
    ),
    _t(
        "routed-answer",
        "rules",
        "error",
        "Answer to a question not asked",
        "A routed question is asked only of some respondents. When it was not asked, leave it "
        "blank, so a blank always means 'not asked'.",
        "'{field}' has an answer, but it is only asked when '{gate}' is {gate_values}.",
        "Leave '{field}' blank in this row, or correct '{gate}'.",
    ),
    _t(
        "numerator-exceeds-denominator",
        "rules",
        "error",
        "Numerator larger than denominator",
        "The numerator counts part of the denominator, so it cannot be larger.",
        "The numerator {numerator} is more than the denominator {denominator}.",
        "Check both figures; the numerator counts people within the denominator.",
    ),
    _t(
        "denominator-missing",
        "rules",
        "error",
        "Denominator missing",
        "This measure is a rate or percentage, so it needs a denominator.",
        "Enter a denominator for {measure}.",
        "The denominator is: {denominator_definition}.",
    ),
    _t(
        "denominator-not-expected",
        "rules",
        "warning",
        "Denominator not used",
        "This measure is a count, so a denominator is not used and will be ignored.",
        "{measure} is a count; the denominator will be ignored.",
        "Leave the denominator blank for count measures.",
    ),
    _t(
        "measure-not-service",
        "rules",
        "error",
        "Not a service measure",
        "Only measures whose source is service data can be sent in a service-data return; the "
        "others come from the resident survey or national surveys.",
        "{value} is a {source_type} measure, not a service-data measure.",
        "Remove the row; the GLA computes this measure from {source_type} data.",
    ),
    _t(
        "breakdown-not-allowed",
        "rules",
        "error",
        "Breakdown not used for this measure",
        "Each measure can be broken down only by the breakdowns the standard lists for it.",
        "{measure} cannot be broken down by {value}.",
        "Use one of: {allowed}.",
    ),
    _t(
        "parts-do-not-add-up",
        "rules",
        "error",
        "Parts do not add up to the total",
        "For this breakdown the parts cover everyone, so their figures add up to the total row.",
        "The {column_name}s for {measure} by {breakdown} add up to {parts}, but the total is "
        "{total}.",
        "Check the figures, and that every part (including 'unknown') has a row.",
    ),
    # Privacy: personal data must never reach the GLA.
    _t(
        "personal-email",
        "privacy",
        "error",
        "Email address",
        "A cell holds what looks like an email address. Returns must not hold personal data.",
        "'{field}' holds an email address.",
        "Delete the email address. Use a pseudonymous respondent ID instead.",
    ),
    _t(
        "personal-phone",
        "privacy",
        "error",
        "Phone number",
        "A cell holds what looks like a UK phone number. Returns must not hold personal data.",
        "'{field}' holds a phone number.",
        "Delete the phone number.",
    ),
    _t(
        "personal-postcode",
        "privacy",
        "error",
        "Full postcode",
        "A cell holds a full UK postcode, which can identify a household.",
        "'{field}' holds a full postcode.",
        "Delete the postcode.",
    ),
    _t(
        "personal-ni-number",
        "privacy",
        "error",
        "National Insurance number",
        "A cell holds what looks like a National Insurance number.",
        "'{field}' holds a National Insurance number.",
        "Delete the National Insurance number. Use a pseudonymous respondent ID instead.",
    ),
    _t(
        "personal-name",
        "privacy",
        "error",
        "Person's name",
        "A cell holds what looks like a person's name (a title such as Mr or Mrs "
        "followed by a name).",
        "'{field}' holds what looks like a person's name.",
        "Delete the name.",
    ),
    _t(
        "personal-date-of-birth",
        "privacy",
        "error",
        "Date of birth",
        "A cell holds what looks like a date of birth. Returns use age bands instead.",
        "'{field}' holds what looks like a date of birth.",
        "Delete the date of birth; the age band is enough.",
    ),
    # Disclosure: warnings about numbers the GLA could not publish.
    _t(
        "small-count",
        "disclosure",
        "warning",
        "Small count",
        "A count below the standard's small-count threshold for the measure could identify "
        "people. It is accepted, but the GLA will suppress it when publishing.",
        "The {column_name} {value} for {measure} is below {threshold}.",
        "Nothing to fix if the figure is right; it will not be published on its own.",
    ),
    _t(
        "low-base",
        "disclosure",
        "warning",
        "Low base",
        "Fewer people than the standard's minimum base answered or are covered, so the figure "
        "is too unreliable to publish for this borough.",
        "The base for {measure} is {value}, below the minimum of {threshold}.",
        "Nothing to fix if the figure is right; it will be pooled but not published alone.",
    ),
]

CATALOGUE: dict[str, FindingType] = {t.code: t for t in _ENTRIES}
LAYER_ORDER: dict[str, int] = {
    "input": 0,
    "structure": 0,
    "schema": 1,
    "rules": 1,
    "privacy": 1,
    "disclosure": 1,
}
