"""Hostile and broken "CSV files" through the command line: the right exit status, one clear
message, and never a traceback.

The files are built on the fly by ``hostile_csv`` (no binaries in git). Cases that are not a
table at all must stop with exit status 2 and an input-problem code; cases that are a table with
nasty cells must be checked like any other return, with the cells kept as written and shown
inert in the HTML report.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import hostile_csv as hostile
import pytest

INTERNAL_ERROR = "something went wrong inside the validator"


def validate_json(lsids, path: Path, *extra: str) -> tuple[int, dict, str]:
    status, out, err = lsids("validate", path, "--format", "json", *extra)
    assert "Traceback" not in out + err and INTERNAL_ERROR not in out + err, err
    return status, json.loads(out), err


UNREADABLE = [
    (hostile.empty_file, "empty-file", ["empty"]),
    (hostile.png_renamed, "not-a-table", ["PNG image"]),
    (hostile.pdf_renamed, "not-a-table", ["PDF"]),
    (hostile.binary_junk, "not-a-table", ["not a CSV file"]),
    (hostile.nul_bytes, "not-a-table", ["NUL"]),
    (hostile.ten_thousand_columns, "too-many-columns", ["10,000 columns", "1,000"]),
]


@pytest.mark.parametrize(
    ("build", "code", "words"), UNREADABLE, ids=[c[0].__name__ for c in UNREADABLE]
)
def test_a_file_that_is_not_a_return_stops_with_one_clear_message(
    tmp_path, build, code, words, lsids
):
    path = build(tmp_path)
    status, report, err = validate_json(lsids, path)
    assert status == 2
    assert report["error"]["code"] == code
    for word in words:
        assert word in report["error"]["message"]
    assert report["error"]["hint"], "every input problem says what to do"
    [line] = err.splitlines()  # one message on stderr, naming the file
    assert line == f"lsids: {path}: {report['error']['message']}"

    status, out, err = lsids("validate", path)  # the text a person reads
    assert status == 2
    assert f"{path}: COULD NOT CHECK" in out and report["error"]["message"] in out


def test_a_header_with_no_rows_is_invalid_not_unreadable(tmp_path, lsids):
    status, report, _ = validate_json(lsids, hostile.header_only(tmp_path))
    assert status == 1 and report["valid"] is False
    assert [f["code"] for f in report["findings"]] == ["no-data-rows"]
    assert report["summary"]["rows"] == 0


def test_a_200_mb_line_stops_with_line_too_long_in_bounded_memory(tmp_path):
    """Run in a fresh interpreter so its peak memory is this file's alone."""
    path = hostile.single_line(tmp_path)
    script = textwrap.dedent(
        """
        import contextlib, io, json, resource, sys
        from validator.cli import main
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(["validate", sys.argv[1], "--format", "json"])
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps({"status": status, "out": out.getvalue(), "err": err.getvalue(),
                          "growth_mb": (after - before) / 1024}))
        """
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=120
        )
    finally:
        path.unlink()  # do not leave 200 MB behind in pytest's kept temporary folders
    assert "Traceback" not in done.stderr, done.stderr
    result = json.loads(done.stdout)
    assert result["status"] == 2
    assert json.loads(result["out"])["error"]["code"] == "line-too-long"
    assert "longer than 1 MB" in result["err"]
    assert result["growth_mb"] < 300, f"peak memory grew by {result['growth_mb']:.0f} MB"


def test_mixed_line_endings_keep_the_verdict_and_the_row_numbers(tmp_path, lsids):
    clean = hostile.mixed_line_endings(tmp_path)
    raw = clean.read_bytes()
    assert (
        b"\r\n" in raw and b"\r" in raw.replace(b"\r\n", b"") and b"\n" in raw.replace(b"\r\n", b"")
    )
    status, report, _ = validate_json(lsids, clean)
    assert status == 0 and report["findings"] == []
    assert report["summary"]["rows"] == len(hostile.base_lines()) - 1

    for bad_row in (2, 3, 4, 30):  # after each kind of line ending
        path = hostile.mixed_line_endings(tmp_path, bad_row=bad_row)
        status, report, _ = validate_json(lsids, path)
        assert status == 1
        [finding] = report["findings"]
        assert (finding["code"], finding["rows"], finding["value"]) == (
            "not-in-codelist",
            [bad_row],
            "finished",
        )


