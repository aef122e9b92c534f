"""CSV text as a ``Table``: streamed in bounded chunks, every cell kept as written.

CSV is streamed with ``pyarrow.csv.open_csv``, every cell kept as the text that was written (no
type guessing, no 'NA' turned into a blank). Before any parser sees the bytes, one pass checks
them: NUL bytes (a binary file), lines over 1 MB, and the encoding (UTF-8 with or without a BOM,
else Windows-1252 as Excel writes it in the UK). A UTF-16 file (with its byte-order mark, as Excel's
'Unicode Text' and LibreOffice's UTF-16 CSV are saved) is first copied as UTF-8. The parser then
runs on a background thread, one chunk ahead of the checks, so reading and checking share two cores.
"""

from __future__ import annotations

import codecs
import csv
import os
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from ..arrow import texts
from ..catalogue.inputs import InputError
from ..standard import Standard, load_standard
from . import table as _table
from .readahead import ReadAhead
from .table import Chunk, ReaderNote, RowIssue, Table, check_width

MAX_LINE_BYTES = 1 << 20
_SCAN_BLOCK = 1 << 20
_ARROW_BLOCK = MAX_LINE_BYTES + (64 << 10)  # a block must hold the longest row
# pyarrow reads up to 32 blocks ahead of the parser, so the block size also bounds that memory.
_DELIMITERS = (",", ";", "\t")
_TOP_LINES = 200  # at most this many lines are read ahead looking for the headings

_BINARY_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a compressed (gzip) file"),
)


def read_csv(
    source: str | Path | IO[bytes],
    *,
    chunk_rows: int | None = None,
    standard: Standard | None = None,
) -> Table:
    """Read a CSV return as text cells, streaming; raise ``InputError`` if it cannot be read.

    pyarrow parses on one thread: only then can it tell a ragged row's number. That thread is a
    background one (see ``ReadAhead``), so parsing overlaps the checks of the previous chunk.
    ``Table.issues`` is complete once the chunks have been read to the end.
    """
    chunk_rows = chunk_rows or _table.CHUNK_ROWS
    own = isinstance(source, str | os.PathLike)
    name = Path(source).name if own else _name_of(source)  # type: ignore[arg-type]
    if own:
        with Path(source).open("rb") as fh:  # type: ignore[arg-type]
            utf16 = _utf16_as_utf8(fh)
    else:
        utf16 = _utf16_as_utf8(source)  # type: ignore[arg-type]
    if utf16 is not None:  # read the UTF-8 copy; the Table still says how the file was saved
        source, own = utf16, False
    try:
        if own:
            with Path(source).open("rb") as fh:  # type: ignore[arg-type]
                encoding, delimiter, header, header_row, first_row = _inspect(fh, standard)
        else:
            encoding, delimiter, header, header_row, first_row = _inspect(
                source,  # type: ignore[arg-type]
                standard,
            )
    except BaseException:
        if utf16 is not None:
            utf16.close()
        raise
    issues: list[RowIssue] = []
    chunks = ReadAhead(
        _csv_chunks(
            source,
            header,
            header_row,
            encoding,
            delimiter,
            issues,
            chunk_rows,
            close=utf16 is not None,
        )
    )
    if utf16 is not None:  # closed too when the chunks are dropped unread
        weakref.finalize(chunks, utf16.close)
    notes = []
    if header_row > first_row:  # a title or notes above the headings
        notes.append(ReaderNote("headings-not-on-first-row", {"row": header_row}, [header_row]))
    return Table(
        header=header,
        chunks=chunks,
        format="csv",
        issues=issues,
        notes=notes,
        encoding="utf-16" if utf16 is not None else encoding,
        delimiter=delimiter,
        name=name,
        header_row=header_row,
    )


