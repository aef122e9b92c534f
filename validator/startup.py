"""The command line's start-up: load the checks' libraries without paying for what they never use.

Two costs of a short ``lsids validate`` that are neither reading nor checking (measured with
``perf`` on a 5,000-row CSV: ``bench/README.md``):

- Python's cyclic garbage collector. Importing numpy, pyarrow and the checks makes tens of
  thousands of objects that live as long as the process. The collector walks them again and
  again while they are imported, and once more, all of them, when the interpreter exits: about a
  sixth of the run's CPU. ``begin`` turns it off before the imports; ``loaded`` moves what was
  loaded out of its sight (``gc.freeze``) and turns it back on before any row is read, so cycles
  made while checking are still collected and memory stays bounded at any size.
- OpenBLAS, which numpy loads for linear algebra the checks never do, starts a thread per core
  that spins while waiting for work. ``begin`` asks it for none (``OPENBLAS_NUM_THREADS=1``)
  unless the user has chosen.

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
    gc.disable()
    _paused = True


def loaded() -> None:
    """Once they are imported: what was loaded is kept for good, and the collector runs again."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
