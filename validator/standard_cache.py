"""Keep a version of the standard's parsed files in one cache file, so a start reads one file.

Reading the standard's thirty-odd JSON and CSV files costs several milliseconds at every start of
``lsids`` and of every portal check; one ``marshal`` file holding what they parse to loads in a
fraction of one. It works the way Python's own ``__pycache__`` does for modules: the cache is
written beside the files it stands for (or in the user's cache folder when that is read-only),
and it is used only while every file in it has the same size, inode and times of change as when
it was read. A stale, truncated or foreign cache file is simply not used: the files are read
again and the cache rewritten. (Like matplotlib's font cache, and unlike bytecode, it is written
even when ``PYTHONDONTWRITEBYTECODE`` is set: it is data, and containers often set that.)
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

FORMAT = 1
"""Bumped whenever what is cached, or how a file is parsed, changes."""

FOLDER = "__pycache__"


class Sources:
    """The files of one version of the standard, by name relative to its folder, each parsed
    once: from the cache when it is current, else from the file (and then cached by ``save``)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._marks: dict[str, tuple[int, ...]] = {}
        self._parsed: dict[str, Any] = {}
        self._read_any = False
        for place in _places(root):
            if self._take(place):
                break

    def get(self, name: str, parse: Callable[[Path], Any]) -> Any:
        """``parse(root / name)``, unless the cache holds it."""
        if name in self._parsed:
            return self._parsed[name]
        path = self.root / name
        try:
            mark = _mark(path)  # before reading: a change made while reading makes it stale
        except OSError:
            mark = None
        value = parse(path)
        if mark is not None:
            self._marks[name] = mark
        self._parsed[name] = value
        self._read_any = True
        return value

    def save(self) -> None:
        """Write the cache if any file was read from disk (quietly: a cache is only a speed-up)."""
        if not self._read_any or set(self._marks) != set(self._parsed):
            return
        content = marshal.dumps((_header(self.root), self._marks, self._parsed))
        for place in _places(self.root):
            if _write(place, content):
                return

    def _take(self, place: Path) -> bool:
        try:
            header, marks, parsed = marshal.loads(place.read_bytes())
        except Exception:  # missing, truncated or foreign: read the files instead
            return False
        if header != _header(self.root) or set(marks) != set(parsed):
            return False
        folder = str(self.root)
        try:
            if any(_mark(os.path.join(folder, name)) != mark for name, mark in marks.items()):
                return False
        except OSError:
            return False
        self._marks = {name: tuple(mark) for name, mark in marks.items()}
        self._parsed = parsed
        return True


def _header(root: Path) -> tuple[Any, ...]:
    return (FORMAT, marshal.version, tuple(sys.version_info[:2]), str(root))


def _places(root: Path) -> list[Path]:
    """Where the cache may be: beside the standard, then in the user's cache folder."""
    name = f"lsids-standard-{zlib.crc32(str(root).encode()):08x}.marshal"
    places = [root / FOLDER / name]
    try:
        user = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    except RuntimeError:  # no home folder: the folder beside the standard or nothing
        return places
    return [*places, user / "lsids" / name]


def _mark(path: str | Path) -> tuple[int, ...]:
    found = os.stat(path)
    return (found.st_size, found.st_ino, found.st_mtime_ns, found.st_ctime_ns)


def _write(place: Path, content: bytes) -> bool:
    """Write atomically: other processes may be reading or writing the same cache."""
    temporary = place.with_name(f".{place.name}.{os.getpid()}.{id(content):x}.tmp")
    try:
        place.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(content)
        os.replace(temporary, place)
        return True
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()
        return False
