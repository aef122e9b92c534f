"""The 33 boroughs upload at once while a gunicorn worker is killed: requests, failures, times.

The scenario of ``tests/portal/test_load_and_fault.py``, bigger and timed. A seeded portal is
served by gunicorn (``--workers``, default 4) on loopback (``bench/portal_server.py``). A thread
per borough signs in as its officer and sends ``--uploads`` returns in turn, cycling through:

- its service-data CSV (valid), its resident-survey workbook written the way Excel writes one
  (``bench/xlsx.py``, valid) and its survey as CSV (valid);
- the next borough's survey as CSV and as a workbook (rejected: another borough's return) and a
  broken workbook (rejected: not a workbook).

Survey returns have ``--rows`` respondents (the standard's generator, seed 8). Once a third of
the uploads have been answered, the worker busy checking one (the one with a check child) is
killed with ``kill -9`` (``--no-kill`` to skip). The table gives the uploads sent, answered and
failed, server errors, answers whose status was not the one the file deserves, the median and
95th percentile of the upload time (sending the file to having its report page), and what the
database and the file store hold afterwards: rows without their file or audit entry, files without
a row, ``PRAGMA integrity_check``, and "database is locked" anywhere.

    .venv/bin/python bench/portal_load.py                        # 33 × 6 uploads, 4 workers
    .venv/bin/python bench/portal_load.py --uploads 12 --rows 2000 --workers 3
"""

from __future__ import annotations

import argparse
import hashlib
import os
import signal
import sqlite3
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from portal_server import Portal, Session, children, officer, serve, submission_id

from portal.demo import survey_answers

SURVEY, SERVICE = "resident-survey", "service-data"
PERIOD, SEED = "2025-26", 8
LOCKED = "database is locked"


@dataclass
class Upload:
    borough: str
    name: str
    kind: str
    data: bytes
    expected: str


@dataclass
class Answer:
    upload: Upload
    seconds: float | None = None
    status_code: int | None = None
    submission: int | None = None
    status: str | None = None
    error: str | None = None
    locked: bool = False


def plan(folder: Path, rows: int, per_borough: int) -> dict[str, list[Upload]]:
    """Each borough's uploads, cycling through three valid and three invalid returns."""
    from xlsx import write_survey_xlsx

    from validator import load_standard
    from validator.synthetic import write_returns

    codes = list(load_standard().boroughs.codes)
    paths = write_returns(folder, boroughs=codes, survey_rows=rows, periods=[PERIOD], seed=SEED)
    files = {(p.name.split("_")[1], p.name.split("_")[0]): p.read_bytes() for p in paths}
    books = {}
    for code in codes:
        path = folder / f"{code}.xlsx"
        write_survey_xlsx(path, code, PERIOD, rows, seed=SEED)
        books[code] = path.read_bytes()
    plans = {}
    for i, code in enumerate(codes):
        other = codes[(i + 1) % len(codes)]
        cycle = [
            Upload(code, "service.csv", SERVICE, files[(code, SERVICE)], "accepted"),
            Upload(code, "survey.xlsx", SURVEY, books[code], "accepted"),
            Upload(code, "survey.csv", SURVEY, files[(other, SURVEY)], "rejected"),
            Upload(code, "survey.xlsx", SURVEY, b"PK\x03\x04 not a workbook", "rejected"),
            Upload(code, "survey.csv", SURVEY, files[(code, SURVEY)], "accepted"),
            Upload(code, "survey.xlsx", SURVEY, books[other], "rejected"),
        ]
        plans[code] = [cycle[n % len(cycle)] for n in range(per_borough)]
    return plans


