"""LibreOffice, headless, for the tests that check what an officer using it would get.

``soffice_to`` converts a file with ``soffice --headless --convert-to`` in a private profile, so
tests running side by side never share one; ``pdf_pages`` reads a PDF's pages with ``pdftotext``;
``open_in_calc`` opens a workbook in Calc with a (hidden) view through python3-uno and answers
questions only a view can (frozen panes). A missing program skips the test with its reason, or
fails it when ``LSIDS_REQUIRE_LIBREOFFICE=1`` (set by ``.ci/run``, where LibreOffice is
installed), so CI can never pass by skipping. python3-uno is asked for only by the view test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
import uuid
from pathlib import Path

import pytest

REQUIRED = os.environ.get("LSIDS_REQUIRE_LIBREOFFICE") == "1"
SYSTEM_PYTHON = "/usr/bin/python3"


def need(program: str, why: str) -> str:
    """The path of ``program``, or skip (fail when LibreOffice is required) saying why."""
    found = shutil.which(program)
    if found:
        return found
    message = f"{program} is not installed: {why} (Debian: libreoffice-calc-nogui, poppler-utils)"
    if REQUIRED:
        pytest.fail(f"LSIDS_REQUIRE_LIBREOFFICE=1 but {message}")
    pytest.skip(message)


def _profile(folder: Path) -> str:
    return (folder / f"lo-profile-{uuid.uuid4().hex}").as_uri()


def soffice_to(source: Path, to: str, folder: Path | None = None) -> Path:
    """``source`` converted by LibreOffice to ``to`` (pdf, ods, xlsx…), written in ``folder``.

    Converting to the file's own format (xlsx to xlsx) is a re-save by LibreOffice.
    """
    soffice = need("soffice", "the test converts files with LibreOffice")
    folder = Path(folder or source.parent / f"converted-{to}")
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={_profile(folder.parent)}",
            "--headless",
            "--norestore",
            "--convert-to",
            to,
            "--outdir",
            str(folder),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    target = folder / f"{source.stem}.{to.split(':')[0]}"
    assert target.exists(), f"LibreOffice wrote no {to}: {done.stdout} {done.stderr}"
    return target


def pdf_pages(pdf: Path) -> list[str]:
    """Each page's text as ``pdftotext -raw`` reads it (in the order it was drawn, so a wrapped
    cell's lines stay together), spacing and line breaks made single spaces."""
    pdftotext = need("pdftotext", "the test reads the text of a PDF")
    text = subprocess.run(
        [pdftotext, "-raw", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return [" ".join(page.split()) for page in text.split("\f")]


_FROZEN = textwrap.dedent(
    """
    import os, subprocess, sys, time, uno
    from com.sun.star.beans import PropertyValue

    source, sheet, profile, pipe = sys.argv[1:5]
    hidden = PropertyValue(); hidden.Name = "Hidden"; hidden.Value = True
    office = subprocess.Popen(
        ["soffice", "-env:UserInstallation=" + profile, "--headless", "--invisible",
         "--norestore", "--accept=pipe,name=" + pipe + ";urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(600):
            try:
                remote = resolver.resolve(
                    "uno:pipe,name=" + pipe + ";urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.1)
        desktop = remote.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", remote)
        doc = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(os.path.abspath(source)), "_blank", 0, (hidden,))
        view = doc.getCurrentController()
        view.setActiveSheet(doc.Sheets.getByName(sheet))
        print("frozen" if view.hasFrozenPanes() else "not frozen")
        doc.close(True)
        desktop.terminate()
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()
    """
)


def open_in_calc_frozen(source: Path, sheet: str) -> bool:
    """Whether Calc, opening ``source`` in a view, shows ``sheet`` with frozen panes."""
    need("soffice", "the test opens a workbook in LibreOffice")
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, timeout=60
    ) if Path(SYSTEM_PYTHON).exists() else None  # fmt: skip
    if probe is None or probe.returncode != 0:
        pytest.skip("python3-uno is not installed: the test opens a view in LibreOffice")
    done = subprocess.run(
        [
            SYSTEM_PYTHON,
            "-c",
            _FROZEN,
            str(source),
            sheet,
            _profile(source.parent),
            f"lsids-{os.getpid()}-{uuid.uuid4().hex[:8]}",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )
    answer = done.stdout.strip().splitlines()
    assert answer, f"Calc gave no answer: {done.stderr}"
    return answer[-1] == "frozen"


__all__ = ["need", "open_in_calc_frozen", "pdf_pages", "soffice_to"]
