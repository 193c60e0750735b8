"""The production server behind `threeassets serve`: one worker process per core, so pages use every core.

Python runs one thread at a time per process, so threads alone let a server use one core: on two cores a single
process with 8 threads served 1.7–3× less than two processes. Where gunicorn runs (Linux, BSD, macOS) the app is
served by gunicorn with `workers` processes forked from this one after the app is built (every worker starts with
it loaded); with threads > 1 each worker also runs that many threads (gunicorn's gthread worker), which helps when
requests wait on a remote database rather than on the CPU. Elsewhere (Windows), or with one worker, waitress
serves in this one process with its threads, as before.

What a worker keeps for itself is safe to keep per process: caches of things that do not change while the
process runs (compiled templates, built statements, the side menu of core/web.py), and connections, which are
never shared across the fork (the pool is emptied before it). Everything shared lives in the database: logins,
the counts of failed guesses, jobs, and the locks that keep voucher numbers gapless (SQLite's write lock, taken
by BEGIN IMMEDIATE, is a lock on the file and holds across processes; PostgreSQL's row locks likewise).
"""
from __future__ import annotations

import gc
import importlib.util
import os

TIMEOUT = 120  # seconds a worker may spend on one request before gunicorn restarts it (large PDFs, exports)


def cores() -> int:
    """The cores this process may run on (a container's or taskset's limit, not the machine's)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def gunicorn_runs() -> bool:
    """Whether gunicorn can serve here: it needs fork (not on Windows) and to be installed."""
    return os.name == "posix" and importlib.util.find_spec("gunicorn") is not None


def serve(app, *, host: str, port: int, workers: int, threads: int, timeout: int = TIMEOUT) -> None:
    """Serve a built app until stopped: gunicorn with `workers` processes, else (one worker, or no gunicorn)
    waitress in this process with `threads` threads (at least 4, as a single process needs them for slow
    clients)."""
    if workers > 1 and gunicorn_runs():
        _gunicorn(app, host=host, port=port, workers=workers, threads=threads, timeout=timeout)
    else:
        from waitress import serve as waitress_serve
        waitress_serve(app, host=host, port=port, threads=max(threads, 4))


def _gunicorn(app, *, host: str, port: int, workers: int, threads: int, timeout: int) -> None:
    """Run gunicorn's master here, forking the workers from this process with the app already built."""
    from gunicorn.app.base import BaseApplication

    from threeassets.core.db import db

    def post_fork(_server, _worker):
        # A connection a pool inherited belongs to the master's socket or file handle: forget it unclosed.
        if db.engine is not None:
            db.engine.dispose(close=False)

    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "timeout": timeout,
        "graceful_timeout": 30,
        "post_fork": post_fork,
        # X-Forwarded-* are the app's to believe or not (THREEASSETS_PROXY_HOPS, core/web.py), never gunicorn's:
        # by default it would take X-Forwarded-Proto from any local process as the request's scheme.
        "forwarded_allow_ips": "",
        "accesslog": None,  # as waitress: no line per request (put the access log on the reverse proxy)
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "threeassets",
    }

    class Server(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return app

    db.session.remove()
    if db.engine is not None:
        db.engine.dispose()  # no connection of the master is open at the fork
    # What is alive now (the app, its modules, templates loaded so far) stays put: the workers' garbage collector
    # never walks it, and the memory pages it sits on stay shared with the master instead of being copied.
    gc.collect()
    gc.freeze()
    Server().run()
