"""Check that a file claiming to be an XLSX workbook is one, and safe to parse, before parsing it.

An XLSX is a zip of XML parts, and a hostile one can take down the process that opens it: a zip bomb
(a few kilobytes that inflate to gigabytes), XML entity declarations (the "billion laughs"), or a
different file altogether renamed ``.xlsx``. These checks read only the raw archive, within a fixed
budget of bytes, so a bad file costs one clear ``InputError`` and never a crashed worker.

The scan also collects each worksheet's merged-cell ranges, so the reader knows them before it
streams the rows (Excel writes them after the cell data), and gives the same bytes to
``sheetscan`` for what the compiled reader cannot tell (hidden rows, uncalculated formulas, and
how far the cells reach). Each pattern is looked for only in blocks holding its fixed part, found
at memory speed, so the scan costs little more than inflating the parts.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from ..catalogue.inputs import InputError
from .sheetscan import SheetFacts, SheetScanner

MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
"""The most XML a workbook may inflate to in total; the file itself may be no larger either."""

MAX_COMPRESSION_RATIO = 100
"""A member this many times larger than its compressed size is a zip bomb, once it is large."""

RATIO_CHECKED_FROM_BYTES = 1024 * 1024
"""Small parts (styles, themes) can compress very well and are harmless: no ratio check for them."""

MAX_MEMBERS = 10_000
MAX_MERGED_RANGES = 10_000

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EXCEL_MAX_ROW = 1_048_576
"""The last row of an Excel sheet."""
ENCRYPTED_PACKAGE_STREAM = "EncryptedPackage".encode("utf-16-le")

_KNOWN_FORMATS = (  # magic bytes of files people rename by mistake, and what to call them
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"{\\rtf", "a Rich Text document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)

_OTHER_ZIPS = (  # a member that gives away another zip-based format
    ("xl/workbook.bin", "an Excel binary workbook (.xlsb)"),
    ("word/document.xml", "a Word document"),
    ("ppt/presentation.xml", "a PowerPoint presentation"),
)

KEEP_PART_BYTES = 32 * 1024 * 1024
KEEP_BYTES = 48 * 1024 * 1024

_SCAN_BYTES = 1024 * 1024
_OVERLAP = 128


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".xls")


def looks_like_workbook(head: bytes, name: str) -> bool:
    """Whether a file is a workbook, from its first bytes or its name (.xlsx, .xlsm, .ods, .xls).

    Any zip or OLE2 file counts, whatever its name (an .xlsx, an .ods, an old .xls or a
    password-protected workbook), so the workbook checks can say what it is rather than the CSV
    reader reading it as text. The checks then go by the bytes, never by the name.
    """
    return head.startswith((ZIP_MAGIC, OLE2_MAGIC)) or name.lower().endswith(WORKBOOK_SUFFIXES)


def _declaration_pattern() -> re.Pattern[bytes]:
    """``<!DOCTYPE`` or ``<!ENTITY`` in UTF-8 or either byte order of UTF-16, any case."""
    words = []
    for word in ("<!DOCTYPE", "<!ENTITY"):
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            words.append(re.escape(word.encode(encoding)))
    return re.compile(b"|".join(words), re.IGNORECASE)


_DECLARATION = _declaration_pattern()
_MERGE = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref\s*=\s*[\"']"
    rb"([A-Za-z]{1,3}[0-9]{1,7}(?::[A-Za-z]{1,3}[0-9]{1,7})?)[\"']"
)


@dataclass
class ArchiveFacts:
    """What the safety scan learnt that the reader needs: the kind of workbook ("xlsx", "ods" or
    "xls"), and by worksheet (its part name in an XLSX, its name in an ODS or XLS) its merged
    ranges and the facts of ``sheetscan`` (``odsscan``, ``xlsscan``)."""

    merged: dict[str, list[str]] = field(default_factory=dict)
    sheets: dict[str, SheetFacts] = field(default_factory=dict)
    kind: str = "xlsx"
    kept: dict[str, bytes] = field(default_factory=dict)
    """The inflated bytes of the parts the plain reader may read (an XLSX's worksheets, shared
    strings and styles, each of at most ``KEEP_PART_BYTES``, ``KEEP_BYTES`` in all), as they
    were checked: so they are not inflated a second time."""


def check_workbook_file(handle: BinaryIO) -> ArchiveFacts:
    """Raise ``InputError`` unless ``handle`` holds a workbook that is safe to give a parser: a
    zip (XLSX or ODS) or an OLE2 file (XLS). The kind is told by the bytes, not the name.

    ``handle`` must be seekable; it is left at the position it was found at.
    """
    start = handle.tell()
    try:
        if _check_kind(handle, start) == "ole2":
            return _check_xls(handle, start)
        with _open_zip(handle) as archive:
            members = archive.infolist()
            _check_members(members)
            names = {m.filename for m in members}
            if _is_ods(archive, names):
                return _check_ods(archive, members)
            _check_is_workbook(names)
            return _scan_members(archive, members)
    finally:
        handle.seek(start)


def _check_kind(handle: BinaryIO, start: int) -> str:
    """Tell a zip ("zip") and an OLE2 file ("ole2") from an empty or oversized file and
    everything else."""
    size = handle.seek(0, 2) - start
    handle.seek(start)
    head = handle.read(8)
    handle.seek(start)
    if size == 0:
        raise InputError("empty-workbook-file")
    if head.startswith(EMPTY_ZIP_MAGIC):
        raise InputError("empty-zip")
    if not head.startswith((ZIP_MAGIC, OLE2_MAGIC)):
        raise _not_a_workbook(head)
    if size > MAX_UNCOMPRESSED_BYTES:
        raise InputError(
            "workbook-file-too-large",
            megabytes=f"{size / 1024 / 1024:,.0f}",
            most_megabytes=MAX_UNCOMPRESSED_BYTES // 1024 // 1024,
        )
    return "ole2" if head.startswith(OLE2_MAGIC) else "zip"


def _check_xls(handle: BinaryIO, start: int) -> ArchiveFacts:
    """An OLE2 file: an encrypted XLSX, a Word document, or an old-style workbook (.xls), whose
    sheets ``xlsscan`` measures before calamine reads them."""
    from .xlsscan import scan_xls

    if _contains(handle, ENCRYPTED_PACKAGE_STREAM):
        raise InputError("password-protected")
    handle.seek(start)
    try:
        found = scan_xls(handle.read(MAX_UNCOMPRESSED_BYTES + 1))
    except (ValueError, struct.error) as error:
        raise InputError("damaged-workbook", error_type="ValueError", error=str(error)) from None
    if found.encrypted:
        raise InputError("password-protected")
    if found.word_document:
        raise InputError("other-format-named-as-workbook", file_kind="a Word document (.doc)")
    if not found.sheets:
        raise InputError("not-a-workbook")
    return ArchiveFacts(sheets=found.sheets, kind="xls")


def _is_ods(archive: zipfile.ZipFile, names: set[str]) -> bool:
    """Whether a zip is an OpenDocument spreadsheet; another OpenDocument file is refused."""
    from .odsscan import CONTENT, ODS_MIMETYPE

    if "mimetype" not in names:
        return False
    info = archive.getinfo("mimetype")
    kind = archive.read(info).strip() if info.file_size <= 200 else b""
    if kind == ODS_MIMETYPE and CONTENT in names:
        return True
    raise InputError("other-zip-format", file_kind="an OpenDocument file that is not a spreadsheet")


def _check_ods(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> ArchiveFacts:
    """The XML safety scan of every part, then ``odsscan``'s pass over the sheets."""
    from .odsscan import scan_ods

    _scan_members(archive, members, sheets=False)
    try:
        found = scan_ods(archive, max_merged=MAX_MERGED_RANGES)
    except OverflowError:
        raise InputError("too-many-merged-ranges", most=f"{MAX_MERGED_RANGES:,}") from None
    except (ValueError, zipfile.BadZipFile, zlib.error, OSError, EOFError) as error:
        raise InputError("damaged-workbook", error_type="ValueError", error=str(error)) from None
    return ArchiveFacts(merged=found.merged, sheets=found.sheets, kind="ods")


