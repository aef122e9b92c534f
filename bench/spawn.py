"""Run one command as the child of this small process; write its seconds, peak memory and exit code.

    python bench/spawn.py RESULT.json COMMAND [ARG ...]

The command's stdout and stderr are this process's. Its peak resident memory is ``ru_maxrss``
from ``os.wait4``, for that child alone. Why a process of its own: Linux carries a parent's
high-water mark into a child it spawns (``vfork`` then ``exec`` records the parent's peak), so a
command started straight from ``bench/run.py``, which has just written a 100,000-row workbook,
would report ``run.py``'s peak, not its own. This process imports nothing heavy, so the mark it
passes on (about 10 MB) is below any Python command's own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def main() -> None:
    result, command = sys.argv[1], sys.argv[2:]
    start = time.perf_counter()
    child = subprocess.Popen(command, stdin=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    figures = {"seconds": seconds, "peak_kb": usage.ru_maxrss, "returncode": child.returncode}
    with open(result, "w", encoding="utf-8") as fh:
        json.dump(figures, fh)


if __name__ == "__main__":
    main()
