"""bench/pages.py --server waitress: serve a WSGI app (MODULE:CALLABLE, a factory when it ends in "()") with
waitress in N processes forked after the app is built, all accepting on one listening socket; N = 1 is today's
single waitress process.

    python bench/waitress_procs.py 'threeassets:create_app()' 127.0.0.1:8000 PROCESSES THREADS
"""
from __future__ import annotations

import importlib
import os
import signal
import socket
import sys


def main() -> None:
    target, bind, processes, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    module, _, name = target.partition(":")
    obj = getattr(importlib.import_module(module), name.removesuffix("()"))
    app = obj() if name.endswith("()") else obj
    engine = getattr(sys.modules.get("threeassets.core.db"), "db", None)
    if engine is not None and engine.engine is not None:
        engine.engine.dispose()  # no connection crosses the fork
    host, _, port = bind.rpartition(":")
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, int(port)))
    sock.listen(1024)
    from waitress import serve
    if processes == 1:
        serve(app, sockets=[sock], threads=threads, _quiet=True)
        return
    children = []
    for _ in range(processes):
        pid = os.fork()
        if pid == 0:
            serve(app, sockets=[sock], threads=threads, _quiet=True)
            os._exit(0)
        children.append(pid)
    signal.signal(signal.SIGTERM, lambda *_: [os.kill(c, signal.SIGTERM) for c in children] and sys.exit(0))
    for _ in children:
        os.wait()


if __name__ == "__main__":
    main()
