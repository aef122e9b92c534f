"""Every published version is kept, and a return is checked against the version it names."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import validator.standard as standard_module
from validator import InputError, validate
from validator.cli import main
from validator.standard import available_versions, current_version, load_standard

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "valid" / "resident-survey_E09000003_2025-26.csv"


@pytest.fixture
def archived(tmp_path, monkeypatch):
    """A copy of the standard with an older release, 0.9.0, kept under archive/."""
    current = tmp_path / "standard"
    shutil.copytree(ROOT / "standard", current)
    old = current / "archive" / "0.9.0"
    shutil.copytree(ROOT / "standard", old, ignore=shutil.ignore_patterns("archive"))
    package = json.loads((old / "datapackage.json").read_text(encoding="utf-8"))
    package["version"] = "0.9.0"
    (old / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    # In 0.9.0 the sex question had no 'prefer not to say' answer.
    sex = old / "codelists" / "sex.csv"
    sex.write_text(
        "\n".join(line for line in sex.read_text().splitlines() if "prefer_not" not in line) + "\n"
    )
    monkeypatch.setattr(standard_module, "standard_root", lambda: current)
    load_standard.cache_clear()
    yield
    load_standard.cache_clear()


def test_the_validator_knows_every_archived_version_and_checks_against_the_one_named(
    archived, tmp_path
):
    assert available_versions() == ["0.9.0", "1.0.0", "1.1.0"]
    rows = EXAMPLE.read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    sex = header.index("sex")
    cells = rows[1].split(",")
    cells[sex] = "prefer_not_to_say"
    edited = tmp_path / "return.csv"
    edited.write_text("\n".join([rows[0], ",".join(cells), *rows[2:]]) + "\n", encoding="utf-8")

    now = validate(edited)
    assert now.standard_version == current_version() == "1.1.0"
    assert "not-in-codelist" not in now.codes

    then = validate(edited, standard_version="0.9.0")
    assert then.standard_version == "0.9.0"
    (finding,) = [f for f in then.findings if f.code == "not-in-codelist"]
    assert finding.field == "sex" and finding.row == 2


def test_an_unknown_version_is_refused_with_the_versions_it_knows(archived, capsys):
    with pytest.raises(InputError) as caught:
        validate(EXAMPLE, standard_version="3.0.0")
    assert "0.9.0, 1.0.0, 1.1.0" in caught.value.message
    assert main(["validate", str(EXAMPLE), "--standard-version", "3.0.0"]) == 2
    assert "3.0.0" in capsys.readouterr().out


@pytest.mark.parametrize("example", sorted(EXAMPLE.parent.glob("*.csv")), ids=lambda p: p.name)
def test_a_return_naming_the_previous_version_is_checked_against_it_and_stays_valid(example):
    report = validate(example, standard_version="1.0.0")
    assert report.standard_version == "1.0.0"
    assert report.valid, report.codes
    assert load_standard("1.0.0").path.name == "1.0.0"
