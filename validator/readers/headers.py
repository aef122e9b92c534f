"""Recognising a return's headings: which row holds them, which kind of return they name, and
how loosely written headings match the standard's field names.
"""

from __future__ import annotations

import re

from ..catalogue.inputs import InputError
from ..standard import Standard, SubmissionType

_SEPARATORS = re.compile(r"[\s_\-]+")


HEADER_SEARCH_ROWS = 10
"""How many non-blank rows at the top of a sheet may hold the headings (titles, notes above)."""


def normalise(heading: str) -> str:
    """A heading as compared loosely: lower case, any run of spaces/_/- as one '_'."""
    return _SEPARATORS.sub("_", heading.strip().lstrip("\ufeff").lower()).strip("_")


def check_not_readme(header: list[str], standard: Standard) -> None:
    """Raise ``InputError`` when the "headings" are the title of a template's Read me sheet: a
    CSV saved while that sheet was showing (Excel and LibreOffice Calc save only that sheet)."""
    from ..catalogue.words import readme_title

    first = next((cell.strip() for cell in header if cell.strip()), "")
    if not first:
        return
    line = ",".join(header).strip().strip(",").strip('"')  # a title a CSV split at its commas
    title = standard.package.get("title", "The standard")
    for sub in standard.submission_types.values():
        expected = readme_title(title, sub.title)
        if first.lstrip("\ufeff") == expected or line.lstrip("\ufeff") == expected:
            raise InputError("readme-sheet-saved", template=sub.title, sheet=sub.name[:31])


def infer_type(header: list[str], standard: Standard, header_row: int = 1) -> str:
    """The submission type whose fields best match the header; ``InputError`` if none does.

    ``header_row`` is the sheet row the headings were read from, named in the hint.
    """
    check_not_readme(header, standard)
    seen = _headings(header)
    scores = {
        name: len(seen & loose_names(sub).keys()) for name, sub in standard.submission_types.items()
    }
    best = max(scores, key=lambda n: scores[n])
    ties = [n for n, s in scores.items() if s == scores[best]]
    if scores[best] == 0 or len(ties) > 1:
        types = ", ".join(sorted(standard.submission_types))
        raise InputError("columns-match-no-type", header_row=header_row, types=types)
    return best


def header_index(rows: list[list[str]], standard: Standard) -> int:
    """Which of a sheet's first non-blank rows holds the headings (0 for the first).

    Council workbooks often put a title or notes above the table. The heading row is the one
    with the most cells that are one submission type's field names or titles (compared as
    loosely as ``match_header`` does), provided at least two and at least half of its cells are.
    When no row matches that well, the first row is the header, so a wrong file is reported
    against its first row as before.
    """
    known = [loose_names(sub).keys() for sub in standard.submission_types.values()]
    best, best_score = 0, 0
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        seen = _headings(cells)
        score = max((len(seen & names) for names in known), default=0)
        if score > best_score and score >= 2 and 2 * score >= len(seen):
            best, best_score = index, score
    return best


def _headings(cells: list[str]) -> set[str]:
    return {normalise(c) for c in cells if c.strip()}


def loose_names(sub: SubmissionType) -> dict[str, str]:
    """Each of a type's field names and titles, as compared loosely, mapped to the field name.

    A name beats a title, and of two titles that read the same loosely the first field's wins,
    so the validator and ``lsids fix`` read a forgiving heading the same way.
    """
    loose: dict[str, str] = {}
    for f in sub.fields:
        loose.setdefault(normalise(f.title), f.name)
    for f in sub.fields:
        loose[normalise(f.name)] = f.name
    return loose
