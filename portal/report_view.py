"""A stored report arranged for its page: error summary links, findings, and the rows table.

Everything comes from the report's findings as the validator wrote them (codes, messages,
hints, spreadsheet row numbers and column letters); nothing here re-checks data or parses text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MAX_TABLE_ROWS = 500


@dataclass
class Cell:
    """One row of the problem table: a spreadsheet cell (or row) and what is wrong there."""

    row: int
    column: str
    field: str
    problem: str
    anchor: str


class ReportView:
    """A report dict (``Report.to_dict()``) seen the way the submission page shows it."""

    def __init__(self, report: dict[str, Any]) -> None:
        self.report = report
        findings = report.get("findings", [])
        self.errors = [f for f in findings if f["severity"] == "error"]
        self.warnings = [f for f in findings if f["severity"] != "error"]
        for number, finding in enumerate(self.errors, start=1):
            finding["anchor"] = f"error-{number}"
        for number, finding in enumerate(self.warnings, start=1):
            finding["anchor"] = f"warning-{number}"

    @property
    def valid(self) -> bool:
        return bool(self.report.get("valid"))

    @property
    def rows(self) -> int | None:
        return self.report.get("summary", {}).get("rows")

    def affected(self, finding: dict[str, Any]) -> int:
        """How many rows (or cells) a finding covers."""
        return int(finding.get("count") or 1)

    def grouped(self) -> list[tuple[str, str, int, int]]:
        """Error codes with their titles from the validator's catalogue, how many findings and
        how many rows each, most rows first."""
        from validator.catalogue import CATALOGUE

        groups: dict[str, list[int]] = {}
        for finding in self.errors:
            counts = groups.setdefault(finding["code"], [0, 0])
            counts[0] += 1
            counts[1] += self.affected(finding)
        return sorted(
            ((code, _title(CATALOGUE, code), n, rows) for code, (n, rows) in groups.items()),
            key=lambda g: (-g[3], g[0]),
        )

    def cells(self) -> tuple[list[Cell], bool]:
        """Rows with errors, by spreadsheet row then column; and whether the table was cut short."""
        cells = []
        for finding in self.errors:
            rows = finding.get("rows") or ([finding["row"]] if finding.get("row") else [])
            for row in rows:
                cells.append(
                    Cell(
                        row=row,
                        column=finding.get("column") or "",
                        field=finding.get("field") or "",
                        problem=finding["message"],
                        anchor=finding["anchor"],
                    )
                )
        cells.sort(key=lambda c: (c.row, len(c.column), c.column))
        return cells[:MAX_TABLE_ROWS], len(cells) > MAX_TABLE_ROWS


def _title(catalogue: dict[str, Any], code: str) -> str:
    """The catalogue's title for a finding code (a report from another version may name one this
    validator no longer knows: then the code itself)."""
    entry = catalogue.get(code)
    return entry.title if entry else code
