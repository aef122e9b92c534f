"""The submission metadata reference page: every property of the JSON Schema, in plain words."""

from __future__ import annotations

import json
from typing import Any

from ..standard import Standard
from .fields import BOUNDS, bound_words
from .markdown import code, escape, table, words

_FORMAT_WORDS = {
    "email": "an email address",
    "date": "a date, written YYYY-MM-DD",
    "date-time": "a date and time",
    "uri": "a web address",
}


def metadata_page(std: Standard) -> str:
    """Markdown for docs/reference/submission-metadata.md."""
    schema = std.metadata_schema
    path = "standard/" + std.package["submissionMetadataSchema"]
    out = [
        f"# {escape(schema.get('title', 'Submission metadata'))}",
        "",
        escape(schema.get("description", "")),
        "",
        f"A JSON object checked by the JSON Schema in {code(path)}.",
        "",
        "## Properties",
        "",
        table(
            ["Property", "Title", "Required", "Type", "Rules", "Description", "Example"],
            _property_rows(schema, "", _conditionally_required(schema)),
        ),
        "",
    ]
    conditions = [_condition_words(rule) for rule in schema.get("allOf", [])]
    if conditions:
        out += ["## Conditional rules", "", *[f"- {c}" for c in conditions], ""]
    return "\n".join(out)


def _conditionally_required(schema: dict[str, Any]) -> dict[str, str]:
    """Property → the condition under which an if/then rule makes it required, in words."""
    out: dict[str, str] = {}
    for rule in schema.get("allOf", []):
        when = rule.get("if", {}).get("properties", {})
        consts = [f"{code(k)} is {code(v['const'])}" for k, v in when.items() if "const" in v]
        for name in rule.get("then", {}).get("required", []):
            if consts:
                out[name] = f"when {words(consts)}"
    return out


def _property_rows(
    schema: dict[str, Any], prefix: str, conditional: dict[str, str]
) -> list[list[str]]:
    rows = []
    required = set(schema.get("required", []))
    for name, prop in schema.get("properties", {}).items():
        full = prefix + name
        need = "yes" if name in required else conditional.get(full, "no")
        if prefix and name in required:
            need = f"yes, within {code(prefix.rstrip('.'))}"
        examples = [code(json.dumps(e, ensure_ascii=False)) for e in prop.get("examples", [])]
        rows.append(
            [
                code(full),
                escape(prop.get("title", "")),
                need,
                code(prop.get("type", "")),
                " ".join(_rule_words(prop)),
                escape(prop.get("description", "")),
                words(examples, "or"),
            ]
        )
        if prop.get("type") == "object":
            rows += _property_rows(prop, full + ".", conditional)
    return rows


def _rule_words(prop: dict[str, Any]) -> list[str]:
    out = []
    if "pattern" in prop:
        out.append(f"Matches the pattern {code(prop['pattern'])}.")
    if "enum" in prop:
        out.append(f"One of {words([code(v) for v in prop['enum']], 'or')}.")
    if "const" in prop:
        out.append(f"Exactly {code(prop['const'])}.")
    if "format" in prop:
        out.append(f"Must be {_FORMAT_WORDS.get(prop['format'], code(prop['format']))}.")
    out += [bound_words(key, prop[key]) for key in BOUNDS if key in prop]
    if prop.get("additionalProperties") is False:
        out.append("No other properties are allowed.")
    return out


def _condition_words(rule: dict[str, Any]) -> str:
    """An if/then rule such as 'survey returns need weight_total' in words."""
    when = rule.get("if", {}).get("properties", {})
    then = rule.get("then", {}).get("required", [])
    consts = [f"{code(k)} is {code(v['const'])}" for k, v in when.items() if "const" in v]
    if consts and then and set(rule) <= {"if", "then"}:
        verb = "is" if len(then) == 1 else "are"
        return f"When {words(consts)}, {words([code(t) for t in then])} {verb} also required."
    return f"This rule also applies: {code(json.dumps(rule, ensure_ascii=False))}."
