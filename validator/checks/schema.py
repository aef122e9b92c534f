"""The Table Schema layer: types, required, code lists (foreign keys), patterns, ranges, lengths
and uniqueness — the rules a stock Frictionless tool checks, with the same verdict per cell.

Speed comes from two paths. A vectorised *fast path* (pyarrow compute over a whole column)
accepts the cells that are certainly valid: plain digits for integers, ISO dates that survive a
round trip, values strictly inside a bound. Every other non-blank cell — normally a handful — is
read by Frictionless's own cell reader for that field (for this standard's fields, the same
reader built without loading Frictionless: ``cells.py``), so edge cases (' 3 ', '+3', '1_0',
'NaN', '2025-6-1') get exactly Frictionless's answer. The fast path may only ever accept a subset
of what Frictionless accepts; ``tests/checks/test_schema_agreement.py`` holds it to that.

Deliberate differences from Frictionless (also in the catalogue):
- a duplicated key is one ``duplicate-key`` finding, not a ``unique`` and a ``primary-key`` error;
- a blank key cell is a ``required-missing`` finding only (Frictionless adds a ``primary-key``
  error saying all key cells are None);
- rows with the wrong number of cells (``ragged-row``) and blank rows are not checked cell by cell.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pyarrow as pa

from ..arrow import from_numpy, pc, scalar, texts, to_numpy
from ..readers.table import Chunk
from ..report.collector import Collector
from ..standard import Field, Standard, SubmissionType
from .cells import native_cell_reader
from .columns import (
    KEY_SEP,
    CodeList,
    blank_mask,
    bools,
    by_value,
    code_index,
    coded_fields,
    iso_days,
    missing_values,
    reference_keys,
)
from .keys import UniqueKey

_BOUNDS = {
    "minimum": ("at least", np.greater_equal),
    "maximum": ("at most", np.less_equal),
    "exclusiveMinimum": ("greater than", np.greater),
    "exclusiveMaximum": ("less than", np.less),
}
_INT_FAST = r"^-?[0-9]{1,18}$"
_NUMBER_FAST = r"^-?[0-9]{1,15}(\.[0-9]{1,15})?$"
_TYPE_WORDS = {
    "integer": (
        "The value is not a whole number.",
        "Enter a whole number using digits only, like {example}.",
    ),
    "number": ("The value is not a number.", "Enter a number using digits, like {example}."),
    "date": (
        "The value is not a date written YYYY-MM-DD.",
        "Enter the date as year-month-day, like {example}.",
    ),
}
_DATE_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{1,2}:[0-9]{2}")
_DATE_TIME_KEY = "date-time"
_NOTE_CODES = {
    "pattern": "pattern-mismatch",
    "maxLength": "too-long",
    "minLength": "too-short",
    "enum": "not-in-codelist",
    "required": "required-missing",
    **{name: "out-of-range" for name in _BOUNDS},
}


@functools.lru_cache(maxsize=16)
def _frictionless_schema(descriptor: str) -> Any:
    """Frictionless's own reading of a Table Schema (built once: it takes a tenth of a second).

    Imported only when a cell needs Frictionless's judgement: a clean return never loads it.
    """
    import frictionless

    return frictionless.Schema.from_descriptor(json.loads(descriptor))


def _cell_reader(descriptor: str, name: str) -> Callable[[Any], tuple[Any, dict | None]]:
    """Frictionless's reader for one field's cells: its value, or the notes on what is wrong.

    Built without Frictionless for the fields ``cells.native_cell_reader`` knows (every field of
    this standard), so that a return with mistakes in it does not load Frictionless either.
    """
    schema = json.loads(descriptor)
    field = next(f for f in schema.get("fields", []) if f.get("name") == name)
    native = native_cell_reader(field, schema.get("missingValues", [""]))
    if native is not None:
        return native
    return _frictionless_schema(descriptor).get_field(name).create_cell_reader()


class FieldCheck:
    """Everything the schema layer checks for one column."""

    def __init__(self, field: Field, schema: str, position: int, missing: pa.Array):
        self.field = field
        self.schema = schema
        self.position = position
        self.missing_values = missing
        self._read_cell: Callable[[Any], tuple[Any, dict | None]] | None = None
        self.constraints = field.constraints
        self.params = {
            "title": field.title,
            "title_lower": field.title[:1].lower() + field.title[1:],
            "a_title": _with_article(field.title[:1].lower() + field.title[1:]),
            "example": field.example,
        }
        words = _TYPE_WORDS.get(field.type)
        if words:
            self.params["type_message"] = words[0]
            self.params["type_hint"] = words[1].format(example=field.example)
        else:
            self.params["type_message"] = f"The value is not of type {field.type}."
            self.params["type_hint"] = f"Enter a value like {field.example}."

    def check(self, chunk: Chunk, collector: Collector) -> None:
        col = chunk.column(self.position)
        missing = blank_mask(chunk, self.position, self.missing_values)
        if self.field.required and missing.any():
            collector.add(
                "required-missing", field=self.field.name, rows=chunk.rows[missing], **self.params
            )
        present = ~missing
        if not present.any():
            return
        doubtful = np.flatnonzero(present & ~self.accepted(chunk))
        if doubtful.size:
            self.check_slowly(pc.take(col, from_numpy(doubtful)), chunk.rows[doubtful], collector)

    def accepted(self, chunk: Chunk) -> np.ndarray:
        """Cells that are present and certainly valid (cached: ``prepare`` may work it out)."""
        key = ("accepted", self.position)
        if key not in chunk.cache:
            present = ~blank_mask(chunk, self.position, self.missing_values)
            if present.any():
                present &= self.fast_accept(chunk, chunk.column(self.position))
            chunk.cache[key] = present
        return chunk.cache[key]

    def fast_accept(self, chunk: Chunk, col: pa.Array) -> np.ndarray:
        """Cells certainly valid under the field's type and constraints (False = not sure)."""
        kind = self.field.type
        cons = self.constraints
        if kind == "string":
            ok = np.ones(len(col), dtype=bool)
            if "pattern" in cons:
                try:
                    matched = pc.match_substring_regex(col, f"^{cons['pattern']}$")
                except pa.ArrowInvalid:  # not RE2 syntax: let Frictionless read every cell
                    return np.zeros(len(col), dtype=bool)
                ok &= bools(matched)
            if "maxLength" in cons:
                ok &= bools(pc.less_equal(pc.utf8_length(col), scalar(cons["maxLength"])))
            if "minLength" in cons:
                ok &= bools(pc.greater_equal(pc.utf8_length(col), scalar(cons["minLength"])))
            if "enum" in cons:
                ok &= bools(pc.is_in(col, value_set=texts(cons["enum"])))
            return ok
        if kind in ("integer", "number"):
            pattern = _INT_FAST if kind == "integer" else _NUMBER_FAST
            ok = bools(pc.match_substring_regex(col, pattern))
            if "enum" in cons:
                return np.zeros(len(col), dtype=bool)
            bounds = [name for name in _BOUNDS if name in cons]
            if bounds and ok.any():
                target = pa.int64() if kind == "integer" else pa.float64()
                values = to_numpy(pc.cast(pc.if_else(from_numpy(ok), col, scalar("0")), target))
                for name in bounds:
                    limit = cons[name]
                    ok &= _BOUNDS[name][1](values, limit) & (values != limit)
            return ok
        if kind == "date" and not set(cons) - {"required"}:
            # parsed and printed back unchanged: exactly YYYY-MM-DD, a real day (2025-02-30
            # rolls over to 03-02, so it is not accepted here); year 0 is not a Python date
            ok = ~np.isnat(iso_days(chunk, self.position))
            return ok & ~bools(pc.starts_with(col, "0000"))
        return np.zeros(len(col), dtype=bool)

    def read_cell(self, value: Any) -> tuple[Any, dict | None]:
        """Frictionless's judgement of one cell, its reader made the first time it is needed."""
        if self._read_cell is None:
            self._read_cell = _cell_reader(self.schema, self.field.name)
        return self._read_cell(value)

    def check_slowly(self, cells: pa.Array, rows: np.ndarray, collector: Collector) -> None:
        """Read each doubtful cell exactly as Frictionless does and report what it finds."""
        groups: dict[str, list[int]] = {}
        first: dict[str, str] = {}
        for value, row in zip(cells.to_pylist(), rows.tolist(), strict=True):
            _, notes = self.read_cell(value)
            if not notes:
                continue
            for note in notes:
                code = "type-error" if note == "type" else _NOTE_CODES.get(note, "type-error")
                key = f"{code}\x00{value}" if code == "not-in-codelist" else code
                if code == "type-error" and self.field.type == "date" and _DATE_TIME.match(value):
                    key = f"{code}\x00{_DATE_TIME_KEY}"  # a workbook cell with a time of day
                groups.setdefault(key, []).append(row)
                first.setdefault(key, value)
        for key, group_rows in groups.items():
            code = key.split("\x00", 1)[0]
            extra = self._constraint_params(code)
            if key.endswith(f"\x00{_DATE_TIME_KEY}"):
                extra["type_message"] = (
                    "The cell holds a date and a time of day; the column wants the date only."
                )
            collector.add(
                code,
                field=self.field.name,
                rows=group_rows,
                value=first[key],
                **{**self.params, **extra},
            )

    def _constraint_params(self, code: str) -> dict[str, Any]:
        cons = self.constraints
        if code == "out-of-range":
            parts = [f"{_BOUNDS[n][0]} {cons[n]}" for n in _BOUNDS if n in cons]
            return {"bound": " and ".join(parts)}
        if code == "too-long":
            return {"limit": cons.get("maxLength")}
        if code == "too-short":
            return {"limit": cons.get("minLength")}
        if code == "not-in-codelist":
            return {"codelist_hint": "Enter one of: " + ", ".join(map(str, cons.get("enum", [])))}
        return {}


