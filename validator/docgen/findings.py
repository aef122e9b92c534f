"""Renders the finding catalogue and the report's JSON shape as reference pages.

``findings_page()`` lists every code of ``CATALOGUE`` by layer with the very words ``lsids explain``
and the reports use, and under each input code the situations of ``INPUT_MESSAGES`` that raise it.
``report_format_page()`` documents ``Report.to_dict()`` from ``REPORT_FIELDS``, the one table of
its keys and their meanings; a test fails when a key the report produces is missing from it, or a
documented key is no longer produced.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..catalogue.findings import CATALOGUE, FindingType
from ..catalogue.inputs import INPUT_MESSAGES
from ..catalogue.words import generic_text
from ..report.collector import MAX_FINDINGS, MAX_ROWS
from ..report.finding import Finding
from ..report.model import FORMAT_VERSION, Report
from ..standard import Standard
from .markdown import code, escape, link, table

# Each layer's heading and what it checks, in the order the validator runs them.
LAYERS: dict[str, tuple[str, str]] = {
    "input": (
        "Input problems",
        "The file cannot be read at all, so there is no report: `lsids validate` says what is "
        "wrong and exits with status 2. Save the file again as the message says and check it "
        "again.",
    ),
    "structure": (
        "Structure",
        "The shape of the table: a header row, the right columns, one value per column in every "
        "row. When the columns are wrong, the report lists only these problems, because every "
        "cell check would fail with them.",
    ),
    "schema": (
        "Table Schema",
        "Each cell against the standard's Table Schema: types, required values, codes, patterns, "
        "ranges and unique keys. A stock Frictionless tool given the same file and schema finds "
        "the same errors.",
    ),
    "rules": (
        "The standard's rules",
        "Rules a Table Schema cannot say: the borough and period match the submission, dates fall "
        "in the period, weights are sensible, routed questions are blank when routed out, and "
        "service figures add up.",
    ),
    "privacy": (
        "Privacy",
        "Returns must not hold personal data. These errors name the column and rows but never "
        "show the personal value in full.",
    ),
    "disclosure": (
        "Disclosure",
        "Warnings about figures too small to publish. The return is still accepted; the GLA "
        "suppresses these figures when it publishes.",
    ),
}

# Readable words for the parts of a message or hint that are filled in from the file.


def fill_in(template: str) -> str:
    """A catalogue template as Markdown: fixed words escaped (`code spans` kept), filled-in parts
    in italics."""

    def literal(text: str) -> str:
        parts = re.split(r"(`[^`]+`)", text)
        return "".join(p if i % 2 else escape(p) for i, p in enumerate(parts))

    return generic_text(template, literal=literal, blank=lambda words: f"*{escape(words)}*")


def severity_text(entry: FindingType) -> str:
    """How a finding affects the file, in the words ``lsids explain`` uses."""
    if entry.layer == "input":
        return "stops the file being read"
    if entry.severity == "error":
        return "error: the return cannot be submitted until it is fixed"
    return "warning: the return can still be submitted"


def findings_page() -> str:
    """Every finding code, grouped by layer, with its title, severity, description and hint."""
    out = [
        "# Finding codes",
        "",
        "Every problem the validator can report has a stable code, the same in the text, JSON "
        "and HTML reports, the portal and the Python API. This page is built from the "
        "validator's catalogue (`validator/catalogue/`); "
        f"{code('lsids explain CODE')} prints the same words for one code.",
        "",
        "Errors stop a return being submitted; warnings do not, but say why they matter. Words "
        "in *italics* are filled in from your file: the column, the value, the measure.",
        "",
        "## Codes by layer",
        "",
    ]
    rows = []
    for layer, (heading, _) in LAYERS.items():
        for entry in _entries(layer):
            rows.append(
                [
                    link(code(entry.code), f"#{entry.code}"),
                    escape(heading),
                    escape(entry.severity if layer != "input" else "cannot be read"),
                    escape(entry.title),
                ]
            )
    out += [table(["Code", "Layer", "Severity", "Title"], rows), ""]
    for layer, (heading, intro) in LAYERS.items():
        out += [f"## {heading}", "", intro, ""]
        for entry in _entries(layer):
            out += _entry_section(entry)
    return "\n".join(out)


def _entries(layer: str) -> list[FindingType]:
    return [entry for entry in CATALOGUE.values() if entry.layer == layer]


def _entry_section(entry: FindingType) -> list[str]:
    lines = [
        f"### {entry.code}",
        "",
        f"**{escape(entry.title)}** — {escape(severity_text(entry))}.",
        "",
        fill_in(entry.description),
        "",
    ]
    if entry.message and entry.message != "{value}":
        lines.append(f"- The message: {fill_in(entry.message)}")
    else:
        lines.append("- The message: the file reader's own words about the file.")
    if entry.hint:
        lines.append(f"- How to fix it: {fill_in(entry.hint)}")
    lines.append("")
    if entry.layer == "input":
        lines += _situations(entry.code)
    return lines


def _situations(code_: str) -> list[str]:
    """The situations that raise an input code, each with the message and hint it gives."""
    rows = [
        [code(key), fill_in(words.message), fill_in(words.hint)]
        for key, words in INPUT_MESSAGES.items()
        if words.code == code_
    ]
    if not rows:
        return []
    return [
        "The validator says which of these it found, in these words:",
        "",
        table(["Situation", "Message", "What to do"], rows),
        "",
    ]


@dataclass(frozen=True)
class ReportField:
    """One key of the report's JSON: its path (``findings[].code``), type and meaning."""

    path: str
    type: str
    meaning: str


