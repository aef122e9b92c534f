"""Structure: match the header to the submission type's fields, and infer the type.

Headings are matched exactly first, then forgivingly (case, spaces, hyphens and underscores, or
the field's title), with a warning each time. Blank, duplicate, missing and unknown columns are
errors that stop the check before any cell is read: a wrong file gets one short list, not a
flood of cell errors.
"""

from __future__ import annotations

import difflib
import re

from ..findings import column_letter
from ..report import Collector
from ..standard import Standard, SubmissionType
from ..table import InputError

_SEPARATORS = re.compile(r"[\s_\-]+")


def normalise(heading: str) -> str:
    """A heading as compared loosely: lower case, any run of spaces/_/- as one '_'."""
    return _SEPARATORS.sub("_", heading.strip().lstrip("\ufeff").lower()).strip("_")


def infer_type(header: list[str], standard: Standard) -> str:
    """The submission type whose fields best match the header; ``InputError`` if none does."""
    seen = {normalise(h) for h in header if h.strip()}
    scores = {}
    for name, sub in standard.submission_types.items():
        known = {normalise(f.name) for f in sub.fields} | {normalise(f.title) for f in sub.fields}
        scores[name] = len(seen & known)
    best = max(scores, key=lambda n: scores[n])
    ties = [n for n, s in scores.items() if s == scores[best]]
    if scores[best] == 0 or len(ties) > 1:
        types = ", ".join(sorted(standard.submission_types))
        raise InputError(
            "not-a-table",
            "The columns of this file do not match any kind of return in the standard.",
            f"Check that the first row holds the column headings, or name the type ({types}).",
        )
    return best


def match_header(
    header: list[str], sub: SubmissionType, collector: Collector
) -> tuple[dict[str, int], list[int]]:
    """Map each field to its header position; report structural findings into ``collector``.

    Returns the positions and the positions of trailing blank headings (columns that must stay
    empty; the engine reports ``blank-header`` if data turns up in them).
    """
    exact = {f.name: f for f in sub.fields}
    loose: dict[str, str] = {}
    for f in sub.fields:
        loose.setdefault(normalise(f.title), f.name)
    for f in sub.fields:
        loose[normalise(f.name)] = f.name  # a name beats a title
    last = max((i for i, h in enumerate(header) if h.strip()), default=-1)
    trailing_blank = [i for i in range(last + 1, len(header))]
    positions: dict[str, int] = {}
    for i, heading in enumerate(header[: last + 1]):
        if not heading.strip():
            collector.add("blank-header", column=i, rows=[1], letter=column_letter(i))
            continue
        name = heading if heading in exact else loose.get(normalise(heading))
        if name is None:
            close = difflib.get_close_matches(normalise(heading), list(exact), n=1, cutoff=0.75)
            collector.add(
                "unknown-column",
                field=heading,
                column=i,
                rows=[1],
                type=sub.name,
                suggestion=f", such as '{close[0]}'" if close else "",
            )
            continue
        if name in positions:
            collector.add("duplicate-column", field=name, column=i, rows=[1])
            continue
        positions[name] = i
        if heading != name:
            collector.add("header-matched-loosely", field=name, column=i, rows=[1], value=heading)
    for f in sub.fields:
        if f.name not in positions:
            collector.add("missing-column", field=f.name, title=f.title)
    return positions, trailing_blank
