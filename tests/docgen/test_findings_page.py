"""``lsids explain CODE`` and the generated findings page say the same thing.

``lsids explain CODE`` and ``docs/reference/findings.md`` use the catalogue's words for every code,
and the page lists every code under its layer with its severity.
"""

from __future__ import annotations

import re
import string

import pytest

from validator.catalogue import CATALOGUE
from validator.docgen.findings import LAYERS, fill_in, findings_page

FINDINGS_PAGE = findings_page()


def plain(markdown: str) -> str:
    """Markdown as a reader sees the words: escapes undone, italics and code marks dropped."""
    text = re.sub(r"\\([\\`*_\[\]|])", r"\1", markdown).replace("&lt;", "<")
    return text.replace("*", "").replace("`", "")


def section(code: str) -> str:
    match = re.search(
        rf"^### {re.escape(code)}\n(.*?)(?=^#{{2,3}} |\Z)", FINDINGS_PAGE, re.S | re.M
    )
    assert match, f"no section for {code} on the findings page"
    return match.group(1)


def fixed_words(template: str) -> list[str]:
    """The parts of a catalogue template that are the same in every report (not filled in)."""
    parts = [literal for literal, _, _, _ in string.Formatter().parse(template)]
    return [p.strip().replace("`", "") for p in parts if p.strip(" .,()'")]


@pytest.mark.parametrize("code", list(CATALOGUE))
def test_explain_and_the_findings_page_use_the_same_words(code, lsids):
    entry = CATALOGUE[code]
    status, out, _ = lsids("explain", code)
    assert status == 0
    out = out.replace("`", "")
    page = plain(section(code))
    assert entry.title in out and entry.title in page
    for words in fixed_words(entry.description):
        assert words in out, f"explain {code} lacks: {words}"
        assert words in page, f"findings.md ({code}) lacks: {words}"
    if "How to fix it:" in out:
        for words in fixed_words(entry.hint):
            assert words in out.split("How to fix it:")[1]
            assert words in page.split("How to fix it:")[1], f"findings.md ({code}) lacks: {words}"
    elif entry.hint:
        for words in fixed_words(entry.hint):
            assert words in page.split("How to fix it:")[1], f"findings.md ({code}) lacks: {words}"


def test_explain_never_shows_a_raw_placeholder_and_always_says_how_to_fix(lsids):
    for code, entry in CATALOGUE.items():
        _, out, _ = lsids("explain", code)
        assert not re.search(r"\{\w+\}", out), f"explain {code}: {out}"
        if entry.hint:
            assert "How to fix it:" in out, f"explain {code} gives no fix"


def test_the_findings_page_lists_every_code_under_its_layer():
    assert set(LAYERS) == {entry.layer for entry in CATALOGUE.values()}
    headings = re.findall(r"^## (.+)$", FINDINGS_PAGE, re.M)
    assert headings[1:] == [heading for heading, _ in LAYERS.values()]
    for code, entry in CATALOGUE.items():
        heading = LAYERS[entry.layer][0]
        layer_text = FINDINGS_PAGE.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
        assert f"### {code}\n" in layer_text, f"{code} not under '{heading}'"
        assert f"| [`{code}`](#{code}) |" in FINDINGS_PAGE


def test_severity_is_shown_for_every_code():
    for code, entry in CATALOGUE.items():
        first = section(code).strip().splitlines()[0]
        if entry.layer == "input":
            assert "stops the file being read" in first, code
        else:
            assert entry.severity in first, code


def test_filled_in_parts_read_as_words_not_template_fields():
    for entry in CATALOGUE.values():
        for template in (entry.description, entry.message, entry.hint):
            shown = fill_in(template)
            assert "{" not in shown and "}" not in shown, shown
            for italic in re.findall(r"\*([^*]+)\*", shown):
                assert "_" not in italic, f"{entry.code}: placeholder shown as '{italic}'"
