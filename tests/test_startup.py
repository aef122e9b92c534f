"""Start-up costs milliseconds: importing the library and asking for help load no heavy library.

Each case runs in a fresh interpreter, since this test process has long since imported them all.
``validator.HEAVY_MODULES`` is the documented list.
"""

from __future__ import annotations

import json
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


def test_a_clean_csv_is_checked_without_workbook_template_or_frictionless_libraries():
    path = EXAMPLES / "valid/resident-survey_E09000030_2025-26.csv"
    body = f"import validator\nassert validator.validate({str(path)!r}).valid"
    loaded = set(_heavy_loaded(body))
    # pandas may still arrive through pyarrow, which imports it to recognise pandas objects
    assert loaded <= {"pandas"}, loaded


@pytest.mark.parametrize("name", validator.__all__)
def test_every_name_the_library_hands_on_is_there(name):
    assert getattr(validator, name) is not None
