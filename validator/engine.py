"""Run the checks on one return and give the verdict: the one core the CLI, the Python API and
the portal all call.

Layers run in order. Structure first: if the columns are wrong, the report says so alone and no
cell is checked. Then, chunk by chunk in bounded memory, the Table Schema, the standard's own
rules, privacy and disclosure. Findings come back grouped and in a stable order.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .checks.cells import SchemaCheck
from .checks.disclosure import DisclosureCheck
from .checks.privacy import PrivacyCheck
from .checks.rules import RulesCheck, financial_year
from .checks.structure import infer_type, match_header
from .findings import CATALOGUE, column_letter
from .readers import read_table
from .report import Collector, Report
from .standard import Standard, StandardError, load_standard
from .table import Chunk, InputError, Table

Progress = Callable[[int], None]


def validate(
    source: Any,
    *,
    type: str | None = None,
    borough: str | None = None,
    period: str | None = None,
    standard_version: str | None = None,
    sheet: str | None = None,
    metadata: dict[str, Any] | None = None,
    progress: Progress | None = None,
    all_rows: bool = False,
) -> Report:
    """Check a return against the standard and return the ``Report``.

    ``source`` is a path, a binary file object or a pandas DataFrame. ``type`` is inferred from
    the columns when not given (the report says so). ``borough`` and ``period`` are what the
    return is submitted as; ``metadata`` is the submission metadata (``weight_total`` is used).
    ``progress`` is called with the number of rows read so far. A repeated finding lists its
    first 100 rows, or with ``all_rows`` every one (as the annotated workbook needs).
    Bad data comes back as findings; only an unusable call or an unreadable input raises
    ``InputError``.
    """
    standard = _standard(standard_version)
    _check_options(standard, type, borough, period)
    table = read_table(source, sheet=sheet)
    try:
        return _run(standard, table, type, borough, period, metadata, progress, source, all_rows)
    finally:
        close = getattr(table.chunks, "close", None)
        if close:
            close()


def _standard(version: str | None) -> Standard:
    try:
        return load_standard(version)
    except StandardError as exc:
        raise InputError(
            "invalid-option", str(exc), "Name a version this validator knows."
        ) from exc


def _check_options(standard: Standard, kind: str | None, borough: str | None, period: str | None):
    if kind is not None and kind not in standard.submission_types:
        known = ", ".join(sorted(standard.submission_types))
        raise InputError(
            "invalid-option", f"'{kind}' is not a kind of return.", f"Use one of: {known}."
        )
    if borough is not None and borough not in standard.boroughs.codes:
        raise InputError(
            "invalid-option",
            f"'{borough}' is not a borough code.",
            "Use the borough's ONS GSS code, E09000001 to E09000033 (see `lsids standard`).",
        )
    if period is not None and financial_year(period) is None:
        raise InputError(
            "invalid-option",
            f"'{period}' is not a financial year.",
            "Write the period like 2025-26.",
        )


def _run(
    standard, table: Table, kind, borough, period, metadata, progress, source,
    all_rows: bool = False,
) -> Report:  # fmt: skip
    inferred = kind is None
    kind = kind or infer_type(table.header, standard)
    sub = standard.submission_types[kind]
    collector = Collector(sheet=table.sheet, all_rows=all_rows)
    positions, trailing = match_header(table.header, sub, collector)
    collector.set_columns(positions)
    rows = 0
    if collector.has_errors("structure"):
        rows = sum(len(chunk) for chunk in table.chunks)
    else:
        checks = [
            SchemaCheck(standard, sub, positions),
            RulesCheck(standard, sub, positions, borough=borough, period=period,
                       metadata=metadata),
            PrivacyCheck(standard, sub, positions),
            DisclosureCheck(standard, sub, positions),
        ]  # fmt: skip
        data_rows = 0
        for chunk in table.chunks:
            rows += len(chunk)
            chunk = _drop_blank_rows(chunk, len(table.header), collector)
            _trailing_data(chunk, trailing, collector)
            data_rows += len(chunk)
            if len(chunk):
                for check in checks:
                    check.check(chunk, collector)
            if progress:
                progress(rows)
        ragged = _report_issues(table, collector)
        rows += ragged
        if data_rows + ragged == 0:
            collector.add("no-data-rows")
        elif data_rows:
            for check in checks:
                finish = getattr(check, "finish", None)
                if finish:
                    finish(collector)
    for note in table.notes:  # complete only once the chunks are read
        code = note.code if note.code in CATALOGUE else "reader-note"
        collector.add(code, rows=note.rows or None, message=note.message)
    findings = collector.findings()
    errors = sum(f.count for f in findings if f.severity == "error")
    warnings = sum(f.count for f in findings if f.severity == "warning")
    from . import __version__

    return Report(
        valid=errors == 0,
        type=kind,
        type_inferred=inferred,
        standard_version=standard.version,
        validator_version=__version__,
        summary={
            "rows": rows,
            "errors": errors,
            "warnings": warnings,
            "truncated": collector.dropped or any(f.truncated for f in findings),
        },
        findings=findings,
        source=table.name or _source_name(source),
        format=table.format,
        sheet=table.sheet,
    )


def _report_issues(table: Table, collector: Collector) -> int:
    """Ragged and blank rows the reader set aside; returns how many rows were ragged."""
    ragged = 0
    for issue in table.issues:
        if issue.kind == "blank":
            collector.add("blank-row", rows=[issue.row])
        else:
            ragged += 1
            collector.add(
                "ragged-row", rows=[issue.row], expected=issue.expected, actual=issue.actual
            )
    return ragged


def _source_name(source: Any) -> str | None:
    if isinstance(source, str | os.PathLike):
        return os.path.basename(os.fspath(source))
    return None


def _drop_blank_rows(chunk: Chunk, width: int, collector: Collector) -> Chunk:
    blank = np.ones(len(chunk), dtype=bool)
    for i in range(width):
        blank &= pc.fill_null(pc.equal(chunk.column(i), ""), False).to_numpy(zero_copy_only=False)
        if not blank.any():
            return chunk
    collector.add("blank-row", rows=chunk.rows[blank])
    keep = pa.array(~blank)
    return Chunk(
        rows=chunk.rows[~blank], arrays=[chunk.column(i).filter(keep) for i in range(width)]
    )


def _trailing_data(chunk: Chunk, trailing: list[int], collector: Collector) -> None:
    for i in trailing:
        filled = ~pc.fill_null(pc.equal(chunk.column(i), ""), True).to_numpy(zero_copy_only=False)
        if filled.any():
            collector.add(
                "blank-header", column=i, rows=chunk.rows[filled][:1], letter=column_letter(i)
            )