REPORT_FIELDS: list[ReportField] = [
    ReportField("format_version", "string", "The version of this JSON shape, now "
                f"{FORMAT_VERSION}. Any change to the shape comes with a new format version."),
    ReportField("valid", "boolean", "True when the return has no errors (warnings allowed): it "
                "can be submitted."),
    ReportField("type", "string", "The kind of return checked: `resident-survey` or "
                "`service-data`."),
    ReportField("type_inferred", "boolean", "True when the kind of return was worked out from "
                "the columns rather than given."),
    ReportField("standard_version", "string", "The version of the standard the return was "
                "checked against."),
    ReportField("validator_version", "string", "The version of the validator that checked it, "
                "so a stored report can be re-run when the validator changes."),
    ReportField("source", "string or null", "The file name checked (no folders), or null for a "
                "DataFrame or file object without a name."),
    ReportField("format", "string or null", "How the return was read: `csv` (any CSV or "
                "tab-separated text, UTF-16 too), `xlsx` (or `.xlsm`), `ods` (LibreOffice), "
                "`xls` (Excel 97-2003) or `dataframe`."),
    ReportField("sheet", "string or null", "The workbook sheet read, or null for a CSV file."),
    ReportField("summary", "object", "Counts for the whole return."),
    ReportField("summary.rows", "integer", "Data rows read (the header row and blank rows, "
                "which are reported and ignored, are not counted)."),
    ReportField("summary.errors", "integer", "Errors found, counting every repeat."),
    ReportField("summary.warnings", "integer", "Warnings found, counting every repeat."),
    ReportField("summary.truncated", "boolean", "True when some row lists or findings were cut "
                f"short (more than {MAX_ROWS} rows of one finding, or more than {MAX_FINDINGS:,} "
                "different findings); the counts stay complete."),
    ReportField("findings", "array", "The problems found, structure first, then by row, column "
                "and code. A problem that repeats (same code, column and message) is one entry."),
    ReportField("findings[].code", "string", "The finding code, stable kebab-case: see "
                "[Finding codes](findings.md)."),
    ReportField("findings[].severity", "string", "`error` (blocks the return) or `warning`."),
    ReportField("findings[].message", "string", "What is wrong, in plain English."),
    ReportField("findings[].hint", "string", "What would be right, in plain English (may be "
                "empty)."),
    ReportField("findings[].field", "string or null", "The column's field name, or null when the "
                "finding is about the whole file."),
    ReportField("findings[].column", "string or null", "The column's letter as Excel shows it "
                "(A, B, … AA), or null."),
    ReportField("findings[].row", "integer or null", "The first spreadsheet row with the problem "
                "(the header is row 1, the first data row is row 2), or null when it is not about "
                "one row."),
    ReportField("findings[].value", "string or null", "The value as written in the first row "
                "with the problem; personal data is masked, never shown in full."),
    ReportField("findings[].count", "integer", "How many times the problem occurs."),
    ReportField("findings[].rows", "array of integers", f"The spreadsheet rows, up to the first "
                f"{MAX_ROWS}."),
    ReportField("findings[].truncated", "boolean", "True when `rows` lists only the first rows "
                "of `count`."),
    ReportField("findings[].sheet", "string or null", "The workbook sheet, or null for a CSV "
                "file."),
]  # fmt: skip

