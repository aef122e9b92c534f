"""Hostile and broken OpenDocument spreadsheets (.ods) each get one clear, specific message.

An .ods is a zip like an .xlsx, so it gets the same checks before any parser runs (sizes,
compression ratios, no XML entity or document type declarations), and a pass over its sheets
before the compiled reader lays them out: a few bytes that repeat a value over a billion cells
are refused, never handed to calamine. The files are built here, byte by byte.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from validator import validate
from validator.catalogue import InputError

MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
    f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{MIMETYPE}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def text_cell(text: str, **attributes: str) -> str:
    extra = "".join(
        f' table:{name.replace("_", "-")}="{value}"' for name, value in attributes.items()
    )
    return (
        f'<table:table-cell office:value-type="string"{extra}><text:p>{text}</text:p>'
        "</table:table-cell>"
    )


def row(*cells: str, **attributes: str) -> str:
    extra = "".join(
        f' table:{name.replace("_", "-")}="{value}"' for name, value in attributes.items()
    )
    return f"<table:table-row{extra}>{''.join(cells)}</table:table-row>"


def content(*rows: str, name: str = "Sheet1", prologue: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prologue}<office:document-content {NAMESPACES}>'
        f'<office:body><office:spreadsheet><table:table table:name="{name}">{"".join(rows)}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )


def ods(
    folder: Path, body: str | bytes, *, name: str = "return.ods", mimetype: str = MIMETYPE
) -> Path:
    path = folder / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", MANIFEST)
        archive.writestr("content.xml", body)
    return path


def small_table() -> list[str]:
    return [
        row(text_cell("borough"), text_cell("period")),
        row(text_cell("E09000030"), text_cell("2025-26")),
    ]


def read_error(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        validate(path, type="service-data")
    return caught.value


def test_a_small_hand_built_ods_is_read_with_its_hidden_rows_and_merged_cells(tmp_path):
    body = content(
        row(text_cell("borough"), text_cell("period"), text_cell("measure")),
        row(text_cell("E09000030"), text_cell("2025-26"), text_cell("x")),
        row(text_cell("E09000030"), text_cell("2025-26"), text_cell("y"), visibility="collapse"),
        row(
            text_cell("E09000030", number_columns_spanned="2"),
            "<table:covered-table-cell/>",
            text_cell("z"),
        ),
        row(
            '<table:table-cell table:number-columns-repeated="1024"/>',
            number_rows_repeated="1048572",
        ),
    )
    report = validate(ods(tmp_path, body), type="service-data")
    assert report.format == "ods"
    notes = {f.code: f for f in report.findings}
    assert notes["hidden-rows-ignored"].rows == [3]
    assert notes["merged-cells"].rows == [4]
    assert "A4:B4" in notes["merged-cells"].message


def zip_bomb(folder: Path) -> Path:
    """A content.xml of 50 MB of spaces, deflated a thousand to one."""
    body = content(*small_table())
    return ods(folder, body.replace("<office:body>", " " * 50_000_000 + "<office:body>"))


def entity(folder: Path) -> Path:
    return ods(folder, content(*small_table(), prologue='<!DOCTYPE x [<!ENTITY a "aaaa">]>'))


def repeated_billion(folder: Path) -> Path:
    """One value repeated over a million rows and a thousand columns: a billion cells."""
    cell = (
        '<table:table-cell table:number-columns-repeated="1000" '
        'office:value-type="float" office:value="1"/>'
    )
    return ods(folder, content(*small_table(), row(cell, number_rows_repeated="1000000")))


def repeats_hidden_behind_a_quoted_bracket(folder: Path) -> Path:
    """The same billion cells, their repeat count written after a '>' inside an attribute value,
    where a careless pattern would stop reading the tag."""
    cell = (
        '<table:table-cell table:style-name="a>b" table:number-columns-repeated="1000" '
        'office:value-type="float" office:value="1"/>'
    )
    return ods(folder, content(*small_table(), row(cell, number_rows_repeated="1000000")))


def truncated_xml(folder: Path) -> Path:
    """content.xml cut off inside the table, as a download that stopped short leaves it."""
    body = content(*small_table())
    return ods(folder, body[: body.index("2025-26")])


def text_document(folder: Path) -> Path:
    return ods(folder, content(*small_table()), mimetype="application/vnd.oasis.opendocument.text")


def pdf(folder: Path) -> Path:
    return _write(folder / "return.ods", b"%PDF-1.7\n%binary")


def csv_text(folder: Path) -> Path:
    return _write(folder / "return.ods", b"borough,period\nE09000030,2025-26\n")


def empty(folder: Path) -> Path:
    return _write(folder / "return.ods", b"")


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


CASES = [
    (zip_bomb, "unsafe-workbook", ["content.xml", "zip bomb"]),
    (entity, "unsafe-workbook", ["content.xml", "<!ENTITY>"]),
    (repeated_billion, "unsafe-workbook", ["spread", "A1 to ALL1000002", "8,000,000"]),
    (repeats_hidden_behind_a_quoted_bracket, "unsafe-workbook", ["A1 to ALL1000002"]),
    (truncated_xml, "corrupt-workbook", ["damaged"]),
    (text_document, "not-a-table", ["OpenDocument file that is not a spreadsheet"]),
    (pdf, "not-a-table", ["PDF", ".ods"]),
    (csv_text, "not-a-table", ["plain text", ".csv"]),
    (empty, "empty-file", ["empty"]),
]


@pytest.mark.parametrize(("build", "code", "words"), CASES, ids=[c[0].__name__ for c in CASES])
def test_each_hostile_ods_gets_one_specific_message(tmp_path, build, code, words):
    error = read_error(build(tmp_path))
    assert error.code == code, error.message
    for word in words:
        assert word in error.message + " " + error.hint, error.message
