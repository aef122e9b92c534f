"""Disclosure: figures too small to publish are warnings, and the return stays valid."""

from __future__ import annotations

from validator.standard import load_standard
from validator.synthetic import generate_service

BOROUGH, PERIOD = "E09000030", "2025-26"  # as in conftest.py's small returns


def test_disclosure_warnings(check, survey):
    report = check(survey(rows=20))
    low = [f for f in report.findings if f.code == "low-base"]
    assert low and all(f.severity == "warning" for f in low) and report.valid
    frame = generate_service(BOROUGH, PERIOD, seed=5, small_counts=True)
    small = [f for f in check(frame).findings if f.code == "small-count"]
    assert all(f.severity == "warning" for f in small)


def test_small_count_on_a_service_row(check, service):
    standard = load_standard()
    frame = service()
    row = frame.index[frame["denominator"] == ""][0]  # a count measure
    threshold = standard.measures[frame.loc[row, "measure"]].small_count_threshold
    frame.loc[row, "numerator"] = str(threshold - 1)
    findings = [f for f in check(frame).findings if f.code == "small-count"]
    assert [f.rows for f in findings if row + 2 in f.rows]
