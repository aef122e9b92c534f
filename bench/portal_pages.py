"""Figures-page throughput against /healthz, under gunicorn as the portal runs in production.

Seeds a portal in a temporary folder (init-db, seed-demo), serves it with gunicorn (2 workers,
gunicorn.conf.py, but no worker recycling) on 127.0.0.1, signs the demonstration viewer in once
(``requests``) and sends that session cookie as a header with every request. For each address it
runs ``wrk`` (Debian's ``wrk``: one C thread, an event loop, so the load generator takes little
of the CPU it shares with the server) for a fixed time and a fixed number of connections, in
rounds that alternate the addresses: requests per second, its ratio to /healthz within each
round, latency percentiles and how many answers were not a 200 (counted by a Lua hook; the run
fails if any). Without ``wrk`` it falls back to a threaded Python client, and says so: that
client needs more CPU than the server's cheap pages and so understates their throughput.

    python bench/portal_pages.py [--seconds 8] [--connections 8] [--rounds 3] [--python]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from portal_server import Session, serve

VIEWER = "viewer@london.gov.uk"
PAGES = {
    "/healthz": "health check (no session, no database)",
    "/figures": "figures overview",
    "/figures/rel_lonely_often": "a measure's figures page (HTML)",
    "/figures/rel_lonely_often?period=2024-25&group=sex:female": "the same, another period "
    "and breakdown",
    "/figures/rel_lonely_often/map.svg": "its tile map (SVG)",
}
PERCENTILES = (50, 90, 99)
# gunicorn.conf.py recycles a worker after about 1,000 requests; a new worker spends seconds
# importing the portal, during which a run at hundreds of requests a second measures start-up
# (both workers often restart together and nothing answers), not pages. Off for this bench.
NO_RECYCLING = ("--max-requests", "0")
# Counts every answer that is not a 200 (wrk's own count leaves out redirects, which a lapsed
# session would give), then reports the run as JSON on the last line of wrk's output.
WRK_SCRIPT = """
not_ok, first = 0, nil
function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
    if first == nil then first = status end
  end
end
threads = {}
function setup(thread) table.insert(threads, thread) end
function done(summary, latency, requests)
  local bad, seen = 0, 0
  for _, t in ipairs(threads) do
    bad = bad + t:get("not_ok")
    seen = t:get("first") or seen
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "micros": %d, "not_ok": %d, "first_not_ok": %d, "socket_errors": %d, '
    .. '"p50": %d, "p90": %d, "p99": %d}\\n',
    summary.requests, summary.duration, bad, seen,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99)))
