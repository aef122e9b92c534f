"""The command line and the generated reference pages say the same thing.

``lsids explain CODE`` and ``docs/reference/findings.md`` use the catalogue's words for every code;
every key ``lsids validate --format json`` writes is documented on ``report-format.md`` and every
documented key is written; and the commands and options the guides tell people to type exist.
"""

from __future__ import annotations

import json
import re
import shlex
import string
from pathlib import Path

import pytest

from validator.catalogue import CATALOGUE
from validator.cli import build_parser
from validator.docgen import render_pages
from validator.docgen.findings import (
    INPUT_ERROR_FIELDS,
    LAYERS,
    REPORT_FIELDS,
    fill_in,
    findings_page,
)

ROOT = Path(__file__).resolve().parents[2]
FINDINGS_PAGE = findings_page()
INVALID_EXAMPLE = (
    ROOT / "examples/invalid/label-instead-of-code/resident-survey_E09000030_2025-26.csv"
)
GUIDES = sorted((ROOT / "docs" / "guides").glob("*.md"))


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


def subcommand_options() -> dict[str, set[str]]:
    """Every subcommand of lsids with the option strings its --help lists."""
    parser = build_parser()
    [sub] = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    return {
        name: {s for action in p._actions for s in action.option_strings}
        for name, p in sub.choices.items()
    }


def commands_in(text: str) -> list[list[str]]:
    """The lsids commands shown in a guide's code blocks and code spans."""
    found = []
    for line in re.findall(r"`([^`\n]*lsids [^`\n]*)`", text) + re.findall(
        r"^\s*(?:\$ )?(lsids .*)$", text, re.M
    ):
        line = line[line.index("lsids ") :].split(" #")[0].rstrip("\\ ")
        try:
            found.append(shlex.split(line))
        except ValueError:
            found.append(line.split())
    return found


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_guides_only_use_commands_and_options_that_exist(guide):
    options = subcommand_options()
    commands = commands_in(guide.read_text(encoding="utf-8"))
    assert commands, f"{guide.name} shows no lsids command"
    for words in commands:
        if len(words) < 2 or words[1].startswith("-"):
            continue
        command = words[1]
        if command.isupper():  # "lsids COMMAND --help"
            continue
        assert command in options, f"{guide.name}: 'lsids {command}' is not a command"
        for word in words[2:]:
            if word.startswith("--"):
                name = word.split("=")[0]
                assert name in options[command], f"{guide.name}: lsids {command} has no {name}"


def test_officer_and_analyst_guides_explain_template_and_fix():
    for name in ("borough-officer.md", "borough-analyst.md"):
        text = (ROOT / "docs" / "guides" / name).read_text(encoding="utf-8")
        assert "lsids template" in text, name
        assert "lsids fix" in text, name
    officer = (ROOT / "docs" / "guides" / "borough-officer.md").read_text(encoding="utf-8")
    assert "dropdown" in officer.lower()


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_every_option_a_guide_names_is_an_option_of_lsids(guide):
    known = set().union(*subcommand_options().values()) | {"--version"}
    named = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", guide.read_text(encoding="utf-8")))
    assert named <= known, f"{guide.name} names options lsids does not have: {named - known}"


def test_fix_says_each_left_alone_value_once_in_plain_sentences(tmp_path, lsids):
    source = ROOT / "examples" / "fix" / "hackney-ambiguous.xlsx"
    status, out, _ = lsids("fix", source, "--output", tmp_path / "fixed.xlsx")
    assert status == 0
    left = [line for line in out.splitlines() if "unchanged" in line]
    assert left, out
    for line in left:
        assert line.count("Did you mean") <= 1, line
        assert "?." not in line and ".." not in line, line
