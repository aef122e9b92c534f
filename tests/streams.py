"""A file object that can only be read forwards, like an upload or a pipe, for reader tests."""

from __future__ import annotations

import io


class ForwardOnly(io.RawIOBase):
    """Readable, not seekable: what a web upload or a shell pipe gives the validator."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)
