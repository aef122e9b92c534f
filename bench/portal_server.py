"""A seeded portal served by gunicorn on loopback, and an officer's session against it, for bench/.

The same start as production and as the tests (``tests/portal/conftest.py``): ``flask init-db``,
``flask seed-demo`` (the 33 boroughs' officers and the open round), then gunicorn with
``gunicorn.conf.py`` on a free 127.0.0.1 port, in a temporary folder of its own. Only loopback.
"""

from __future__ import annotations

import fcntl
import html
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "demo-password-2025"  # portal/demo.py's demonstration password
LOOPBACK = {"127.0.0.1", "localhost"}


def officer(code: str) -> str:
    return f"officer.{code.lower()}@example.gov.uk"


@dataclass
class Portal:
    base: str
    var: Path
    env: dict[str, str]
    server: subprocess.Popen

    @property
    def database(self) -> str:
        return self.env["PORTAL_DATABASE"]

    @property
    def files(self) -> Path:
        return Path(self.env["PORTAL_FILES"])

    @property
    def log(self) -> Path:
        return self.var / "gunicorn.log"


@contextmanager
def serve(workers: int, survey_rows: int = 40, options: tuple[str, ...] = ()) -> Iterator[Portal]:
    """Seed a portal in a temporary folder and serve it with ``workers`` gunicorn workers
    (``options``: more gunicorn command-line settings, over ``gunicorn.conf.py``'s)."""
    # a stray file of a recompute that outlived the wait below is no reason to lose the run
    folder = tempfile.TemporaryDirectory(prefix="lsids-bench-portal-", ignore_cleanup_errors=True)
    with folder as tmp:
        var = Path(tmp)
        env = {
            **os.environ,
            "PORTAL_SECRET_KEY": "bench-" + os.urandom(8).hex(),
            "PORTAL_DATABASE": str(var / "portal.sqlite3"),
            "PORTAL_FILES": str(var / "files"),
        }
        flask = [str(Path(sys.executable).with_name("flask")), "--app", "portal"]
        for command in (["init-db"], ["seed-demo", "--survey-rows", str(survey_rows)]):
            subprocess.run([*flask, *command], env=env, cwd=ROOT, check=True, capture_output=True)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        with (var / "gunicorn.log").open("w") as log:
            server = subprocess.Popen(
                [
                    sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
                    "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
                    "--access-logfile", "/dev/null", *options, "portal:create_app()",
                ],
                env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
            portal = Portal(f"http://127.0.0.1:{port}", var, env, server)
            try:
                _wait(portal)
                yield portal
            finally:
                server.terminate()
                server.wait(timeout=60)
                _wait_for_recomputes(Path(env["PORTAL_DATABASE"]))


def _wait_for_recomputes(database: Path, seconds: float = 120) -> None:
    """Wait until no recompute of the figures holds or queues on their lock file: they run
    detached from the workers, outlive gunicorn, and would otherwise write into the folder
    while it is removed, and take CPU from the next measurement."""
    lock_path = database.with_suffix(".figures.lock")
    if not lock_path.exists():
        return
    deadline, free_in_a_row = time.monotonic() + seconds, 0
    with lock_path.open("a") as lock:
        while free_in_a_row < 3 and time.monotonic() < deadline:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                free_in_a_row = 0
            else:
                fcntl.flock(lock, fcntl.LOCK_UN)
                free_in_a_row += 1
            time.sleep(0.2)


def _wait(portal: Portal) -> None:
    for _ in range(600):
        try:
            if requests.get(portal.base + "/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        if portal.server.poll() is not None:
            raise SystemExit("gunicorn exited:\n" + portal.log.read_text())
        time.sleep(0.1)
    raise SystemExit("gunicorn did not answer /healthz")


class LoopbackJar(requests.cookies.RequestsCookieJar):
    """Send the Secure session cookie to loopback over plain http, as browsers do."""

    def set_cookie(self, cookie, *args, **kwargs):  # type: ignore[no-untyped-def]
        if cookie.domain.removesuffix(".local") in LOOPBACK:
            cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


class Session:
    """One officer's browser session, without JavaScript."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = requests.Session()
        self.http.cookies = LoopbackJar()

    def token(self, page: str) -> str:
        return csrf_token(self.http.get(self.base + page, timeout=300).text, page)

    def sign_in(self, email: str) -> None:
        data = {"csrf_token": self.token("/sign-in"), "email": email, "password": PASSWORD}
        self.http.post(self.base + "/sign-in", data=data, timeout=300).raise_for_status()

    def round_id(self, name: str = "Annual return 2025-26") -> int:
        page = self.http.get(self.base + "/upload", timeout=300).text
        found = re.search(rf'<option value="(\d+)"[^>]*>{re.escape(name)} \(', page)
        if not found:
            raise RuntimeError(f"the upload page offers no open round called {name!r}")
        return int(found.group(1))

    def upload(
        self,
        round_id: int,
        kind: str,
        name: str,
        data: bytes,
        answers: dict[str, str] | None = None,
    ) -> tuple[requests.Response, float]:
        """Send a return as the upload form does and follow the answer to its report page:
        with the survey details the form has filled in, or ``answers``
        (``portal.demo.survey_answers`` gives what an officer would type for a survey).

        Returns the report page and the seconds from sending the file to having that page (the
        form is fetched first, untimed, as a person has it open before choosing the file).
        """
        form = self.http.get(self.base + "/upload", timeout=300).text
        filled = re.findall(r'<input class="govuk-input[^"]*" id="[^"]+" name="([a-z_]+)" '
                            r'type="text" value="([^"]*)"', form)  # fmt: skip
        fields = {**{k: html.unescape(v) for k, v in filled}, **(answers or {})}
        fields.update(csrf_token=csrf_token(form), round_id=str(round_id), type=kind)
        start = time.perf_counter()
        page = self.http.post(
            self.base + "/upload", data=fields, files={"file": (name, data)}, timeout=300
        )
        return page, time.perf_counter() - start


def csrf_token(form: str, page: str = "/upload") -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)
    if not found:
        raise RuntimeError(f"{page} has no form with a CSRF token")
    return found.group(1)


def submission_id(response: requests.Response) -> int | None:
    found = re.fullmatch(r".*/submissions/(\d+)", response.url)
    return int(found.group(1)) if found else None


def children(pid: int) -> list[int]:
    """The ids of the processes whose parent is ``pid`` (gunicorn's workers, a worker's checks)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found
