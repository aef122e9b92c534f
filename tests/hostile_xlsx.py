"""Build nasty "workbooks" on the fly, so no binary test file ever needs to live in git.

Each builder takes a folder and returns the path of one file. Most are assembled part by part from
a minimal hand-written XLSX (``workbook_parts``); the ones that must lie about themselves (a zip
bomb, a member whose declared size is false) are written byte by byte with ``write_raw_zip``.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = REL_NS + "/worksheet"


def sheet_xml(rows: str, dimension: str | None = "A1:B2", tail: str = "") -> str:
    """A worksheet part holding these ``<row>`` elements (inline strings: no shared strings)."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">{dim}'
        f"<sheetData>{rows}</sheetData>{tail}</worksheet>"
    )


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


SMALL_ROWS = (
    f'<row r="1">{text_cell("A1", "borough")}{text_cell("B1", "period")}</row>'
    f'<row r="2">{text_cell("A2", "E09000030")}{text_cell("B2", "2025-26")}</row>'
)


def workbook_parts(
    sheets: list[tuple[str, str, str]] | None = None, shared_strings: str | None = None
) -> dict[str, bytes]:
    """The parts of a minimal valid XLSX: sheets are (name, worksheet XML, state)."""
    sheets = sheets or [("Data", sheet_xml(SMALL_ROWS), "visible")]
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    if shared_strings is not None:
        overrides += (
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{overrides}</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL_NS}">'
            f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN_NS}" '
            f'xmlns:r="{REL_NS}"><sheets>'
            + "".join(
                f'<sheet name="{name}" sheetId="{i}" state="{state}" r:id="rId{i}"/>'
                for i, (name, _, state) in enumerate(sheets, 1)
            )
            + "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL_NS}">'
            + "".join(
                f'<Relationship Id="rId{i}" Type="{SHEET_TYPE}" Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, len(sheets) + 1)
            )
            + "</Relationships>"
        ),
    }
    for i, (_, xml, _) in enumerate(sheets, 1):
        parts[f"xl/worksheets/sheet{i}.xml"] = xml
    if shared_strings is not None:
        parts["xl/sharedStrings.xml"] = shared_strings
    return {name: text.encode("utf-8") for name, text in parts.items()}


def write_zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


@dataclass
class RawMember:
    """One zip member written as given: its compressed bytes and what its headers declare."""

    name: str
    payload: bytes
    crc: int
    size: int
    method: int = zipfile.ZIP_DEFLATED
    flags: int = 0


def deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def raw_member(name: str, data: bytes, **declared: int) -> RawMember:
    """A deflated member; ``declared`` can override the size, CRC, method or flags it claims."""
    member = RawMember(name, deflate(data), zlib.crc32(data), len(data))
    for key, value in declared.items():
        setattr(member, key, value)
    return member


def write_raw_zip(path: Path, members: list[RawMember]) -> Path:
    """Write local headers, data and a central directory exactly as the members declare them."""
    body, directory = bytearray(), bytearray()
    for m in members:
        name = m.name.encode("utf-8")
        offset = len(body)
        body += struct.pack(
            "<4s5H3L2H", b"PK\x03\x04", 20, m.flags, m.method, 0, 0, m.crc, len(m.payload),
            m.size, len(name), 0,
        )  # fmt: skip
        body += name + m.payload
        directory += struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, m.flags, m.method, 0, 0, m.crc,
            len(m.payload), m.size, len(name), 0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        directory += name
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), len(body), 0
    )
    path.write_bytes(bytes(body + directory + end))
    return path


def _parts_as_raw(parts: dict[str, bytes]) -> list[RawMember]:
    return [raw_member(name, data) for name, data in parts.items()]


# --- the corpus ----------------------------------------------------------------------------------


def empty_file(folder: Path) -> Path:
    path = folder / "empty.xlsx"
    path.write_bytes(b"")
    return path


def png_renamed(folder: Path) -> Path:
    path = folder / "logo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    return path


def pdf_renamed(folder: Path) -> Path:
    path = folder / "report.xlsx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    return path