def _utf16_as_utf8(fh: IO[bytes]) -> IO[bytes] | None:
    """A UTF-8 copy of a UTF-16 text file (one starting with a UTF-16 byte-order mark: Excel's
    'Unicode Text', LibreOffice's CSV saved as 'Unicode (UTF-16)'), else None.

    The copy is made once, block by block, in memory up to 64 MB and on disk beyond; every check
    after this one then reads it as it reads any UTF-8 file. A character that cannot be decoded
    reads as U+FFFD (the replacement character), which the checks report in its cell.
    """
    start = fh.tell()
    head = fh.read(2)
    fh.seek(start)
    if head not in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return None
    import tempfile  # (only for a UTF-16 file: not loaded at start-up)

    decoder = codecs.getincrementaldecoder("utf-16")(errors="replace")
    copy = tempfile.SpooledTemporaryFile(max_size=64 << 20)  # noqa: SIM115 (the reader owns it)
    while block := fh.read(_SCAN_BLOCK):
        copy.write(decoder.decode(block).encode("utf-8"))
    copy.write(decoder.decode(b"", final=True).encode("utf-8"))
    copy.seek(0)
    fh.seek(start)
    return copy  # type: ignore[return-value]


def _inspect(
    fh: IO[bytes], standard: Standard | None = None
) -> tuple[str, str, list[str], int, int]:
    """Encoding, delimiter, header, the header's line and the first non-blank line of a CSV.

    The headings are looked for among the first non-blank lines, as in a workbook
    (``structure.header_index``), so a title or notes above them are skipped. The file is left
    where it started.
    """
    start = fh.tell()
    encoding = _scan(fh, start)
    fh.seek(start)
    lines = _top_lines(fh, encoding)
    fh.seek(start)
    filled = [(number, cells) for number, text, cells in lines if any(c.strip() for c in cells)]
    if filled:
        from .headers import header_index

        index = header_index([cells for _, cells in filled], standard or load_standard())
        header_row, first_row = filled[index][0], filled[0][0]
    else:  # only blank lines: read the first as before
        header_row = first_row = 1
    text = lines[header_row - 1][1] if lines else ""
    delimiter = _sniff_delimiter(text)
    header = next(csv.reader([text], delimiter=delimiter), [])
    check_width(header)
    return encoding, delimiter, header, header_row, first_row


def _top_lines(fh: IO[bytes], encoding: str) -> list[tuple[int, str, list[str]]]:
    """The first lines, up to the last that may hold the headings: (number, text, cells).

    Enough are read to hold ``HEADER_SEARCH_ROWS`` lines with something in them.
    """
    from .headers import HEADER_SEARCH_ROWS

    found: list[tuple[int, str, list[str]]] = []
    filled = 0
    for number, raw in enumerate(_lines(fh), start=1):
        text = raw.decode(encoding, errors="replace")
        if number == 1:
            text = text.lstrip("\ufeff")
        cells = next(csv.reader([text], delimiter=_sniff_delimiter(text)), [])
        found.append((number, text, cells))
        filled += any(cell.strip() for cell in cells)
        if filled == HEADER_SEARCH_ROWS or number == _TOP_LINES:
            break
    return found


def _lines(fh: IO[bytes]) -> Iterator[bytes]:
    """The file's lines without their endings (\\n, \\r\\n or \\r, as pyarrow counts lines)."""
    while raw := fh.readline(MAX_LINE_BYTES + 1):
        body = raw[:-1] if raw.endswith(b"\n") else raw
        body = body[:-1] if body.endswith(b"\r") else body
        yield from body.split(b"\r")


def _name_of(fh: Any) -> str | None:
    name = getattr(fh, "name", None)
    return Path(name).name if isinstance(name, str) else None


def _scan(fh: IO[bytes], start: int = 0) -> str:
    """One pass over the bytes: refuse binary and over-long lines; choose the encoding."""
    first = fh.read(_SCAN_BLOCK)
    if not first.strip(b" \t\r\n\xef\xbb\xbf"):
        raise InputError("empty-csv")
    for magic, what in _BINARY_MAGIC:
        if first.startswith(magic):
            raise InputError("other-format-named-as-csv", file_kind=what)
    decoder: Any = codecs.getincrementaldecoder("utf-8")()
    encoding = "utf-8"
    since_newline = 0
    block = first
    while block:
        if b"\x00" in block:
            raise InputError("binary-data")
        first_nl = block.find(b"\n")
        if first_nl < 0:
            since_newline += len(block)
        else:
            if since_newline + first_nl > MAX_LINE_BYTES:
                since_newline = MAX_LINE_BYTES + 1
            else:
                since_newline = len(block) - block.rfind(b"\n") - 1
        if since_newline > MAX_LINE_BYTES:
            raise InputError("line-too-long")
        if encoding == "utf-8" and not block.isascii():
            try:
                decoder.decode(block)
            except UnicodeDecodeError:
                encoding = "cp1252"
        block = fh.read(_SCAN_BLOCK)
    if encoding == "utf-8":
        try:
            decoder.decode(b"", final=True)  # no character cut off at the end
        except UnicodeDecodeError:
            encoding = "cp1252"
    if encoding == "cp1252":
        fh.seek(start)
        try:
            while block := fh.read(_SCAN_BLOCK):
                block.decode("cp1252")
        except UnicodeDecodeError:
            encoding = "latin-1"
    return encoding


