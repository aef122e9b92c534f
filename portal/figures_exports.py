"""The output table for download: CSV that no spreadsheet runs as a formula, and a Frictionless
Data Package (zip: ``datapackage.json`` and ``figures.csv``) that names its sources.

A spreadsheet treats a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
as a formula. A text cell starting so gets a leading apostrophe (OWASP's advice); a number is
written as a number, so the only cells that could start with ``-`` are plain negative numbers,
which a spreadsheet reads as numbers and never runs (the table has none today: every column is a
share, a count or a base).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from typing import Any

from . import csv_download
from .csv_download import FORMULA_STARTS
from .figures_store import COLUMNS

PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")
RESOURCE = "figures"


def safe_cell(value: Any) -> str:
    """A cell's text: numbers as numbers, text that could start a formula behind an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    return csv_download.safe_cell(value)


def is_safe(cell: str) -> bool:
    """Whether a CSV cell cannot start a formula: a plain number, or text not starting one."""
    return PLAIN_NUMBER.fullmatch(cell) is not None or not cell.startswith(FORMULA_STARTS)


def csv_text(rows: list[dict[str, Any]]) -> str:
    """The table as CSV with its documented columns, one row per figure."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow([safe_cell(r[c]) for c in COLUMNS])
    return out.getvalue()


def descriptor(build: dict[str, Any] | None) -> dict[str, Any]:
    """The Data Package descriptor: the table's schema from the standard's catalogue, and the
    standard version and submissions (ids, SHA-256) the figures were built from."""
    from validator.catalogue.figures import OUTPUT_COLUMNS, STATUSES

    build = build or {"standard_version": "", "submissions": [], "built_at": ""}
    fields = []
    for name in COLUMNS:
        kind, description = OUTPUT_COLUMNS[name]
        field: dict[str, Any] = {"name": name, "type": kind, "description": description}
        if name == "status":
            field["constraints"] = {"required": True, "enum": list(STATUSES)}
        fields.append(field)
    built_from = ", ".join(f"{s['id']} ({s['sha256']})" for s in build["submissions"])
    return {
        "name": "lsids-london-figures",
        "title": "London social integration figures",
        "description": (
            f"London-wide and borough figures computed from accepted returns under version "
            f"{build['standard_version']} of the London Social Integration Data Standard, with "
            f"its publication rules applied. Built {build['built_at']} from submissions (id and "
            f"SHA-256): {built_from or 'none'}."
        ),
        "version": build["built_at"].replace(":", "").replace("-", "")[:15] or "0",
        "created": build["built_at"] or None,
        "sources": [
            {"title": f"London Social Integration Data Standard {build['standard_version']}"},
            *(
                {"title": f"Submission {s['id']} (SHA-256 {s['sha256']})"}
                for s in build["submissions"]
            ),
        ],
        "lsids": {
            "standard_version": build["standard_version"],
            "submissions": build["submissions"],
        },
        "resources": [
            {
                "name": RESOURCE,
                "path": f"{RESOURCE}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": fields,
                    "missingValues": [""],
                    "primaryKey": [
                        "measure_id",
                        "period",
                        "area_code",
                        "breakdown",
                        "breakdown_value",
                    ],
                },
            }
        ],
    }


def data_package(rows: list[dict[str, Any]], build: dict[str, Any] | None) -> bytes:
    """A zip holding ``datapackage.json`` and the table as ``figures.csv``."""
    meta = descriptor(build)
    if meta["created"] is None:
        del meta["created"]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("datapackage.json", json.dumps(meta, indent=2))
        z.writestr(f"{RESOURCE}.csv", csv_text(rows))
    return out.getvalue()