def csv_renamed(folder: Path) -> Path:
    path = folder / "return.xlsx"
    path.write_bytes(b"borough,period\nE09000030,2025-26\n")
    return path


def _ole2(extra_names: list[str]) -> bytes:
    """The start of an OLE2 compound file with directory entries carrying these stream names."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    entries = b"".join(n.encode("utf-16-le").ljust(64, b"\x00") + bytes(64) for n in extra_names)
    return header + entries + bytes(512)


def password_protected(folder: Path) -> Path:
    """What Excel writes for an encrypted .xlsx: an OLE2 file holding the encrypted package."""
    path = folder / "protected.xlsx"
    path.write_bytes(_ole2(["Root Entry", "EncryptionInfo", "EncryptedPackage"]))
    return path


def old_xls(folder: Path) -> Path:
    path = folder / "old.xlsx"
    path.write_bytes(_ole2(["Root Entry", "Workbook", "\x05SummaryInformation"]))
    return path


def truncated(folder: Path) -> Path:
    whole = write_zip(folder / "whole.xlsx", workbook_parts()).read_bytes()
    path = folder / "truncated.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    return path


def empty_zip(folder: Path) -> Path:
    return write_raw_zip(folder / "emptyzip.xlsx", [])


def bad_crc(folder: Path) -> Path:
    members = _parts_as_raw(workbook_parts())
    members[-1].crc ^= 0xFFFF
    return write_raw_zip(folder / "badcrc.xlsx", members)


def lying_size(folder: Path) -> Path:
    """A sheet that declares 2 KB but inflates to 20 MB: the reader must stop at 2 KB."""
    members = _parts_as_raw(workbook_parts())
    members[-1] = raw_member("xl/worksheets/sheet1.xml", b"<" + b" " * 20_000_000, size=2048, crc=0)
    return write_raw_zip(folder / "lying.xlsx", members)


def zip_bomb_ratio(folder: Path) -> Path:
    """One sheet part that inflates 50 MB from about 50 KB (ratio about 1,000 to 1)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block, crc, payload = b" " * 1_000_000, 0, bytearray()
    for _ in range(50):
        payload += compressor.compress(block)
        crc = zlib.crc32(block, crc)
    payload += compressor.flush()
    members = _parts_as_raw(workbook_parts())
    members[-1] = RawMember("xl/worksheets/sheet1.xml", bytes(payload), crc, 50_000_000)
    return write_raw_zip(folder / "bomb.xlsx", members)


def zip_bomb_total(folder: Path) -> Path:
    """Many parts each just under the ratio check's size, together inflating past 200 MB."""
    block = b" " * 1_000_000
    filler = raw_member("x", block)
    members = _parts_as_raw(workbook_parts()) + [
        RawMember(f"xl/media/pad{i}.xml", filler.payload, filler.crc, filler.size)
        for i in range(210)
    ]
    return write_raw_zip(folder / "bomb_total.xlsx", members)


def bzip2_member(folder: Path) -> Path:
    parts = workbook_parts()
    path = folder / "bzip2.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_BZIP2) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def zip_encrypted_member(folder: Path) -> Path:
    members = _parts_as_raw(workbook_parts())
    members[-1].flags |= 0x1
    return write_raw_zip(folder / "zipcrypto.xlsx", members)


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
              for i in range(1, 10))
    + "]>"
)  # fmt: skip


def billion_laughs(folder: Path) -> Path:
    """Shared strings whose one string expands to a billion 'lol's if entities are expanded."""
    strings = (
        BILLION_LAUGHS + f'<sst xmlns="{MAIN_NS}" count="1" uniqueCount="1">'
        "<si><t>&lol9;</t></si></sst>"
    )
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    parts = workbook_parts([("Data", sheet_xml(rows), "visible")], shared_strings=strings)
    return write_zip(folder / "laughs.xlsx", parts)


