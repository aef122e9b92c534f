"""The 33 boroughs upload at once while a gunicorn worker is killed mid-upload: nothing is lost.

A thread per borough signs in as its officer and sends three returns — a valid CSV, a valid
workbook and an invalid file (another borough's return, or a broken workbook), each with bytes
of its own — to a portal
served by three gunicorn workers. Once a third of the uploads have been answered, the worker
busy checking an upload (the one with a check child of its own) is killed with ``kill -9``; the
master starts another. Afterwards every upload that was answered has its submission row, its
stored file and its audit entry, with the status its content deserves; no file, row or audit
entry stands without the other two; no request failed except the one the killed worker held; no
answer was a server error or mentions a locked database; and SQLite's integrity check passes.

Bounded: 33 sessions × 3 small uploads (40-row surveys), one kill. Timing claims are for
``bench/portal_load.py``, not here.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import signal
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
import requests
from conftest import Client, officer, round_id, start_portal

WORKERS = 3
SURVEY, SERVICE = "resident-survey", "service-data"
KILL_AFTER = 1 / 3  # of the uploads answered
LOCKED = "database is locked"


@dataclass
class Upload:
    borough: str
    name: str
    kind: str
    data: bytes
    expected: str  # the status its content deserves: accepted or rejected

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class Answer:
    upload: Upload
    submission: int | None = None  # the id the portal answered with
    status_code: int | None = None
    error: str | None = None  # a connection failure: no answer at all
    text: str = ""


@pytest.fixture(scope="module")
def busy_portal(tmp_path_factory):
    yield from start_portal(tmp_path_factory.mktemp("load"), workers=WORKERS)


def workbook(data: bytes) -> bytes:
    """A CSV return saved as a workbook, every cell as text."""
    book = openpyxl.Workbook()
    for row in csv.reader(io.StringIO(data.decode("utf-8"))):
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def plan(folder: Path) -> dict[str, list[Upload]]:
    """Three uploads for each borough: two valid (CSV and XLSX) and one invalid.

    Every upload's bytes are different from every other's and from the seeded demonstration's
    (another seed), so a stored file can only belong to its own upload.
    """
    from validator import load_standard
    from validator.synthetic import write_returns

    codes = list(load_standard().boroughs.codes)
    paths = write_returns(folder, boroughs=codes, survey_rows=40, types=(SURVEY, SERVICE), seed=8)
    files = {(p.name.split("_")[1], p.name.split("_")[0]): p.read_bytes() for p in paths}
    uploads = {}
    for i, code in enumerate(codes):
        other = codes[(i + 1) % len(codes)]
        invalid = (
            Upload(code, "survey.csv", SURVEY, files[(other, SURVEY)], "rejected")
            if i % 2
            else Upload(
                code,
                "survey.xlsx",
                SURVEY,
                b"PK\x03\x04 not a workbook " + code.encode(),
                "rejected",
            )
        )
        uploads[code] = [
            Upload(code, "service.csv", SERVICE, files[(code, SERVICE)], "accepted"),
            Upload(code, "survey.xlsx", SURVEY, workbook(files[(code, SURVEY)]), "accepted"),
            invalid,
        ]
    assert len({u.sha256 for batch in uploads.values() for u in batch}) == 3 * len(codes)
    return uploads


def children(pid: int) -> list[int]:
    """The ids of the processes whose parent is ``pid``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def kill_a_busy_worker(master: int, answered: threading.Event) -> int | None:
    """Once ``answered`` is set, kill -9 a worker that is checking an upload; return its id."""
    answered.wait(timeout=120)
    for _ in range(2000):
        busy = [w for w in children(master) if children(w)]
        if busy:
            os.kill(busy[0], signal.SIGKILL)
            return busy[0]
        time.sleep(0.005)
    return None


