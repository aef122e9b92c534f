"""gunicorn settings for the portal: ``gunicorn -c gunicorn.conf.py "portal:create_app()"``.

Loopback by default: TLS and the public address are the reverse proxy's job. Uploads are checked in
a child process with its own limits, so the worker timeout only needs to cover that child.
"""

import os

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
SWEEP_WAIT_MS = 120_000  # how long the master waits for the write lock to sweep (child_exit)


def child_exit(server, worker):
    """A worker killed between storing an upload's file and committing its row leaves a file no
    submission points at: sweep such files away. The sweep needs the write lock, which a busy
    portal's uploads pass from worker to worker, so it waits for it longer than a request would."""
    from portal import create_app, db, intake

    app = create_app()
    conn = db.connect(app.config["DATABASE"])
    try:
        conn.execute(f"PRAGMA busy_timeout={SWEEP_WAIT_MS}")
        removed = intake.sweep(conn, app.config["FILES"])
    except Exception:  # never take the master down; the next exit sweeps again
        server.log.exception("Could not sweep stored files after worker %s exited", worker.pid)
        return
    finally:
        conn.close()
    if removed:
        server.log.warning("Removed %d stored file(s) left by an exited worker", len(removed))
