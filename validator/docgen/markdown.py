"""Small Markdown helpers for the generated reference pages: escaping, code spans and tables.

Text from the standard is free text written by people; these helpers make sure a `|`, a newline or
an asterisk in it cannot break a table or turn into emphasis.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

_SPECIAL = "\\`*_[]"


def escape(text: object) -> str:
    """Escape the characters Markdown would read as markup, so text shows as written."""
    out = []
    for ch in str(text):
        if ch in _SPECIAL:
            out.append("\\" + ch)
        elif ch == "<":
            out.append("&lt;")  # not escapable with a backslash in Python-Markdown
        else:
            out.append(ch)
    return "".join(out)


def cell(text: object) -> str:
    """Escape text for one table cell: markup, pipes and line breaks."""
    return _cell_safe(escape(text))


def _cell_safe(markdown: str) -> str:
    """Make already-formatted Markdown safe inside a table cell (pipes and line breaks)."""
    lines = markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<br>".join(line.strip() for line in lines).replace("|", "\\|")


def code(text: object) -> str:
    """A code span: shows a machine value (a code, a field name, a pattern) exactly.

    A value holding a pipe or a backtick becomes an HTML ``<code>`` element instead, because
    table renderers disagree about escaped pipes inside Markdown code spans.
    """
    value = str(text)
    if "|" in value or "`" in value:
        safe = html.escape(value).replace("|", "&#124;").replace("`", "&#96;")
        return f"<code>{safe}</code>"
    return f"`{value}`"


def link(text: str, target: str) -> str:
    """A link whose text is already Markdown (for example a code span)."""
    return f"[{text}]({target})"


def table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A pipe table. Headers are plain text; row cells are Markdown made safe for a cell."""
    lines = [
        "| " + " | ".join(cell(h) for h in headers) + " |",
        "| " + " | ".join("---" for _ in headers) + " |",
    ]
    for row in rows:
        lines.append("| " + " | ".join(_cell_safe(c) or " " for c in row) + " |")
    return "\n".join(lines)


def words(items: Sequence[str], conjunction: str = "and") -> str:
    """Join items as people write them: 'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]
