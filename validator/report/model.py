"""The verdict on one return: ``Report``, and ``Collector``, which groups findings as checks run.

The JSON shape (``Report.to_dict()``), format version 1.0 — a contract; change it only with a
new ``format_version``:

- ``format_version`` "1.0"; ``valid`` bool (no errors; warnings allowed); ``type`` the submission
  type; ``type_inferred`` bool; ``standard_version``; ``validator_version``; ``source`` the file
  name or null; ``format`` "csv" | "xlsx" | "ods" | "xls" | "dataframe"; ``sheet`` or null;
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

from dataclasses import dataclass, field
from typing import Any

from .finding import Finding

FORMAT_VERSION = "1.0"


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
