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


def test_a_sweep_removes_only_files_no_submission_points_at(tmp_path):
    """What a worker killed between naming a file and committing its row leaves is swept away;
    a file a submission points at, and one shared by two submissions, stay."""
    from portal import db, intake

    files = tmp_path / "files"
    conn = db.connect(tmp_path / "portal.sqlite3")
    db.migrate(conn)
    user = db.create_user(conn, "officer@example.gov.uk", "hash", "officer", "E09000001")
    round_id = db.create_round(
        conn,
        {"name": "R", "period": "2025-26", "types": ["service-data"], "standard_version": "1.0.0",
         "opens_on": "2025-04-01", "closes_on": "2026-03-31"},
        user,
    )  # fmt: skip
    kept = store.save(files, b"kept")
    for _ in range(2):
        db.add_submission(
            conn,
            {"round_id": round_id, "borough": "E09000001", "type": "service-data",
             "status": "rejected", "sha256": kept, "filename": "a.csv", "size": 4,
             "uploaded_by": user, "validator_version": "x", "standard_version": "1.0.0",
             "report": None, "input_error": None},
        )  # fmt: skip
    orphan = store.save(files, b"orphan")
    leftover = files / kept[:2] / ".incoming-abc"
    leftover.write_bytes(b"half")

    assert sorted(intake.sweep(conn, str(files))) == sorted([orphan, leftover.name])
    assert [p.name for p in files.rglob("*") if p.is_file()] == [kept]
    assert intake.sweep(conn, str(files)) == []


def test_the_sweep_command_the_master_starts_removes_an_orphan(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "PORTAL_SECRET_KEY": "test-" + os.urandom(8).hex(),
           "PORTAL_DATABASE": str(tmp_path / "portal.sqlite3"),
           "PORTAL_FILES": str(tmp_path / "files")}  # fmt: skip
    orphan = store.save(tmp_path / "files", b"left by a killed worker")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "portal", "sweep-files"],
        env=env, cwd=root, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Removed 1 stored file" in done.stdout
    assert not store.path_for(tmp_path / "files", orphan).exists()
