"""Privacy: no direct identifiers in a return — emails, phone numbers, full postcodes, National
Insurance numbers, dates of birth and people's names.

Which cells are looked at: every cell of a text column that is not a code (a code is never
personal data: in a coded column only the cells that are not one of its codes), and in a
number or date column the cells that are not a plain number or ISO date — the ones the schema
rejects, where an email typed into the interview date would otherwise be quoted in full by the
type error. Every detector applies to every such cell.

One combined pattern screens a whole column at once (pyarrow's RE2; every pattern here is RE2
syntax); only the cells it catches are classified one by one, where the checks RE2 cannot make
are done: a postcode's area must be a real one and a lower-case ordinal ('5th') is no inward
code; a name must not be a common word ('Dr Foster data', 'Ms Excel export'). Findings never
echo the personal value in full (``mask``), and the ``Collector`` masks it in every other
finding that quotes the cell.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import numpy as np
import pyarrow as pa

from ..arrow import from_numpy, pc
from ..readers.table import Chunk
from ..report.collector import Collector
from ..standard import Standard, SubmissionType
from .columns import (
    PLAIN_NUMBER,
    CodeList,
    blank_mask,
    bools,
    code_index,
    coded_fields,
    empty_mask,
    iso_days,
    missing_values,
)

_SP = r"[ \t\xa0]"  # a space as typed: RE2's \s leaves out the no-break space Excel uses
_EMAIL = r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
# UK numbers: 0 then ten (or nine) digits, with the area code in brackets or not, or the
# country code +44 / 0044 with an optional (0); spaces or hyphens between the digits.
_PHONE = (
    rf"(?:(?:\+|\b00){_SP}?44{_SP}?(?:\(0\){_SP}?)?\(?|\(0|\b0)"
    rf"[1-9](?:\)?(?:{_SP}|-){{0,2}}[0-9]){{8,9}}\b"
)
_POSTCODE = rf"\b([A-Za-z]{{1,2}})[0-9][A-Za-z0-9]?{_SP}?([0-9][A-Za-z]{{2}})\b"
_NI = (
    rf"\b[A-CEGHJ-PR-TW-Za-ceghj-pr-tw-z][A-CEGHJ-NPR-TW-Za-ceghj-npr-tw-z]{_SP}?"
    rf"[0-9]{{2}}{_SP}?[0-9]{{2}}{_SP}?[0-9]{{2}}{_SP}?[A-Da-d]\b"
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = (
    r"(?:[0-9]{1,2}[/.-][0-9]{1,2}[/.-](?:19|20)?[0-9]{2}"  # 12/03/1985, 12.03.85
    r"|(?:19|20)[0-9]{2}[/.-][0-9]{1,2}[/.-][0-9]{1,2}"  # 1985-03-12
    rf"|[0-9]{{1,2}}(?:st|nd|rd|th)?{_SP}+{_MONTH},?{_SP}+(?:19|20)?[0-9]{{2}}"  # 12 March 1985
    rf"|{_MONTH}{_SP}+[0-9]{{1,2}}(?:st|nd|rd|th)?,?{_SP}+(?:19|20)[0-9]{{2}})\b"  # March 12, 1985
)
_DOB = rf"(?i:\b(?:dob|d\.o\.b|date{_SP}+of{_SP}+birth|birth{_SP}*date|born(?:{_SP}+on)?)\b)"
_DOB += rf"(?:{_SP}|[:.,=-])*(?i:{_DATE})"
_TITLE = r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Rev)\.?"
_WORD = r"[A-Z][A-Za-z'’-]*[a-z]"  # Smith, McDonald, O'Brien, Smith-Jones
_NAME = rf"{_TITLE}{_SP}+{_WORD}(?:{_SP}+{_WORD})?\b"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Postcode areas: the letters that start a real UK postcode (GIR 0AA aside).
_AREAS = _words(
    "AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN "
    "DT DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA "
    "LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG "
    "SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WE WF WN WR WS WV YO "
    "ZE"
)
_INWARD_LETTERS = set("ABDEFGHJLNPQRSTUWXYZ")  # never C, I, K, M, O or V
_ORDINAL = re.compile(r"(?:1st|2nd|3rd|[04-9]th)")
# Words that follow a title in ordinary notes without being anyone's name: 'Dr Foster data'
# (a data supplier), 'Ms Excel export', 'Mr Men'. A detector tuning list, not the standard's.
_NOT_NAMES = _words(
    """access data excel export exports file files foster form forms import men office outlook
    powerpoint report reports sheet sheets spreadsheet survey system team teams who word the and
    new total totals figures count counts rate rates return returns note notes quarter term week
    month year"""
)

# (code, pattern): the order in which a cell is looked at and its findings are listed
_RULES: list[tuple[str, str]] = [
    ("personal-email", _EMAIL),
    ("personal-ni-number", _NI),
    ("personal-date-of-birth", _DOB),
    ("personal-phone", _PHONE),
    ("personal-postcode", _POSTCODE),
    ("personal-name", _NAME),
]
_CAUGHT = "privacy:caught"  # chunk cache: what ``prepare`` screened
_SCREEN = "|".join(f"(?:{p})" for _, p in _RULES)


@functools.cache
def _compiled() -> list[tuple[str, re.Pattern[str]]]:
    """The detectors as Python patterns, compiled when a cell is first caught (not at import:
    compiling them costs more than checking a small clean return)."""
    return [(code, re.compile(p)) for code, p in _RULES]


@functools.cache
def _date_only() -> re.Pattern[str]:
    return re.compile(rf"(?i:{_DATE})")


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
        digits = re.sub(r"[^0-9]", "", text)
        return "*" * (len(digits) - 3) + digits[-3:]
    if code == "personal-date-of-birth":
        return _mask_date(text)
    return text[:2] + "*" * (len(text) - 2)


def _mask_date(text: str) -> str:
    """The words before the date kept, the year kept, the day and month hidden."""
    found = _date_only().search(text)
    if not found:
        return re.sub(r"[0-9]", "*", text)
    date = found.group(0)
    year = re.search(r"(?:19|20)[0-9]{2}", date)
    keep = range(year.start(), year.end()) if year else range(0)
    hidden = "".join(c if i in keep or not c.isalnum() else "*" for i, c in enumerate(date))
    return text[: found.start()] + hidden + text[found.end() :]


def _is_postcode(found: re.Match[str]) -> bool:
    """A real postcode's shape: a known area, proper inward letters, in one case, no ordinal."""
    text, area, inward = found.group(0), found.group(1), found.group(2)
    if area.upper() not in _AREAS or not set(inward[1:].upper()) <= _INWARD_LETTERS:
        return False
    letters = [c for c in text if c.isalpha()]
    if not (all(c.isupper() for c in letters) or all(c.islower() for c in letters)):
        return False  # 'E2 3rd quarter'
    return not (text.islower() and _ORDINAL.fullmatch(inward))


