"""gunicorn settings for the portal: ``gunicorn -c gunicorn.conf.py "portal:create_app()"``.

Loopback by default: TLS and the public address are the reverse proxy's job. Uploads are checked in
a child process with its own limits, so the worker timeout only needs to cover that child.
"""

import os
import subprocess
import sys

bind = os.environ.get("PORTAL_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("PORTAL_WORKERS", "2"))
worker_class = "sync"
timeout = 120  # above the child's CHECK_SECONDS (60) plus its start-up
graceful_timeout = 30
max_requests = 1000  # recycle workers now and then so no slow leak lasts
max_requests_jitter = 100
accesslog = "-"
errorlog = "-"
limit_request_line = 8190


def child_exit(server, worker):
    """A worker killed between storing an upload's file and committing its row leaves a file no
    submission points at: start ``flask sweep-files`` to remove such files. It runs as a process
    of its own, because this hook runs inside the master's signal handling, which must neither
    block on the database nor import the portal (it can be re-entered mid-import)."""
    try:
        subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "portal", "sweep-files"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:  # never take the master down; the next exit sweeps again
        server.log.exception("Could not start the sweep after worker %s exited", worker.pid)
