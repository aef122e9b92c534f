"""Start-up costs milliseconds: importing the library and asking for help load no heavy library.

Each case runs in a fresh interpreter, since this test process has long since imported them all.
``validator.HEAVY_MODULES`` is the documented list.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import validator

EXAMPLES = Path(__file__).parent.parent / "examples"

PROBE = """
import json, sys
{body}
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


def _heavy_loaded(body: str) -> list[str]:
    code = PROBE.format(body=body, heavy=validator.HEAVY_MODULES)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_importing_the_library_loads_no_heavy_module():
    assert _heavy_loaded("import validator") == []


def test_lsids_help_loads_no_heavy_module():
    body = (
        "from validator.cli import main\n"
        "import contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n        main(['--help'])\n    except SystemExit:\n        pass"
    )
    assert _heavy_loaded(body) == []


CSV_RETURNS = [
    "valid/resident-survey_E09000030_2025-26.csv",
    "valid/service-data_E09000030_2025-26.csv",
    # faults of every layer, among them cells the schema layer must read as Frictionless does
    "invalid/uk-date-format/resident-survey_E09000030_2025-26.csv",
    "invalid/weight-zero/resident-survey_E09000030_2025-26.csv",
    "invalid/email-as-respondent-id/resident-survey_E09000030_2025-26.csv",
    "invalid/label-instead-of-code/resident-survey_E09000030_2025-26.csv",
    "invalid/duplicate-respondent-id/resident-survey_E09000030_2025-26.csv",
    "invalid/parts-do-not-add-up/service-data_E09000030_2025-26.csv",
    "invalid/small-count/service-data_E09000030_2025-26.csv",
]


@pytest.mark.parametrize("name", CSV_RETURNS)
def test_a_csv_return_clean_or_faulty_is_checked_without_any_heavy_module(name):
    """No pandas (pyarrow would import it for any value crossing to or from numpy: see
    ``validator/arrow.py``), no ``pyarrow.compute`` (its Python wrappers), no Frictionless
    (``checks/cells.py``), no JSON Schema validator, no workbook or template library."""
    path = EXAMPLES / name
    codes = []
    if "invalid" in name:
        codes = json.loads((path.parent / "expected.json").read_text())["codes"]
    body = (
        "import validator\n"
        f"report = validator.validate({str(path)!r})\n"
        f"assert {{f.code for f in report.findings}} == set({codes!r}), report.findings"
    )
    assert _heavy_loaded(body) == []


def test_a_key_repeated_across_chunks_is_confirmed_without_any_heavy_module():
    """One row a chunk: the repeat is a suspect by its hash, confirmed by reading the file again."""
    path = EXAMPLES / "invalid/duplicate-respondent-id/resident-survey_E09000030_2025-26.csv"
    body = (
        "import validator, validator.readers.table as table\n"
        "table.CHUNK_ROWS = 1\n"
        f"report = validator.validate({str(path)!r})\n"
        "assert [(f.code, f.rows) for f in report.findings] == [('duplicate-key', [7])], report\n"
    )
    assert _heavy_loaded(body) == []


def test_the_json_report_of_a_faulty_csv_loads_no_heavy_module():
    path = EXAMPLES / CSV_RETURNS[2]  # a date written the UK way: read as Frictionless reads it
    body = (
        "from validator.cli import main\n"
        "import contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['validate', {str(path)!r}, '--format', 'json'])"
    )
    assert _heavy_loaded(body) == []


@pytest.mark.parametrize("name", validator.__all__)
def test_every_name_the_library_hands_on_is_there(name):
    assert getattr(validator, name) is not None


GC_PROBE = """
import contextlib, gc, io, json, os, sys
from validator.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    status = main({argv!r})
print(json.dumps({{"status": status, "collecting": gc.isenabled(),
                  "openblas": os.environ.get("OPENBLAS_NUM_THREADS")}}))
"""


def _after_main(argv: list[str], env: dict[str, str] | None = None) -> dict:
    code = GC_PROBE.format(argv=argv)
    environ = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        env={**environ, **(env or {})},
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_lsids_validate_collects_garbage_again_once_the_checks_are_loaded():
    """The collector is off only while the libraries load (``validator/startup.py``)."""
    path = EXAMPLES / CSV_RETURNS[4]  # a faulty file: every layer reports
    after = _after_main(["validate", str(path), "--format", "json"])
    assert after == {"status": 1, "collecting": True, "openblas": "1"}


def test_a_chosen_number_of_openblas_threads_is_kept():
    path = EXAMPLES / CSV_RETURNS[0]
    after = _after_main(["validate", str(path)], env={"OPENBLAS_NUM_THREADS": "2"})
    assert after == {"status": 0, "collecting": True, "openblas": "2"}


MAPPED = """
import ctypes, sys
libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
{body}
block = libc.malloc(4 * 1024 * 1024)
size_field = ctypes.c_size_t.from_address(block - ctypes.sizeof(ctypes.c_size_t)).value
print(bool(size_field & 2))  # glibc's IS_MMAPPED bit: a mapping of its own, unmapped when freed
"""


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or os.confstr("CS_GNU_LIBC_VERSION") is None,
    reason="glibc's malloc only",
)
def test_a_validation_reuses_freed_memory_instead_of_faulting_it_in_again():
    def mapped(body: str) -> bool:
        code = MAPPED.format(body=body)
        command = [sys.executable, "-c", code]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        return done.stdout.strip() == "True"

    assert mapped("")  # glibc's default: a 4 MB block is a fresh mapping
    assert not mapped("from validator import startup; startup.begin()")