end
"""


def viewer_cookie(base: str) -> str:
    """The Cookie header of the demonstration viewer, signed in once."""
    me = Session(base)
    me.sign_in(VIEWER)
    cookie = "; ".join(f"{c.name}={c.value}" for c in me.http.cookies)
    check = requests.get(base + "/figures", headers={"Cookie": cookie}, allow_redirects=False)
    if check.status_code != 200:
        raise SystemExit(f"the viewer's cookie does not open /figures ({check.status_code})")
    return cookie


def warm(base: str, cookie: str) -> None:
    """Ask for every address until both workers have answered it (imports, connections, the
    per-build caches), one request at a time: a timed run must not start behind a queue of
    first-time chart drawings."""
    http = requests.Session()
    http.headers["Cookie"] = cookie
    for path in PAGES:
        for _ in range(6):
            http.get(base + path, timeout=300).raise_for_status()


def with_wrk(
    base: str, path: str, cookie: str, seconds: float, connections: int, script: Path
) -> dict:
    """One wrk run against ``path``: 1 thread, ``connections`` connections, ``seconds``."""
    command = [
        "wrk", "--threads", "1", "--connections", str(connections),
        "--duration", f"{max(1, round(seconds))}s", "--timeout", "30s",
        "--header", f"Cookie: {cookie}", "--script", str(script), base + path,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    if done.returncode != 0:
        raise SystemExit(f"wrk failed on {path}:\n{done.stderr}")
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return {
        "requests": found["requests"],
        "per_second": found["requests"] / (found["micros"] / 1e6),
        "not_ok": found["not_ok"] + found["socket_errors"],
        "first_not_ok": found["first_not_ok"],
        **{f"p{p}_ms": found[f"p{p}"] / 1000 for p in PERCENTILES},
    }


def with_python(base: str, path: str, cookie: str, seconds: float, connections: int) -> dict:
    """The fallback: ``connections`` threads of ``requests`` for ``seconds``."""
    latencies: list[float] = []
    not_ok: list[int] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def work() -> None:
        http = requests.Session()
        http.headers["Cookie"] = cookie
        mine, bad = [], []
        while time.perf_counter() < stop:
            start = time.perf_counter()
            answer = http.get(base + path, timeout=30, allow_redirects=False)
            mine.append(time.perf_counter() - start)
            if answer.status_code != 200:
                bad.append(answer.status_code)
        with lock:
            latencies.extend(mine)
            not_ok.extend(bad)

    pool = [threading.Thread(target=work) for _ in range(connections)]
    began = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "requests": len(latencies),
        "per_second": len(latencies) / elapsed,
        "not_ok": len(not_ok),
        "first_not_ok": not_ok[0] if not_ok else 0,
        **{f"p{p}_ms": latencies[int(len(latencies) * p / 100)] * 1000 for p in PERCENTILES},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8, help="per address and round")
    parser.add_argument("--connections", type=int, default=8, help="at once (threads: --python)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--python", action="store_true", help="use the Python client, not wrk")
    args = parser.parse_args(argv)
    wrk = None if args.python else shutil.which("wrk")
    if wrk:
        version = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
        generator = (version.stdout or version.stderr).split(" Copyright")[0].strip()
        generator += f" (1 thread, {args.connections} connections)"
    else:
        generator = f"Python requests, {args.connections} threads" + (
            "" if args.python else " (wrk is not installed: apt-get install wrk)"
        )
    load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
    with (
        tempfile.TemporaryDirectory(prefix="lsids-bench-wrk-") as tmp,
        serve(2, 60, NO_RECYCLING) as portal,
    ):
        script = Path(tmp) / "count.lua"
        script.write_text(WRK_SCRIPT)

        def run(path: str, seconds: float) -> dict:
            if wrk:
                return with_wrk(portal.base, path, cookie, seconds, args.connections, script)
            return with_python(portal.base, path, cookie, seconds, args.connections)

        cookie = viewer_cookie(portal.base)
        warm(portal.base, cookie)
        for path in PAGES:
            run(path, 2)
        # rounds that alternate the addresses, so a change in the machine's load falls on all
        # of them alike; each address's ratio to /healthz is taken within a round
        runs: dict[str, list[dict]] = {path: [] for path in PAGES}
        for _ in range(args.rounds):
            for path in PAGES:
                runs[path].append(run(path, args.seconds))
    load_after = " ".join(f"{x:.1f}" for x in os.getloadavg())
    health = [r["per_second"] for r in runs["/healthz"]]
    print(
        f"\n## Figures pages against /healthz\n\nload generator: {generator}; {args.rounds} rounds "
        f"of {args.seconds:.0f} s per address; 2 gunicorn workers; load average before "
        f"{load_before}, after {load_after}\n"
    )
    print(
        "| address | what | requests/s | vs /healthz (median; each round) | "
        + " | ".join(f"p{p} ms" for p in PERCENTILES)
        + " | not 200 |"
    )
    print("|---|---|---:|---:|" + "---:|" * len(PERCENTILES) + "---:|")
    failed = 0
    for path, rs in runs.items():
        ratios = [r["per_second"] / (h or 1) for r, h in zip(rs, health, strict=True)]
        bad = sum(r["not_ok"] for r in rs)
        failed += bad
        print(
            f"| `{path}` | {PAGES[path]} | {statistics.median(r['per_second'] for r in rs):.0f} | "
            f"{statistics.median(ratios):.2f} ({', '.join(f'{x:.2f}' for x in ratios)}) | "
            + " | ".join(f"{statistics.median(r[f'p{p}_ms'] for r in rs):.1f}" for p in PERCENTILES)
            + f" | {bad} |",
            flush=True,
        )
    if failed:
        first = next(r["first_not_ok"] for rs in runs.values() for r in rs if r["not_ok"])
        print(f"\n{failed} answers were not a 200 (first: {first or 'a socket error'})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
