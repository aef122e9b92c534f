"""Repeated keys are found exactly however the return is cut into chunks.

The uniqueness check keeps only 64-bit hashes of the keys it has seen; a key whose hash matches
an earlier chunk's is confirmed by reading the return again. These tests cut small returns into
small chunks so that repeats straddle chunk boundaries, and force hash collisions (by keeping
only a few bits of each hash) to show that a shared hash never becomes a false duplicate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from validator import validate
from validator.checks.keys import UniqueKey, hash_text
from validator.readers import table as readers_table
from validator.stock import stock_validate
from validator.synthetic import generate_survey

BOROUGH, PERIOD = "E09000030", "2025-26"


def _run_in_chunks(keys: list[str], size: int, bits: int = 64) -> list[int]:
    """Feed ``keys`` to a UniqueKey ``size`` at a time; the repeated rows (first row is 2)."""
    unique = UniqueKey(bits=bits)
    present = np.array([k != "" for k in keys])
    rows = np.arange(2, len(keys) + 2)
    parts = [slice(a, a + size) for a in range(0, len(keys), size)]
    for part in parts:
        unique.add(pa.array(keys[part]), present[part], rows[part])
    if unique.suspects:  # the second read
        for part in parts:
            unique.recheck(pa.array(keys[part]), present[part], rows[part])
        unique.confirm()
    repeated, first = unique.repeats()
    assert first == (keys[repeated[0] - 2] if len(repeated) else None)
    return repeated.tolist()


def _expected(keys: list[str]) -> list[int]:
    seen: set[str] = set()
    repeated = []
    for row, key in enumerate(keys, start=2):
        if key and key in seen:
            repeated.append(row)
        seen.add(key)
    return repeated


def test_a_key_repeated_in_a_later_chunk_is_found_at_every_later_row():
    keys = [f"R{i:03d}" for i in range(40)]
    keys[9] = keys[3]  # same chunk of 7
    keys[7] = keys[6]  # across the boundary between rows 8 and 9
    keys[33] = keys[1]  # four chunks later
    keys[38] = keys[1]  # and again
    keys[20] = keys[21] = ""  # blank keys are required-missing, never duplicates
    assert _run_in_chunks(keys, size=7) == [9, 11, 35, 40]


@pytest.mark.parametrize("size", [1, 3, 7, 64])
@pytest.mark.parametrize("bits", [64, 4, 1])
def test_repeats_are_exact_whatever_the_chunks_and_however_often_hashes_are_shared(size, bits):
    rng = np.random.default_rng(size * 100 + bits)
    keys = [f"id-{k}" if k % 11 else "" for k in rng.integers(0, 150, 300)]
    assert _run_in_chunks(keys, size=size, bits=bits) == _expected(keys)


def test_keys_that_only_share_a_hash_are_not_duplicates():
    keys = [f"distinct-{i}" for i in range(200)]  # with 2 bits of hash, nearly all collide
    assert _run_in_chunks(keys, size=9, bits=2) == []


def test_long_keys_and_non_ascii_keys_are_compared_exactly():
    long = "x" * 70
    keys = [long, long + "y", "Zoë", "Zoe", long, "Zoë", "é" * 40, "é" * 40]
    assert _run_in_chunks(keys, size=3) == [6, 7, 9]


def test_the_hash_depends_only_on_the_text():
    text = pa.array(["a", "ab", "ab\x00", "", "R000123", "x" * 100, "é"])
    hashes = hash_text(text)
    assert len(set(hashes.tolist())) == len(text)
    assert (hash_text(text.slice(2, 4)) == hashes[2:6]).all()
    assert (hash_text(pa.chunked_array([text.slice(0, 3), text.slice(3)])) == hashes).all()
    assert (hash_text(text.cast(pa.large_string())) == hashes).all()


# The whole validator, with chunks of 50 rows ------------------------------------------------


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(readers_table, "CHUNK_ROWS", 50)


def _survey_with_repeats() -> tuple[pd.DataFrame, list[int]]:
    frame = generate_survey(BOROUGH, PERIOD, 400, seed=3)
    for later, earlier in ((60, 10), (61, 59), (120, 10), (399, 200), (250, 249)):
        frame.loc[later, "respondent_id"] = frame.loc[earlier, "respondent_id"]
    return frame, [62, 63, 122, 252, 401]  # spreadsheet rows: data row i is row i + 2


def _repeated_rows(report) -> list[int]:
    [finding] = [f for f in report.findings if f.code == "duplicate-key"]
    assert finding.count == len(finding.rows)
    return finding.rows


def test_repeats_across_chunks_are_reported_for_a_path_a_stream_and_a_dataframe(
    tmp_path, small_chunks, forward_only
):
    frame, expected = _survey_with_repeats()
    path = tmp_path / "survey.csv"
    frame.to_csv(path, index=False)
    seen = []
    by_path = validate(path, type="resident-survey", progress=seen.append)
    assert _repeated_rows(by_path) == expected
    assert seen == [50, 100, 150, 200, 250, 300, 350, 400]  # progress after every chunk
    by_stream = validate(forward_only(path.read_bytes()), type="resident-survey")
    assert _repeated_rows(by_stream) == expected
    by_frame = validate(frame, type="resident-survey")
    assert _repeated_rows(by_frame) == expected


def test_chunk_size_never_changes_the_report(tmp_path, monkeypatch):
    frame, _ = _survey_with_repeats()
    frame.loc[5, "sex"] = "Female"
    frame.loc[70, "weight"] = "-1"
    frame.loc[130, "interview_date"] = "31/12/2025"
    frame.loc[300, "respondent_id"] = ""
    path = tmp_path / "survey.csv"
    frame.to_csv(path, index=False)
    whole = validate(path, type="resident-survey", all_rows=True).to_dict()
    for size in (7, 37, 50):
        monkeypatch.setattr(readers_table, "CHUNK_ROWS", size)
        assert validate(path, type="resident-survey", all_rows=True).to_dict() == whole


def test_a_clean_return_cut_into_chunks_has_no_repeats(tmp_path, small_chunks):
    path = tmp_path / "survey.csv"
    generate_survey(BOROUGH, PERIOD, 300, seed=4).to_csv(path, index=False)
    report = validate(path, type="resident-survey")
    assert "duplicate-key" not in report.codes
    assert report.summary["rows"] == 300


def test_repeats_across_chunks_are_the_rows_stock_frictionless_reports(tmp_path, small_chunks):
    frame, expected = _survey_with_repeats()
    path = tmp_path / "survey.csv"
    frame.to_csv(path, index=False)
    stock = stock_validate(path, "resident-survey")
    repeated = {e.row_number for e in stock.tasks[0].errors if e.type == "unique-error"}
    assert sorted(repeated) == expected
    assert _repeated_rows(validate(path, type="resident-survey")) == expected