def test_cells_starting_with_formula_characters_are_kept_as_written(tmp_path, lsids):
    path = hostile.formula_cells(tmp_path)
    status, report, _ = validate_json(lsids, path)
    assert status == 1
    found = {f["row"]: f for f in report["findings"]}
    assert set(found) == set(hostile.FORMULA_STATUSES), "notes may start with = + - @"
    for row, value in hostile.FORMULA_STATUSES.items():
        assert (found[row]["code"], found[row]["field"], found[row]["value"]) == (
            "not-in-codelist",
            "status",
            value,
        )
        assert found[row]["column"] == hostile.STATUS_COLUMN

    status, html, _ = lsids("validate", path, "--format", "html")
    assert '<td class="value">=1+1</td>' in html
    assert '<td class="value">@SUM(A1)</td>' in html


def test_html_and_script_in_cells_are_shown_as_text_in_the_html_report(tmp_path, lsids):
    path = hostile.html_cells(tmp_path)
    status, report, _ = validate_json(lsids, path)
    assert status == 1
    values = {f["row"]: f["value"] for f in report["findings"]}
    assert values == hostile.HTML_STATUSES  # kept exactly as written

    status, html, _ = lsids("validate", path, "--format", "html")
    assert status == 1
    assert "&lt;script&gt;alert(&#34;status&#34;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;b&gt;final&lt;/b&gt;" in html
    assert not re.search(r"<\s*(script|img)\b", html, re.I), "markup from the data reached the page"
    assert "onerror=alert(1)>" not in html.replace("&lt;img src=x onerror=alert(1)&gt;", "")


def test_a_utf16_file_is_refused_with_exit_2_and_no_traceback(tmp_path, lsids):
    path = hostile.utf16_unicode_text(tmp_path)
    status, out, err = lsids("validate", path)
    assert status in (0, 2)
    assert "Traceback" not in out + err and INTERNAL_ERROR not in out + err
    if status == 2:
        assert "COULD NOT CHECK" in out


def test_a_utf16_file_is_read_or_named_as_unicode_text(tmp_path, lsids):
    path = hostile.utf16_unicode_text(tmp_path)
    status, out, _ = lsids("validate", path)
    if status == 0:
        assert "VALID" in out
    else:
        assert re.search(r"UTF-16|Unicode", out), out


def test_a_path_with_dot_dots_and_odd_characters_is_shown_safely(tmp_path, lsids):
    path = hostile.odd_file_name(tmp_path)
    tricky = tmp_path / "sub" / ".." / "sub" / path.name
    status, report, _ = validate_json(lsids, tricky)
    assert status == 1
    assert report["source"] == hostile.ODD_NAME  # the file's own name, no folders
    assert [f["code"] for f in report["findings"]] == ["not-in-codelist"]

    status, html, _ = lsids("validate", tricky, "--format", "html")
    assert status == 1
    assert "&lt;img src=x onerror=alert(1)&gt; &#34;n&amp;me&#34; £ é" in html
    assert not re.search(r"<\s*img\b", html, re.I)


def test_terminal_control_characters_never_reach_the_terminal(tmp_path, lsids):
    for path in (hostile.odd_file_name(tmp_path), hostile.control_characters_in_a_cell(tmp_path)):
        status, out, err = lsids("validate", path)
        assert status == 1
        assert "\x1b" not in out + err, repr(out)


def test_the_console_script_never_shows_a_traceback_on_any_hostile_file(tmp_path):
    """One real ``lsids`` process over every small hostile file at once."""
    builders = [build for build, _, _ in UNREADABLE] + [
        hostile.header_only,
        hostile.mixed_line_endings,
        hostile.formula_cells,
        hostile.html_cells,
        hostile.utf16_unicode_text,
        hostile.odd_file_name,
    ]
    paths = [str(build(tmp_path)) for build in builders]
    lsids = Path(sys.executable).with_name("lsids")
    done = subprocess.run(
        [str(lsids), "validate", *paths, "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stdout + done.stderr
    assert INTERNAL_ERROR not in done.stderr
    results = json.loads(done.stdout)
    assert len(results) == len(paths)
    unreadable = [r for r in results if "error" in r]
    assert len(done.stderr.strip().splitlines()) == len(unreadable)