def external_entity(folder: Path) -> Path:
    """A sheet that would pull a local file into a cell (XXE) if external entities resolved."""
    xml = sheet_xml(f'<row r="1">{text_cell("A1", "&xxe;")}</row>').replace(
        "?>\n", '?>\n<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', 1
    )
    return write_zip(folder / "xxe.xlsx", workbook_parts([("Data", xml, "visible")]))


def utf16_doctype(folder: Path) -> Path:
    """An entity declaration in a UTF-16 part, where a plain byte search would miss it."""
    xml = sheet_xml(SMALL_ROWS).replace('encoding="UTF-8"', 'encoding="UTF-16"')
    xml = xml.replace("?>\n", '?>\n<!DOCTYPE worksheet [<!ENTITY e "boom">]>', 1)
    parts = workbook_parts()
    parts["xl/worksheets/sheet1.xml"] = b"\xff\xfe" + xml.encode("utf-16-le")
    return write_zip(folder / "utf16.xlsx", parts)


def whole_sheet_dimension(folder: Path) -> Path:
    """A few bytes that declare a used range of every cell in the sheet; two real rows."""
    xml = sheet_xml(SMALL_ROWS, dimension="A1:XFD1048576")
    return write_zip(folder / "dimension.xlsx", workbook_parts([("Data", xml, "visible")]))


def far_empty_cell(folder: Path) -> Path:
    """Two real rows and a formatted but empty cell in the sheet's last row and column."""
    rows = SMALL_ROWS + '<row r="1048576"><c r="XFD1048576" s="0"/></row>'
    xml = sheet_xml(rows, dimension="A1:XFD1048576")
    return write_zip(folder / "far_empty.xlsx", workbook_parts([("Data", xml, "visible")]))


def far_column_value(folder: Path) -> Path:
    rows = SMALL_ROWS + f'<row r="3">{text_cell("XFD3", "x")}</row>'
    xml = sheet_xml(rows, dimension="A1:XFD3")
    return write_zip(folder / "far_column.xlsx", workbook_parts([("Data", xml, "visible")]))


def far_row_value(folder: Path) -> Path:
    rows = SMALL_ROWS + f'<row r="1048576">{text_cell("A1048576", "x")}</row>'
    xml = sheet_xml(rows, dimension="A1:B1048576")
    return write_zip(folder / "far_row.xlsx", workbook_parts([("Data", xml, "visible")]))


def ten_thousand_columns(folder: Path) -> Path:
    from openpyxl.utils import get_column_letter

    header = "".join(text_cell(f"{get_column_letter(c)}1", f"c{c}") for c in range(1, 10_001))
    xml = sheet_xml(f'<row r="1">{header}</row>', dimension="A1:NTP1")
    return write_zip(folder / "wide.xlsx", workbook_parts([("Data", xml, "visible")]))


def only_hidden_sheets(folder: Path) -> Path:
    sheets = [
        ("Lookups", sheet_xml(SMALL_ROWS), "hidden"),
        ("Data", sheet_xml(SMALL_ROWS), "veryHidden"),
    ]
    return write_zip(folder / "hidden.xlsx", workbook_parts(sheets))


def zip_of_csv(folder: Path) -> Path:
    path = folder / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("return.csv", "borough,period\nE09000030,2025-26\n")
    return path


def opendocument(folder: Path) -> Path:
    path = folder / "sheet.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    return path


def no_workbook_part(folder: Path) -> Path:
    parts = workbook_parts()
    del parts["xl/workbook.xml"]
    return write_zip(folder / "noworkbook.xlsx", parts)


def broken_sheet_xml(folder: Path) -> Path:
    """Well-formed for its first rows, then broken: the failure comes while streaming."""
    rows = "".join(
        f'<row r="{r}">{text_cell(f"A{r}", f"v{r}")}{text_cell(f"B{r}", "x")}</row>'
        for r in range(1, 3000)
    )
    xml = sheet_xml(rows + '<row r="3000"><c r="A3000" t="inlineStr"><is><t>oops</is></row>')
    return write_zip(folder / "broken.xlsx", workbook_parts([("Data", xml, "visible")]))
