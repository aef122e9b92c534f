"""Differential test: on every Table Schema rule our verdict equals stock Frictionless's.

Generated returns get many faults of every kind injected at random cells (fixed seeds); both
validators read the same file, and the sets of (row, field, finding) must be equal. Frictionless's
error types map to ours: ``type-error`` → type-error; ``constraint-error`` → by its constraint
(required → required-missing, pattern → pattern-mismatch, minimum/maximum/exclusive… →
out-of-range, maxLength → too-long); ``foreign-key`` → not-in-codelist; ``unique-error`` and
``primary-key`` → duplicate-key.

Deliberate differences, normalised here and documented in ``validator/checks/schema.py`` and the
catalogue: a key that is both unique and the primary key is one duplicate-key, not two; a blank
key cell is only required-missing (Frictionless adds a primary-key error "all cells None").
"""

from __future__ import annotations

import csv
import re

import numpy as np
import pandas as pd
import pytest

from validator import validate
from validator.report import collector as collector_module
from validator.standard import load_standard
from validator.stock import stock_validate
from validator.synthetic import generate_service, generate_survey

SCHEMA_CODES = {
    "type-error",
    "required-missing",
    "not-in-codelist",
    "pattern-mismatch",
    "out-of-range",
    "too-long",
    "too-short",
    "duplicate-key",
}
CONSTRAINT_CODES = {
    "required": "required-missing",
    "pattern": "pattern-mismatch",
    "minimum": "out-of-range",
    "maximum": "out-of-range",
    "exclusiveMinimum": "out-of-range",
    "exclusiveMaximum": "out-of-range",
    "maxLength": "too-long",
    "minLength": "too-short",
    "enum": "not-in-codelist",
}
# Values that test each parser's edges, by field type (see reference/frictionless-behaviour.md).
ANY = ["", " ", "xyz", "NULL", "N/A", "<b>x</b>", "=1+1", "'quoted'", "a\nb"]
BY_TYPE = {
    "string": ["Strongly agree", " yes", "YES", "yes ", "Tower Hamlets", "e09000030", "x" * 70],
    "integer": [" 3 ", "+3", "3.0", "4.5", "1_0", "٣", "-1", "0", "-0", "1e3", "1,000", "007",
                "99999999999999999999", "NaN", "Infinity"],
    "number": ["0", "0.0", "-1", "-0", " 3 ", "+3", "1_0", "٣", "NaN", "Infinity", "-inf", "1e3",
               "1.", ".5", "1,5", "0.00000000000000000001", "1e-400", "abc", "00.5", "-0.0"],
    "date": ["01/04/2025", "2025-02-30", "2025-6-1", " 2025-06-01", "2025-06-01 ", "0000-01-01",
             "2025-13-01", "٢٠٢٥-٠٦-٠١", "2025-06-01T10:00", "20250601", "2024-02-29",
             "2023-02-29", "2025-06- 1"],
}  # fmt: skip
BY_FIELD = {
    "period": ["2025/26", "2025-27", "25-26", "2025-2026", "2025-26 "],
    "respondent_id": ["bad id!", "-abc", "x" * 65, "x" * 64, "ab_c-1"],
    "notes": ["x" * 1000, "x" * 1001, "é" * 1001],
    "breakdown": ["agegroup", "total", "sex", "Sex"],
    "breakdown_value": ["male", "25-34", "total", "Total", "unknown"],
}


def _inject(frame: pd.DataFrame, sub, rng: np.random.Generator, faults: int) -> pd.DataFrame:
    frame = frame.copy()
    names = list(frame.columns)
    coded = {f for fk in sub.foreign_keys for f in fk.fields}
    typed = [f.name for f in sub.fields if f.name not in coded or f.constraints]
    for _ in range(faults):
        row = int(rng.integers(len(frame)))
        pool = typed if rng.random() < 0.6 else names  # most faults where parsers differ
        name = pool[int(rng.integers(len(pool)))]
        kind = sub.field(name).type
        choices = ANY + BY_TYPE.get(kind, []) + BY_FIELD.get(name, [])
        if rng.random() < 0.1:  # a duplicated key: copy another row's key cells
            other = int(rng.integers(len(frame)))
            for key in sub.primary_key:
                frame.iat[row, names.index(key)] = frame.iat[other, names.index(key)]
            continue
        frame.iat[row, names.index(name)] = choices[int(rng.integers(len(choices)))]
    blank = (frame == "").all(axis=1)
    frame.loc[blank, names[-1]] = "x"  # a blank row is structure, not schema: keep none
    return frame