def run(portal: Portal, plans: dict[str, list[Upload]], kill: bool) -> tuple[list, int | None]:
    """Every borough's uploads at once (and the kill); the answers and the killed worker's id."""
    total = sum(len(p) for p in plans.values())
    first = Session(portal.base)
    first.sign_in(officer(next(iter(plans))))
    rid = first.round_id()
    answers: list[Answer] = []
    lock = threading.Lock()
    third = threading.Event()

    def borough(code: str) -> None:
        session = Session(portal.base)
        for _ in range(2):  # an officer whose sign-in fails tries once more
            try:
                session.sign_in(officer(code))
                break
            except requests.RequestException:
                continue
        for upload in plans[code]:
            answer = Answer(upload)
            try:
                typed = survey_answers(code, PERIOD) if upload.kind == SURVEY else None
                page, answer.seconds = session.upload(
                    rid, upload.kind, upload.name, upload.data, typed
                )
                answer.status_code, answer.submission = page.status_code, submission_id(page)
                answer.locked = LOCKED in page.text
                if "This return was not accepted" in page.text:
                    answer.status = "rejected"
                elif answer.submission:
                    answer.status = "accepted"
            except requests.RequestException as exc:
                answer.error = type(exc).__name__
            with lock:
                answers.append(answer)
                if len(answers) >= total / 3:
                    third.set()

    def killer() -> int | None:
        third.wait(timeout=600)
        for _ in range(4000):
            busy = [w for w in children(portal.server.pid) if children(w)]
            if busy:
                os.kill(busy[0], signal.SIGKILL)
                return busy[0]
            time.sleep(0.005)
        return None

    with ThreadPoolExecutor(max_workers=len(plans) + 1) as pool:
        killed = pool.submit(killer) if kill else None
        list(pool.map(borough, plans))
        return answers, killed.result() if killed else None


def afterwards(portal: Portal) -> dict[str, object]:
    """What the database and the file store hold once the load is over."""
    with closing(sqlite3.connect(f"file:{portal.database}?mode=ro", uri=True)) as conn:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        rows = conn.execute("SELECT id, sha256, status FROM submissions").fetchall()
        entries = {
            detail: action
            for action, detail in conn.execute(
                "SELECT action, detail FROM events WHERE action LIKE 'upload-%'"
            )
        }
    on_disk = {p.name: p for p in portal.files.rglob("*") if p.is_file()}
    without_file = [
        pk
        for pk, sha, _ in rows
        if sha not in on_disk or hashlib.sha256(on_disk[sha].read_bytes()).hexdigest() != sha
    ]
    without_entry = [pk for pk, _, _ in rows if f"submission {pk}" not in entries]
    return {
        "integrity": integrity,
        "rows": len(rows),
        "rows without their file": len(without_file),
        "rows without their audit entry": len(without_entry),
        "files without a row": len(set(on_disk) - {sha for _, sha, _ in rows}),
        "'database is locked' in the log": portal.log.read_text().count(LOCKED),
    }


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else 0


def report(args: argparse.Namespace, answers: list[Answer], killed: int | None, after: dict) -> str:
    answered = [a for a in answers if a.error is None]
    seconds = sorted(a.seconds for a in answered if a.seconds is not None)
    wrong = [a for a in answered if a.status != a.upload.expected]
    server_errors = [a for a in answered if a.status_code and a.status_code >= 500]
    head = ["workers", "boroughs", "rows", "uploads", "answered", "failed", "5xx", "wrong status"]
    head += ["locked", "p50 s", "p95 s", "max s", "worker killed"]
    cols = [args.workers, 33, args.rows, len(answers), len(answered), len(answers) - len(answered)]
    cols += [len(server_errors), len(wrong), sum(a.locked for a in answers)]
    cols += [f"{statistics.median(seconds):.2f}", f"{percentile(seconds, 95):.2f}"]
    cols += [f"{seconds[-1]:.2f}", "yes" if killed else "no"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines.append("| " + " | ".join(str(c) for c in cols) + " |")
    failures = sorted({a.error for a in answers if a.error})
    lines.append("")
    lines.append(f"failures: {', '.join(failures) or 'none'}")
    lines.append("afterwards: " + "; ".join(f"{k} {v}" for k, v in after.items()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--uploads", type=int, default=6, help="uploads per borough (default 6)")
    parser.add_argument("--rows", type=int, default=500, help="survey rows (default 500)")
    parser.add_argument("--no-kill", dest="kill", action="store_false", help="kill no worker")
    args = parser.parse_args(argv)
    import tempfile

    with tempfile.TemporaryDirectory(prefix="lsids-bench-load-") as tmp:
        plans = plan(Path(tmp), args.rows, args.uploads)
        with serve(args.workers) as portal:
            start = time.perf_counter()
            answers, killed = run(portal, plans, args.kill)
            wall = time.perf_counter() - start
            time.sleep(2)  # let the master replace the killed worker before reading its log
            after = afterwards(portal)
    print(f"\n## 33 boroughs uploading at once, {args.workers} workers\n")
    print(report(args, answers, killed, after))
    print(f"wall: {wall:.1f} s for {len(answers)} uploads ({len(answers) / wall:.1f} a second)")


if __name__ == "__main__":
    main()
