"""Privacy: no direct identifiers in a return — emails, phone numbers, full postcodes, National
Insurance numbers, dates of birth, and names in free-text columns.

Which cells are looked at: every text column; in a coded column only the cells that are not one
of its codes (a code is never personal data). One combined pattern screens a whole column at
once; only the cells it catches are classified one by one. Findings never echo the personal
value in full: ``mask`` keeps just enough for the officer to find it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..report import Collector
from ..standard import Standard, SubmissionType
from ..table import Chunk
from .columns import CodeList, blank_mask, code_index, coded_fields, empty_mask

_EMAIL = r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
_PHONE = r"(?:\+44\s?\(?0?\)?\s?|\b0)[1-9](?:[\s-]?[0-9]){8,9}\b"
_POSTCODE = r"\b[A-Za-z]{1,2}[0-9][A-Za-z0-9]?\s?[0-9][A-Za-z]{2}\b"
_NI = r"\b[A-CEGHJ-PR-TW-Za-ceghj-pr-tw-z][A-CEGHJ-NPR-TW-Za-ceghj-npr-tw-z]\s?[0-9]{2}\s?[0-9]{2}\s?[0-9]{2}\s?[A-Da-d]\b"  # noqa: E501
_DATE = (
    r"\b(?:[0-9]{1,2}[/.-][0-9]{1,2}[/.-](?:19|20)[0-9]{2}|(?:19|20)[0-9]{2}-[0-9]{2}-[0-9]{2})\b"
)
_DOB = r"(?i:\b(?:dob|d\.o\.b\.?|date of birth|born)\b)[\s:]*" + _DATE
_NAME = r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+[A-Z][a-z]+(?:[\s-][A-Z][a-z]+)?"

# (code, pattern, applies to free text only, applies to whole cell only)
_RULES: list[tuple[str, str, str]] = [
    ("personal-email", _EMAIL, "any"),
    ("personal-ni-number", _NI, "any"),
    ("personal-date-of-birth", _DOB, "any"),
    ("personal-date-of-birth", r"^\s*" + _DATE + r"\s*$", "coded"),
    ("personal-phone", _PHONE, "any"),
    ("personal-postcode", _POSTCODE, "any"),
    ("personal-name", _NAME, "free"),
]
_CAUGHT = "privacy:caught"  # chunk cache: what ``prepare`` screened
_SCREEN = "|".join(f"(?:{p})" for _, p, _ in _RULES)
_COMPILED = [(code, re.compile(p), where) for code, p, where in _RULES]


def mask(code: str, text: str) -> str:
    """The personal value with most of it hidden, e.g. ``j***@e***.org``."""
    if code == "personal-email":
        local, _, domain = text.partition("@")
        host, _, tld = domain.rpartition(".")
        return f"{local[:1]}***@{host[:1]}***.{tld}"
    if code == "personal-postcode":
        return text.strip()[:-3].strip() + " ***"
    if code == "personal-name":
        first, *rest = text.split()
        return f"{first} {rest[0][:1]}***" if rest else f"{first} ***"
    if code == "personal-phone":
        digits = re.sub(r"\D", "", text)
        return "*" * (len(digits) - 3) + digits[-3:]
    if code == "personal-date-of-birth":
        return re.sub(r"[0-9]", "*", text[:-4]) + text[-4:]
    return text[:2] + "*" * (len(text) - 2)


def find_personal(text: str, where: str) -> tuple[str, str] | None:
    """The first kind of personal data in ``text``: (code, the text with it masked), or None."""
    for code, pattern, applies in _COMPILED:
        if applies == "free" and where != "free":
            continue
        if applies == "coded" and where == "free":
            continue
        m = pattern.search(text)
        if m:
            return code, text.replace(m.group(0), mask(code, m.group(0)))
    return None


class PrivacyCheck:
    """Screens text columns for personal data."""

    def __init__(self, standard: Standard, sub: SubmissionType, positions: dict[str, int]):
        self.positions = positions
        coded = coded_fields(standard, sub)
        missing = pa.array(sub.schema.get("missingValues", [""]), pa.string())
        self.columns: list[tuple[str, str, Callable[[Chunk, pa.Array], np.ndarray]]] = []
        for f in sub.fields:
            if f.type != "string" or f.name not in positions:
                continue
            if f.name in coded:
                select = _not_in(positions[f.name], coded[f.name], missing)
                self.columns.append((f.name, "coded", select))
            elif "pattern" in f.constraints or "enum" in f.constraints:
                self.columns.append((f.name, "coded", _everything))
            else:
                self.columns.append((f.name, "free", _everything))

    def prepare(self, chunk: Chunk) -> None:
        """Screen the chunk ahead of ``check``; pure, so it may run on another thread."""
        chunk.cache[_CAUGHT] = self._screen(chunk)

    def check(self, chunk: Chunk, collector: Collector) -> None:
        caught = chunk.cache[_CAUGHT] if _CAUGHT in chunk.cache else self._screen(chunk)
        for name, where, _ in self.columns:
            if name not in caught:
                continue
            col = chunk.column(self.positions[name])
            found: dict[str, tuple[list[int], str]] = {}
            for i in caught[name]:
                text = col[int(i)].as_py()
                result = find_personal(text, where)
                if result:
                    rows, _ = found.setdefault(result[0], ([], result[1]))
                    rows.append(int(chunk.rows[i]))
                    collector.redact(text, result[1])
            for code, (rows, masked) in found.items():
                collector.add(code, field=name, rows=rows, value=masked)

    def _screen(self, chunk: Chunk) -> dict[str, np.ndarray]:
        """Per column, the positions of the cells the combined pattern catches.

        A column where most cells are candidates is screened whole; the few candidates of the
        other columns (a coded column's cells that are not codes) are screened together, in
        one pass, because compiling the pattern costs more than screening a few cells.
        """
        caught: dict[str, np.ndarray] = {}
        sparse: list[tuple[str, np.ndarray, pa.Array]] = []
        for name, _, select in self.columns:
            position = self.positions[name]
            col = chunk.column(position)
            candidates = select(chunk, col) & ~empty_mask(chunk, position)
            idx = np.flatnonzero(candidates)
            if len(idx) * 4 >= len(col):
                hits = _bools(pc.match_substring_regex(col, _SCREEN)) & candidates
                caught[name] = np.flatnonzero(hits)
            elif len(idx):
                sparse.append((name, idx, col.take(pa.array(idx))))
        if sparse:
            cells = pa.concat_arrays([c for _, _, c in sparse])
            hits = _bools(pc.match_substring_regex(cells, _SCREEN))
            start = 0
            for name, idx, part in sparse:
                caught[name] = idx[hits[start : start + len(part)]]
                start += len(part)
        return {name: where for name, where in caught.items() if len(where)}


def _not_in(
    position: int, codes: CodeList, missing: pa.Array
) -> Callable[[Chunk, pa.Array], np.ndarray]:
    """Select a coded column's cells that are neither blank nor one of its codes."""

    def select(chunk: Chunk, col: pa.Array) -> np.ndarray:
        return (code_index(chunk, position, codes) < 0) & ~blank_mask(chunk, position, missing)

    return select


def _everything(chunk: Chunk, col: pa.Array) -> np.ndarray:
    return np.ones(len(col), dtype=bool)


def _bools(array: pa.Array) -> np.ndarray:
    return pc.fill_null(array, False).to_numpy(zero_copy_only=False).copy()
