"""The portal as it runs in production: gunicorn with two workers on a free loopback port, a real
SQLite file and a real files folder in a temporary directory, seeded by the operator commands.

Tests talk to it over HTTP with ``requests``. The session cookie is ``Secure``; browsers send
Secure cookies to http://127.0.0.1 (a potentially trustworthy origin), but Python's cookie jar
only sends them over https, so ``Client`` uses a cookie policy that treats loopback as browsers do.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
# The suite's ready-made hostile file builders (tests/hostile_*.py) live one folder up.
sys.path.insert(0, str(ROOT / "tests"))
PASSWORD = "demo-password-2025"
EXTRA_PASSWORD = "a-long-test-password"
THROTTLED = "throttled@example.gov.uk"
MAX_UPLOAD_MB = 50
LOOPBACK = {"127.0.0.1", "localhost"}


def officer(code: str) -> str:
    return f"officer.{code.lower()}@example.gov.uk"


class LoopbackJar(requests.cookies.RequestsCookieJar):
    """Send Secure cookies to loopback over plain http, as Chromium and Firefox do.

    requests copies the session's jar into a fresh one for every request (losing any cookie
    policy), so the jar instead stores a loopback cookie without its Secure flag.
    """

    def set_cookie(self, cookie, *args, **kwargs):  # type: ignore[no-untyped-def]
        if cookie.domain.removesuffix(".local") in LOOPBACK:
            cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


class Client:
    """One person's browser session against the portal, without JavaScript."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = requests.Session()
        self.http.cookies = LoopbackJar()

    def get(self, path: str, **kwargs) -> requests.Response:  # type: ignore[no-untyped-def]
        return self.http.get(self.base + path, timeout=120, **kwargs)

    def submit(self, page: str, data: dict, files: dict | None = None, action: str | None = None):  # type: ignore[no-untyped-def]
        """Load ``page``, take its form's CSRF token and post ``data`` (and ``files``) to it."""
        token = csrf_token(self.get(page).text)
        target = action or page
        return self.http.post(
            self.base + target, data={"csrf_token": token, **data}, files=files, timeout=120
        )

    def sign_in(self, email: str, password: str = PASSWORD) -> requests.Response:
        return self.submit("/sign-in", {"email": email, "password": password})

    def sign_out(self) -> requests.Response:
        return self.submit("/", {}, action="/sign-out")

    def upload(
        self, round_id: int, kind: str, name: str, data: bytes, **answers: str
    ) -> requests.Response:
        """Send a return from the upload page as a browser would: with the survey answers the
        page has filled in (from the borough's last accepted survey return), or ``answers``."""
        page = self.get("/upload").text
        filled = dict(re.findall(r'<input class="govuk-input[^"]*" id="[^"]+" name="([a-z_]+)" '
                                 r'type="text" value="([^"]*)"', page))  # fmt: skip
        fields = {**{k: html.unescape(v) for k, v in filled.items()}, **answers}
        fields.update(csrf_token=csrf_token(page), round_id=str(round_id), type=kind)
        return self.http.post(
            self.base + "/upload",
            data=fields,
            files={"file": (name, data)},
            timeout=120,
        )


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def submission_id(response: requests.Response) -> int:
    """The id in the address an upload landed on (/submissions/<id>)."""
    found = re.fullmatch(r".*/submissions/(\d+)", response.url)
    assert found, f"the upload did not land on a submission page but on {response.url}"
    return int(found.group(1))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_portal(var: Path, *, workers: int = 2, **settings: str):  # type: ignore[no-untyped-def]
    """Seed a portal in ``var`` and serve it with gunicorn (``workers`` of them); ``settings``
    are extra PORTAL_ ones."""
    env = {
        **os.environ,
        "PORTAL_SECRET_KEY": "test-secret-" + os.urandom(8).hex(),
        "PORTAL_DATABASE": str(var / "portal.sqlite3"),
        "PORTAL_FILES": str(var / "files"),
        "PORTAL_MAX_UPLOAD_MB": str(MAX_UPLOAD_MB),
        "PORTAL_CHECK_SECONDS": "30",
        **{f"PORTAL_{name}": value for name, value in settings.items()},
    }
    bin_dir = Path(sys.executable).parent
    flask = [str(bin_dir / "flask"), "--app", "portal"]
    subprocess.run([*flask, "init-db"], env=env, check=True, cwd=ROOT, capture_output=True)
    subprocess.run(
        [*flask, "seed-demo", "--survey-rows", "40"],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    subprocess.run(
        [*flask, "create-user", THROTTLED, "--role", "viewer"],
        input=EXTRA_PASSWORD + "\n",
        text=True,
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    port = free_port()
    log = (var / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--access-logfile", "/dev/null",
            "portal:create_app()",
        ],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        yield _wait_and_describe(server, base, var, env)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.fixture(scope="session")
def portal(tmp_path_factory):
    """A seeded portal served by gunicorn; yields an object with ``base``, ``env`` and ``var``."""
    yield from start_portal(tmp_path_factory.mktemp("portal"))


def _wait_and_describe(server, base, var, env):  # type: ignore[no-untyped-def]
    for _ in range(300):
        try:
            if requests.get(base + "/healthz", timeout=1).status_code == 200:
                break
        except requests.RequestException:
            pass
        if server.poll() is not None:
            pytest.fail("gunicorn exited:\n" + (var / "gunicorn.log").read_text())
        time.sleep(0.1)
    else:
        pytest.fail("gunicorn did not answer /healthz")

    class Portal:
        pass

    running = Portal()
    running.base, running.env, running.var, running.server = base, env, var, server
    running.log = var / "gunicorn.log"
    return running


@pytest.fixture
def client(portal) -> Client:
    return Client(portal.base)


@pytest.fixture(scope="session")
def standard():
    from validator import load_standard

    return load_standard()


class Returns(dict):
    """Valid generated returns (40 survey rows), made on first use: ``returns[(borough, type)]``."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def __missing__(self, key: tuple[str, str]) -> bytes:
        from validator.synthetic import write_returns

        borough, kind = key
        paths = write_returns(
            self.folder / borough, boroughs=[borough], survey_rows=40, types=(kind,), seed=7
        )
        self[key] = paths[0].read_bytes()
        return self[key]


@pytest.fixture(scope="session")
def returns(tmp_path_factory) -> Returns:
    return Returns(tmp_path_factory.mktemp("returns"))


def round_id(client: Client, name: str = "Annual return 2025-26") -> int:
    """The id of the open round called ``name``, read from the upload page's round list."""
    found = re.search(
        rf'<option value="(\d+)"[^>]*>{re.escape(name)} \(', client.get("/upload").text
    )
    assert found, f"the upload page offers no open round called {name!r}"
    return int(found.group(1))


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not path:
        if os.environ.get("LSIDS_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required here but was not found (apt-get install chromium)")
        pytest.skip("no Chromium: install it with 'apt-get install chromium' to run browser tests")
    return path
