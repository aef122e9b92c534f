"""Filling the catalogue's message templates, and saying what each placeholder stands for."""

from __future__ import annotations

import string
from collections.abc import Callable
from typing import Any


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


# What each placeholder in a message or hint template stands for, in words, for the catalogue
# read without a particular file: ``lsids explain`` and the findings reference page.
PLACEHOLDERS: dict[str, str] = {
    "field": "column",
    "title": "column title",
    "title_lower": "column title",
    "a_title": "a column title",
    "value": "value",
    "letter": "column letter",
    "type": "kind of return",
    "suggestion": ", such as the closest field name",
    "type_message": "what is wrong with the value",
    "type_hint": "what the column wants, with an example",
    "codelist_hint": "the codes the column takes, or the code meant by the label or the "
    "code in another case written",
    "other_version": ", or check the file against the template's version, if known",
    "template_type": "other kind of return",
    "count_values": "how many different values",
    "gate": "the question it depends on",
    "gate_values": "the answers that lead to it",
    "denominator_definition": "the measure's denominator",
    "column_name": "numerator or denominator",
    "source_type": "source",
    "allowed": "the breakdowns allowed",
    "parts": "sum of the parts",
    "row": "row number",
    "header_row": "number",
    "sheet": "sheet name",
    "checked": "the sheet that was checked",
    "hidden": "rows",
    "ranges": "ranges",
    "cells": "cells",
    # in the words of input problems (INPUT_MESSAGES)
    "path": "the file's path",
    "file_name": "file name",
    "file_kind": "what the file is",
    "python_type": "kind of Python object",
    "error": "the error the file reader met",
    "error_type": "kind of error",
    "reason": "what is wrong",
    "megabytes": "size",
    "most_megabytes": "limit",
    "most": "limit",
    "count": "number",
    "rows": "number",
    "part": "part name",
    "sheets": "the workbook's sheets",
    "cell": "cell",
    "column": "column number",
    "types": "the kinds of return",
    "template": "kind of return",
    "codes": "the first and last borough codes",
    "option_name": "option",
    "option": "value given",
    "said": "value in the metadata",
    "property": "metadata property",
    "subject": "the property",
    "names": "the properties named",
    "parent": "the property they are in",
    "known": "the properties it can have",
    "kinds": "the kind of value it takes",
    "given": "the value given",
    "allowed_values": "the values allowed",
    "like": "an example",
    "format_words": "the form it takes",
    "least": "the least allowed",
    "characters": "number",
}


def generic_text(
    template: str,
    *,
    literal: Callable[[str], str] = str,
    blank: Callable[[str], str] = lambda words: f"<{words}>",
) -> str:
    """A template with each placeholder replaced by what it stands for ('<column>')."""
    out = []
    for text, name, _, _ in string.Formatter().parse(template):
        out.append(literal(text))
        if name:
            out.append(blank(PLACEHOLDERS.get(name, name.replace("_", " "))))
    return "".join(out)


def readme_title(standard_title: str, type_title: str) -> str:
    """The first line of a template's "Read me" sheet ('London Social Integration Data Standard:
    Resident survey return'): written by ``excel/readme.py``, and recognised by
    ``readers/headers.py`` in a CSV saved from that sheet instead of the data sheet."""
    return f"{standard_title}: {type_title}"


def render_template(template: str, params: dict[str, Any]) -> str:
    """Fill a catalogue template; a parameter not given renders as nothing."""
    return template.format_map(_Blank(params))
