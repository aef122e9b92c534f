"""Turn a borough's own spellings into the standard's codes, and list every change made.

Only what is certain is changed: column names in another case or spacing (or a field's title),
answer labels and codes in another case, borough names, UK dates, thousands separators in
numbers ('1,234' is 1234), and stray spaces around any value. Numbers are otherwise never
reformatted. Anything that could mean two things, or nothing the
standard knows, is left exactly as it was and listed in ``FixResult.ambiguous`` — never guessed.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa

from ..catalogue.inputs import InputError
from ..readers.dataframe import read_dataframe
from ..readers.headers import infer_type, loose_names, normalise
from ..readers.source import read_table
from ..readers.table import Table
from ..standard import Field, Standard, SubmissionType, load_standard
from .field_codes import field_codes
from .labels import LabelMatcher
from .uk_dates import month_day_proof, read_uk_date

SPACES = "stray spaces removed"
THOUSANDS = "thousands separators removed"
_THOUSANDS = re.compile(r"^[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")
EXCEL_ENCODING = "utf-8-sig"  # with a byte-order mark, so Excel shows '£' as '£', not 'Â£'


@dataclass(frozen=True)
class Change:
    """One cell changed: spreadsheet row (the heading row for a column name), column name,
    value before and after."""

    row: int
    column: str
    before: str
    after: str
    reason: str


@dataclass(frozen=True)
class Ambiguity:
    """One cell left alone because its meaning is not certain, with the codes it might mean."""

    row: int
    column: str
    value: str
    candidates: tuple[str, ...]
    reason: str


@dataclass
class FixResult:
    """The fixed table, every change made, and every value left alone for a person to decide."""

    frame: pd.DataFrame
    changes: list[Change] = field(default_factory=list)
    ambiguous: list[Ambiguity] = field(default_factory=list)

    def summary(self) -> str:
        """One or two plain-English sentences for the terminal."""
        changed = len(self.changes)
        text = f"Changed {changed:,} cell{'' if changed == 1 else 's'}."
        if self.ambiguous:
            left = len(self.ambiguous)
            text += (
                f" Left {left:,} value{'' if left == 1 else 's'} unchanged because the meaning "
                "was not certain: check each one and correct it by hand."
            )
        return text


def fix_table(
    frame: pd.DataFrame,
    type: str,
    standard: Standard | None = None,
    *,
    rows: Sequence[int] | None = None,
    header_row: int = 1,
) -> FixResult:
    """Fix a table of text cells ('' blank) whose columns are the file's header.

    ``header_row`` is the row the headings are on (``Table.header_row``); ``rows`` are the
    spreadsheet row numbers of the frame's rows (default: the rows below the headings).
    """
    standard = standard or load_standard()
    sub = standard.submission_types[type]
    default = range(header_row + 1, len(frame) + header_row + 1)
    numbers = np.asarray(rows if rows is not None else default, dtype=np.int64)
    fixed = frame.copy()
    fixed.columns = range(frame.shape[1])
    changes: list[Change] = []
    ambiguous: list[Ambiguity] = []
    names = _fix_header([str(c) for c in frame.columns], sub, header_row, changes, ambiguous)
    texts = _as_text(frame)
    codes = field_codes(standard, type)
    for position, name in enumerate(names):
        spec = sub.field(name) if name in sub.field_names else None
        matcher = None
        if spec is not None and name in codes:
            borough = codes[name].source == standard.boroughs.name
            matcher = LabelMatcher(codes[name], borough_names=borough)
        column = texts[position]
        fixed[position] = _fix_column(column, name, spec, matcher, numbers, changes, ambiguous)
    fixed.columns = names
    changes.sort(key=lambda c: (c.row, names.index(c.column)))
    ambiguous.sort(key=lambda a: (a.row, names.index(a.column)))
    return FixResult(fixed, changes, ambiguous)


def _as_text(frame: pd.DataFrame) -> list[pd.Series]:
    """Each column as the text the validator reads from it (12.0 in a float column is '12')."""
    table = read_dataframe(frame)
    parts: list[list[pa.Array]] = [[] for _ in table.header]
    for chunk in table.chunks:
        for i, part in enumerate(parts):
            part.append(chunk.column(i))
    return [
        pd.Series(pa.chunked_array(p, pa.string()).to_pylist(), index=frame.index, dtype=object)
        for p in parts
    ]


def _fix_header(
    header: list[str],
    sub: SubmissionType,
    row: int,
    changes: list[Change],
    ambiguous: list[Ambiguity],
) -> list[str]:
    loose = loose_names(sub)
    taken = {h for h in header if h in sub.field_names}
    names = []
    for heading in header:
        target = heading if heading in sub.field_names else loose.get(normalise(heading))
        if target == heading:
            names.append(heading)
        elif target is None:
            names.append(heading.strip())
            if names[-1] != heading:
                changes.append(Change(row, names[-1], heading, names[-1], SPACES))
        elif target in taken:
            names.append(heading)
            reason = f"another column is already called {target}, so this one was left alone."
            ambiguous.append(Ambiguity(row, heading, heading, (target,), reason))
        else:
            taken.add(target)
            names.append(target)
            changes.append(
                Change(row, target, heading, target, "column name as the standard has it")
            )
    return names


def _fix_column(
    column: pd.Series,
    name: str,
    spec: Field | None,
    matcher: LabelMatcher | None,
    numbers: np.ndarray,
    changes: list[Change],
    ambiguous: list[Ambiguity],
) -> pd.Series:
    codes_of, uniques = pd.factorize(column, sort=False)
    result = column.copy()
    proof = None
    if spec is not None and spec.type == "date":
        proof = month_day_proof(str(u).strip() for u in uniques)
    for index, value in enumerate(uniques):
        after, reason, doubt = _fix_value(value, spec, matcher, proof)
        if after is None and doubt is None:
            continue
        where = np.nonzero(codes_of == index)[0]
        if after is not None:
            result.iloc[where] = after
            changes.extend(Change(int(numbers[i]), name, value, after, reason) for i in where)
        if doubt is not None:
            ambiguous.extend(
                Ambiguity(int(numbers[i]), name, value, doubt[0], doubt[1]) for i in where
            )
    return result


def _fix_value(
    value: str, spec: Field | None, matcher: LabelMatcher | None, proof: str | None = None
) -> tuple[str | None, str, tuple[tuple[str, ...], str] | None]:
    """(new value or None, reason, (candidates, reason) when left alone as uncertain).

    ``proof`` is a date in the same column that only works as month/day, if there is one.
    """
    text = value.strip()
    stripped = text if text != value else None
    if not text:
        return stripped, SPACES, None
    if matcher is not None and text not in matcher.codes.codes:
        found = matcher.match(text)
        if found.code is None:
            return stripped, SPACES, (found.candidates, found.reason)
        return found.code, found.reason, None
    if spec is not None and spec.type in ("integer", "number") and _THOUSANDS.match(text):
        return text.replace(",", ""), THOUSANDS, None
    if spec is not None and spec.type == "date":
        reading = read_uk_date(text, month_day=proof)
        if reading is not None and reading.iso is None:
            return stripped, SPACES, ((), reading.reason)
        if reading is not None:
            return reading.iso, reading.reason, None
    return stripped, SPACES, None


# --- files -------------------------------------------------------------------------------------


def fix_file(
    path: str | Path,
    output: str | Path,
    *,
    type: str | None = None,
    sheet: str | None = None,
    standard: Standard | None = None,
) -> FixResult:
    """Fix a CSV or XLSX return and write the result to ``output`` in the same format.

    A CSV is written as UTF-8 with a byte-order mark (so Excel reads it as UTF-8) and commas,
    every row kept (even a ragged or blank one). A workbook is copied with only the changed
    cells' values replaced. Raises ``InputError`` when the file cannot be read, as validating it
    would.
    """
    standard = standard or load_standard()
    table = read_table(Path(path), sheet=sheet)
    kind = type or infer_type(table.header, standard, table.header_row)
    if table.format == "xlsx":
        return _fix_xlsx(Path(path), Path(output), table, kind, standard)
    if table.format in ("ods", "xls"):
        return _fix_other_workbook(Path(output), table, kind, standard)
    _close(table)
    return _fix_csv(Path(path), Path(output), table, kind, standard)


def _close(table: Table) -> None:
    close = getattr(table.chunks, "close", None)
    if close:
        close()


def _fix_csv(path: Path, output: Path, table: Table, kind: str, standard: Standard) -> FixResult:
    encoding = "utf-8-sig" if table.encoding in (None, "utf-8") else table.encoding
    with path.open(encoding=encoding, newline="") as fh:
        records = list(csv.reader(fh, delimiter=table.delimiter or ","))
    top = table.header_row  # lines above the headings (a title) are written back unchanged
    above, header, body = records[: top - 1], records[top - 1], records[top:]
    width = len(header)
    frame = pd.DataFrame(
        [(r + [""] * (width - len(r)))[:width] for r in body], columns=header, dtype=object
    )
    if frame.empty:
        frame = pd.DataFrame(columns=header, dtype=object)
    numbers = range(top + 1, len(body) + top + 1)
    result = fix_table(frame, kind, standard, rows=numbers, header_row=top)
    with output.open("w", encoding=EXCEL_ENCODING, newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerows(above)
        writer.writerow(list(result.frame.columns))
        for original, fixed in zip(body, result.frame.itertuples(index=False), strict=True):
            cells = list(fixed)[: len(original)] + original[width:]
            writer.writerow(cells)
    return result


def _fix_other_workbook(output: Path, table: Table, kind: str, standard: Standard) -> FixResult:
    """An .ods or .xls return, fixed into a new .xlsx (each row on its own row number, so the
    report's rows still match) or a CSV: openpyxl cannot write the officer's own format."""
    suffix = output.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        _close(table)
        kinds = {"ods": "a LibreOffice (.ods)", "xls": "an old-style Excel (.xls)"}
        raise InputError("fix-output-format", file_kind=kinds[table.format], file_name=output.name)
    frame, numbers = _table_frame(table)
    result = fix_table(frame, kind, standard, rows=numbers, header_row=table.header_row)
    if suffix == ".csv":
        with output.open("w", encoding=EXCEL_ENCODING, newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(list(result.frame.columns))
            writer.writerows(result.frame.itertuples(index=False))
        return result
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = table.sheet or kind
    for column, name in enumerate(result.frame.columns, start=1):
        sheet.cell(table.header_row, column, name)
    for number, values in zip(numbers, result.frame.itertuples(index=False), strict=True):
        for column, value in enumerate(values, start=1):
            if value != "":
                sheet.cell(int(number), column, value)
    workbook.save(output)
    return result


def _table_frame(table: Table) -> tuple[pd.DataFrame, np.ndarray]:
    """A workbook table's cells as text by heading, and their row numbers."""
    frames, rows = [], []
    try:
        for chunk in table.chunks:
            rows.append(chunk.rows)
            frames.append(
                pd.DataFrame(
                    {i: chunk.column(i).to_pylist() for i in range(len(table.header))}, dtype=object
                )
            )
    finally:
        _close(table)
    frame = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame({i: [] for i in range(len(table.header))}, dtype=object)
    )
    frame.columns = table.header
    return frame, np.concatenate(rows) if rows else np.array([], dtype=np.int64)


