"""Validate an untrusted upload in a child process with CPU, memory and time limits.

A hostile workbook can make a parser allocate without bound or spin; in a child process that costs
the uploader a message, never a gunicorn worker. The child runs ``portal.check_child`` and answers
with one JSON object on standard output.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The suffixes the validator reads by name; anything else is sniffed from the content.
KNOWN_SUFFIXES = {".csv", ".xlsx", ".xlsm", ".txt"}


@dataclass
class Outcome:
    """What checking an upload gave: a report (as a dict) or an input problem, never both."""

    report: dict[str, Any] | None = None
    input_error: dict[str, str] | None = None
    annotated: bytes | None = None

    @property
    def valid(self) -> bool:
        return bool(self.report and self.report["valid"])


def safe_name(user_file_name: str) -> str:
    """A file name of our own choosing that keeps only a known suffix from the user's name."""
    suffix = Path(user_file_name).suffix.lower()
    return "upload" + (suffix if suffix in KNOWN_SUFFIXES else "")


def check(
    data: bytes,
    user_file_name: str,
    options: dict[str, Any],
    *,
    seconds: int,
    memory_mb: int,
    annotated: bool = False,
) -> Outcome:
    """Run ``validate`` (or with ``annotated``, ``annotate``) on ``data`` in a limited child."""
    with tempfile.TemporaryDirectory(prefix="lsids-check-") as tmp:
        source = Path(tmp) / safe_name(user_file_name)
        source.write_bytes(data)
        output = Path(tmp) / "annotated.xlsx"
        request = {
            "source": str(source),
            "options": options,
            "annotated": str(output) if annotated else None,
            "seconds": seconds,
            "memory_mb": memory_mb,
        }
        try:
            done = subprocess.run(
                [sys.executable, "-m", "portal.check_child"],
                input=json.dumps(request).encode(),
                capture_output=True,
                timeout=seconds + 15,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return Outcome(input_error=too_costly())
        try:
            answer = json.loads(done.stdout.decode() or "null")
        except ValueError:
            answer = None
        if not isinstance(answer, dict) or done.returncode != 0:
            return Outcome(input_error=too_costly())
        if answer.get("annotated"):
            return Outcome(annotated=output.read_bytes())
        return Outcome(report=answer.get("report"), input_error=answer.get("input_error"))


def too_costly() -> dict[str, str]:
    """The input problem for a file the child could not finish within its limits."""
    return {
        "code": "too-costly",
        "message": "The file could not be checked: it needed more time or memory than any return "
        "should.",
        "hint": "You need to save the return again from the template as a plain CSV or XLSX, with "
        "only the return's own sheet and columns, then upload it again.",
    }
