"""The command line's start-up: load the checks' libraries without paying for what they never use.

Three costs of a short ``lsids validate`` that are neither reading nor checking (the first two
measured with ``perf`` on a 5,000-row CSV: ``bench/README.md``):

- Python's cyclic garbage collector. Importing numpy, pyarrow and the checks makes tens of
  thousands of objects that live as long as the process. The collector walks them again and
  again while they are imported, and once more, all of them, when the interpreter exits: about a
  sixth of the run's CPU. ``begin`` turns it off before the imports; ``loaded`` moves what was
  loaded out of its sight (``gc.freeze``) and turns it back on before any row is read, so cycles
  made while checking are still collected and memory stays bounded at any size.
- OpenBLAS, which numpy loads for linear algebra the checks never do, starts a thread per core
  that spins while waiting for work. ``begin`` asks it for none (``OPENBLAS_NUM_THREADS=1``)
  unless the user has chosen.
- Page faults. glibc's malloc gives each block over 128 KB a mapping of its own and unmaps it when
  it is freed, so the next one is faulted in again; reading a workbook makes and drops many such
  arrays. ``begin`` has freed memory kept for reuse (``_keep_freed_memory``).

Only the command line calls these, and only the first time it loads the checks in a process (a
test calling ``main`` again, or the portal, is left as it is).
"""

from __future__ import annotations

import gc
import os
import sys

_paused = False


def begin() -> None:
    """Before the checks are imported: no collector, no OpenBLAS threads."""
    global _paused
    if "validator.engine" in sys.modules or not gc.isenabled():
        return
    if "numpy" not in sys.modules:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    _keep_freed_memory()
    gc.disable()
    _paused = True


_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt's parameters (malloc.h)
KEPT_BLOCK_BYTES = 512 * 1024 * 1024


def _keep_freed_memory() -> None:
    """Have glibc's malloc reuse the memory a freed block held instead of handing it back.

    By default a block of more than 128 KB is a fresh mapping of its own, returned to the system
    when freed; the next one is faulted in again, a page at a time. Reading a workbook makes and
    drops many such arrays (an index of 286,000 cells is 2.3 MB), and on a virtual machine a page
    fault costs microseconds: 25,000 of them were about a fifth of a 10,000-row workbook's run.
    Blocks up to ``KEPT_BLOCK_BYTES`` now come from the heap and stay there once freed, so a
    command reuses its own pages; it ends soon after, and gives everything back then.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return
    mallopt(_M_MMAP_THRESHOLD, KEPT_BLOCK_BYTES)
    mallopt(_M_TRIM_THRESHOLD, 2 * KEPT_BLOCK_BYTES)


def loaded() -> None:
    """Once they are imported: what was loaded is kept for good, and the collector runs again."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