def _fix_xlsx(path: Path, output: Path, table: Table, kind: str, standard: Standard) -> FixResult:
    frames, rows = [], []
    try:
        for chunk in table.chunks:
            rows.append(chunk.rows)
            frames.append(
                pd.DataFrame(
                    {i: chunk.column(i).to_pylist() for i in range(len(table.header))}, dtype=object
                )
            )
    finally:
        _close(table)
    frame = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame({i: [] for i in range(len(table.header))}, dtype=object)
    )
    frame.columns = table.header
    numbers = np.concatenate(rows) if rows else np.array([], dtype=np.int64)
    result = fix_table(frame, kind, standard, rows=numbers, header_row=table.header_row)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[table.sheet] if table.sheet else workbook.worksheets[0]
    positions = {name: i for i, name in enumerate(result.frame.columns)}
    kept: list[Change] = []
    for change in result.changes:
        cell = sheet.cell(change.row, positions[change.column] + 1)
        if cell.data_type == "f":
            result.ambiguous.append(
                Ambiguity(
                    change.row,
                    change.column,
                    change.before,
                    (change.after,),
                    "the cell holds a formula; change the cells it is worked out from.",
                )
            )
            continue
        cell.value = change.after
        kept.append(change)
    result.changes = kept
    workbook.save(output)
    return result


