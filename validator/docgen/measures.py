"""The measures reference page: every measure by theme, with everything a program needs to compute
and publish it, and a table of where each measure comes from."""

from __future__ import annotations

from ..standard import NATIONAL_SOURCE, SURVEY_SOURCE, Measure, Standard
from .codelists import MEASURES, code_with_label, field_link, resource_schema
from .markdown import code, escape, link, table, words

_SHOWN_ABOVE = ("id", "title", "theme", "definition")


def measures_page(std: Standard) -> str:
    """Markdown for docs/reference/measures.md."""
    schema = resource_schema(std, MEASURES)
    path = std.resource(MEASURES)["path"]
    counts = {}
    for m in std.measures.values():
        counts[m.source_type] = counts.get(m.source_type, 0) + 1
    out = [
        "# Measures",
        "",
        f"The standard defines {len(std.measures)} measures as data: one row each in "
        f"{code('standard/' + path)}. The aggregator reads these rows, so adding a measure means "
        "adding a row, not code. By source type: "
        + words([f"{n} {code(kind)}" for kind, n in counts.items()])
        + ".",
        "",
        "## Where each measure comes from",
        "",
        table(
            ["Measure", "Title", "Source type", "Comes from", "Strategy reference"],
            [
                [
                    link(code(m.id), f"#{m.id}"),
                    escape(m.title),
                    code(m.source_type),
                    _comes_from(std, m),
                    escape(m.strategy_reference),
                ]
                for m in std.measures.values()
            ],
        ),
        "",
        "## Columns",
        "",
        "What each column of the measures list means.",
        "",
        table(
            ["Column", "Title", "Meaning"],
            [
                [code(f["name"]), escape(f.get("title", "")), escape(f.get("description", ""))]
                for f in schema["fields"]
            ],
        ),
        "",
    ]
    titles = {f["name"]: f.get("title", f["name"]) for f in schema["fields"]}
    for theme in dict.fromkeys(m.theme for m in std.measures.values()):
        out += [f"## {escape(theme.capitalize())}", ""]
        for m in std.measures.values():
            if m.theme == theme:
                out += [_measure_section(std, m, titles), ""]
    return "\n".join(out)


def _survey_home(std: Standard, field_name: str) -> tuple[str, str | None]:
    """The submission type that holds a survey field, and the field's code list."""
    for sub in std.submission_types.values():
        if field_name in sub.field_names:
            return sub.name, sub.field(field_name).codelist
    return "", None


def _comes_from(std: Standard, m: Measure) -> str:
    if m.source_type == SURVEY_SOURCE and m.survey_field:
        sub, _ = _survey_home(std, m.survey_field)
        text = f"{code(sub)} returns, field {field_link(sub, m.survey_field)}"
        if m.national_source:
            text += f"; otherwise {escape(m.national_source)}"
        return text
    if m.source_type == NATIONAL_SOURCE:
        return escape(m.national_source) or "a national survey"
    subs = [
        code(sub.name)
        for sub in std.submission_types.values()
        if any(fk.resource == MEASURES for fk in sub.foreign_keys)
    ]
    return f"{words(subs)} returns, one row per figure"


def _measure_section(std: Standard, m: Measure, titles: dict[str, str]) -> str:
    out = [f"### {m.id}", "", f"**{escape(m.title)}**", "", escape(m.definition), ""]
    rows = []
    for name, title in titles.items():
        value = getattr(m, name, None)
        if name in _SHOWN_ABOVE or value in (None, "", ()):
            continue
        rows.append([escape(title), _value(std, m, name, value)])
    out.append(table(["Detail", "Value"], rows))
    return "\n".join(out)


def _value(std: Standard, m: Measure, name: str, value: object) -> str:
    if name == "survey_field":
        sub, _ = _survey_home(std, str(value))
        return field_link(sub, str(value))
    if isinstance(value, tuple) and name == "breakdowns":
        return words([_breakdown(std, b) for b in value])
    if isinstance(value, tuple):  # answer codes of the survey field
        _, codelist = _survey_home(std, m.survey_field or "")
        return words([code_with_label(std, codelist, c) for c in value])
    if name in ("source_type", "unit"):
        return code(value)
    return escape(value)


def _breakdown(std: Standard, name: str) -> str:
    label = std.breakdowns[name].label if name in std.breakdowns else ""
    return link(code(name), "codelists.md#breakdowns") + (f" ({escape(label)})" if label else "")
