"""The words on a template's "Read me" sheet, written from the standard for a borough officer.

Each paragraph is a (style, text) pair; style is "title", "heading" or "text". The examples it
quotes (a code and its label, the routed questions, the date and period formats, the codes for
"don't know") are all taken from the standard, so the guide cannot drift from the schema.
"""

from __future__ import annotations

from collections import Counter

from ..catalogue.words import readme_title
from ..standard import Standard, SubmissionType
from .field_codes import FieldCodes

_TYPE_WORDS = {
    "string": "text",
    "date": "date, as YYYY-MM-DD",
    "number": "number",
    "integer": "whole number",
}


def readme_paragraphs(
    standard: Standard,
    sub: SubmissionType,
    codes: dict[str, FieldCodes],
    data_sheet: str,
    codes_sheet: str,
) -> list[tuple[str, str]]:
    """The Read me sheet's paragraphs for submission type ``sub``."""
    title = standard.package.get("title", "The standard")
    out = [
        ("title", readme_title(title, sub.title)),
        ("text", f"Template for version {standard.version} of the standard ({sub.name})."),
        ("text", sub.description),
        ("text", ""),
        ("heading", "How to fill in this template"),
        (
            "text",
            f"Put your data on the '{data_sheet}' sheet, one row per record, starting in row 2. "
            "Do not change, move or delete the column names in row 1: they are what the "
            "validator reads. Click a column's name to see what it wants.",
        ),
    ]
    out += _codes_paragraphs(standard, sub, codes, codes_sheet)
    out += _routing_paragraphs(sub)
    out += _format_paragraphs(sub)
    out += [
        (
            "text",
            "Check the file before you send it: run 'lsids validate' on it, or upload it to the "
            "portal. The report names each problem by row and column and says how to put it "
            "right. 'lsids fix' turns your own labels, borough names and UK dates into codes.",
        ),
        ("text", ""),
        ("heading", "The columns"),
    ]
    for field in sub.fields:
        kind = "code" if field.name in codes else _TYPE_WORDS.get(field.type, field.type)
        need = "required" if field.required else "optional"
        out.append(("text", f"{field.name} — {field.title} ({kind}, {need}). {field.description}"))
    return out


def _codes_paragraphs(
    standard: Standard, sub: SubmissionType, codes: dict[str, FieldCodes], codes_sheet: str
) -> list[tuple[str, str]]:
    if not codes:
        return []
    answers = [fc for fc in codes.values() if fc.source != standard.boroughs.name]
    example = next(
        ((c, label) for fc in answers for c, label in fc.codes.items() if c != label),
        None,
    )
    text = (
        "Codes, not labels: a coded column takes a short code from its drop-down list, "
        f"never free text. The '{codes_sheet}' sheet lists each column's codes with their labels."
    )
    if example:
        text += f" For example, enter {example[0]}, not '{example[1]}'."
    out = [("text", text)]
    common = _non_answer_codes(standard, codes)
    if common:
        quoted = " and ".join(f"{code} ('{label}')" for code, label in common)
        out.append(
            (
                "text",
                "Blank or don't know: leave a cell blank only when there is nothing to record, "
                "such as a question the person was not asked. When someone did answer but gave "
                f"no view, enter the code for what they said, such as {quoted}: that is an "
                "answer, not a blank.",
            )
        )
    return out


def _non_answer_codes(standard: Standard, codes: dict[str, FieldCodes]) -> list[tuple[str, str]]:
    """Codes shared by most of the type's answer lists ("don't know"-like), with their labels."""
    lists = {fc.source: fc for fc in codes.values() if fc.source != standard.boroughs.name}
    if len(lists) < 3:
        return []
    counts = Counter(code for fc in lists.values() for code in fc.codes)
    shared = [code for code, n in counts.items() if n * 2 >= len(lists)]
    labels = {code: fc.codes[code] for fc in lists.values() for code in fc.codes}
    return [(code, labels[code]) for code in shared]


def _routing_paragraphs(sub: SubmissionType) -> list[tuple[str, str]]:
    routed = [f for f in sub.fields if f.asked_when]
    if not routed:
        return []
    out = [
        (
            "text",
            "Questions asked of only some people: leave these blank for everyone who was not "
            "asked them.",
        )
    ]
    for field in routed:
        asked = field.asked_when
        assert asked is not None
        values = " or ".join(asked.values)
        out.append(("text", f"    • {field.name}: only when {asked.field} is {values}."))
    return out


def _format_paragraphs(sub: SubmissionType) -> list[tuple[str, str]]:
    out = []
    dates = [f for f in sub.fields if f.type == "date"]
    if dates:
        names = ", ".join(f.name for f in dates)
        out.append(
            (
                "text",
                f"Dates: write dates as year-month-day, for example {dates[0].example}. The date "
                f"columns ({names}) are formatted so that Excel shows them that way.",
            )
        )
    numbers = [f for f in sub.fields if f.type in ("number", "integer")]
    if numbers:
        names = ", ".join(f.name for f in numbers)
        out.append(
            (
                "text",
                f"Numbers: enter plain numbers, without £ or % signs or words ({names}). Do not "
                "round or hide small numbers: the GLA does that before it publishes anything.",
            )
        )
    period_field = sub.role("period")
    if period_field:
        period = sub.field(period_field)
        out.append(
            (
                "text",
                f"The period: {period.description} Every row of one return has the same period, "
                f"for example {period.example}.",
            )
        )
    out.append(
        (
            "text",
            "Text columns are formatted as text so that Excel keeps codes such as 16-24 and "
            "leading zeros exactly as you type them.",
        )
    )
    return out