class SchemaCheck:
    """The Table Schema layer over every chunk: per-field checks, foreign keys, unique keys."""

    def __init__(self, standard: Standard, sub: SubmissionType, positions: dict[str, int]) -> None:
        self.standard = standard
        self.sub = sub
        self.positions = positions
        schema = json.dumps(sub.schema, sort_keys=True)
        missing = missing_values(sub)
        self.missing = missing
        self.fields = [
            FieldCheck(f, schema, positions[f.name], missing)
            for f in sub.fields
            if f.name in positions
        ]
        coded = coded_fields(standard, sub)
        self.single = [(fk, coded[fk.fields[0]]) for fk in sub.foreign_keys if len(fk.fields) == 1]
        self.foreign = [
            (fk, texts(sorted(reference_keys(standard, fk.resource, fk.reference_fields))))
            for fk in sub.foreign_keys
            if len(fk.fields) > 1
        ]
        self.keys = self._unique_keys()

    def _unique_keys(self) -> list[tuple[tuple[str, ...], UniqueKey]]:
        keys: list[tuple[str, ...]] = [
            (f.name,) for f in self.sub.fields if f.constraints.get("unique")
        ]
        if self.sub.primary_key and self.sub.primary_key not in keys:
            keys.append(self.sub.primary_key)
        return [(k, UniqueKey()) for k in keys if all(n in self.positions for n in k)]

    def prepare(self, chunk: Chunk) -> None:
        """Work out the column views ``check`` reads; pure, so it may run on another thread."""
        for fc in self.fields:
            fc.accepted(chunk)
        for fk, codes in self.single:
            if fk.fields[0] in self.positions:
                code_index(chunk, self.positions[fk.fields[0]], codes)

    def check(self, chunk: Chunk, collector: Collector) -> None:
        for fc in self.fields:
            fc.check(chunk, collector)
        for fk, codes in self.single:
            self._check_coded(chunk, fk, codes, collector)
        for fk, allowed in self.foreign:
            self._check_foreign_key(chunk, fk, allowed, collector)
        for key, unique in self.keys:
            joined, all_blank = self._joined(chunk, key)
            unique.add(joined, ~all_blank, chunk.rows)

    @property
    def needs_second_read(self) -> bool:
        """True when a key matched an earlier chunk's only by hash: ``second_read`` confirms."""
        return any(unique.suspects for _, unique in self.keys)

    def second_read(self, chunks: Iterable[Chunk]) -> None:
        """Read the return again to confirm keys that matched an earlier chunk's by hash."""
        waiting = [(key, unique) for key, unique in self.keys if unique.suspects]
        for chunk in chunks:
            for key, unique in waiting:
                joined, all_blank = self._joined(chunk, key)
                unique.recheck(joined, ~all_blank, chunk.rows)
        for _, unique in waiting:
            unique.confirm()

    def finish(self, collector: Collector) -> None:
        """Report repeated keys: once, when every chunk (and any second read) is done."""
        for key, unique in self.keys:
            rows, first = unique.repeats()
            if len(rows):
                collector.add(
                    "duplicate-key",
                    field=key[0] if len(key) == 1 else None,
                    rows=rows,
                    value=str(first).replace(KEY_SEP, " / "),
                    key=" and ".join(self.sub.field(n).title.lower() for n in key),
                )

    def _column(self, chunk: Chunk, name: str) -> pa.Array:
        return chunk.column(self.positions[name])

    def _joined(self, chunk: Chunk, names: tuple[str, ...]) -> tuple[pa.Array, np.ndarray]:
        """The key cells (blank cells as ''), joined, and which rows have every cell blank."""
        cols = []
        all_blank = np.ones(len(chunk), dtype=bool)
        only_empty = self.missing.to_pylist() == [""]
        for name in names:
            col = self._column(chunk, name)
            blank = blank_mask(chunk, self.positions[name], self.missing)
            all_blank &= blank
            cols.append(col if only_empty else pc.if_else(from_numpy(blank), scalar(""), col))
        joined = cols[0] if len(cols) == 1 else pc.binary_join_element_wise(*cols, scalar(KEY_SEP))
        return joined, all_blank

    def _check_coded(self, chunk: Chunk, fk: Any, codes: CodeList, collector: Collector):
        """A one-field foreign key: each cell is blank or one of the code list's codes."""
        name = fk.fields[0]
        if name not in self.positions:
            return
        position = self.positions[name]
        bad = (code_index(chunk, position, codes) < 0) & ~blank_mask(chunk, position, self.missing)
        chunk.cache[("not-in-codelist", name)] = bad  # privacy screens only these
        if bad.any():
            self._report_bad_keys(fk, chunk.column(position), bad, chunk.rows, collector)

    def _check_foreign_key(self, chunk: Chunk, fk: Any, allowed: pa.Array, collector: Collector):
        if not all(name in self.positions for name in fk.fields):
            return
        joined, all_blank = self._joined(chunk, fk.fields)
        bad = ~bools(pc.is_in(joined, value_set=allowed)) & ~all_blank
        if bad.any():
            self._report_bad_keys(fk, joined, bad, chunk.rows, collector)

    def _report_bad_keys(self, fk: Any, joined: pa.Array, bad: np.ndarray, rows, collector):
        idx = np.flatnonzero(bad)
        for value, value_rows in by_value(pc.take(joined, from_numpy(idx)), rows[idx]):
            self._report_foreign_key(fk, value, value_rows, collector)

    def _report_foreign_key(self, fk: Any, value: str, rows: np.ndarray, collector: Collector):
        parts = value.split(KEY_SEP)
        field = fk.fields[-1]
        shown = parts[-1]
        if len(fk.fields) > 1:  # blame the first part that is wrong on its own
            known = {k.split(KEY_SEP)[0] for k in self._reference(fk)}
            if parts[0] not in known:
                field, shown = fk.fields[0], parts[0]
        collector.add(
            "not-in-codelist",
            field=field,
            rows=rows,
            value=shown,
            codelist_hint=self._codelist_hint(fk, parts, shown),
        )

    def _reference(self, fk: Any) -> set[str]:
        return reference_keys(self.standard, fk.resource, fk.reference_fields)

    def _codelist_hint(self, fk: Any, parts: list[str], shown: str) -> str:
        codes: list[str]
        if len(fk.fields) == 1 and fk.resource in self.standard.codelists:
            codelist = self.standard.codelists[fk.resource]
            loose = _loose(shown)
            for code in codelist.codes.values():  # the label exactly as the code list has it
                if shown.strip() == code.label:
                    return f"'{shown}' is a label; this column wants its code {code.code}."
            for code in codelist.codes.values():  # the code in another case or spacing
                if loose == _loose(code.code):
                    how = _how_written(shown, code.code)
                    return (
                        f"'{shown}' is the code {code.code} written {how}: write {code.code}. "
                        "'lsids fix' corrects this for you."
                    )
            for code in codelist.codes.values():  # the label in another case or spacing
                if loose == _loose(code.label):
                    return f"'{shown}' is a label; this column wants its code {code.code}."
            codes = list(codelist.codes)
        else:
            prefix = KEY_SEP.join(parts[:-1])
            codes = sorted(
                k.split(KEY_SEP)[-1]
                for k in self._reference(fk)
                if k.rsplit(KEY_SEP, 1)[0] == prefix
            ) or sorted({k.split(KEY_SEP)[0] for k in self._reference(fk)})
        listed = ", ".join(codes[:12]) + (", …" if len(codes) > 12 else "")
        return f"Enter one of the codes: {listed}."


def _how_written(shown: str, code: str) -> str:
    """How a value differs from the code it means: spaces around it (a CSV written with a space
    after each comma: ', E09000030'), spaces inside it, capitals, or some other case."""
    if shown.strip() == code:
        where = "before" if shown[:1].isspace() else "after"
        if shown[:1].isspace() and shown[-1:].isspace():
            where = "before and after"
        return f"with a space {where} it"
    if "".join(shown.split()) == code:
        return "with spaces in it"
    if shown.isupper() and not code.isupper():
        return "in capitals"
    return "in another case or spacing"


def _loose(text: str) -> str:
    """A value compared ignoring case and spaces: ' YES ' and 'yes' are the same."""
    return "".join(text.split()).lower()


def _with_article(words: str) -> str:
    """'an interview date', 'a borough': the words with the article English puts before them."""
    return ("an " if words[:1].lower() in "aeiou" and words else "a ") + words
