"""The pass over a worksheet's XML measures how far its cells reach (``sheetscan``), whatever
the width of their references and however the XML is cut into blocks."""

from __future__ import annotations

import pytest

from validator.readers.sheetscan import SheetScanner


def measured(xml: str, block: int = 1 << 20):
    scanner = SheetScanner()
    data = xml.encode()
    for start in range(0, len(data), block):
        scanner.feed(data[start : start + block])
    return scanner.finish()


def sheet(*rows: tuple[str, list[str]]) -> str:
    body = "".join(
        f'<row r="{number}">' + "".join(f'<c r="{ref}"><v>1</v></c>' for ref in refs) + "</row>"
        for number, refs in rows
    )
    return f"<worksheet><sheetData>{body}</sheetData></worksheet>"


@pytest.mark.parametrize("block", [5, 64, 1 << 20])
@pytest.mark.parametrize(
    ("rows", "max_row", "max_column"),
    [
        ([("1", ["A1", "B1"]), ("2", ["AE2"])], 2, 31),
        ([("9", ["XFD9"])], 9, 16_384),
        ([("1", ["A1"]), ("1048576", ["C1048576"])], 1_048_576, 3),
        ([("1", ["A1"]), ("2", ["B9999999"])], 9_999_999, 2),  # seven digits
        ([("1", ["A1"]), ("2", ["B12345678"])], 12_345_678, 2),  # eight: past any sheet
        ([("1", ["A1"]), ("2", ["B123456789"])], 12_345_678, 2),  # read to eight digits
    ],
)
def test_how_far_the_cells_reach_is_measured(rows, max_row, max_column, block):
    facts = measured(sheet(*rows), block)
    assert (facts.uncertain, facts.max_row, facts.max_column) == ("", max_row, max_column)
    assert facts.fits_compiled_reader() == (max_row <= 1_048_576)


@pytest.mark.parametrize(
    ("rows", "why"),
    [
        ([("1", ["XFDA1"])], "a cell reference past column XFD"),
        ([("1", ["A01"])], "a reference with a leading zero"),
        ([("2", ["A2"]), ("1", ["A1"])], "rows out of order"),
    ],
)
def test_references_that_cannot_be_measured_make_the_facts_uncertain(rows, why):
    facts = measured(sheet(*rows))
    assert facts.uncertain == why
    assert not facts.fits_compiled_reader()
