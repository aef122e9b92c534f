"""One reference page per submission type: every field, its rules, routing, codes and example."""

from __future__ import annotations

import json
from typing import Any

from ..standard import Field, Standard, SubmissionType
from .codelists import code_with_label, codelist_link, codelist_table, field_link, inlined_codelist
from .markdown import code, escape, link, table, words

_TYPE_WORDS = {
    "string": "text",
    "integer": "whole number",
    "number": "number (decimals allowed)",
    "date": "date, written YYYY-MM-DD",
    "datetime": "date and time, written YYYY-MM-DDTHH:MM:SS",
    "boolean": "true or false",
    "year": "year, written YYYY",
    "list": "list of values",
}


def submission_page(std: Standard, sub: SubmissionType) -> str:
    """Markdown for docs/reference/<type>.md: a field table, the keys, then every field in full."""
    out = [f"# {escape(sub.title)} ({code(sub.name)})", "", escape(sub.description), ""]
    out += [
        f"A return has exactly these {len(sub.fields)} columns, with these names in the header "
        "row. Blank cells mean no answer; never type a label where a code is asked for.",
        "",
        "## Fields",
        "",
    ]
    rows = [
        [
            field_link(sub.name, f.name),
            escape(f.title),
            escape(_TYPE_WORDS.get(f.type, f.type)),
            "yes" if f.required else "no",
            _codes_summary(std, sub, f),
        ]
        for f in sub.fields
    ]
    out += [table(["Field", "Title", "Type", "Required", "Codes"], rows), ""]
    out += ["## Keys", "", *_key_lines(std, sub), ""]
    used_by = _measures_by_field(std)
    for f in sub.fields:
        out += [_field_section(std, sub, f, used_by.get(f.name, [])), ""]
    return "\n".join(out)


def _codes_summary(std: Standard, sub: SubmissionType, f: Field) -> str:
    if f.codelist is None:
        joint = [fk.resource for fk in sub.foreign_keys if f.name in fk.fields]
        return words([link(escape(r), codelist_link(r)) for r in joint])
    listed = std.codelists.get(f.codelist)
    count = f"{len(listed.codes)} codes" if listed else "codes"
    return link(f"{count} ({escape(f.codelist)})", codelist_link(f.codelist))


def _key_lines(std: Standard, sub: SubmissionType) -> list[str]:
    pk = [code(name) for name in sub.primary_key]
    lines = []
    if len(pk) == 1:
        lines.append(f"- Primary key: {pk[0]}. No two rows may have the same {pk[0]}.")
    elif pk:
        lines.append(
            f"- Primary key: {words(pk)}. No two rows may have the same combination of these."
        )
    for fk in sub.foreign_keys:
        target = link(escape(_resource_title(std, fk.resource)), codelist_link(fk.resource))
        ref = words([code(r) for r in fk.reference_fields])
        column = "column" if len(fk.reference_fields) == 1 else "columns"
        if len(fk.fields) == 1:
            when = "" if sub.field(fk.fields[0]).required else ", when it is not blank,"
            lines.append(f"- {code(fk.fields[0])}{when} must match the {ref} {column} of {target}.")
        else:
            own = words([code(f) for f in fk.fields])
            lines.append(f"- Together, {own} must match the {ref} {column} of one row of {target}.")
    return lines


def _resource_title(std: Standard, name: str) -> str:
    return std.resource(name).get("title", name)


def _measures_by_field(std: Standard) -> dict[str, list[str]]:
    used: dict[str, list[str]] = {}
    for m in std.measures.values():
        if m.survey_field:
            used.setdefault(m.survey_field, []).append(m.id)
    return used


def _field_section(std: Standard, sub: SubmissionType, f: Field, measures: list[str]) -> str:
    out = [f"### {f.name}", "", f"**{escape(f.title)}**", "", escape(f.description), ""]
    facts = [
        ("Type", escape(_TYPE_WORDS.get(f.type, f.type))),
        ("Required", _required_words(f)),
    ]
    rules = constraint_words(f.constraints)
    if rules:
        facts.append(("Rules", " ".join(rules)))
    if f.asked_when:
        facts.append(("Routing", _routing_words(std, sub, f)))
    if f.codelist and not inlined_codelist(std, f):
        target = link(escape(_resource_title(std, f.codelist)), codelist_link(f.codelist))
        facts.append(("Codes", f"A code from {target}."))
    for fk in sub.foreign_keys:
        if len(fk.fields) > 1 and f.name in fk.fields:
            others = words([field_link(sub.name, o) for o in fk.fields if o != f.name])
            target = link(escape(_resource_title(std, fk.resource)), codelist_link(fk.resource))
            facts.append(("Codes", f"Together with {others}, one row of {target}."))
    if f.example:
        facts.append(("Example", code(f.example)))
    if measures:
        facts.append(("Used by", words([link(code(m), f"measures.md#{m}") for m in measures])))
    out.append(table(["Detail", "Value"], facts))
    inline = inlined_codelist(std, f)
    if inline:
        out += ["", f"Codes ({link(code(inline), codelist_link(inline))}):", ""]
        out.append(codelist_table(std, inline))
    return "\n".join(out)


def _required_words(f: Field) -> str:
    if f.required:
        return "Yes: every row needs a value."
    if f.asked_when:
        return "Only when asked (see routing); blank otherwise."
    return "No: leave blank when there is no value."


def constraint_words(constraints: dict[str, Any]) -> list[str]:
    """A field's constraints (other than required) as plain sentences."""
    out = []
    for key, value in constraints.items():
        if key == "required":
            continue
        if key == "unique" and value:
            out.append("No two rows may have the same value.")
        elif key == "pattern":
            out.append(f"The whole value must match the pattern {code(value)}.")
        elif key == "enum":
            out.append(f"One of {words([code(v) for v in value], 'or')}.")
        elif key in BOUNDS:
            out.append(bound_words(key, value))
        else:
            out.append(f"{escape(key)}: {code(json.dumps(value))}.")
    return out


BOUNDS = {
    "minimum": "At least {}.",
    "maximum": "At most {}.",
    "exclusiveMinimum": "Greater than {}.",
    "exclusiveMaximum": "Less than {}.",
    "minLength": "At least {} characters.",
    "maxLength": "At most {} characters.",
}


def bound_words(key: str, value: object) -> str:
    """A bound such as minimum or maxLength as a sentence ("At most 200 characters.")."""
    if key == "minLength" and value == 1:
        return "Must not be empty."
    return BOUNDS[key].format(value)


def _routing_words(std: Standard, sub: SubmissionType, f: Field) -> str:
    assert f.asked_when is not None
    gate = sub.field(f.asked_when.field)
    values = [code_with_label(std, gate.codelist, v) for v in f.asked_when.values]
    return (
        f"Asked only when {field_link(sub.name, gate.name)} is {words(values, 'or')}; "
        "leave it blank for everyone else."
    )
