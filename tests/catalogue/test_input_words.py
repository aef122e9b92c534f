"""The catalogue is the only place an input problem's words live.

Every ``InputError(...)`` in the validator names a situation of ``INPUT_MESSAGES`` and passes the
values its words need, never a sentence of its own; every situation is raised somewhere, and
renders with the values its sites pass.
"""

from __future__ import annotations

import ast
import pickle
import string
from pathlib import Path

import pytest

from validator.catalogue import CATALOGUE
from validator.catalogue.inputs import INPUT_MESSAGES, InputError, InputMessage

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(
    path
    for folder in ("validator", "portal")
    for path in (ROOT / folder).rglob("*.py")
    # the catalogue's own module defines InputError and rebuilds one (pickling) from its parts
    if path != ROOT / "validator" / "catalogue" / "inputs.py"
)


def _is_input_error(call: ast.Call) -> bool:
    func = call.func
    return (isinstance(func, ast.Name) and func.id == "InputError") or (
        isinstance(func, ast.Attribute) and func.attr == "InputError"
    )


def _situations(node: ast.expr) -> list[str] | None:
    """The situation keys an argument can be: a string, or a choice between strings."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _situations(node.body), _situations(node.orelse)
        return body + orelse if body is not None and orelse is not None else None
    return None


def _sites() -> list[tuple[str, ast.Call]]:
    sites = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        where = path.relative_to(ROOT).as_posix()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _is_input_error(node):
                sites.append((f"{where}:{node.lineno}", node))
    return sites


SITES = _sites()


def _placeholders(entry: InputMessage) -> set[str]:
    return {
        name
        for template in (entry.message, entry.hint)
        for _, name, _, _ in string.Formatter().parse(template)
        if name is not None
    }


def test_the_validator_raises_input_errors_at_all():
    assert len(SITES) >= 40, "the source scan found too few InputError calls; is it broken?"


@pytest.mark.parametrize("where, call", SITES, ids=[where for where, _ in SITES])
def test_every_input_error_names_a_catalogue_situation_and_passes_only_values(where, call):
    assert len(call.args) == 1, (
        f"{where}: InputError takes one positional argument, the situation; "
        "its words belong in INPUT_MESSAGES"
    )
    keys = _situations(call.args[0])
    assert keys is not None, (
        f"{where}: the situation must be written as a catalogue key (a string), "
        f"not {ast.unparse(call.args[0])}"
    )
    for key in keys:
        assert key in INPUT_MESSAGES, f"{where}: '{key}' is not a situation in INPUT_MESSAGES"
    given = [keyword.arg for keyword in call.keywords]
    assert None not in given, f"{where}: pass each value by name, not as **values"
    for key in keys:
        wanted = _placeholders(INPUT_MESSAGES[key])
        assert set(given) == wanted, (
            f"{where}: '{key}' needs the values {sorted(wanted)}, the site passes {sorted(given)}"
        )


def test_every_situation_is_raised_somewhere():
    raised = {key for _, call in SITES for key in (_situations(call.args[0]) or [])}
    unused = sorted(set(INPUT_MESSAGES) - raised)
    assert not unused, f"situations no code raises: {unused}"


@pytest.mark.parametrize("key", list(INPUT_MESSAGES))
def test_every_situation_has_an_input_code_and_words(key):
    entry = INPUT_MESSAGES[key]
    assert key == key.lower() and " " not in key
    assert entry.code in CATALOGUE, f"{key}: '{entry.code}' is not a finding code"
    assert CATALOGUE[entry.code].layer == "input", f"{key}: '{entry.code}' is not an input code"
    assert entry.message.strip()
    for template in (entry.message, entry.hint):
        for _, name, spec, conversion in string.Formatter().parse(template):
            if name is not None:
                assert name.isidentifier(), f"{key}: placeholder '{{{name}}}'"
                assert not spec and not conversion, (
                    f"{key}: pass '{name}' already formatted rather than formatting it here"
                )


def test_every_input_code_has_a_situation():
    codes = {entry.code for entry in INPUT_MESSAGES.values()}
    inputs = {code for code, entry in CATALOGUE.items() if entry.layer == "input"}
    assert inputs == codes


@pytest.mark.parametrize("key", list(INPUT_MESSAGES))
def test_every_situation_renders_with_its_values(key):
    entry = INPUT_MESSAGES[key]
    values = {name: f"<{name}>" for name in _placeholders(entry)}
    error = InputError(key, **values)
    assert (error.situation, error.code, error.values) == (key, entry.code, values)
    assert str(error) == error.message
    for text in (error.message, error.hint):
        assert "{" not in text and "}" not in text
    for name, value in values.items():
        assert value in error.message + error.hint, f"{key}: '{name}' is not shown"


def test_values_fill_the_words_exactly():
    error = InputError("no-such-file", path=Path("returns") / "survey.csv")
    assert (error.code, error.message, error.hint) == (
        "not-a-table",
        "There is no file at returns/survey.csv.",
        "Check the file name and folder.",
    )
    error = InputError("too-many-zip-parts", count=f"{12_345:,}")
    assert error.code == "unsafe-workbook"
    assert error.message == (
        "The workbook was not read because it is a zip archive of 12,345 parts. Files built like "
        "this can exhaust the memory of the computer that opens them."
    )
    error = InputError("broken-zip", error=ValueError("Bad magic number"))
    assert error.message == (
        "The workbook is damaged and cannot be opened (the zip archive inside it is broken: "
        "Bad magic number)."
    )
    assert error.hint == (
        "Open it in Excel or LibreOffice Calc; if it offers to repair it, let it, then save it as "
        "a new .xlsx (or .ods) file. If it was sent to you by email, ask for it again."
    )


def test_a_value_with_braces_is_shown_as_written():
    error = InputError("no-such-sheet", sheet="{Data}", sheets="'{Data} 2'")
    assert error.message == "The workbook has no sheet called '{Data}'. Its sheets are: '{Data} 2'."


def test_an_unknown_situation_is_a_programming_error():
    with pytest.raises(KeyError):
        InputError("This file is not a table.")


def test_an_input_error_survives_pickling():
    error = InputError("unknown-period", value="2025")
    copy = pickle.loads(pickle.dumps(error))
    assert isinstance(copy, InputError)
    assert (copy.situation, copy.code, copy.message, copy.hint) == (
        error.situation,
        error.code,
        error.message,
        error.hint,
    )


PROPERTIES = (
    "borough, submission_type, period, standard_version, contact, survey_name, fieldwork_start, "
    "fieldwork_end, weight_total, weight_total_source, notes"
)
NOT_VALID = "The submission metadata is not valid: "


@pytest.mark.parametrize(
    "metadata, problem",
    [
        (
            {"colour": "red", "size": 3},
            f"'colour', 'size' are not metadata properties; the properties are {PROPERTIES}.",
        ),
        (
            {"contact": {"name": "A", "email": "a@b.co", "x": 1}},
            "'x' is not a metadata property of 'contact'; the properties are name, email, team.",
        ),
        (
            {"submission_type": "survey"},
            "the property 'submission_type' is \"survey\", which is not one of the allowed "
            "values: resident-survey, service-data.",
        ),
        (
            {"contact": {"name": "", "email": "a@b.co"}},
            "the property 'contact.name' should not be empty.",
        ),
        (
            {"contact": {"name": "A", "email": "nope"}},
            "the property 'contact.email' should be an email address, not \"nope\".",
        ),
        (
            {"contact": {"name": "x" * 300, "email": "a@b.co"}},
            "the property 'contact.name' is too long: it may have at most 200 characters.",
        ),
        ({"weight_total": -5}, "the property 'weight_total' should be more than 0, not -5."),
        (
            {"contact": "someone"},
            "the property 'contact' should be a group of properties in braces, { }, not "
            '"someone".',
        ),
    ],
)
def test_the_metadatas_problems_read_as_they_always_have(tmp_path, metadata, problem):
    from validator.engine import validate

    with pytest.raises(InputError) as caught:
        validate(tmp_path / "return.csv", metadata=metadata)
    assert caught.value.code == "invalid-option"
    assert caught.value.message == NOT_VALID + problem
    assert (
        caught.value.hint == "Correct the metadata file; `lsids standard` describes each property."
    )


def test_the_findings_page_lists_each_situation_under_its_code():
    from validator.docgen.findings import findings_page

    page = findings_page()
    for key, entry in INPUT_MESSAGES.items():
        section = page.split(f"\n### {entry.code}\n", 1)[1].split("\n### ", 1)[0]
        assert f"| `{key}` |" in section, f"{key} is not listed under {entry.code}"