# --- the list of changes -----------------------------------------------------------------------

_FORMULA_START = ("=", "+", "@", "\t", "\r")


def _safe(text: str) -> str:
    """Keep a spreadsheet from running a value as a formula when the list is opened in Excel."""
    risky = text.startswith(_FORMULA_START) or (text.startswith("-") and not _number(text))
    return "'" + text if risky else text


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def changes_to_csv(changes: Sequence[Change], path: str | Path) -> Path:
    """Write every change (row, column, before, after, reason) as a UTF-8 CSV Excel can open."""
    path = Path(path)
    with path.open("w", encoding=EXCEL_ENCODING, newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["row", "column", "before", "after", "reason"])
        for c in changes:
            writer.writerow([c.row, c.column, _safe(c.before), _safe(c.after), c.reason])
    return path


def ambiguous_to_csv(ambiguous: Sequence[Ambiguity], path: str | Path) -> Path:
    """Write every value left alone (row, column, value, candidates, reason) as a UTF-8 CSV
    Excel can open."""
    path = Path(path)
    with path.open("w", encoding=EXCEL_ENCODING, newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["row", "column", "value", "candidates", "reason"])
        for a in ambiguous:
            writer.writerow([a.row, a.column, _safe(a.value), " ".join(a.candidates), a.reason])
    return path
