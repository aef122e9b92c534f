"""The verdict on one return: ``Report``, and ``Collector``, which groups findings as checks run.

The JSON shape (``Report.to_dict()``), format version 1.0 — a contract; change it only with a
new ``format_version``:

- ``format_version`` "1.0"; ``valid`` bool (no errors; warnings allowed); ``type`` the submission
  type; ``type_inferred`` bool; ``standard_version``; ``validator_version``; ``source`` the file
  name or null; ``format`` "csv" | "xlsx" | "dataframe"; ``sheet`` or null;
- ``summary``: ``rows`` (data rows read), ``errors`` and ``warnings`` (occurrences, counting
  each repeat), ``truncated`` (some row lists or findings were cut short);
- ``findings``: list of objects with ``code``, ``severity`` ("error" | "warning"), ``message``,
  ``hint``, ``field`` (column name or null), ``column`` (Excel letter or null), ``row`` (first
  spreadsheet row — header 1, first data row 2 — or null), ``value`` (as written, masked for
  personal data), ``count``, ``rows`` (the first 100 rows), ``truncated``, ``sheet``.

A finding that repeats — same code, field and message — is one entry with ``count``, so a
mistake made 40,000 times is one line, in bounded memory. Order: structure first, then by row,
column and code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .findings import CATALOGUE, LAYER_ORDER, Finding, column_letter, render_template

FORMAT_VERSION = "1.0"
MAX_ROWS = 100
MAX_FINDINGS = 1000


@dataclass
class Report:
    """What the validator found in one return, and whether it can be submitted."""

    valid: bool
    type: str | None
    type_inferred: bool
    standard_version: str
    validator_version: str
    summary: dict[str, Any]
    findings: list[Finding] = field(default_factory=list)
    source: str | None = None
    format: str | None = None
    sheet: str | None = None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def codes(self) -> set[str]:
        return {f.code for f in self.findings}

    def to_dict(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION,
            "valid": self.valid,
            "type": self.type,
            "type_inferred": self.type_inferred,
            "standard_version": self.standard_version,
            "validator_version": self.validator_version,
            "source": self.source,
            "format": self.format,
            "sheet": self.sheet,
            "summary": dict(self.summary),
            "findings": [f.to_dict() for f in self.findings],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        return cls(
            valid=data["valid"],
            type=data["type"],
            type_inferred=data.get("type_inferred", False),
            standard_version=data["standard_version"],
            validator_version=data["validator_version"],
            summary=dict(data["summary"]),
            findings=[Finding.from_dict(f) for f in data["findings"]],
            source=data.get("source"),
            format=data.get("format"),
            sheet=data.get("sheet"),
        )


class Collector:
    """Gathers findings from the checks, grouping repeats as they arrive."""

    def __init__(
        self,
        columns: dict[str, int] | None = None,
        sheet: str | None = None,
        all_rows: bool = False,
    ) -> None:
        """A repeated finding keeps its first ``MAX_ROWS`` row numbers, or with ``all_rows``
        every one (as the annotated workbook needs)."""
        self.columns = columns or {}
        self.sheet = sheet
        self.all_rows = all_rows
        self._groups: dict[tuple[str, str | None, str], Finding] = {}
        self._redactions: dict[str, str] = {}
        self.dropped = False

    def set_columns(self, columns: dict[str, int]) -> None:
        self.columns = columns

    def add(
        self,
        code: str,
        *,
        field: str | None = None,
        rows: Iterable[int] | np.ndarray | None = None,
        value: Any = None,
        count: int | None = None,
        column: int | None = None,
        **params: Any,
    ) -> None:
        """Record ``code`` at ``rows`` (spreadsheet rows; None for the whole file).

        The message comes from the catalogue's template filled with ``params``.
        """
        ftype = CATALOGUE[code]
        params = {"field": field or "", "value": "" if value is None else value, **params}
        message = render_template(ftype.message, params)
        row_list = [] if rows is None else np.asarray(rows, dtype=np.int64)
        n = count if count is not None else max(len(row_list), 1)
        key = (code, field, message)
        group = self._groups.get(key)
        if group is None:
            if len(self._groups) >= MAX_FINDINGS:
                self.dropped = True
                return
            index = column if column is not None else self.columns.get(field or "", None)
            group = Finding(
                code=code,
                severity=ftype.severity,
                message=message,
                hint=render_template(ftype.hint, params),
                field=field,
                column=column_letter(index) if index is not None else None,
                value=None if value is None else str(value),
                count=0,
                sheet=self.sheet,
            )
            self._groups[key] = group
        group.count += n
        if len(row_list):
            room = len(row_list) if self.all_rows else MAX_ROWS - len(group.rows)
            if room > 0:
                group.rows.extend(int(r) for r in row_list[:room])
            if len(row_list) > room:
                group.truncated = True
            if group.row is None:
                group.row = group.rows[0] if group.rows else int(row_list[0])

    def redact(self, personal: str, masked: str) -> None:
        """Never show ``personal`` in any finding (other checks may have quoted the cell)."""
        if len(self._redactions) < MAX_FINDINGS:
            self._redactions[personal] = masked

    def _scrub(self, finding: Finding) -> None:
        for personal, masked in self._redactions.items():
            if finding.value and personal in finding.value:
                finding.value = finding.value.replace(personal, masked)
            if personal in finding.message:
                finding.message = finding.message.replace(personal, masked)
            if personal in finding.hint:
                finding.hint = finding.hint.replace(personal, masked)

    def has_errors(self, layer: str | None = None) -> bool:
        return any(
            g.severity == "error" and (layer is None or CATALOGUE[g.code].layer == layer)
            for g in self._groups.values()
        )

    def findings(self) -> list[Finding]:
        """Every group, in a stable order: structure first, then by row, column and code."""
        order = {name: i for name, i in self.columns.items()}

        def key(f: Finding) -> tuple:
            return (
                LAYER_ORDER[CATALOGUE[f.code].layer],
                f.row if f.row is not None else 0,
                order.get(f.field or "", -1),
                f.code,
                f.message,
            )

        found = sorted(self._groups.values(), key=key)
        for f in found:
            if self._redactions:
                self._scrub(f)
            f.rows.sort()
            if f.rows:
                f.row = f.rows[0]
        return found
