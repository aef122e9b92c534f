"""LibreOffice itself, headless, to save files as an officer's LibreOffice Calc would.

``soffice_convert(paths, to)`` converts one file or several (in one run of LibreOffice) and gives
the new paths: ``to`` is a LibreOffice target such as ``"ods"``, ``"xls"`` or a filter with its
options (``UTF16_CSV``, ``UTF16_TEXT``). Each test session gets its own LibreOffice profile
(``-env:UserInstallation``), so parallel runs never share one.

When ``soffice`` is missing on a developer's machine the tests that need it are skipped with a
reason; CI installs Debian's ``libreoffice-calc-nogui`` and sets LSIDS_REQUIRE_LIBREOFFICE=1 so
that a missing LibreOffice fails instead. Import the fixture into the test module that uses it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

SOFFICE = os.environ.get("SOFFICE_PATH") or shutil.which("soffice") or shutil.which("libreoffice")

# LibreOffice's CSV filter options: separator, quote, character set (65535 = UTF-16 with a
# byte-order mark), first line, column formats, language, quote all text, detect special
# numbers, save cell contents as shown, export formulas, remove spaces.
UTF16_CSV = "csv:Text - txt - csv (StarCalc):44,34,65535,1,,0,false,true,true,false,false"
"""Text CSV saved with the character set 'Unicode (UTF-16)', comma separated."""
UTF16_TEXT = "txt:Text - txt - csv (StarCalc):9,34,65535,1,,0,false,true,true,false,false"
"""Tab-separated UTF-16 text with a byte-order mark, as Excel's 'Unicode Text' writes it."""

Convert = Callable[..., list[Path]]


@pytest.fixture(scope="session")
def soffice_convert(tmp_path_factory: pytest.TempPathFactory) -> Convert:
    """Convert files with LibreOffice: ``soffice_convert(paths, to, outdir=None)``."""
    if not SOFFICE:
        if os.environ.get("LSIDS_REQUIRE_LIBREOFFICE"):
            pytest.fail(
                "LibreOffice is required here but was not found "
                "(apt-get install libreoffice-calc-nogui)"
            )
        pytest.skip(
            "no LibreOffice: install it with 'apt-get install libreoffice-calc-nogui' to run "
            "the tests that save files as LibreOffice Calc does"
        )
    profile = tmp_path_factory.mktemp("soffice-profile")
    runs = tmp_path_factory.mktemp("soffice-out")

    def convert(paths: Path | Sequence[Path], to: str, outdir: Path | None = None) -> list[Path]:
        sources = [paths] if isinstance(paths, Path) else list(paths)
        out = outdir or Path(runs / f"{to.split(':')[0]}-{len(list(runs.iterdir()))}")
        out.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--nologo",
                "--convert-to",
                to,
                "--outdir",
                str(out),
                *map(str, sources),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "HOME": str(profile)},
        )
        suffix = to.split(":")[0]
        made = [out / f"{source.stem}.{suffix}" for source in sources]
        missing = [path.name for path in made if not path.is_file()]
        assert not missing, f"LibreOffice did not write {missing}: {done.stdout}{done.stderr}"
        return made

    return convert
