"""The loaded standard is cached in one file, used only while the standard's files are unchanged.

Each case works on its own copy of the standard, so the cache written beside it is the test's own.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from validator import standard, standard_cache


@pytest.fixture
def copy(tmp_path, monkeypatch) -> Path:
    """A copy of the current standard (not its archive), with no cache beside it yet."""
    root = tmp_path / "standard"
    shutil.copytree(
        standard.standard_root(), root, ignore=shutil.ignore_patterns("archive", "__pycache__")
    )
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    return root


def caches(root: Path) -> list[Path]:
    return sorted((root / standard_cache.FOLDER).glob("*.marshal"))


def test_the_second_load_reads_the_cache_and_gives_the_same_standard(copy, monkeypatch):
    first = standard._load(copy)
    assert len(caches(copy)) == 1

    def no_file_reads(path):
        raise AssertionError(f"read {path} although the cache is current")

    monkeypatch.setattr(standard, "_read_json", no_file_reads)
    monkeypatch.setattr(standard, "_read_csv", no_file_reads)
    assert standard._load(copy) == first


def test_a_changed_code_list_is_seen_at_the_next_load(copy):
    standard._load(copy)
    path = copy / "codelists" / "boroughs.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows[0]["name"] = "A renamed borough"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)

    reloaded = standard._load(copy)
    assert reloaded.codelists["boroughs"].codes[rows[0]["code"]].label == "A renamed borough"


def test_a_damaged_cache_is_ignored_and_rewritten(copy):
    expected = standard._load(copy)
    (cache,) = caches(copy)
    cache.write_bytes(cache.read_bytes()[:100])

    assert standard._load(copy) == expected
    assert cache.stat().st_size > 100


def test_where_nothing_can_be_written_beside_the_standard_the_users_cache_folder_is_used(
    copy, tmp_path
):
    (copy / standard_cache.FOLDER).write_text("a file where the cache folder would be")
    expected = standard._load(copy)

    assert list((tmp_path / "user-cache" / "lsids").glob("*.marshal"))
    assert standard._load(copy) == expected
