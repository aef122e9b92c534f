"""How a person finds a cell: column letters as Excel shows them."""

from __future__ import annotations

from validator.addresses import column_letter


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == [
        "A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"
    ]  # fmt: skip
