"""The code lists reference page, and where each code list and field is shown in the reference.

The other reference pages link here and show codes with their labels through these helpers.
"""

from __future__ import annotations

import json
from typing import Any

from ..standard import DERIVATIONS, Field, Standard
from .markdown import code, escape, link, table, words

MEASURES = "measures"  # resource names the loader reads by name too (see validator/standard.py)
BREAKDOWNS = "breakdowns"


def inlined_codelist(std: Standard, fld: Field) -> str | None:
    """The code list whose codes are shown with this field (boroughs and measures are linked)."""
    if fld.codelist in (None, MEASURES, std.boroughs.name):
        return None
    return fld.codelist


def codelist_link(name: str) -> str:
    """A relative link (from docs/reference/) to where a code list's codes are listed."""
    return "measures.md" if name == MEASURES else f"codelists.md#{name}"


def field_link(sub_name: str, field_name: str) -> str:
    """A link to a field's section on its submission type's page."""
    return link(code(field_name), f"{sub_name}.md#{field_name}")


def resource_schema(std: Standard, name: str) -> dict[str, Any]:
    """The Table Schema of a resource, whether written inline or in its own file."""
    schema = std.resource(name)["schema"]
    if isinstance(schema, str):
        return json.loads((std.path / schema).read_text(encoding="utf-8"))
    return schema


def code_with_label(std: Standard, codelist: str | None, value: str) -> str:
    """A code followed by its label in brackets, e.g. `dont_know` (Don't know)."""
    label = std.codelists[codelist].codes.get(value) if codelist in std.codelists else None
    return f"{code(value)} ({escape(label.label)})" if label else code(value)


def codelist_table(std: Standard, name: str) -> str:
    """Every code of a code list with its label, description and any other columns."""
    listed = std.codelists[name]
    schema = resource_schema(std, name)
    titles = {f["name"]: f.get("title", f["name"]) for f in schema["fields"]}
    label_column = next((c for c in ("label", "title", "name") if c in titles), "label")
    shown = (*schema["primaryKey"], label_column, "description")
    extras = [x for x in titles if x not in shown]
    has_desc = any(c.description for c in listed.codes.values())
    headers = ["Code", titles.get(label_column, "Label")] + (["Description"] if has_desc else [])
    headers += [titles[x] for x in extras]
    rows = []
    for c in listed.codes.values():
        row = [code(c.code), escape(c.label)] + ([escape(c.description)] if has_desc else [])
        rows.append(row + [escape(c.extra.get(x, "")) for x in extras])
    return table(headers, rows)


def codelists_page(std: Standard) -> str:
    """Markdown for docs/reference/codelists.md: every code list but the measures, in full."""
    out = [
        "# Code lists",
        "",
        "Every code list of the standard except the measures (see "
        f"{link('Measures', 'measures.md')}). A return always holds the code, never the label.",
        "",
    ]
    users = _codelist_users(std)
    for res in std.package["resources"]:
        if res.get("role") != "codelist" or res["name"] == MEASURES:
            continue
        name = res["name"]
        out += [f"## {name}", "", f"**{escape(res.get('title', name))}**", ""]
        out += [escape(res.get("description", "")), ""]
        if users.get(name):
            out += [f"Used by {words(users[name])}.", ""]
        for source in res.get("sources", []):
            text = escape(source.get("title", ""))
            out += [f"Source: {link(text, source['path']) if source.get('path') else text}", ""]
        if name == BREAKDOWNS:
            out += [_breakdowns_table(std), ""]
        elif name == DERIVATIONS:
            out += [_derivations_table(std), ""]
        elif name in std.codelists:
            out += [codelist_table(std, name), ""]
        else:
            out += [_composite_note(std, name), ""]
    return "\n".join(out)


def _codelist_users(std: Standard) -> dict[str, list[str]]:
    """Code list → "`field` and `field` in [Submission type]" for each type that uses it."""
    users: dict[str, list[str]] = {}
    for sub in std.submission_types.values():
        by_list: dict[str, list[str]] = {}
        for fk in sub.foreign_keys:
            by_list.setdefault(fk.resource, []).extend(field_link(sub.name, f) for f in fk.fields)
        for name, fields in by_list.items():
            page = link(escape(sub.title), f"{sub.name}.md")
            users.setdefault(name, []).append(f"{words(fields)} in {page}")
    return users


def _breakdowns_table(std: Standard) -> str:
    rows = []
    for b in std.breakdowns.values():
        values = "\n".join(f"{code(v)}: {escape(label)}" for v, label in b.values.items())
        rows.append(
            [
                code(b.code),
                escape(b.label),
                escape(b.description),
                _yes(b.parts_sum_to_total),
                values,
            ]
        )
    return table(["Breakdown", "Label", "Description", "Parts add up to the total", "Values"], rows)


def _derivations_table(std: Standard) -> str:
    """Each survey breakdown value with the answers that give it, one condition to a row (a value
    on several rows: any one of them)."""
    survey = next((s for s in std.submission_types.values() if s.weighted), None)
    rows = []
    for b in std.survey_breakdowns.values():
        for rule in b.rules:
            tests = []
            for t in rule.tests:
                codelist = survey.field(t.field).codelist if survey else None
                answers = [code(c) if t.via else code_with_label(std, codelist, c) for c in t.codes]
                where = field_link(survey.name, t.field) if survey else code(t.field)
                through = f" (its {code(t.via)})" if t.via else ""
                tests.append(f"{where}{through} is {words(answers, 'or')}")
            rows.append([code(b.code), _value(std, b.code, rule.value), " and ".join(tests)])
        rows.append([code(b.code), _value(std, b.code, b.otherwise), "no row above places them"])
    return table(["Breakdown", "Value", "A respondent is in the value when"], rows)


def _value(std: Standard, breakdown: str, value: str) -> str:
    label = std.breakdowns[breakdown].values.get(value, "")
    return f"{code(value)} ({escape(label)})" if label else code(value)


def _composite_note(std: Standard, name: str) -> str:
    schema = resource_schema(std, name)
    key = words([code(k) for k in schema.get("primaryKey", [])])
    parents = [fk["reference"]["resource"] for fk in schema.get("foreignKeys", [])]
    where = words([link(code(p), f"#{p}") for p in parents]) or "above"
    return f"Each row is identified by {key}; the rows are listed in the table of {where}."


def _yes(value: bool) -> str:
    return "yes" if value else "no"
