"""A plain `pip install` carries the standard inside the package, so validate runs anywhere."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_ships_the_standard_and_validates_outside_the_checkout(tmp_path):
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("lsids-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for part in ("datapackage.json", "schemas/resident-survey.json", "codelists/boroughs.csv"):
        assert f"validator/_standard/{part}" in names
    assert not [n for n in names if "__pycache__" in n]  # nor the checkout's cache of the standard
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    example = ROOT / "examples" / "valid" / "service-data_E09000003_2025-26.csv"
    script = (
        "import validator, sys; "
        "assert 'site' in validator.__file__, validator.__file__; "
        "from validator.standard import standard_root; print(standard_root()); "
        f"r = validator.validate({str(example)!r}); sys.exit(0 if r.valid else 1)"
    )
    # Run from tmp_path with only the unpacked wheel on the path: no access to the checkout.
    ran = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(site)!r}); {script}"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert ran.returncode == 0, ran.stderr
    assert str(site / "validator" / "_standard") in ran.stdout
