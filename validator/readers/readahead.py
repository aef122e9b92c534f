"""Reading one chunk ahead of the checks on a background thread, so two cores share the work."""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any

from .table import Chunk

READ_AHEAD = 1
"""Chunks a background stage may hold ready (bounds memory: about 12 MB each at 25k rows)."""

_END = object()


def read_ahead(chunks: Iterator[Chunk], prepare: Callable[[Chunk], Chunk]) -> Iterator[Chunk]:
    """``prepare(chunk)`` for each chunk, on a background thread, one chunk ahead of the caller.

    The engine uses it to compute the column views the checks share (code lookups, blank
    masks, pattern screens) while it runs the checks on the chunk before. Close the result
    (it closes ``chunks`` too).
    """

    def prepared() -> Iterator[Chunk]:
        try:
            for chunk in chunks:
                yield prepare(chunk)
        finally:
            close = getattr(chunks, "close", None)
            if close:
                close()

    return ReadAhead(prepared())


class ReadAhead(Iterator[Chunk]):
    """Chunks parsed on a background thread while the checks work on the one before.

    pyarrow parses without holding Python's lock, so on two cores reading and checking overlap.
    At most ``READ_AHEAD`` chunks wait, so memory stays bounded; an error while reading (an
    ``InputError``) is raised here, in the reading thread's place. The thread starts with the
    first ``next()`` and stops at the end, on ``close()``, or when this object is dropped.
    """

    def __init__(self, chunks: Iterator[Chunk]) -> None:
        self._chunks = chunks
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=READ_AHEAD)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._done = False

    def __next__(self) -> Chunk:
        if self._done:
            raise StopIteration
        if self._thread is None:
            self._thread = threading.Thread(
                target=_produce,
                args=(self._chunks, self._queue, self._stop),
                name="lsids-reader",
                daemon=True,
            )
            self._thread.start()
        item = self._queue.get()
        if item is _END or isinstance(item, BaseException):
            self._done = True
            self._thread.join()
            if item is _END:
                raise StopIteration
            raise item
        return item

    def close(self) -> None:
        """Stop reading and release the file (safe to call more than once)."""
        self._done = True
        self._stop.set()
        if self._thread is None:
            close = getattr(self._chunks, "close", None)
            if close:
                close()
            return
        while self._thread.is_alive():
            with contextlib.suppress(queue.Empty):
                self._queue.get(timeout=0.05)
        self._thread.join()

    def __del__(self) -> None:
        self._stop.set()


def _produce(chunks: Iterator[Chunk], out: queue.Queue[Any], stop: threading.Event) -> None:
    """The reading thread: put each chunk, then ``_END`` or the error, until told to stop."""
    item: Any = _END
    try:
        for chunk in chunks:
            if not _put(out, chunk, stop):
                return
    except BaseException as exc:  # handed to the reader of the queue
        item = exc
    finally:
        close = getattr(chunks, "close", None)
        if close:
            close()
    _put(out, item, stop)


def _put(out: queue.Queue[Any], item: Any, stop: threading.Event) -> bool:
    while not stop.is_set():
        try:
            out.put(item, timeout=0.1)
            return True
        except queue.Full:
            continue
    return False
