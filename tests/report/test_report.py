"""The Report: grouping, order, the JSON round trip, and the HTML and text renderings."""

from __future__ import annotations

import json

import pandas as pd

from validator import Finding, Report, validate
from validator.report import MAX_ROWS, Collector
from validator.report.render import Outcome, render_html, render_json, render_text
from validator.synthetic import generate_service, generate_survey


def _survey_with_repeats(rows: int, bad: int) -> pd.DataFrame:
    frame = generate_survey("E09000030", "2025-26", rows, seed=9)
    frame.loc[: bad - 1, "mode"] = "Online"
    return frame


def test_a_repeated_mistake_is_one_entry_with_a_count():
    report = validate(_survey_with_repeats(400, 250))
    [finding] = [f for f in report.findings if f.code == "not-in-codelist"]
    assert finding.count == 250
    assert finding.rows == list(range(2, 2 + MAX_ROWS)) and finding.truncated
    assert report.summary["errors"] == 250 and report.summary["truncated"]


def test_different_wrong_values_are_different_entries():
    frame = generate_survey("E09000030", "2025-26", 100, seed=9)
    frame.loc[[0, 1], "mode"] = "Online"
    frame.loc[[2], "mode"] = "Phone"
    report = validate(frame)
    found = sorted((f.value, f.count) for f in report.findings if f.code == "not-in-codelist")
    assert found == [("Online", 2), ("Phone", 1)]


def test_order_is_structure_first_then_row_column_code():
    collector = Collector(columns={"a": 0, "b": 1})
    collector.add("routed-answer", field="b", rows=[3], gate="a", gate_values="'x'")
    collector.add("type-error", field="b", rows=[2])
    collector.add("not-in-codelist", field="a", rows=[2], value="x")
    collector.add("missing-column", field="c", title="C")
    codes = [f.code for f in collector.findings()]
    assert codes == ["missing-column", "not-in-codelist", "type-error", "routed-answer"]


def test_to_dict_round_trips_and_is_json():
    report = validate(_survey_with_repeats(120, 3))
    data = json.loads(render_json(report))
    assert data == report.to_dict()
    assert Report.from_dict(data).to_dict() == data
    assert data["format_version"] == "1.0"


def test_finding_carries_where_a_person_looks():
    report = validate(_survey_with_repeats(120, 1))
    [finding] = [f for f in report.findings if f.code == "not-in-codelist"]
    assert (finding.field, finding.column, finding.row, finding.value) == ("mode", "F", 2, "Online")
    assert isinstance(finding, Finding) and finding.hint.startswith("'Online' is a label")


def test_html_escapes_cell_values_and_has_an_error_summary():
    frame = generate_service("E09000030", "2025-26", seed=1, small_counts=False)
    frame.loc[0, "status"] = "<script>alert('x')</script>"
    frame.loc[1, "notes"] = "x" * 1001
    page = render_html([Outcome("return.csv", validate(frame))])
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert 'class="error-summary"' in page and "There is a problem" in page
    assert page.count('href="#finding-1-') == 2
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in page


def test_html_for_a_valid_return_says_it_can_be_submitted():
    frame = generate_service("E09000030", "2025-26", seed=1, small_counts=False)
    page = render_html([Outcome("return.csv", validate(frame))])
    assert "This return can be submitted" in page and "There is a problem" not in page


def test_text_is_grouped_and_plain_off_a_terminal():
    report = validate(_survey_with_repeats(300, 150))
    text = render_text(Outcome("survey.csv", report))
    assert "NOT VALID" in text and "not-in-codelist ×150" in text
    assert "and 140 more" in text and "\033[" not in text
    assert "\033[31m" in render_text(Outcome("survey.csv", report), colour=True)
