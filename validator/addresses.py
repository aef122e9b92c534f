"""How a person finds a cell: Excel's column letters for column positions."""

from __future__ import annotations


def column_letter(index: int) -> str:
    """Excel's column letter for a 0-based column position (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
