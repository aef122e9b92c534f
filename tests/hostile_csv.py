"""Build nasty "CSV files" on the fly, so no binary or 200 MB test file ever lives in git.

Each builder takes a folder and returns the path of one file. Most start from Tower Hamlets' valid
service-data example (``BASE``) and spoil it in one way, so the rest of the file is right and the
validator's answer is about that one thing.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
BASE = EXAMPLES / "valid" / "service-data_E09000030_2025-26.csv"
STATUS_COLUMN = "H"  # the service-data return's status column, a coded field


def base_lines() -> list[str]:
    """The valid example's lines, header first, without line endings."""
    return BASE.read_text(encoding="utf-8").splitlines()


def set_cell(line: str, column: int, value: str) -> str:
    """The line with one cell replaced (the example has no quoted commas)."""
    cells = line.split(",")
    cells[column] = value
    return ",".join(cells)


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def empty_file(folder: Path) -> Path:
    return _write(folder, "empty.csv", b"")


def header_only(folder: Path) -> Path:
    return _write(folder, "header-only.csv", (base_lines()[0] + "\r\n").encode())


def png_renamed(folder: Path) -> Path:
    """The first bytes of a real PNG (signature and IHDR chunk), then image data."""
    head = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x02\x00\x00\x00"
    )
    return _write(folder, "chart.csv", head + bytes(range(256)) * 8)


def pdf_renamed(folder: Path) -> Path:
    body = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    return _write(folder, "return.pdf.csv", body + b"%%EOF\n")


def binary_junk(folder: Path) -> Path:
    """Seeded random bytes: the same junk every run."""
    junk = random.Random(20250401).randbytes(64 * 1024)
    return _write(folder, "junk.csv", junk)


def nul_bytes(folder: Path) -> Path:
    """A real return with NUL bytes inside one cell, as a broken export leaves them."""
    lines = base_lines()
    lines[3] = lines[3].replace("final", "fi\x00\x00nal", 1)
    return _write(folder, "nul.csv", ("\r\n".join(lines) + "\r\n").encode())


def ten_thousand_columns(folder: Path) -> Path:
    header = ",".join(f"column_{i}" for i in range(10_000))
    row = ",".join("1" for _ in range(10_000))
    return _write(folder, "wide.csv", f"{header}\r\n{row}\r\n".encode())


def single_line(folder: Path, size: int = 200 * 1024 * 1024) -> Path:
    """One line of ``size`` bytes with no newline, written in 1 MB blocks (bounded memory)."""
    path = folder / "one-line.csv"
    block = b"E09000030,2025-26," * (1024 * 1024 // 18)
    with path.open("wb") as fh:
        written = 0
        while written < size:
            piece = block[: size - written]
            fh.write(piece)
            written += len(piece)
    assert os.path.getsize(path) == size
    return path


def mixed_line_endings(folder: Path, bad_row: int | None = None) -> Path:
    """The example with \\r\\n, \\n and \\r line endings in turn; ``bad_row`` (a spreadsheet row
    number) gets a status that is not a code."""
    lines = base_lines()
    if bad_row is not None:
        lines[bad_row - 1] = lines[bad_row - 1].replace(",final,", ",finished,", 1)
    endings = ["\r\n", "\n", "\r"]
    text = "".join(line + endings[i % 3] for i, line in enumerate(lines))
    return _write(folder, "mixed-endings.csv", text.encode())


FORMULA_STATUSES = {3: "=1+1", 4: "+final", 5: "-final", 6: "@SUM(A1)"}
FORMULA_NOTES = {7: '=HYPERLINK("http://example.invalid","click")', 8: "-see the note", 9: "@team"}


def formula_cells(folder: Path) -> Path:
    """Cells starting with =, +, - and @ in a coded column (wrong) and a free-text one (fine)."""
    lines = base_lines()
    header = lines[0].split(",")
    status, notes = header.index("status"), header.index("notes")
    for row, value in FORMULA_STATUSES.items():
        lines[row - 1] = set_cell(lines[row - 1], status, value)
    for row, value in FORMULA_NOTES.items():
        quoted = '"' + value.replace('"', '""') + '"'
        lines[row - 1] = set_cell(lines[row - 1], notes, quoted)
    return _write(folder, "formulas.csv", ("\r\n".join(lines) + "\r\n").encode())


HTML_STATUSES = {
    3: '<script>alert("status")</script>',
    4: "<img src=x onerror=alert(1)>",
    5: "<b>final</b>",
}
HTML_NOTE = "<script>alert('notes')</script>"


def html_cells(folder: Path) -> Path:
    """HTML and script in a coded column (so the report quotes them) and in the notes."""
    lines = base_lines()
    header = lines[0].split(",")
    status, notes = header.index("status"), header.index("notes")
    for row, value in HTML_STATUSES.items():
        lines[row - 1] = set_cell(lines[row - 1], status, value)
    lines[1] = set_cell(lines[1], notes, HTML_NOTE)
    return _write(folder, "html.csv", ("\r\n".join(lines) + "\r\n").encode())


def utf16_unicode_text(folder: Path) -> Path:
    """What Excel's "Unicode text (*.txt)" export writes: UTF-16 LE with a BOM, tab separated."""
    text = "\r\n".join(line.replace(",", "\t") for line in base_lines()) + "\r\n"
    return _write(folder, "unicode-text.csv", b"\xff\xfe" + text.encode("utf-16-le"))


ODD_NAME = 'we\'ird <img src=x onerror=alert(1)> "n&me" £ é \x1b[31mred.csv'


def odd_file_name(folder: Path) -> Path:
    """A return with HTML, quotes, non-ASCII and a terminal escape in its file name."""
    sub = folder / "sub"
    sub.mkdir(exist_ok=True)
    lines = base_lines()
    lines[2] = lines[2].replace(",final,", ",finished,", 1)
    return _write(sub, ODD_NAME, ("\r\n".join(lines) + "\r\n").encode())


def control_characters_in_a_cell(folder: Path) -> Path:
    """A status cell holding a terminal escape sequence that would clear the screen."""
    lines = base_lines()
    lines[2] = lines[2].replace(",final,", ",\x1b[2J\x1b[31mfinal,", 1)
    return _write(folder, "escape.csv", ("\r\n".join(lines) + "\r\n").encode())
