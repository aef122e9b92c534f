"""Examples are tests: every valid example is clean and every invalid one raises exactly its codes;
they agree with stock Frictionless and are up to date with their script."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

from validator import validate
from validator.stock import stock_validate

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
VALID = sorted((EXAMPLES / "valid").glob("*.csv"))
CASES = sorted(p for p in (EXAMPLES / "invalid").iterdir() if p.is_dir())
CODE = re.compile(r"^[a-z]+(-[a-z]+)*$")


def _type_of(path: Path) -> str:
    return path.name.split("_")[0]


def _problems(report) -> list:
    return report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_there_are_valid_examples_of_both_types_from_three_boroughs():
    assert {_type_of(p) for p in VALID} == {"resident-survey", "service-data"}
    for kind in ("resident-survey", "service-data"):
        assert len({p.name.split("_")[1] for p in VALID if _type_of(p) == kind}) >= 3


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_stock_frictionless_finds_every_valid_example_valid(path):
    report = stock_validate(path, _type_of(path))
    assert report.valid, _problems(report)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_invalid_case_fails_stock_frictionless_exactly_when_it_breaks_a_schema_rule(case):
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    (data,) = [p for p in case.iterdir() if p.suffix == ".csv"]
    assert _type_of(data) == expected["type"]
    report = stock_validate(data, expected["type"])
    assert report.valid is not expected["schema_rule"], _problems(report)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_every_case_declares_its_codes_and_options(case):
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    assert set(expected) == {"type", "description", "codes", "schema_rule", "options"}
    assert expected["codes"] and all(CODE.match(code) for code in expected["codes"])
    assert expected["description"].strip()
    assert set(expected["options"]) == {"borough", "period"}


def test_the_cases_the_standard_issue_asks_for_are_all_there():
    codes = {
        code
        for case in CASES
        for code in json.loads((case / "expected.json").read_text(encoding="utf-8"))["codes"]
    }
    assert codes >= {
        "not-in-codelist",
        "type-error",
        "out-of-range",
        "duplicate-key",
        "required-missing",
        "missing-column",
        "unknown-column",
        "period-invalid",
        "date-outside-period",
        "routed-answer",
        "personal-email",
        "numerator-exceeds-denominator",
        "measure-not-service",
        "parts-do-not-add-up",
        "breakdown-not-allowed",
        "borough-mismatch",
        "small-count",
    }


def test_example_files_are_up_to_date_with_make_examples(tmp_path):
    spec = importlib.util.spec_from_file_location("make_examples", EXAMPLES / "make_examples.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_examples", module)  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    module.make_examples(tmp_path)
    fresh = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    committed = {
        p.relative_to(EXAMPLES): p.read_bytes()
        for sub in ("valid", "invalid")
        for p in (EXAMPLES / sub).rglob("*")
        if p.is_file()
    }
    every = fresh.keys() | committed.keys()
    stale = sorted(str(p) for p in every if fresh.get(p) != committed.get(p))
    assert not stale, f"run `python examples/make_examples.py` and read the diff: {stale}"


# --- every valid example is clean; every invalid one raises exactly its codes ---------------------


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
