"""CSV downloads that are safe to open in Excel: a cell that would start a formula is quoted.

A value beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula by
spreadsheet software (CSV injection), so it gets a leading apostrophe, which Excel shows as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """The value as text, with an apostrophe in front if a spreadsheet would read a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable[Any]]) -> Response:
    """A CSV attachment (UTF-8 with a byte-order mark, so Excel reads accents) of safe cells."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    writer.writerows([safe_cell(v) for v in r] for r in rows)
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