def _not_a_workbook(head: bytes) -> InputError:
    for magic, name in _KNOWN_FORMATS:
        if head.startswith(magic):
            return InputError("other-format-named-as-workbook", file_kind=name)
    if head and all(32 <= b < 127 or b in b"\t\r\n" for b in head):
        return InputError("text-named-as-workbook")
    return InputError("not-a-workbook")


def _contains(handle: BinaryIO, needle: bytes) -> bool:
    """Search a whole (size-capped) file for ``needle`` in blocks, without reading it at once."""
    tail = b""
    scanned = 0
    while block := handle.read(_SCAN_BYTES):
        window = tail + block
        if needle in window:
            return True
        tail = window[-len(needle) :]
        scanned += len(block)
        if scanned > MAX_UNCOMPRESSED_BYTES:
            break
    return False


def _open_zip(handle: BinaryIO) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
        raise InputError("broken-zip", error=str(error)) from None


def _check_members(members: list[zipfile.ZipInfo]) -> None:
    """Cap the declared sizes, ratios and compression methods before inflating anything.

    Python's zip reader never inflates a member past its declared size and checks its CRC, so a
    member that lies about its size fails the scan instead of inflating without end.
    """
    if len(members) > MAX_MEMBERS:
        raise InputError("too-many-zip-parts", count=f"{len(members):,}")
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise InputError("encrypted-parts")
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise InputError("unusual-compression", part=member.filename)
        total += member.file_size
        if total > MAX_UNCOMPRESSED_BYTES:
            raise InputError("zip-bomb-size", most_megabytes=MAX_UNCOMPRESSED_BYTES // 1024 // 1024)
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size >= RATIO_CHECKED_FROM_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise InputError("zip-bomb-ratio", part=member.filename, ratio=f"{ratio:,.0f}")


def _check_is_workbook(names: set[str]) -> None:
    for member, what in _OTHER_ZIPS:
        if member in names:
            raise InputError("other-zip-format", file_kind=what)
    if "[Content_Types].xml" not in names:
        raise InputError("zip-not-workbook")


def _scan_members(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], *, sheets: bool = True
) -> ArchiveFacts:
    """Inflate every part once, in blocks: refuse DTDs and entities; with ``sheets``, collect
    each XLSX sheet's merged ranges and ``sheetscan`` facts."""
    facts = ArchiveFacts()
    merged_total = kept_total = 0
    for member in members:
        if member.is_dir():
            continue
        refs: dict[str, None] = {}
        scanner = SheetScanner()
        keep = (
            sheets
            and _may_keep(member.filename)
            and member.file_size <= KEEP_PART_BYTES
            and kept_total + member.file_size <= KEEP_BYTES
        )
        blocks: list[bytes] = []
        try:
            for window, block in _windows(archive, member):
                if keep:
                    blocks.append(block)
                # every declaration holds a "!", found at memory speed
                if b"!" in window and _DECLARATION.search(window):
                    raise InputError("xml-declarations", part=member.filename)
                if not sheets:
                    continue
                if b"g" in window and b"mergeCell" in window:  # "g": absent from row data
                    for match in _MERGE.finditer(window):
                        refs[match.group(1).decode("ascii").upper()] = None
                scanner.feed(block)
                if merged_total + len(refs) > MAX_MERGED_RANGES:
                    raise InputError("too-many-merged-ranges", most=f"{MAX_MERGED_RANGES:,}")
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as error:
            raise InputError("broken-zip", error=str(error)) from None
        if refs:
            facts.merged[member.filename] = list(refs)
            merged_total += len(refs)
        facts.sheets[member.filename] = scanner.finish()
        if keep:
            facts.kept[member.filename] = b"".join(blocks)
            kept_total += member.file_size
    return facts


def _may_keep(name: str) -> bool:
    return name.startswith("xl/worksheets/") or name in ("xl/sharedStrings.xml", "xl/styles.xml")


def _windows(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> Iterator[tuple[bytes, bytes]]:
    """A member's bytes in overlapping blocks, so a pattern split across two blocks is seen;
    with each, the new block alone."""
    with archive.open(member) as stream:
        tail = b""
        while block := stream.read(_SCAN_BYTES):
            window = tail + block
            yield window, block
            tail = window[-_OVERLAP:]
