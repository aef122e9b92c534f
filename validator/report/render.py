"""Three renderings of the same ``Report``: text for a terminal, JSON for machines, HTML for people.

Renderers only format: every word a person reads comes from the report (and so from the
catalogue). The HTML page is complete and self-contained, in the GOV.UK Design System's style,
with every value escaped, so HTML or script typed into a cell is shown, never run.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..catalogue.inputs import InputError
from .finding import Finding
from .model import Report

_TEMPLATES = Path(__file__).parent / "templates"
_ROWS_SHOWN = 10


@dataclass
class Outcome:
    """One file's result for rendering: a report, or the input error that stopped it."""

    label: str
    report: Report | None = None
    error: InputError | None = None


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """Text with control characters shown as escapes, so a file name or a cell can never move
    the cursor, clear the screen or recolour an officer's terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def render_json(report: Report) -> str:
    """The report's documented JSON shape (see ``Report.to_dict``)."""
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False)


def rows_text(f: Finding) -> str:
    """'row 5', 'rows 2, 3, 9 and 37 more', or '' for a finding about the whole file."""
    if not f.rows:
        return "" if f.row is None else f"row {f.row}"
    shown = ", ".join(str(r) for r in f.rows[:_ROWS_SHOWN])
    more = f.count - min(len(f.rows), _ROWS_SHOWN)
    if len(f.rows) == 1 and f.count == 1:
        return f"row {f.rows[0]}"
    return f"rows {shown}" + (f" and {more:,} more" if more > 0 else "")


def where_text(f: Finding) -> str:
    """Where a person finds it: 'column D (mode), rows 2, 3'."""
    parts = []
    if f.sheet:
        parts.append(f"sheet '{f.sheet}'")
    if f.column or f.field:
        parts.append(f"column {f.column} ({f.field})" if f.column else f"column {f.field}")
    rows = rows_text(f)
    if rows:
        parts.append(rows)
    return ", ".join(parts) or "whole file"


_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "ok": "\033[32m", "dim": "\033[2m"}
_RESET = "\033[0m"


def render_text(outcome: Outcome, *, colour: bool = False, summary: bool = False) -> str:
    """A short, grouped account of one file for a terminal (only its first line if ``summary``)."""

    def paint(text: str, kind: str) -> str:
        return f"{_COLOURS[kind]}{text}{_RESET}" if colour else text

    label = terminal_safe(outcome.label)
    if outcome.error is not None:
        lines = [
            f"{label}: {paint('COULD NOT CHECK', 'error')}",
            f"  {terminal_safe(str(outcome.error))}",
        ]
        if outcome.error.hint and not summary:
            lines.append(f"  {outcome.error.hint}")
        return "\n".join(lines) + "\n"
    report = outcome.report
    assert report is not None
    s = report.summary
    verdict = paint("VALID", "ok") if report.valid else paint("NOT VALID", "error")
    inferred = ", worked out from the columns" if report.type_inferred else ""
    lines = [
        f"{label}: {verdict} — {s['errors']:,} error(s), {s['warnings']:,} warning(s) "
        f"in {s['rows']:,} rows ({report.type}{inferred}; standard {report.standard_version})"
    ]
    if summary:
        return lines[0] + "\n"
    for title, group, kind in (
        ("Errors", report.errors, "error"),
        ("Warnings", report.warnings, "warning"),
    ):
        if not group:
            continue
        lines.append("")
        lines.append(paint(f"{title}:", kind))
        for f in group:
            count = f" ×{f.count:,}" if f.count > 1 else ""
            lines.append(f"  {paint(f.code, kind)}{count} — {terminal_safe(where_text(f))}")
            shown = f.value not in (None, "") and f.value not in f.message
            value = f"  (value: {f.value!r})" if shown else ""
            lines.append(f"    {terminal_safe(f.message + value)}")
            if f.hint:
                lines.append(paint(f"    {terminal_safe(f.hint)}", "dim"))
    if s.get("truncated"):
        lines.append("")
        lines.append("Only the first rows of each problem are listed; the counts are complete.")
    return "\n".join(lines) + "\n"


def render_html(outcomes: list[Outcome]) -> str:
    """One accessible HTML page for one or more files, error summary first."""
    import jinja2  # only the HTML report needs it

    from ..version import __version__

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    reports = [_view(o) for o in outcomes]
    return env.get_template("report.html").render(
        reports=reports,
        any_errors=any(r["errors"] or r["input_error"] for r in reports),
        validator_version=__version__,
    )


def _view(outcome: Outcome) -> dict[str, Any]:
    if outcome.error is not None:
        error = {"message": str(outcome.error), "hint": outcome.error.hint}
        return {"label": outcome.label, "input_error": error, "errors": [], "warnings": []}
    report = outcome.report
    assert report is not None

    def finding(i: int, f: Finding) -> dict[str, Any]:
        return {
            **f.to_dict(),
            "anchor": i,
            "where": where_text(f),
            "rows_text": rows_text(f) or "–",
            "column_text": f"{f.column} ({f.field})" if f.column else (f.field or "–"),
        }

    numbered = list(enumerate(report.findings, start=1))
    return {
        "label": outcome.label,
        "input_error": None,
        "valid": report.valid,
        "type": report.type,
        "type_inferred": report.type_inferred,
        "standard_version": report.standard_version,
        "summary": report.summary,
        "errors": [finding(i, f) for i, f in numbered if f.severity == "error"],
        "warnings": [finding(i, f) for i, f in numbered if f.severity == "warning"],
    }
