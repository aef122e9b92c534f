"""The guides in docs/guides/ only tell people to type commands and options that lsids has."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from validator.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]

GUIDES = sorted((ROOT / "docs" / "guides").glob("*.md"))


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
