"""Uploaded files on disk, named by their SHA-256 (never by anything a user typed).

Files live under PORTAL_FILES, outside the static folder, in two-level fan-out directories:
``ab/abcdef…``. Storing the same bytes twice keeps one copy.

A file is written where Linux allows it as an unnamed file (``O_TMPFILE``) and given its name only
when complete, so a worker killed mid-write leaves nothing behind; elsewhere it is written under a
temporary name and renamed.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

SHA256 = re.compile(r"[0-9a-f]{64}")


def digest(data: bytes) -> str:
    """The SHA-256 of ``data`` as lower-case hex."""
    return hashlib.sha256(data).hexdigest()


def path_for(root: str | Path, sha256: str) -> Path:
    """Where the file with this hash lives; refuses anything that is not a hash."""
    if not SHA256.fullmatch(sha256):
        raise ValueError("not a SHA-256 hex digest")
    return Path(root) / sha256[:2] / sha256


def save(root: str | Path, data: bytes) -> str:
    """Write ``data`` once under its hash, atomically, and return the hash."""
    sha = digest(data)
    target = path_for(root, sha)
    if target.exists():
        return sha
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(target.parent, os.O_TMPFILE | os.O_WRONLY, 0o600)
    except (AttributeError, OSError):  # no O_TMPFILE here (not Linux, or the file system)
        _save_renamed(target, data)
        return sha
    try:
        _write(fd, data)
        folder = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            # Name it: linkat(AT_SYMLINK_FOLLOW) on the descriptor's /proc link (the directory
            # descriptor makes Python call linkat, not link). If another worker stored the same
            # bytes meanwhile, theirs is the copy.
            os.link(f"/proc/self/fd/{fd}", target.name, dst_dir_fd=folder, follow_symlinks=True)
        except FileExistsError:
            pass
        except OSError:  # no /proc to name it through
            _save_renamed(target, data)
        finally:
            os.close(folder)
    finally:
        os.close(fd)
    return sha


def _write(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    os.fsync(fd)


def _save_renamed(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read(root: str | Path, sha256: str) -> bytes:
    """The stored bytes for a hash."""
    return path_for(root, sha256).read_bytes()


def names(root: str | Path) -> list[Path]:
    """Every file under the store: hash-named ones and any temporary file a killed writer left."""
    base = Path(root)
    if not base.is_dir():
        return []
    return [p for folder in base.iterdir() if folder.is_dir() for p in folder.iterdir()]