def _is_name(found: re.Match[str]) -> bool:
    """A title followed by at least one word that is not a common one."""
    words = found.group(0).split()[1:]
    return any(word.lower() not in _NOT_NAMES for word in words)


_CONFIRM: dict[str, Callable[[re.Match[str]], bool]] = {
    "personal-postcode": _is_postcode,
    "personal-name": _is_name,
}


def find_personal(text: str) -> tuple[list[str], str]:
    """Every kind of personal data in ``text`` (finding codes, in rule order) and the text
    with each piece of it masked; ([], text) when there is none."""
    codes: list[str] = []
    masked = text
    for code, pattern in _compiled():
        confirm = _CONFIRM.get(code)
        pieces = [m for m in pattern.finditer(masked) if confirm is None or confirm(m)]
        if not pieces:
            continue
        codes.append(code)
        for m in reversed(pieces):  # from the end, so earlier positions still hold
            masked = masked[: m.start()] + mask(code, m.group(0)) + masked[m.end() :]
    return codes, masked


Select = Callable[[Chunk, pa.Array], np.ndarray]


class PrivacyCheck:
    """Screens a return's cells for personal data."""

    def __init__(self, standard: Standard, sub: SubmissionType, positions: dict[str, int]):
        self.positions = positions
        coded = coded_fields(standard, sub)
        missing = missing_values(sub)
        self.columns: list[tuple[str, Select]] = []
        for f in sub.fields:
            if f.name not in positions:
                continue
            if f.name in coded:
                self.columns.append((f.name, _not_in(positions[f.name], coded[f.name], missing)))
            elif f.type == "string":
                self.columns.append((f.name, _everything))
            else:
                self.columns.append((f.name, _not_plain(positions[f.name], f.type)))

    def prepare(self, chunk: Chunk) -> None:
        """Screen the chunk ahead of ``check``; pure, so it may run on another thread."""
        chunk.cache[_CAUGHT] = self._screen(chunk)

    def check(self, chunk: Chunk, collector: Collector) -> None:
        caught = chunk.cache[_CAUGHT] if _CAUGHT in chunk.cache else self._screen(chunk)
        for name, _ in self.columns:
            if name not in caught:
                continue
            col = chunk.column(self.positions[name])
            found: dict[str, tuple[list[int], str]] = {}
            for i in caught[name]:
                text = col[int(i)].as_py()
                codes, masked = find_personal(text)
                for code in codes:
                    rows, _ = found.setdefault(code, ([], masked))
                    rows.append(int(chunk.rows[i]))
                if codes:
                    collector.redact(text, masked)
            for code, (rows, masked) in found.items():
                collector.add(code, field=name, rows=rows, value=masked)

    def _screen(self, chunk: Chunk) -> dict[str, np.ndarray]:
        """Per column, the positions of the cells the combined pattern catches.

        A column where most cells are candidates is screened whole; the few candidates of the
        other columns (a coded column's cells that are not codes, a number column's cells that
        are not numbers) are screened together, in one pass, because compiling the pattern
        costs more than screening a few cells.
        """
        caught: dict[str, np.ndarray] = {}
        sparse: list[tuple[str, np.ndarray, pa.Array]] = []
        for name, select in self.columns:
            position = self.positions[name]
            col = chunk.column(position)
            candidates = select(chunk, col) & ~empty_mask(chunk, position)
            idx = np.flatnonzero(candidates)
            if len(idx) * 4 >= len(col):
                hits = bools(pc.match_substring_regex(col, _SCREEN)) & candidates
                caught[name] = np.flatnonzero(hits)
            elif len(idx):
                sparse.append((name, idx, pc.take(col, from_numpy(idx))))
        if sparse:
            cells = pa.concat_arrays([c for _, _, c in sparse])
            hits = bools(pc.match_substring_regex(cells, _SCREEN))
            start = 0
            for name, idx, part in sparse:
                caught[name] = idx[hits[start : start + len(part)]]
                start += len(part)
        return {name: where for name, where in caught.items() if len(where)}


def _not_in(position: int, codes: CodeList, missing: pa.Array) -> Select:
    """Select a coded column's cells that are neither blank nor one of its codes."""

    def select(chunk: Chunk, col: pa.Array) -> np.ndarray:
        return (code_index(chunk, position, codes) < 0) & ~blank_mask(chunk, position, missing)

    return select


def _everything(chunk: Chunk, col: pa.Array) -> np.ndarray:
    return np.ones(len(col), dtype=bool)


def _not_plain(position: int, kind: str) -> Select:
    """Select a number or date column's cells that are not plainly a number or an ISO date.

    Those are the cells the schema may reject (and quote); the rest cannot hold personal data
    worth a look: a phone number typed as bare digits is a valid number, and is left alone.
    The schema layer has normally worked out which cells it surely accepts (``prepare`` runs
    it first, on the same chunk): that answer is reused, so this costs nothing.
    """

    def select(chunk: Chunk, col: pa.Array) -> np.ndarray:
        accepted = chunk.cache.get(("accepted", position))  # cells.FieldCheck.accepted
        if accepted is not None:
            return ~accepted
        if kind == "date":
            return np.isnat(iso_days(chunk, position))
        return ~bools(pc.match_substring_regex(col, PLAIN_NUMBER))

    return select
