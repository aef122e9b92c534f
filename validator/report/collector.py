"""``Collector``: gathers the checks' findings as they run, grouping repeats in bounded memory."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ..addresses import column_letter
from ..catalogue.findings import CATALOGUE, LAYER_ORDER
from ..catalogue.words import render_template
from .finding import Finding

MAX_ROWS = 100
"""A repeated finding lists at most this many rows (unless every row is asked for)."""
MAX_FINDINGS = 1000
"""At most this many different findings in one report; the rest are counted as dropped."""


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
