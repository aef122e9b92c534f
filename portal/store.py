"""Uploaded files on disk, named by their SHA-256 (never by anything a user typed).

Files live under PORTAL_FILES, outside the static folder, in two-level fan-out directories:
``ab/abcdef…``. Storing the same bytes twice keeps one copy.
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
    return sha


def read(root: str | Path, sha256: str) -> bytes:
    """The stored bytes for a hash."""
    return path_for(root, sha256).read_bytes()
