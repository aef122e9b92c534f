"""LibreOffice itself, headless, for the tests that check what an officer using Calc would get.

- ``soffice_convert(paths, to)`` (a fixture) converts one file or several in one run of
  LibreOffice and gives the new paths, with a LibreOffice profile of the test session's own;
- ``soffice_to(source, to, folder)`` converts one file, with a profile of its own;
- ``pdf_pages`` reads a PDF's pages with ``pdftotext``;
- ``open_in_calc_frozen`` opens a workbook in Calc with a (hidden) view through python3-uno and
  answers what only a view can (frozen panes).

``to`` is a LibreOffice target such as ``"ods"``, ``"xls"``, ``"pdf"`` or a filter with its
options (``UTF16_CSV``, ``UTF16_TEXT``); converting to a file's own format is a re-save. Every run
has its own profile (``-env:UserInstallation``), so tests side by side never share one.

When a program is missing on a developer's machine the tests that need it are skipped with a
reason; CI installs Debian's ``libreoffice-calc-nogui``, ``poppler-utils`` and ``python3-uno`` and
sets LSIDS_REQUIRE_LIBREOFFICE=1 so that a missing one fails instead. Import the fixture into the
test module that uses it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

SOFFICE = os.environ.get("SOFFICE_PATH") or shutil.which("soffice") or shutil.which("libreoffice")
REQUIRED = os.environ.get("LSIDS_REQUIRE_LIBREOFFICE") == "1"
SYSTEM_PYTHON = "/usr/bin/python3"

# LibreOffice's CSV filter options: separator, quote, character set (65535 = UTF-16 with a
# byte-order mark), first line, column formats, language, quote all text, detect special
# numbers, save cell contents as shown, export formulas, remove spaces.
UTF16_CSV = "csv:Text - txt - csv (StarCalc):44,34,65535,1,,0,false,true,true,false,false"
"""Text CSV saved with the character set 'Unicode (UTF-16)', comma separated."""
UTF16_TEXT = "txt:Text - txt - csv (StarCalc):9,34,65535,1,,0,false,true,true,false,false"
"""Tab-separated UTF-16 text with a byte-order mark, as Excel's 'Unicode Text' writes it."""

Convert = Callable[..., list[Path]]


def need(program: str, why: str) -> str:
    """The path of ``program``, or skip (fail when LibreOffice is required) saying why."""
    found = SOFFICE if program == "soffice" else shutil.which(program)
    if found:
        return found
    message = f"{program} is not installed: {why} (Debian: libreoffice-calc-nogui, poppler-utils)"
    if REQUIRED:
        pytest.fail(f"LSIDS_REQUIRE_LIBREOFFICE=1 but {message}")
    pytest.skip(message)


def run_soffice(sources: Sequence[Path], to: str, outdir: Path, profile: Path) -> list[Path]:
    """``sources`` converted by LibreOffice to ``to`` in ``outdir``, in one run with ``profile``."""
    soffice = need("soffice", "the test converts files as LibreOffice Calc saves them")
    outdir.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            to,
            "--outdir",
            str(outdir),
            *map(str, sources),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "HOME": str(profile)},
    )
    suffix = to.split(":")[0]
    made = [outdir / f"{source.stem}.{suffix}" for source in sources]
    missing = [path.name for path in made if not path.is_file()]
    assert not missing, f"LibreOffice did not write {missing}: {done.stdout}{done.stderr}"
    return made


def _profile(folder: Path) -> Path:
    return folder / f"lo-profile-{uuid.uuid4().hex}"


@pytest.fixture(scope="session")
def soffice_convert(tmp_path_factory: pytest.TempPathFactory) -> Convert:
    """Convert files with LibreOffice: ``soffice_convert(paths, to, outdir=None)``."""
    need("soffice", "the test saves files as LibreOffice Calc does")
    profile = tmp_path_factory.mktemp("soffice-profile")
    runs = tmp_path_factory.mktemp("soffice-out")

    def convert(paths: Path | Sequence[Path], to: str, outdir: Path | None = None) -> list[Path]:
        sources = [paths] if isinstance(paths, Path) else list(paths)
        out = outdir or Path(runs / f"{to.split(':')[0]}-{len(list(runs.iterdir()))}")
        return run_soffice(sources, to, out, profile)

    return convert


def soffice_to(source: Path, to: str, folder: Path | None = None) -> Path:
    """``source`` converted by LibreOffice to ``to`` (pdf, ods, xlsx…), written in ``folder``."""
    folder = Path(folder or source.parent / f"converted-{to}")
    (made,) = run_soffice([source], to, folder, _profile(folder.parent))
    return made


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
            _profile(source.parent).as_uri(),
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
