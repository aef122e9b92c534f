"""The server's own time per request, in-process: what a page costs the portal, without HTTP.

Seeds a portal in a folder (``flask init-db``, ``flask seed-demo``; kept with ``--folder`` so
later runs reuse it), signs the demonstration viewer in through the Flask test client, and times
``--requests`` GETs of each address, in rounds that alternate the addresses, after a warm-up:
the CPU time spent inside the application (``time.process_time``, so other jobs on a shared
machine count for little; the test client's own work is left out). ``--profile ADDRESS`` runs
cProfile over that address's requests instead and prints its top functions.

    python bench/portal_request_cost.py [--requests 500] [--rounds 5] [--folder DIR]
    python bench/portal_request_cost.py --profile /figures [--top 30]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "demo-password-2025"  # portal/demo.py's demonstration password
ADDRESSES = {
    "/healthz": "health check (no session, no database)",
    "/": "a signed-in viewer's home page",
    "/figures": "figures overview",
    "/figures/rel_lonely_often": "a measure's figures page",
    "/figures/rel_lonely_often?period=2024-25&group=sex:female": "the same, filtered",
    "/figures/rel_lonely_often/map.svg": "its tile map (SVG)",
}


def seeded(folder: Path) -> dict[str, str]:
    """The PORTAL_* settings of a portal seeded in ``folder`` (seeded now if it is not yet)."""
    env = {
        "PORTAL_SECRET_KEY": "bench-request-cost",
        "PORTAL_DATABASE": str(folder / "portal.sqlite3"),
        "PORTAL_FILES": str(folder / "files"),
    }
    if not (folder / "seeded").exists():
        flask = [str(Path(sys.executable).with_name("flask")), "--app", "portal"]
        for command in (["init-db"], ["seed-demo"]):
            subprocess.run(
                [*flask, *command], env={**os.environ, **env}, cwd=ROOT, check=True,
                capture_output=True,
            )  # fmt: skip
        (folder / "seeded").touch()
    return env


def signed_in_client(env: dict[str, str]):  # type: ignore[no-untyped-def]
    """A test client of the portal with these settings, the viewer signed in."""
    sys.path.insert(0, str(ROOT))
    from portal import create_app

    app = create_app({name.removeprefix("PORTAL_"): value for name, value in env.items()})
    Timed(app)
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"  # the session cookie is Secure
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = client.post(
        "/sign-in",
        data={"csrf_token": token, "email": "viewer@london.gov.uk", "password": PASSWORD},
    )
    if answer.status_code != 302:
        raise SystemExit(f"signing the viewer in answered {answer.status_code}")
    return client


class Timed:
    """The application's WSGI callable, adding up the CPU time spent inside it (the server's
    share: the test client's own work of building requests and reading answers is left out)."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        self.inner, self.seconds = app.wsgi_app, 0.0
        app.wsgi_app = self

    def __call__(self, environ, start_response):  # type: ignore[no-untyped-def]
        start = time.process_time()
        try:
            return self.inner(environ, start_response)
        finally:
            self.seconds += time.process_time() - start


def cost(client, address: str, requests: int) -> float:  # type: ignore[no-untyped-def]
    """Milliseconds of the server's CPU time per GET of ``address`` (each must answer 200)."""
    for _ in range(5):
        client.get(address)  # warm: caches, imports, the first connection
    timed = client.application.wsgi_app
    timed.seconds = 0.0
    for _ in range(requests):
        answer = client.get(address)
        if answer.status_code != 200:
            raise SystemExit(f"{address} answered {answer.status_code}")
    return timed.seconds / requests * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds")
    parser.add_argument("--folder", type=Path, help="seed here, or reuse a portal seeded here")
    parser.add_argument("--profile", metavar="ADDRESS", help="cProfile this address's requests")
    parser.add_argument("--top", type=int, default=30, help="functions shown by --profile")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="lsids-bench-cost-") as tmp:
        folder = args.folder or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        client = signed_in_client(seeded(folder))
        if args.profile:
            cost(client, args.profile, 5)
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.requests):
                client.get(args.profile)
            profiler.disable()
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
            stats.print_stats(args.top)
            print(out.getvalue())
            return 0
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"{args.requests} requests each in {args.rounds} rounds; load average {load}")
        # rounds that alternate the addresses, so a change in the machine's load falls on all
        runs: dict[str, list[float]] = {address: [] for address in ADDRESSES}
        for _ in range(args.rounds):
            for address in ADDRESSES:
                runs[address].append(cost(client, address, args.requests // args.rounds))
        print("| address | what | CPU ms per request (median of rounds) | × /healthz |")
        print("|---|---|---:|---:|")
        health = statistics.median(runs["/healthz"])
        for address, what in ADDRESSES.items():
            ms = statistics.median(runs[address])
            print(f"| `{address}` | {what} | {ms:.2f} | {ms / health:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
