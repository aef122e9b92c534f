"""Uploaded files are kept once under their SHA-256 and appear only when complete."""

from __future__ import annotations

import hashlib
import os

import pytest

from portal import store


@pytest.mark.parametrize("unnamed", [True, False], ids=["O_TMPFILE", "temporary name"])
def test_the_same_bytes_are_kept_once_under_their_hash(tmp_path, monkeypatch, unnamed):
    if not unnamed:
        monkeypatch.delattr(os, "O_TMPFILE", raising=False)
    data = b"respondent_id,borough\nR1,E09000001\n"
    sha = store.save(tmp_path, data)
    assert sha == hashlib.sha256(data).hexdigest()
    assert store.save(tmp_path, data) == sha
    kept = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert kept == [tmp_path / sha[:2] / sha]  # no temporary file left beside it
    assert store.read(tmp_path, sha) == data
