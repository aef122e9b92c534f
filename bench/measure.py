"""Validate one file with one tool and print its time, peak memory and findings as JSON.

Run by ``bench/run.py`` in a fresh process per measurement, so each tool's peak memory is its own:

    python bench/measure.py lsids FILE TYPE          # validator.validate() in this process
    python bench/measure.py lsids-cli FILE TYPE      # `lsids validate`, start-up included
    python bench/measure.py frictionless FILE TYPE   # stock Frictionless, no error limit

Findings are compared as (row, field, kind) "error cells": kind is type-error, constraint,
not-in-codelist or duplicate-key. Two deliberate differences (see validator/checks/cells.py) are
normalised: a key that is both unique and the primary key is one finding, not two; a blank key
is only a required cell, not also a primary-key error.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

OURS = {
    "type-error": "type-error",
    "required-missing": "constraint",
    "pattern-mismatch": "constraint",
    "out-of-range": "constraint",
    "too-long": "constraint",
    "too-short": "constraint",
    "not-in-codelist": "not-in-codelist",
    "duplicate-key": "duplicate-key",
}
THEIRS = {
    "type-error": "type-error",
    "constraint-error": "constraint",
    "foreign-key": "not-in-codelist",
    "unique-error": "duplicate-key",
    "primary-key": "duplicate-key",
}


def run_lsids(path: Path, submission_type: str) -> tuple[bool, set[tuple]]:
    from validator import validate

    report = validate(path, type=submission_type, all_rows=True)  # every row, not the first 100
    cells = set()
    for finding in report.findings:
        if finding.code in OURS:
            for row in finding.rows or [finding.row]:
                cells.add((row, finding.field, OURS[finding.code]))
    return report.valid, cells


def run_lsids_cli(path: Path, submission_type: str) -> tuple[bool, set[tuple]]:
    """The command end to end: a new process, imports, reading, checking, JSON on stdout."""
    lsids = Path(sys.executable).with_name("lsids")
    done = subprocess.run(
        [str(lsids), "validate", str(path), "--type", submission_type, "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode not in (0, 1):
        raise SystemExit(f"lsids failed ({done.returncode}): {done.stderr}")
    return done.returncode == 0, set()  # the JSON lists the first 100 rows only: not compared


def run_frictionless(path: Path, submission_type: str) -> tuple[bool, set[tuple]]:
    from validator.standard import load_standard
    from validator.stock import stock_validate

    key = ",".join(load_standard().submission_types[submission_type].primary_key)
    report = stock_validate(path, submission_type)
    cells = set()
    for task in report.tasks:
        for error in task.errors:
            kind = THEIRS.get(error.type)
            if kind is None:
                continue
            if error.type == "primary-key":
                if "None" in error.note:  # a blank key: we report the required cell only
                    continue
                field = key
            else:
                field = getattr(error, "field_name", None) or ",".join(error.field_names)
            cells.add((error.row_number, field, kind))
    return report.valid, cells


def main() -> None:
    tool, path, submission_type = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    runner = {"lsids": run_lsids, "lsids-cli": run_lsids_cli, "frictionless": run_frictionless}
    if tool == "lsids":
        import validator  # noqa: F401  (imports are not part of the timed work)
    elif tool == "frictionless":
        import frictionless  # noqa: F401
    start = time.perf_counter()
    valid, cells = runner[tool](path, submission_type)
    seconds = time.perf_counter() - start
    who = resource.RUSAGE_CHILDREN if tool == "lsids-cli" else resource.RUSAGE_SELF
    out = {
        "tool": tool,
        "seconds": seconds,
        "peak_mb": resource.getrusage(who).ru_maxrss / 1024,
        "valid": valid,
        "error_cells": sorted([list(c) for c in cells], key=str),
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
