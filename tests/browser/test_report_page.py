"""The HTML report (the page the portal will show) read in a real browser, checked with axe."""

from __future__ import annotations

from pathlib import Path

import pytest

from validator.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def html_report(tmp_path: Path, *sources: Path) -> str:
    out = tmp_path / "report.html"
    main(["validate", *map(str, sources), "--format", "html", "--output", str(out)])
    return out.as_uri()


@pytest.fixture(autouse=True)
def _no_network(page):
    """The report is self-contained: any request beyond the file itself is a defect."""
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    yield
    assert all(url.startswith("file://") for url in requests), requests


def test_report_with_problems_passes_axe_and_its_summary_links_reach_each_problem(
    tmp_path, page, violations
):
    routed = (EXAMPLES / "invalid" / "routed-answer").glob("*.csv")
    label = (EXAMPLES / "invalid" / "label-instead-of-code").glob("*.csv")
    page.goto(html_report(tmp_path, *routed, *label))
    assert violations(page) == []
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    links = summary.locator("a")
    assert links.count() >= 2
    for i in range(links.count()):
        target = links.nth(i).get_attribute("href")
        assert target.startswith("#")
        assert page.locator(target).count() == 1, f"{target} leads nowhere"
    first = links.first.get_attribute("href")
    links.first.click()
    assert page.url.endswith(first)
    assert "strongly_agree" in page.inner_text("body")


def test_clean_report_passes_axe_and_shows_no_error_summary(tmp_path, page, violations):
    page.goto(html_report(tmp_path, *(EXAMPLES / "valid").glob("service-data_E09000003_*.csv")))
    assert violations(page) == []
    assert page.locator(".error-summary").count() == 0
    assert "not valid" not in page.inner_text("body").lower()


def test_script_in_a_cell_is_shown_not_run(tmp_path, page):
    source = EXAMPLES / "valid" / "service-data_E09000003_2025-26.csv"
    lines = source.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[-1] = '"<script>window.pwned=1</script><img src=x onerror=window.pwned=2>"'
    cells[5] = "-3"  # a negative numerator, so the row (and its cells) appear in the report
    hostile = tmp_path / "hostile.csv"
    hostile.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    page.goto(html_report(tmp_path, hostile))
    assert page.evaluate("window.pwned") is None
    assert page.locator("script").count() == 0


def test_axe_is_really_running_a_broken_page_fails(tmp_path, page, violations):
    """Guard: an unlabelled input and an image without alt text must be caught."""
    broken = tmp_path / "broken.html"
    broken.write_text("<html><body><input type=text><img src=x.png></body></html>")
    page.goto(broken.as_uri())
    assert {"image-alt", "label"} <= {v["id"] for v in violations(page)}
