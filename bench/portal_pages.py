"""Figures-page throughput against /healthz, under gunicorn as the portal runs in production.

Seeds a portal in a temporary folder (init-db, seed-demo), serves it with gunicorn (2 workers,
gunicorn.conf.py), signs a viewer in, and for each address runs a threaded client for a fixed
time, in rounds that alternate the addresses: requests per second, its ratio to /healthz within
each round, and the median and 95th-percentile latency. Every answer must be a
200, or the run stops.

    python bench/portal_pages.py [--seconds 8] [--threads 8] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "demo-password-2025"
PAGES = {
    "/healthz": "health check (no session, no database)",
    "/figures": "figures overview",
    "/figures/rel_lonely_often": "a measure's figures page (HTML)",
    "/figures/rel_lonely_often/map.svg": "its tile map (SVG, drawn once per worker)",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def session(base: str) -> requests.Session:
    """A viewer signed in (the cookie is Secure: sent back by hand over loopback http)."""
    http = requests.Session()
    page = http.get(base + "/sign-in", timeout=30)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    http.post(
        base + "/sign-in",
        data={"csrf_token": token, "email": "viewer@london.gov.uk", "password": PASSWORD},
        allow_redirects=False,
        timeout=30,
    )
    cookies = {c.name: c.value for c in http.cookies}
    http.cookies.clear()
    http.headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    return http


def hammer(base: str, path: str, cookie: str, seconds: float, threads: int) -> dict:
    latencies: list[float] = []
    failures: list[int] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def work() -> None:
        http = requests.Session()
        http.headers["Cookie"] = cookie
        mine = []
        while time.perf_counter() < stop:
            start = time.perf_counter()
            answer = http.get(base + path, timeout=30)
            mine.append(time.perf_counter() - start)
            if answer.status_code != 200:
                failures.append(answer.status_code)
        with lock:
            latencies.extend(mine)

    pool = [threading.Thread(target=work) for _ in range(threads)]
    began = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - began
    if failures:
        raise SystemExit(f"{path}: {len(failures)} answers were not 200 (first {failures[0]})")
    latencies.sort()
    return {
        "requests": len(latencies),
        "per_second": len(latencies) / elapsed,
        "median_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95)] * 1000,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lsids-bench-portal-") as tmp:
        env = {
            **os.environ,
            "PORTAL_SECRET_KEY": "bench-" + os.urandom(8).hex(),
            "PORTAL_DATABASE": str(Path(tmp) / "portal.sqlite3"),
            "PORTAL_FILES": str(Path(tmp) / "files"),
        }
        flask = [str(Path(sys.executable).parent / "flask"), "--app", "portal"]
        for command in (["init-db"], ["seed-demo"]):
            subprocess.run([*flask, *command], env=env, cwd=ROOT, check=True, capture_output=True)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind",
             f"127.0.0.1:{port}", "--workers", "2", "--access-logfile", "/dev/null",
             "portal:create_app()"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    if requests.get(base + "/healthz", timeout=1).ok:
                        break
                except requests.RequestException:
                    time.sleep(0.1)
            cookie = session(base).headers["Cookie"]
            for path in PAGES:
                hammer(base, path, cookie, 2, args.threads)  # warm both workers
            # rounds that alternate the addresses, so a change in the machine's load falls on
            # all of them alike; each address's ratio to /healthz is taken within a round
            runs: dict[str, list[dict]] = {path: [] for path in PAGES}
            for _ in range(args.rounds):
                for path in PAGES:
                    runs[path].append(hammer(base, path, cookie, args.seconds, args.threads))
        finally:
            server.terminate()
            server.wait(timeout=30)
    health = [r["per_second"] for r in runs["/healthz"]]
    print(
        f"{args.threads} client threads, {args.rounds} rounds of {args.seconds:.0f} s per address, "
        f"2 gunicorn workers, load average before: {os.getloadavg()[0]:.1f}"
    )
    print("| address | what | requests/s | vs /healthz (median; each round) | median ms | p95 ms |")
    print("|---|---|---:|---:|---:|---:|")
    for path, rs in runs.items():
        ratios = [r["per_second"] / h for r, h in zip(rs, health, strict=True)]
        print(
            f"| `{path}` | {PAGES[path]} | {statistics.median(r['per_second'] for r in rs):.0f} | "
            f"{statistics.median(ratios):.2f} ({', '.join(f'{x:.2f}' for x in ratios)}) | "
            f"{statistics.median(r['median_ms'] for r in rs):.1f} | "
            f"{statistics.median(r['p95_ms'] for r in rs):.1f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
