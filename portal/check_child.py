"""The child side of ``portal.checking``: set limits, validate, print one JSON answer.

Run as ``python -m portal.check_child`` with a JSON request on standard input. Limits are set
before the validator (and pandas, openpyxl) are imported, so nothing runs without them.
"""

from __future__ import annotations

import json
import resource
import sys
from typing import Any


def limit(seconds: int, memory_mb: int) -> None:
    """Cap this process's CPU time and address space."""
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


def answer(request: dict[str, Any]) -> dict[str, Any]:
    """Validate the request's source with its options through the validator's public API."""
    from validator import InputError, annotate, validate

    try:
        if request.get("annotated"):
            annotate(request["source"], request["annotated"], **request["options"])
            return {"annotated": request["annotated"]}
        report = validate(request["source"], **request["options"])
    except InputError as exc:
        return {"input_error": {"code": exc.code, "message": exc.message, "hint": exc.hint or ""}}
    return {"report": report.to_dict()}


def main() -> int:
    request = json.loads(sys.stdin.read())
    limit(int(request["seconds"]), int(request["memory_mb"]))
    try:
        result = answer(request)
    except MemoryError:
        return 3
    sys.stdout.write(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
