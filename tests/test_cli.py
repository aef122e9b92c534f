"""The command line: exit codes, the pinned JSON shape, and one verdict whatever the route."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from validator import validate
from validator.cli import main
from validator.synthetic import generate_service, generate_survey

FINDING_KEYS = {
    "code": str,
    "severity": str,
    "message": str,
    "hint": str,
    "field": (str, type(None)),
    "column": (str, type(None)),
    "row": (int, type(None)),
    "value": (str, type(None)),
    "count": int,
    "rows": list,
    "truncated": bool,
    "sheet": (str, type(None)),
}
REPORT_KEYS = {
    "format_version": str,
    "valid": bool,
    "type": str,
    "type_inferred": bool,
    "standard_version": str,
    "validator_version": str,
    "source": (str, type(None)),
    "format": (str, type(None)),
    "sheet": (str, type(None)),
    "summary": dict,
    "findings": list,
}


@pytest.fixture
def valid_csv(tmp_path):
    path = tmp_path / "valid.csv"
    generate_service("E09000030", "2025-26", seed=2, small_counts=False).to_csv(path, index=False)
    return path


@pytest.fixture
def invalid_csv(tmp_path):
    frame = generate_survey("E09000030", "2025-26", 150, seed=2)
    frame.loc[3, "weight"] = "-2"
    frame.loc[[4, 5], "sex"] = "Female"
    frame.loc[6, "interview_date"] = "2025-02-30"
    path = tmp_path / "invalid.csv"
    frame.to_csv(path, index=False)
    return path


def test_exit_status_0_1_2(valid_csv, invalid_csv, tmp_path, lsids):
    assert lsids("validate", valid_csv)[0] == 0
    assert lsids("validate", invalid_csv)[0] == 1
    assert lsids("validate", valid_csv, invalid_csv)[0] == 1
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    status, out, _ = lsids("validate", empty, valid_csv)
    assert status == 2 and "COULD NOT CHECK" in out and "The file is empty." in out
    assert lsids("validate", valid_csv, "--borough", "Hackney")[0] == 2
    assert lsids("validate", valid_csv, "--period", "2025")[0] == 2
    with pytest.raises(SystemExit) as caught:
        main(["validate", str(valid_csv), "--type", "nonsense"])
    assert caught.value.code == 2


def test_json_shape_is_pinned(invalid_csv, lsids):
    status, out, _ = lsids("validate", invalid_csv, "--format", "json")
    data = json.loads(out)
    assert status == 1
    assert set(data) == set(REPORT_KEYS)
    for key, kind in REPORT_KEYS.items():
        assert isinstance(data[key], kind), key
    assert set(data["summary"]) == {"rows", "errors", "warnings", "truncated"}
    assert data["summary"]["rows"] == 150 and data["summary"]["errors"] == 4
    for finding in data["findings"]:
        assert set(finding) == set(FINDING_KEYS)
        for key, kind in FINDING_KEYS.items():
            assert isinstance(finding[key], kind), key
    codes = {(f["code"], f["field"], tuple(f["rows"])) for f in data["findings"]}
    assert ("out-of-range", "weight", (5,)) in codes
    assert ("not-in-codelist", "sex", (6, 7)) in codes
    assert ("type-error", "interview_date", (8,)) in codes


def test_same_report_by_every_route(invalid_csv, lsids):
    _, out, _ = lsids("validate", invalid_csv, "--format", "json")
    by_cli = json.loads(out)
    by_path = validate(invalid_csv).to_dict()
    with invalid_csv.open("rb") as fh:
        by_file = validate(fh).to_dict()
    by_frame = validate(pd.read_csv(invalid_csv, dtype=str, keep_default_na=False)).to_dict()
    ignore = {"source": None, "format": None}
    assert {**by_cli, **ignore} == {**by_path, **ignore}
    assert {**by_file, **ignore} == {**by_path, **ignore}
    assert {**by_frame, **ignore} == {**by_path, **ignore}


def test_output_file_and_html(invalid_csv, tmp_path, lsids):
    target = tmp_path / "report.html"
    status, out, _ = lsids("validate", invalid_csv, "--format", "html", "--output", target)
    assert status == 1 and out == ""
    page = target.read_text(encoding="utf-8")
    assert "There is a problem" in page and "Female" in page


def test_text_output_names_row_column_and_fix(invalid_csv, lsids):
    _, out, _ = lsids("validate", invalid_csv)
    assert "NOT VALID" in out
    assert "column H (sex), rows 6, 7" in out
    assert "'Female' is a label; this column wants its code female." in out


def test_explain(lsids):
    status, out, _ = lsids("explain", "routed-answer")
    assert status == 0 and "Answer to a question not asked" in out
    status, _, err = lsids("explain", "no-such-code")
    assert status == 2 and "not-in-codelist" in err


def test_standard_describes_fields_codes_and_measures(lsids):
    status, out, _ = lsids("standard")
    assert status == 0
    assert "resident-survey" in out and "respondent_id" in out
    assert "boroughs" in out and "out_belonging_neighbourhood" in out


def test_console_script_never_shows_a_traceback(tmp_path):
    junk = tmp_path / "photo.csv"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)
    done = subprocess.run(
        [sys.executable, "-m", "validator.cli", "validate", str(junk)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stdout + done.stderr
    assert "PNG image" in done.stdout


def test_progress_only_on_a_terminal(valid_csv, lsids):
    status, _, err = lsids("validate", valid_csv)
    assert status == 0 and err == ""  # stderr is not a terminal here: quiet
    seen: list[int] = []
    validate(valid_csv, progress=seen.append)
    assert seen and seen[-1] == len(pd.read_csv(valid_csv))
