"""``Finding``: one problem in a return, or one problem repeated, as a person reads it."""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass
from typing import Any

from ..catalogue.findings import CATALOGUE, Severity


@dataclass
class Finding:
    """One problem, or one problem repeated: ``count`` times, first at ``row``.

    ``row`` is the spreadsheet row (header = 1, first data row = 2) or ``None`` when the finding
    is about the whole file or a column; ``rows`` lists the first row numbers (up to 100) and
    ``truncated`` says there were more. ``value`` is the value as written (masked for personal
    data), of the first occurrence.
    """

    code: str
    severity: Severity
    message: str
    hint: str = ""
    field: str | None = None
    column: str | None = None
    row: int | None = None
    value: str | None = None
    count: int = 1
    rows: list[int] = dataclasses.field(default_factory=list)
    truncated: bool = False
    sheet: str | None = None

    @property
    def title(self) -> str:
        return CATALOGUE[self.code].title

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        names = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in names})
