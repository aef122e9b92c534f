"""Open a workbook in a second process (or thread) while the command line loads the checks.

A command-line run pays for starting Python and importing the checks (pyarrow's compute
functions among them) before it reads a byte of the return. For an XLSX workbook the archive's
safety checks, and then the reading of a plain sheet (``plainsheet``), can run meanwhile on the
other core: ``start`` begins them for a path, and ``read_xlsx`` takes up what was done (``take``)
when it is asked for the same file. Nothing is skipped or reordered: the same checks run on the
same bytes before the reader sees them, only sooner.

Where it can (Linux, and nothing else running in the process), the work is done by a forked
child process, which sends back the archive's facts, or the error its checks raised, and the sheet
read. Both steps are Python bound, and a second thread would take turns with the imports for
Python's lock; a process runs beside them. A sheet the plain reader leaves to calamine is read by
calamine in the command line's own process, after the child's checks. Elsewhere a thread does the
same work, calamine's reading included (it runs without holding the lock).

What is taken up is checked again where it matters: the file must still be the one opened (same
device, inode, size and time of change), and the sheet read must be the one ``read_xlsx`` chooses
with the standard it is given; otherwise what was read is dropped and the workbook is read as
usual. Only the command line starts this (the portal's checks run in a process that has the
checks loaded already).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import stat
import sys
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    from ..catalogue.inputs import InputError
    from .archive import ArchiveFacts
    from .calamine_reader import CompiledSheet
    from .plainsheet import PlainSheet

_ZIP_MAGIC = b"PK\x03\x04"

_started: dict[str, tuple[Opened, Worker]] = {}
_ending: list[_Child] = []
"""Child processes whose work was taken up while they were still ending."""
_lock = threading.Lock()


@dataclass
class Opened:
    """What the second process or thread did for one workbook: the archive's facts (or the
    ``InputError`` its checks raised), and the sheet read (a ``PlainSheet`` or calamine's), by
    name."""

    handle: BinaryIO
    identity: tuple[int, ...]
    wanted: str | None
    facts: ArchiveFacts | None = None
    error: InputError | None = None
    sheet: str | None = None
    compiled: CompiledSheet | PlainSheet | None = None
    checked: threading.Event = field(default_factory=threading.Event)
    """Set once the archive checks are over and the sheet is chosen, as the compiled reader
    begins (or once the thread has ended)."""
    done: bool = False
    """The thread has finished with the handle (set and read under ``_lock``)."""
    abandoned: bool = False
    """Dropped while the thread was working: the thread closes everything when it ends."""

    def close_compiled(self) -> None:
        if self.compiled is not None:
            self.compiled.close()
            self.compiled = None

    def close(self) -> None:
        self.close_compiled()
        self.handle.close()


def start(path: str | os.PathLike[str], sheet: str | None) -> None:
    """Begin checking and reading the workbook at ``path`` in a second process or thread
    (nothing for a file that is not a zip: a CSV, an ODS or XLS is read as usual). Only a regular
    file: a pipe (``<(…)`` in a shell) must not lose its first bytes to this look."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return
        handle = open(path, "rb")  # noqa: SIM115 (handed to read_xlsx, or closed)
    except (OSError, ValueError):
        return
    try:
        head = handle.read(len(_ZIP_MAGIC))
        handle.seek(0)
        identity = _identity(os.fstat(handle.fileno()))
    except OSError:
        handle.close()
        return
    if head != _ZIP_MAGIC:
        handle.close()
        return
    opened = Opened(handle, identity, sheet)
    worker: Worker
    if may_fork():
        worker = _Child(opened, path)
    else:
        worker = threading.Thread(
            target=_run, args=(opened,), name="lsids-open-workbook", daemon=True
        )
    with _lock:
        previous = _started.pop(_key(path), None)
        _started[_key(path)] = (opened, worker)
    if previous is not None:
        _discard(*previous)
    worker.start()


def may_fork() -> bool:
    """Whether the work may be done by a forked process: on Linux, with no other thread running
    (a fork copies only the thread that calls it, and any lock another one holds stays held)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def wait_for_checks(timeout: float = 5.0) -> None:
    """Wait (at most ``timeout`` seconds) until the archive checks of what ``start`` began are
    over and the compiled reader has begun. The checks, and choosing the sheet after them, hold
    Python's lock, the compiled reader does not: imports made meanwhile on this thread would only
    slow them and hold back the compiled reader (each of the many short steps of choosing the
    sheet can wait a whole switch interval, 5 ms, for the lock), and made once it runs they cost
    no time."""
    with _lock:
        started = [opened for opened, _ in _started.values()]
    for opened in started:
        opened.checked.wait(timeout)


def take(source: Any, sheet: str | None) -> Opened | None:
    """What ``start`` did for this path and sheet, once done; None if it was not started for
    them or the file has changed since."""
    if not isinstance(source, str | os.PathLike):
        return None
    with _lock:
        found = _started.pop(_key(source), None)
    if found is None:
        return None
    opened, worker = found
    worker.join()
    try:
        same = _identity(os.stat(source)) == opened.identity and opened.wanted == sheet
    except OSError:
        same = False
    if not same:
        opened.close()
        return None
    return opened


def opened_zip(path: Any) -> bool:
    """Whether ``start`` opened this very file, unchanged since, and found a zip (it opens no
    other kind): then whoever asks need not open it again to look at its first bytes."""
    if not isinstance(path, str | os.PathLike):
        return False
    with _lock:
        found = _started.get(_key(path))
    if found is None:
        return False
    try:
        return _identity(os.stat(path)) == found[0].identity
    except OSError:
        return False


def _run(opened: Opened) -> None:
    """On the second thread: the work, then close everything if the run no longer wants it."""
    try:
        _work(opened)
    finally:
        opened.checked.set()
        with _lock:
            opened.done = True
            abandoned = opened.abandoned
        if abandoned:
            opened.close()


def _work(opened: Opened, *, calamine: bool = True) -> None:
    """The archive checks, then the plain reader or (with ``calamine``) the compiled reader on
    the sheet chosen."""
    from ..catalogue.inputs import InputError
    from .archive import check_workbook_file

    try:
        opened.facts = check_workbook_file(opened.handle)
    except InputError as error:
        opened.error = error
        return
    except Exception:  # anything else: read_xlsx reads the file as usual and says what it is
        return
    if opened.facts.kind != "xlsx":
        return
    from .calamine_reader import open_compiled
    from .plainsheet import plain_sheet

    try:  # ``checked`` is set when the sheet's reading begins (``_run`` sets it otherwise)
        found = open_compiled(
            opened.handle,
            opened.facts,
            opened.wanted,
            None,
            before_read=opened.checked.set,
            plain=plain_sheet,
            calamine=calamine,
        )
    except Exception:  # e.g. no such sheet: read_xlsx chooses again and says so
        found = None
    if found is not None:
        opened.sheet, opened.compiled = found


def _discard(opened: Opened, worker: Worker) -> None:
    """Close what was opened; if the thread is still at work, it closes it when it ends, and a
    child process is stopped (a run refused before reading the file does not wait for the read)."""
    if isinstance(worker, _Child):
        worker.stop()
        opened.close()
        return
    with _lock:
        if not opened.done:
            opened.abandoned = True
            return
    opened.close()


def _key(path: str | os.PathLike[str]) -> str:
    return os.path.abspath(os.fspath(path))


def _identity(stat: os.stat_result) -> tuple[int, ...]:
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def drop_all() -> None:
    """Close whatever was started and not taken up (the run ended before reading it), and
    collect the child processes that were still ending when taken up."""
    with _lock:
        ending, _ending[:] = list(_ending), []
    for child in ending:
        child._reap()
    with _lock:
        left = list(_started.values())
        _started.clear()
    for opened, worker in left:
        _discard(opened, worker)


class _Child:
    """A forked process doing ``_work`` (without calamine) for an ``Opened``, which it sends back
    through a pipe as a pickle; ``join`` takes it up."""

    def __init__(self, opened: Opened, path: str | os.PathLike[str]) -> None:
        self.opened = opened
        self.path = os.fspath(path)
        self.pid = 0
        self.pipe = -1

    def start(self) -> None:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(read_end)
            _child_main(self.opened, self.path, write_end)
        os.close(write_end)
        self.pid, self.pipe = pid, read_end
        self.opened.checked.set()  # nothing to wait for: the child runs beside the imports

    def join(self) -> None:
        """Take up what the child sent (nothing if it sent nothing), once it has sent it."""
        if self.pipe < 0:
            return
        with os.fdopen(self.pipe, "rb") as pipe:
            payload = pipe.read()
        self.pipe = -1
        self._reap(wait=False)  # it may still be ending: then ``drop_all`` collects it
        try:
            found = pickle.loads(payload) if payload else None
        except Exception:  # anything unreadable: read_xlsx reads the file as usual
            found = None
        if found is not None:
            opened = self.opened
            opened.facts, opened.error, opened.sheet, opened.compiled = found

    def stop(self) -> None:
        """End the child without waiting for its work."""
        if self.pipe >= 0:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            os.close(self.pipe)
            self.pipe = -1
        self._reap()

    def _reap(self, *, wait: bool = True) -> None:
        """Collect the child's exit status; without ``wait`` only if it has ended (a process
        that has sent everything may take milliseconds more to end), else ``drop_all`` will."""
        if self.pid == 0:
            return
        with contextlib.suppress(ChildProcessError):
            if os.waitpid(self.pid, 0 if wait else os.WNOHANG)[0] == 0:  # still ending
                with _lock:
                    _ending.append(self)
                return
        self.pid = 0


def _child_main(opened: Opened, path: str, write_end: int) -> None:
    """In the child: open the file afresh (the parent's handle shares its position with the
    parent), check it is the one the parent opened, do the work and send it; then end at once,
    running none of the parent's clean-up."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends the child with the parent
        with open(path, "rb") as handle, os.fdopen(write_end, "wb") as out:
            if _identity(os.fstat(handle.fileno())) != opened.identity:
                return
            work = Opened(handle, opened.identity, opened.wanted)
            _work(work, calamine=False)
            facts = work.facts
            if facts is not None:
                facts.kept = {}  # the inflated parts stay here: the parent reads afresh if it must
            out.write(pickle.dumps((facts, work.error, work.sheet, work.compiled), protocol=5))
    except BaseException:  # whatever happened, the parent reads the file as usual
        pass
    finally:
        os._exit(0)


Worker = threading.Thread | _Child