# What `lsids validate --format json` writes instead of a report when a file cannot be read.
INPUT_ERROR_FIELDS: list[ReportField] = [
    ReportField("source", "string", "The file as named on the command line."),
    ReportField("error", "object", "Why it could not be checked."),
    ReportField("error.code", "string", "An input problem's code, such as `empty-file` or "
                "`not-a-table` (see [Input problems](findings.md#input-problems))."),
    ReportField("error.message", "string", "What is wrong with the file, in plain English."),
    ReportField("error.hint", "string", "What to do about it."),
]  # fmt: skip


def report_format_page(std: Standard) -> str:
    """The report's JSON shape: every key with its type and meaning, and an example."""
    out = [
        "# Report format",
        "",
        f"`lsids validate --format json` writes this report (format version {FORMAT_VERSION}); "
        "the Python API returns the same thing as `Report.to_dict()`, and the portal stores it. "
        "Checking several files at once writes a JSON array of them, in the order given.",
        "",
        "Exit status of `lsids validate`: 0 when every file is valid (warnings allowed), 1 when a "
        "file is not valid, 2 when a file could not be checked.",
        "",
        "## Keys",
        "",
        _fields_table(REPORT_FIELDS),
        "",
        "## When a file cannot be read",
        "",
        "The JSON for that file is an error instead of a report, and the exit status is 2:",
        "",
        _fields_table(INPUT_ERROR_FIELDS),
        "",
        "## Example",
        "",
        "A resident survey return with one answer written as its label:",
        "",
        "```json",
        json.dumps(_example(std.version).to_dict(), indent=2, ensure_ascii=False),
        "```",
    ]
    return "\n".join(out)


def _fields_table(fields: list[ReportField]) -> str:
    rows = [[code(f.path), escape(f.type), _prose(f.meaning)] for f in fields]
    return table(["Key", "Type", "Meaning"], rows)


def _prose(text: str) -> str:
    """Escape text but keep its `code spans` and [links](target) as written."""
    return text if "`" in text or "](" in text else escape(text)


def _example(standard_version: str) -> Report:
    """A small report built the way the validator builds one, for the example: checked against
    the version of the standard the pages are generated from."""
    return Report(
        valid=False,
        type="resident-survey",
        type_inferred=False,
        standard_version=standard_version,
        validator_version="0.1.0",
        summary={"rows": 270, "errors": 1, "warnings": 0, "truncated": False},
        findings=[
            Finding(
                code="not-in-codelist",
                severity="error",
                message="'Strongly agree' is not one of the codes for 'london_good_place'.",
                hint="'Strongly agree' is a label; this column wants its code strongly_agree.",
                field="london_good_place",
                column="AD",
                row=6,
                value="Strongly agree",
                count=1,
                rows=[6],
            )
        ],
        source="resident-survey_E09000030_2025-26.csv",
        format="csv",
    )