def _write(frame: pd.DataFrame, path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(frame.columns)
        writer.writerows(frame.itertuples(index=False, name=None))


def _ours(path, kind: str, sub) -> set[tuple]:
    report = validate(path, type=kind)
    fk_of = {f: fk.fields for fk in sub.foreign_keys for f in fk.fields}
    found = set()
    for f in report.findings:
        if f.code not in SCHEMA_CODES:
            continue
        assert not f.truncated
        if f.code == "not-in-codelist":
            where = fk_of[f.field]
        elif f.code == "duplicate-key":
            where = (f.field,) if f.field else tuple(sub.primary_key)
        else:
            where = (f.field,)
        found |= {(row, where, f.code) for row in f.rows}
    return found


def _stock(path, kind: str, sub) -> set[tuple]:
    report = stock_validate(path, kind)
    unique = {f.name for f in sub.fields if f.constraints.get("unique")}
    found = set()
    for task in report.tasks:
        for e in task.errors:
            if e.type == "type-error":
                found.add((e.row_number, (e.field_name,), "type-error"))
            elif e.type == "constraint-error":
                name = re.match(r'constraint "(\w+)"', e.note).group(1)
                found.add((e.row_number, (e.field_name,), CONSTRAINT_CODES[name]))
            elif e.type == "foreign-key":
                found.add((e.row_number, tuple(e.field_names), "not-in-codelist"))
            elif e.type == "unique-error":
                found.add((e.row_number, (e.field_name,), "duplicate-key"))
            elif e.type == "primary-key":
                if "None" in e.note:  # deliberate: a blank key is only required-missing
                    continue
                if len(sub.primary_key) == 1 and sub.primary_key[0] in unique:
                    continue  # deliberate: one duplicate-key, not unique + primary-key
                found.add((e.row_number, tuple(sub.primary_key), "duplicate-key"))
            else:
                raise AssertionError(f"unexpected Frictionless error {e.type}: {e.message}")
    return found


@pytest.fixture(autouse=True)
def _all_rows(monkeypatch):
    monkeypatch.setattr(collector_module, "MAX_ROWS", 10**9)  # compare every row, not the first 100


@pytest.mark.parametrize("seed", range(4))
def test_survey_schema_findings_equal_frictionless(tmp_path, seed):
    sub = load_standard().submission_types["resident-survey"]
    rng = np.random.default_rng(seed)
    frame = _inject(generate_survey("E09000030", "2025-26", 1500, seed=seed), sub, rng, 700)
    path = tmp_path / "survey.csv"
    _write(frame, path)
    ours, stock = _ours(path, "resident-survey", sub), _stock(path, "resident-survey", sub)
    assert len(stock) > 300  # the faults really were injected
    assert ours == stock, {
        "only ours": sorted(ours - stock)[:10],
        "only stock": sorted(stock - ours)[:10],
    }


@pytest.mark.parametrize("seed", range(4))
def test_service_schema_findings_equal_frictionless(tmp_path, seed):
    sub = load_standard().submission_types["service-data"]
    rng = np.random.default_rng(100 + seed)
    parts = [generate_service(code, "2025-26", seed=seed) for code in ("E09000001", "E09000030")]
    frame = _inject(pd.concat(parts, ignore_index=True), sub, rng, 60)
    path = tmp_path / "service.csv"
    _write(frame, path)
    ours, stock = _ours(path, "service-data", sub), _stock(path, "service-data", sub)
    assert len(stock) > 20
    assert ours == stock, {
        "only ours": sorted(ours - stock)[:10],
        "only stock": sorted(stock - ours)[:10],
    }


def test_clean_returns_are_valid_for_both(tmp_path):
    for kind, frame in (
        ("resident-survey", generate_survey("E09000005", "2025-26", 300, seed=7)),
        ("service-data", generate_service("E09000005", "2025-26", seed=7)),
    ):
        path = tmp_path / f"{kind}.csv"
        _write(frame, path)
        assert stock_validate(path, kind).valid
        report = validate(path, type=kind)
        assert not [f for f in report.findings if f.code in SCHEMA_CODES]
