"""Examples are tests: every valid example is clean; every invalid one raises exactly its codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from validator import validate

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
VALID = sorted((EXAMPLES / "valid").glob("*.csv"))
INVALID = sorted(p for p in (EXAMPLES / "invalid").glob("*") if (p / "expected.json").is_file())


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_examples_have_no_findings(path):
    report = validate(path)
    assert report.valid and report.findings == [], report.findings


@pytest.mark.parametrize("case", INVALID, ids=lambda p: p.name)
def test_invalid_examples_raise_exactly_their_codes(case):
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    [data] = [p for p in case.iterdir() if p.name != "expected.json"]
    options = {k: v for k, v in expected.get("options", {}).items() if v}
    report = validate(data, type=expected["type"], **options)
    assert sorted({f.code for f in report.findings}) == sorted(expected["codes"])
    blocking = any(f.severity == "error" for f in report.findings)
    assert report.valid is not blocking


def test_there_are_examples():
    assert len(VALID) >= 3 and len(INVALID) >= 10
