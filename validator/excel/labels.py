"""Match what a borough wrote in a coded column to the standard's code, only when it is certain.

A value matches a code when, after normalising both (case, spaces, punctuation, apostrophes,
'&' for 'and', thousands commas), it equals the code itself or one of the code's labels. Borough
names also match after dropping the ways councils prefix or suffix their names ("London Borough
of", "LB", "Royal Borough of", "Council"): those are spelling rules, the names themselves come
from the boroughs code list. A value that matches no code, or more than one, is never guessed.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from .field_codes import FieldCodes

_APOSTROPHES = re.compile(r"['’‘`´]")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_OTHER = re.compile(r"[^0-9a-z+]+")

_BOROUGH_PREFIXES = (
    "the",
    "london borough of",
    "royal borough of",
    "borough of",
    "city of",
    "lb of",
    "lb",
    "rb of",
    "rb",
)
_BOROUGH_SUFFIXES = ("london borough council", "borough council", "council", "lbc")


def normalise_label(text: str) -> str:
    """A value as compared loosely: 'Don’t  Know ' and "dont_know" both give 'dont know'."""
    text = unicodedata.normalize("NFKC", text).lower().replace("&", " and ")
    text = _THOUSANDS.sub("", _APOSTROPHES.sub("", text))
    return _OTHER.sub(" ", text.replace("£", "")).strip()


def strip_council_words(key: str) -> str:
    """A normalised borough name without 'London Borough of', 'LB', 'Council' and the like."""
    changed = True
    while changed:
        changed = False
        for prefix in _BOROUGH_PREFIXES:
            if key.startswith(prefix + " "):
                key, changed = key[len(prefix) + 1 :], True
        for suffix in _BOROUGH_SUFFIXES:
            if key.endswith(" " + suffix):
                key, changed = key[: -len(suffix) - 1], True
    return key


@dataclass(frozen=True)
class LabelMatch:
    """What a value means: its ``code`` when certain, else the ``candidates`` and why not."""

    code: str | None
    reason: str
    candidates: tuple[str, ...] = ()


class LabelMatcher:
    """Matches values written in one coded column against that column's codes and labels."""

    def __init__(self, codes: FieldCodes, *, borough_names: bool = False) -> None:
        self.codes = codes
        self.borough_names = borough_names
        self._by_code: dict[str, set[str]] = {}
        self._by_label: dict[str, set[str]] = {}
        for code in codes.codes:
            self._by_code.setdefault(normalise_label(code), set()).add(code)
            for label in codes.labels_of(code):
                self._by_label.setdefault(normalise_label(label), set()).add(code)

    def match(self, value: str) -> LabelMatch:
        """Match a non-blank value that is not already a code of the column."""
        key = normalise_label(value)
        found = self._by_code.get(key, set()) | self._by_label.get(key, set())
        if not found and self.borough_names:
            found = self._by_label.get(strip_council_words(key), set())
        if len(found) == 1:
            code = next(iter(found))
            return LabelMatch(code, self._reason(value, key, code))
        if found:
            ordered = tuple(c for c in self.codes.codes if c in found)
            return LabelMatch(
                None,
                f"'{value}' could mean any of {', '.join(ordered)}, so it was left for you "
                "to choose.",
                ordered,
            )
        close = self._close(key)
        reason = self._unknown(value)
        if close:
            reason += f" Did you mean {' or '.join(close)}?"
        return LabelMatch(None, reason, close)

    def _reason(self, value: str, key: str, code: str) -> str:
        written = value.strip()
        if " " not in written and written.lower() == code.lower():
            return "the code written in another case or spacing"
        if key not in self._by_label and not self.borough_names:
            return "the code written in another case or spacing"
        if self.borough_names:
            return f"borough name turned into its GSS code ({self.codes.codes[code]})"
        return f"label turned into its code ({self.codes.codes[code]})"

    def _unknown(self, value: str) -> str:
        what = "borough name or code" if self.borough_names else "code or label"
        return (
            f"'{value}' is not a {what} in the {self.codes.source} code list, so it was left "
            "as it is."
        )

    def _close(self, key: str) -> tuple[str, ...]:
        """Codes whose code or label is close to the value: shown as suggestions, never applied."""
        keys = list(self._by_code) + list(self._by_label)
        close = difflib.get_close_matches(key, keys, n=3, cutoff=0.8)
        codes = {
            c for k in close for c in self._by_code.get(k, set()) | self._by_label.get(k, set())
        }
        return tuple(c for c in self.codes.codes if c in codes)