def _sniff_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_chunks(
    source: str | Path | IO[bytes],
    header: list[str],
    header_row: int,
    encoding: str,
    delimiter: str,
    issues: list[RowIssue],
    chunk_rows: int,
    *,
    close: bool = False,
) -> Iterator[Chunk]:
    """Data chunks from the line after ``header_row``, numbered by the file's own lines; the file
    is closed at the end when it is a path's or ``close`` says it is ours."""
    own = isinstance(source, str | os.PathLike) or close
    fh: IO[bytes] = Path(source).open("rb") if not close and own else source  # type: ignore[arg-type]  # noqa: SIM115 (closed below)
    names = [f"c{i}" for i in range(len(header))]
    bad: list[int] = []
    if not _rows_after_header(fh, header_row):
        if own:
            fh.close()
        return

    def on_invalid(row: Any) -> str:
        bad.append(row.number)
        issues.append(RowIssue(row.number, "ragged", row.expected_columns, row.actual_columns))
        return "skip"

    try:
        reader = pacsv.open_csv(
            fh,
            read_options=pacsv.ReadOptions(
                column_names=names,
                skip_rows=header_row,  # lines, as a person counts them
                use_threads=False,
                block_size=_ARROW_BLOCK,
                encoding="utf8" if encoding == "utf-8" else encoding,
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                check_utf8=False,  # the scan has checked it (or pyarrow transcoded to UTF-8)
            ),
        )
        next_row = header_row + 1
        pending: list[pa.RecordBatch] = []
        pending_rows: list[np.ndarray] = []
        size = 0
        for batch in _batches(reader):
            n = batch.num_rows
            skipped = np.asarray(sorted(b for b in bad if b >= next_row), dtype=np.int64)
            candidates = np.arange(next_row, next_row + n + len(skipped), dtype=np.int64)
            numbers = candidates[~np.isin(candidates, skipped)][:n]
            if n:
                next_row = int(numbers[-1]) + 1
            bad[:] = [b for b in bad if b >= next_row]
            pending.append(batch)
            pending_rows.append(numbers)
            size += n
            if size >= chunk_rows:
                table = pa.Table.from_batches(pending)
                numbers = np.concatenate(pending_rows)
                while len(numbers) >= chunk_rows:  # whole chunks; the rest waits
                    yield _chunk(table.slice(0, chunk_rows), numbers[:chunk_rows])
                    table, numbers = table.slice(chunk_rows), numbers[chunk_rows:]
                pending, pending_rows, size = table.to_batches(), [numbers], len(numbers)
        if size:
            yield _chunk(pa.Table.from_batches(pending), np.concatenate(pending_rows))
    finally:
        if own:
            fh.close()


def _rows_after_header(fh: IO[bytes], header_row: int) -> bool:
    """Whether anything follows the header line (pyarrow cannot skip a header with no newline)."""
    start = fh.tell()
    lines = _lines(fh)
    for _ in range(header_row):
        next(lines, None)
    more = next(lines, None) is not None
    fh.seek(start)
    return more


def _batches(reader: Any) -> Iterator[pa.RecordBatch]:
    while True:
        try:
            yield reader.read_next_batch()
        except StopIteration:
            return
        except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
            raise InputError("unclosed-quote") from exc


def _chunk(table: pa.Table, rows: np.ndarray) -> Chunk:
    """One chunk of contiguous columns (one buffer each: the checks run faster on them)."""
    table = table.combine_chunks()
    arrays = [col.chunk(0) if col.num_chunks else texts([]) for col in table.columns]
    return Chunk(rows=rows, arrays=arrays)
