"""The JSON report and its reference page agree: every key ``lsids validate --format json``
writes is documented on ``report-format.md``, and every documented key is written."""

from __future__ import annotations

import json
from pathlib import Path

from validator.docgen import render_pages
from validator.docgen.findings import INPUT_ERROR_FIELDS, REPORT_FIELDS
from validator.standard import available_versions, load_standard

ROOT = Path(__file__).resolve().parents[2]
INVALID_EXAMPLE = (
    ROOT / "examples/invalid/label-instead-of-code/resident-survey_E09000030_2025-26.csv"
)


def key_paths(data: dict, prefix: str = "") -> set[str]:
    """Every key of a JSON object as a path: summary.rows, findings[].code."""
    paths = set()
    for key, value in data.items():
        path = prefix + key
        paths.add(path)
        if isinstance(value, dict):
            paths |= key_paths(value, path + ".")
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for item in value:
                paths |= key_paths(item, path + "[].")
    return paths


def test_every_key_of_the_json_report_is_documented_and_every_documented_key_is_written(lsids):
    status, out, _ = lsids("validate", INVALID_EXAMPLE, "--format", "json")
    assert status == 1
    report = json.loads(out)
    assert report["findings"], "the example must have a finding, so finding keys are seen"
    assert key_paths(report) == {f.path for f in REPORT_FIELDS}


def test_the_json_for_an_unreadable_file_is_documented(tmp_path, lsids):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    status, out, err = lsids("validate", empty, "--format", "json")
    assert status == 2 and "The file is empty." in err
    assert key_paths(json.loads(out)) == {f.path for f in INPUT_ERROR_FIELDS}


def test_the_report_format_page_documents_each_key_with_its_meaning():
    page = render_pages()["reference/report-format.md"]
    for f in (*REPORT_FIELDS, *INPUT_ERROR_FIELDS):
        assert f"| `{f.path}` | {f.type} |" in page
    assert '"format_version": "1.0"' in page  # the example is a real Report.to_dict()


def test_the_example_report_follows_the_version_of_the_standard_the_pages_are_made_from():
    for version in available_versions():
        page = render_pages(load_standard(version))["reference/report-format.md"]
        assert f'"standard_version": "{version}"' in page
