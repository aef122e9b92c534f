"""Validate an untrusted upload in a forked child process with CPU, memory and time limits.

A hostile workbook can make a parser allocate without bound or spin; in a child that costs the
uploader a message, never a gunicorn worker. The child is forked from the worker, which has the
validator imported already, so a check starts at once; it sets RLIMIT_CPU and RLIMIT_AS on
itself before touching the file, and the parent kills it when the wall-clock time runs out.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import tempfile
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from validator import InputError, annotate, validate  # loaded here, so every forked child has them

# The suffixes the validator reads by name; anything else is sniffed from the content.
KNOWN_SUFFIXES = {".csv", ".xlsx", ".xlsm", ".txt", ".ods", ".xls"}
_FORK = multiprocessing.get_context("fork")


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
        output = Path(tmp) / "annotated.xlsx" if annotated else None
        receiver, sender = _FORK.Pipe(duplex=False)
        child = _FORK.Process(
            target=_child, args=(sender, str(source), options, output, seconds, memory_mb)
        )
        child.start()
        sender.close()
        try:
            answer = receiver.recv() if receiver.poll(seconds + 5) else None
        except (EOFError, OSError):  # the child died: out of memory or CPU time
            answer = None
        finally:
            receiver.close()
            child.join(timeout=1)
            if child.is_alive():
                child.kill()
                child.join()
        if not isinstance(answer, dict):
            return Outcome(input_error=too_costly())
        if output is not None and answer.get("annotated"):
            return Outcome(annotated=output.read_bytes())
        return Outcome(report=answer.get("report"), input_error=answer.get("input_error"))


def _limit(seconds: int, memory_mb: int) -> None:
    """Cap this process's CPU time and its address space at what it has now plus ``memory_mb``."""
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))
    now = _address_space()
    limit = now + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _address_space() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _child(
    sender: Connection,
    source: str,
    options: dict[str, Any],
    output: Path | None,
    seconds: int,
    memory_mb: int,
) -> None:
    """The child's whole life: limits, then one answer down the pipe, then exit without cleanup."""
    code = 0
    try:
        _limit(seconds, memory_mb)
        sender.send(_answer(source, options, output))
    except MemoryError:
        code = 3
    finally:
        sender.close()
        os._exit(code)  # never run the worker's exit handlers or flush its buffers twice


def _answer(source: str, options: dict[str, Any], output: Path | None) -> dict[str, Any]:
    try:
        if output is not None:
            annotate(source, str(output), **options)
            return {"annotated": True}
        return {"report": validate(source, **options).to_dict()}
    except InputError as exc:
        return {"input_error": {"code": exc.code, "message": exc.message, "hint": exc.hint or ""}}


def too_costly() -> dict[str, str]:
    """The input problem for a file the child could not finish within its limits."""
    return {
        "code": "too-costly",
        "message": "The file could not be checked: it needed more time or memory than any return "
        "should.",
        "hint": "You need to save the return again from the template as a plain CSV or XLSX, with "
        "only the return's own sheet and columns, then upload it again.",
    }
