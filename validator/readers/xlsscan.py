"""A cheap pass over an old Excel workbook (``.xls``, BIFF8) for what calamine cannot tell.

An ``.xls`` file is an OLE2 compound file holding a ``Workbook`` stream of BIFF records. The
compiled reader (python-calamine) reads its cells, merged ranges and which sheets are hidden, but
not which rows are hidden, and it lays a sheet out as one dense block from its first cell to its
last, so two cells far apart would ask it for millions of cells. Before calamine sees the file this
pass reads the compound file's directory and walks the records once, noting by sheet name:

- the rows marked hidden (a ``ROW`` record with its zero-height flag);
- how far the cells that hold a value reach (``SheetFacts.max_row`` and ``max_column``);
- whether the workbook is encrypted (a ``FILEPASS`` record), so the officer hears that plainly.

Every offset and count read is checked against the file, so a damaged or hostile file raises
``ValueError`` rather than reading past its end or looping.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from .sheetscan import SheetFacts

_END_OF_CHAIN = 0xFFFFFFFE
_FREE = 0xFFFFFFFF
_BOF, _EOF, _FILEPASS, _BOUNDSHEET, _ROW = 0x0809, 0x000A, 0x002F, 0x0085, 0x0208
_CELLS = {0x0006, 0x00FD, 0x0203, 0x027E, 0x0205, 0x0204, 0x00D6}  # formula, text, number...
_MULRK = 0x00BD
_ROW_HIDDEN = 0x0020


@dataclass
class XlsFacts:
    """What the pass learnt: ``SheetFacts`` by sheet name, and whether the file is encrypted."""

    sheets: dict[str, SheetFacts] = field(default_factory=dict)
    encrypted: bool = False
    word_document: bool = False


def scan_xls(data: bytes) -> XlsFacts:
    """Scan the bytes of an OLE2 file; raise ``ValueError`` if it is not a readable workbook."""
    streams = _directory(data)
    if "Workbook" not in streams and "Book" not in streams:
        return XlsFacts(word_document="WordDocument" in streams)
    return _walk(streams.get("Workbook") or streams["Book"], biff8="Workbook" in streams)


# --- the compound file ------------------------------------------------------------------------


def _directory(data: bytes) -> dict[str, bytes]:
    """Each stream of the root storage by name, read through the allocation tables."""
    if len(data) < 512:
        raise ValueError("shorter than a compound file header")
    shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    if shift not in (9, 12) or mini_shift != 6:
        raise ValueError("unusual sector size")
    size = 1 << shift
    sectors = (len(data) - size) // size
    (fat_count, first_dir, _, cutoff, first_minifat, minifat_count, first_difat, difat_count) = (
        struct.unpack_from("<8I", data, 0x2C)
    )

    def sector(number: int) -> bytes:
        if number >= sectors:
            raise ValueError("a sector past the end of the file")
        start = (number + 1) * size
        return data[start : start + size]

    fat_sectors = list(struct.unpack_from("<109I", data, 0x4C))
    next_difat = first_difat
    for _ in range(min(difat_count, sectors)):
        if next_difat in (_END_OF_CHAIN, _FREE):
            break
        entries = struct.unpack(f"<{size // 4}I", sector(next_difat))
        fat_sectors.extend(entries[:-1])
        next_difat = entries[-1]
    fat: list[int] = []
    for number in fat_sectors[: min(fat_count, sectors)]:
        fat.extend(struct.unpack(f"<{size // 4}I", sector(number)))

    def chain(first: int, table: list[int], limit: int) -> list[int]:
        found = []
        number = first
        while number not in (_END_OF_CHAIN, _FREE):
            if number >= len(table) or len(found) > limit:
                raise ValueError("a broken chain of sectors")
            found.append(number)
            number = table[number]
        return found

    def read(first: int) -> bytes:
        return b"".join(sector(n) for n in chain(first, fat, sectors))

    directory = read(first_dir)
    if len(directory) < 128:
        raise ValueError("no directory")
    root_start = struct.unpack_from("<I", directory, 116)[0]
    mini_stream = b""
    minifat: list[int] = []
    streams: dict[str, bytes] = {}
    for offset in range(0, len(directory) - 127, 128):
        name_bytes = struct.unpack_from("<H", directory, offset + 64)[0]
        kind = directory[offset + 66]
        if kind != 2 or not 2 <= name_bytes <= 64:
            continue
        name = directory[offset : offset + name_bytes - 2].decode("utf-16-le", "replace")
        if name not in ("Workbook", "Book", "WordDocument"):
            continue
        start, length = struct.unpack_from("<II", directory, offset + 116)
        if length < cutoff:
            if not minifat:
                mini_stream = read(root_start)
                table = b"".join(sector(n) for n in chain(first_minifat, fat, minifat_count))
                minifat = list(struct.unpack(f"<{len(table) // 4}I", table))
            blocks = chain(start, minifat, len(minifat))
            body = b"".join(mini_stream[n * 64 : n * 64 + 64] for n in blocks)
        else:
            body = read(start)
        if len(body) < length:
            raise ValueError(f"the {name} stream is cut short")
        streams[name] = body[:length]
    return streams


# --- the BIFF records ---------------------------------------------------------------------------


def _records(stream: bytes, start: int):  # type: ignore[no-untyped-def]
    """(type, data) of each record from ``start`` to the end of its substream."""
    offset = start
    while offset + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, offset)
        data = stream[offset + 4 : offset + 4 + length]
        if len(data) < length:
            raise ValueError("a record is cut short")
        yield kind, data
        offset += 4 + length
        if kind == _EOF:
            return


def _walk(stream: bytes, *, biff8: bool) -> XlsFacts:
    facts = XlsFacts()
    sheets: list[tuple[str, int]] = []
    for kind, data in _records(stream, 0):
        if kind == _FILEPASS:
            facts.encrypted = True
            return facts
        if kind == _BOUNDSHEET and len(data) >= 8:
            position, sheet_kind, count = struct.unpack_from("<IxBB", data, 0)
            if sheet_kind != 0:  # charts, macros: not worksheets
                continue
            if biff8:
                wide = data[7] & 1
                raw = data[8 : 8 + count * (2 if wide else 1)]
                name = raw.decode("utf-16-le" if wide else "latin-1", "replace")
            else:
                name = data[7 : 7 + count].decode("cp1252", "replace")
            sheets.append((name, position))
    for name, position in sheets:
        if position >= len(stream):
            raise ValueError(f"sheet {name!r} starts past the end of the workbook")
        facts.sheets[name] = _sheet(stream, position)
    return facts


def _sheet(stream: bytes, position: int) -> SheetFacts:
    facts = SheetFacts()
    for kind, data in _records(stream, position):
        if kind in _CELLS and len(data) >= 4:
            row, column = struct.unpack_from("<HH", data, 0)
        elif kind == _MULRK and len(data) >= 6:
            row = struct.unpack_from("<H", data, 0)[0]
            column = struct.unpack_from("<H", data, len(data) - 2)[0]
        else:
            if kind == _ROW and len(data) >= 14:
                row, flags = struct.unpack_from("<H10xH", data, 0)
                if flags & _ROW_HIDDEN:
                    facts.hidden_rows.append(row + 1)
            elif kind == _BOF and facts.rows:
                raise ValueError("a sheet runs into the next")
            continue
        facts.rows = max(facts.rows, 1)
        facts.max_row = max(facts.max_row, row + 1)
        facts.max_column = max(facts.max_column, column + 1)
    facts.hidden_rows = sorted(r for r in set(facts.hidden_rows) if r <= facts.max_row)
    return facts
