"""The examples in docs/api.md, run as written against a live portal, so the guide cannot rot.

The curl and Python blocks are taken from the page; only the two ``export`` lines that a reader
fills in are replaced by the live portal's address and a token made by ``create-token``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, officer, start_portal

GUIDE = ROOT / "docs" / "api.md"
BOROUGH = "E09000033"  # the demonstration has nothing from this borough yet
SERVICE = "service-data"


def blocks(language: str) -> list[str]:
    """The fenced code blocks of one language in the guide."""
    return re.findall(rf"```{language}\n(.*?)```", GUIDE.read_text(), flags=re.S)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    yield from start_portal(tmp_path_factory.mktemp("api-docs"))


@pytest.fixture(scope="module")
def reader_env(live) -> dict[str, str]:
    """What a reader of the guide sets: the portal's address and their token."""
    made = subprocess.run(
        [str(Path(sys.executable).parent / "flask"), "--app", "portal", "create-token",
         officer(BOROUGH), "--name", "docs example"],
        env=live.env, cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return {**os.environ, "LSIDS_URL": live.base, "LSIDS_TOKEN": made.stdout.strip()}


def folder_with(tmp_path: Path, data: bytes) -> Path:
    """A working folder holding the return the examples send, under the name they use."""
    (tmp_path / "return.csv").write_bytes(data)
    return tmp_path


def json_values(text: str) -> list:
    """Every JSON value printed one after another (curl adds no newline between answers)."""
    decoder, found, at = json.JSONDecoder(), [], 0
    while at < len(text):
        if text[at].isspace():
            at += 1
            continue
        value, at = decoder.raw_decode(text, at)
        found.append(value)
    return found


def test_the_curl_example_sends_a_return(reader_env, returns, tmp_path):
    if not shutil.which("curl"):
        pytest.skip("no curl on this machine")
    (script,) = [b for b in blocks("bash") if "curl" in b]
    assert "export LSIDS_URL=" in script and "export LSIDS_TOKEN=" in script
    runnable = re.sub(r"^export LSIDS_(URL|TOKEN)=.*$", "", script, flags=re.M)
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", runnable],
        cwd=folder_with(tmp_path, returns[(BOROUGH, SERVICE)]),
        env=reader_env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    rounds, submission = json_values(done.stdout)
    assert any(r["open"] and SERVICE in r["types"] for r in rounds["rounds"])
    assert submission["status"] == "accepted" and submission["borough"] == BOROUGH
    assert submission["report"]["valid"] is True


def test_the_python_example_sends_a_return_and_reads_it_back(reader_env, returns, tmp_path):
    (script,) = blocks("python")
    assert "import requests" in script
    (tmp_path / "example.py").write_text(script)
    done = subprocess.run(
        [sys.executable, "example.py"],
        cwd=folder_with(tmp_path, returns[(BOROUGH, SERVICE)]),
        env=reader_env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert re.fullmatch(r"Submission \d+ was accepted", lines[0])
    assert "Now accepted" in lines
    assert re.fullmatch(r"[1-9]\d* submissions in the round", lines[-1])


def test_the_python_example_prints_the_findings_of_a_rejected_return(reader_env, returns, tmp_path):
    (script,) = blocks("python")
    (tmp_path / "example.py").write_text(script)
    another_boroughs = returns[("E09000032", SERVICE)]
    done = subprocess.run(
        [sys.executable, "example.py"],
        cwd=folder_with(tmp_path, another_boroughs),
        env=reader_env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert re.fullmatch(r"Submission \d+ was rejected", lines[0])
    assert any(line.startswith("error ") for line in lines[1:])


def test_the_python_example_shows_the_apis_message_for_a_bad_token(reader_env, returns, tmp_path):
    (script,) = blocks("python")
    (tmp_path / "example.py").write_text(script)
    done = subprocess.run(
        [sys.executable, "example.py"],
        cwd=folder_with(tmp_path, returns[(BOROUGH, SERVICE)]),
        env={**reader_env, "LSIDS_TOKEN": "lsids_not-a-token"},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.startswith("401: This API token is not valid")


def test_every_error_code_in_the_guide_is_one_the_api_gives():
    source = (ROOT / "portal" / "api.py").read_text() + (
        ROOT / "portal" / "problems.py"
    ).read_text()
    table = GUIDE.read_text().split("## Errors", 1)[1]
    codes = set(re.findall(r"`([a-z]+(?:_[a-z]+)+|[a-z]+)`", table)) - {"code", "message", "status"}
    codes -= {"rejected", "report", "file"}  # words of the prose, not error codes
    assert len(codes) >= 12
    assert {c for c in codes if f'"{c}"' not in source} == set()