def test_boroughs_upload_at_once_while_a_worker_is_killed(busy_portal, tmp_path):
    uploads = plan(tmp_path)
    total = sum(len(u) for u in uploads.values())
    sign_in = Client(busy_portal.base)
    sign_in.sign_in(officer("E09000001"))
    rid = round_id(sign_in)
    database = busy_portal.env["PORTAL_DATABASE"]
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
        before = conn.execute("SELECT coalesce(max(id), 0) FROM submissions").fetchone()[0]

    answers: list[Answer] = []
    failed_sign_ins: list[str] = []
    lock = threading.Lock()
    third_answered = threading.Event()

    def borough(code: str) -> None:
        client = Client(busy_portal.base)
        for _attempt in range(2):  # an officer whose sign-in fails tries once more
            try:
                client.sign_in(officer(code))
                break
            except requests.RequestException as exc:
                failed_sign_ins.append(f"{code}: {exc!r}")
        for upload in uploads[code]:
            answer = Answer(upload)
            try:
                page = client.upload(rid, upload.kind, upload.name, upload.data)
                answer.status_code, answer.text = page.status_code, page.text
                found = re.fullmatch(r".*/submissions/(\d+)", page.url)
                answer.submission = int(found.group(1)) if found else None
            except requests.RequestException as exc:
                answer.error = repr(exc)
            with lock:
                answers.append(answer)
                if len(answers) >= total * KILL_AFTER:
                    third_answered.set()

    with ThreadPoolExecutor(max_workers=len(uploads) + 1) as pool:
        killer = pool.submit(kill_a_busy_worker, busy_portal.server.pid, third_answered)
        list(pool.map(borough, uploads))
        killed = killer.result()

    assert killed is not None, "no worker was caught checking an upload, so none was killed"
    assert len(answers) == total

    # The master replaces the killed worker and the portal goes on answering.
    for _ in range(600):
        workers = children(busy_portal.server.pid)
        if len(workers) == WORKERS and killed not in workers:
            break
        time.sleep(0.1)
    assert len(workers) == WORKERS and killed not in workers
    assert requests.get(busy_portal.base + "/healthz", timeout=30).status_code == 200

    # Only the request the killed worker held may have gone unanswered; nothing else failed.
    failures = [a for a in answers if a.error] + failed_sign_ins
    assert len(failures) <= 1, failures
    assert not [a.status_code for a in answers if a.status_code and a.status_code >= 500]
    succeeded = [a for a in answers if not a.error]
    assert all(a.status_code == 200 and a.submission for a in succeeded), [
        (a.upload.borough, a.status_code, a.text[:200]) for a in succeeded if not a.submission
    ]
    assert not [a for a in answers if LOCKED in a.text]
    assert LOCKED not in busy_portal.log.read_text()

    files_root = Path(busy_portal.env["PORTAL_FILES"])
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
        conn.row_factory = sqlite3.Row
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        submissions = {r["id"]: dict(r) for r in conn.execute("SELECT * FROM submissions")}
        events = conn.execute(
            "SELECT action, detail, borough FROM events WHERE action LIKE 'upload-%'"
        ).fetchall()

    # Every answered upload: its row, with the status its content deserves, its file, its entry.
    uploaded = {}
    for answer in succeeded:
        row = submissions[answer.submission]
        assert (row["borough"], row["type"], row["sha256"], row["status"]) == (
            answer.upload.borough,
            answer.upload.kind,
            answer.upload.sha256,
            answer.upload.expected,
        )
        uploaded[answer.submission] = answer
    # No submission stands half-written, the answered ones or any other (the killed request's,
    # the seeded ones): each row has its file, with those bytes, and exactly one audit entry.
    entries: dict[str, list[tuple[str, str]]] = {}
    for action, detail, borough in events:
        entries.setdefault(detail, []).append((action, borough))
    for pk, row in submissions.items():
        stored = files_root / row["sha256"][:2] / row["sha256"]
        assert stored.is_file(), f"submission {pk} has no stored file"
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == row["sha256"]
        assert entries.get(f"submission {pk}") == [(f"upload-{row['status']}", row["borough"])] or (
            row["status"] == "superseded"
            and entries.get(f"submission {pk}") == [("upload-accepted", row["borough"])]
        ), f"submission {pk}: audit entries {entries.get(f'submission {pk}')}"
    assert set(entries) == {f"submission {pk}" for pk in submissions}, "an entry without a row"
    hashes = {row["sha256"] for row in submissions.values()}
    for _ in range(600):  # the master's sweep after the kill runs as a process of its own
        on_disk = {p.name for p in files_root.rglob("*") if p.is_file()}
        if on_disk == hashes:
            break
        time.sleep(0.1)
    assert on_disk == hashes, f"files without a submission: {sorted(on_disk - hashes)}"
    # The run added a row for every answered upload, and at most one for the unanswered one.
    added = [pk for pk in submissions if pk > before]
    assert set(uploaded) <= set(added)
    assert len(added) - len(uploaded) <= len(failures)
