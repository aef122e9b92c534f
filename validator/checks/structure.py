"""Structure: match a return's headings to its submission type's fields.

Headings are matched exactly first, then forgivingly (case, spaces, hyphens and underscores, or
the field's title), with a warning each time. Blank, duplicate, missing and unknown columns are
errors that stop the check before any cell is read: a wrong file gets one short list, not a
flood of cell errors.
"""

from __future__ import annotations

import difflib

from ..addresses import column_letter
from ..readers.headers import loose_names, normalise
from ..report.collector import Collector
from ..standard import SubmissionType


def match_header(
    header: list[str], sub: SubmissionType, collector: Collector, header_row: int = 1
) -> tuple[dict[str, int], list[int]]:
    """Map each field to its header position; report structural findings into ``collector``.

    ``header_row`` is the sheet row the headings are on (``Table.header_row``): findings about
    a heading name that row.

    Returns the positions and the positions of trailing blank headings (columns that must stay
    empty; the engine reports ``blank-header`` if data turns up in them).
    """
    exact = {f.name: f for f in sub.fields}
    loose = loose_names(sub)
    last = max((i for i, h in enumerate(header) if h.strip()), default=-1)
    trailing_blank = [i for i in range(last + 1, len(header))]
    positions: dict[str, int] = {}
    for i, heading in enumerate(header[: last + 1]):
        if not heading.strip():
            collector.add(
                "blank-header",
                column=i,
                rows=[header_row],
                letter=column_letter(i),
                header_row=header_row,
            )
            continue
        name = heading if heading in exact else loose.get(normalise(heading))
        if name is None:
            close = difflib.get_close_matches(normalise(heading), list(exact), n=1, cutoff=0.75)
            collector.add(
                "unknown-column",
                field=heading,
                column=i,
                rows=[header_row],
                type=sub.name,
                suggestion=f", such as '{close[0]}'" if close else "",
            )
            continue
        if name in positions:
            collector.add("duplicate-column", field=name, column=i, rows=[header_row])
            continue
        positions[name] = i
        if heading != name:
            collector.add(
                "header-matched-loosely", field=name, column=i, rows=[header_row], value=heading
            )
    for f in sub.fields:
        if f.name not in positions:
            collector.add("missing-column", field=f.name, title=f.title)
    return positions, trailing_blank
