"""Validate one file with one tool in this process and print time, peak memory and findings as JSON.

Run by ``bench/run.py`` in a fresh process per measurement, so each tool's peak memory is its own.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

# Our grouping and Frictionless's error types, mapped to one vocabulary for comparing findings.
FRICTIONLESS_TO_OURS = {
    "type-error": "type-error",
    "constraint-error": "constraint",
    "foreign-key": "not-in-codelist",
    "primary-key": "duplicate-key",
    "unique-error": "duplicate-key",
}
OURS_SCHEMA = {
    "type-error": "type-error",
    "required-missing": "constraint",
    "pattern-mismatch": "constraint",
    "out-of-range": "constraint",
    "too-long": "constraint",
    "not-in-codelist": "not-in-codelist",
    "duplicate-key": "duplicate-key",
}


def run_lsids(path: Path, submission_type: str) -> tuple[bool, set[tuple[int, str]]]:
    from validator import validate

    report = validate(path, type=submission_type)
    cells = set()
    for finding in report.findings:
        if finding.code in OURS_SCHEMA:
            for row in finding.rows or [finding.row]:
                cells.add((row, finding.field))
    return report.valid, cells


def run_frictionless(path: Path, submission_type: str) -> tuple[bool, set[tuple[int, str]]]:
    from validator.stock import stock_validate

    report = stock_validate(path, submission_type)
    cells = set()
    for task in report.tasks:
        for error in task.errors:
            if error.type in FRICTIONLESS_TO_OURS:
                field = getattr(error, "field_name", None) or ",".join(
                    getattr(error, "field_names", []) or []
                )
                cells.add((getattr(error, "row_number", None), field))
    return report.valid, cells


def main() -> None:
    tool, path, submission_type = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    runner = {"lsids": run_lsids, "frictionless": run_frictionless}[tool]
    if tool == "lsids":
        import validator  # noqa: F401  (imports are not part of the timed work)
    else:
        import frictionless  # noqa: F401
    start = time.perf_counter()
    valid, cells = runner(path, submission_type)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = {
        "tool": tool,
        "seconds": seconds,
        "peak_mb": peak_mb,
        "valid": valid,
        "error_cells": sorted([list(c) for c in cells], key=str),
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
