"""Golden reports: every example file's JSON report, stored and compared word for word.

Each ``examples/valid/*.csv`` and ``examples/invalid/<case>/*`` file is validated (with the type
and options its ``expected.json`` names) and its ``Report.to_dict()`` compared with
``tests/golden/<name>.json``. The validator version is replaced by a placeholder so a release does
not touch every file; the source is the path relative to the repository.

When a change to the validator, the catalogue or the examples changes a report on purpose,
regenerate the files:

    LSIDS_REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py

WARNING: regenerating overwrites the golden files with whatever the validator says now. Read the
diff (``git diff tests/golden``) line by line before you commit it: every changed message, row or
count is a change a borough officer will see.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from validator import validate

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"
REGENERATE = os.environ.get("LSIDS_REGENERATE_GOLDEN") == "1"
VERSION_PLACEHOLDER = "<validator version>"
HOW_TO_REGENERATE = (
    "If the change is intended, regenerate with "
    "`LSIDS_REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py` "
    "and read `git diff tests/golden` before committing."
)


def example_cases() -> list[tuple[str, Path, dict[str, Any]]]:
    """(golden name, data file, validate() options) for every example file, in a stable order."""
    cases = []
    for path in sorted((EXAMPLES / "valid").glob("*.csv")):
        cases.append((f"valid-{path.stem}", path, {}))
    for case in sorted(p for p in (EXAMPLES / "invalid").iterdir() if p.is_dir()):
        expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
        options = {k: v for k, v in expected.get("options", {}).items() if v}
        options["type"] = expected["type"]
        files = sorted(p for p in case.iterdir() if p.name != "expected.json")
        for data in files:
            name = f"invalid-{case.name}" + (f"-{data.stem}" if len(files) > 1 else "")
            cases.append((name, data, options))
    return cases


CASES = example_cases()


def stable_report(path: Path, options: dict[str, Any]) -> dict[str, Any]:
    """The report as stored: validator version replaced, source relative to the repository."""
    report = validate(path, **options).to_dict()
    report["validator_version"] = VERSION_PLACEHOLDER
    source = report.get("source")
    if source and Path(source).is_absolute():
        report["source"] = Path(source).relative_to(ROOT).as_posix()
    return report


def dump(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def check_golden(golden: Path, actual: str, label: str, *, regenerate: bool = False) -> str | None:
    """Compare ``actual`` with the stored file: None when equal, else a readable failure message.

    With ``regenerate`` the stored file is first overwritten with ``actual``.
    """
    if regenerate:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8", newline="\n")
    if not golden.is_file():
        return f"There is no golden file {golden.name} for {label}. {HOW_TO_REGENERATE}"
    expected = golden.read_text(encoding="utf-8")
    if actual == expected:
        return None
    diff = "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=f"{golden.name} (stored)",
            tofile=f"{label} (validated now)",
        )
    )
    return f"The report for {label} changed:\n{diff}\n{HOW_TO_REGENERATE}"


@pytest.mark.parametrize(("name", "path", "options"), CASES, ids=[c[0] for c in CASES])
def test_report_matches_its_golden_file(name, path, options):
    actual = dump(stable_report(path, options))
    label = path.relative_to(ROOT).as_posix()
    problem = check_golden(GOLDEN / f"{name}.json", actual, label, regenerate=REGENERATE)
    if problem:
        pytest.fail(problem, pytrace=False)


def test_every_golden_file_belongs_to_an_example():
    """A golden file whose example was removed or renamed is stale: delete it."""
    names = {name for name, _, _ in CASES}
    stale = sorted(p.name for p in GOLDEN.glob("*.json") if p.stem not in names)
    assert not stale, f"golden files with no example (delete them): {', '.join(stale)}"


def test_golden_reports_agree_with_what_each_example_declares():
    """The stored files say what examples/README.md promises: valid files clean, cases exact."""
    for name, path, _ in CASES:
        stored = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
        assert stored["validator_version"] == VERSION_PLACEHOLDER
        assert stored["source"] == path.name
        if name.startswith("valid-"):
            assert stored["valid"] and stored["findings"] == [], name
        else:
            expected = json.loads((path.parent / "expected.json").read_text(encoding="utf-8"))
            assert sorted({f["code"] for f in stored["findings"]}) == sorted(expected["codes"])


def test_there_is_a_golden_file_for_every_valid_and_invalid_example():
    assert sum(n.startswith("valid-") for n, _, _ in CASES) >= 3
    assert sum(n.startswith("invalid-") for n, _, _ in CASES) >= 10


def test_a_changed_report_fails_with_a_diff_and_regenerating_makes_it_pass(tmp_path):
    """A stale stored file (an old message wording) fails with a diff; the switch rewrites it."""
    name, path, options = next(c for c in CASES if c[0].startswith("invalid-"))
    stored = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    current = stored["findings"][0]["message"]
    stored["findings"][0]["message"] = "An old wording of the message."
    golden = tmp_path / f"{name}.json"
    golden.write_text(dump(stored), encoding="utf-8")
    actual = dump(stable_report(path, options))

    problem = check_golden(golden, actual, "the example")
    assert problem is not None
    assert '-      "message": "An old wording of the message.",' in problem
    assert f'+      "message": {json.dumps(current, ensure_ascii=False)},' in problem
    assert "LSIDS_REGENERATE_GOLDEN=1" in problem and "git diff tests/golden" in problem

    assert check_golden(golden, actual, "the example", regenerate=True) is None
    assert golden.read_text(encoding="utf-8") == actual
    assert check_golden(golden, actual, "the example") is None


def test_a_missing_golden_file_says_how_to_create_it(tmp_path):
    problem = check_golden(tmp_path / "new.json", "{}\n", "a new example")
    assert problem and "no golden file new.json" in problem
    assert "LSIDS_REGENERATE_GOLDEN=1" in problem
