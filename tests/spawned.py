"""Run a test's worker function in several spawned processes at once and collect what they report."""
from __future__ import annotations

import multiprocessing
import queue
import time


def run_spawned(target, arg_tuples: list[tuple], timeout: float = 120) -> list:
    """Start one process per argument tuple, each called as target(*args, barrier, results); a worker puts
    ("ok", items) or ("error", traceback) on results. Returns every worker's items; fails the test on errors."""
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(len(arg_tuples)), ctx.Queue()
    procs = [ctx.Process(target=target, args=(*args, barrier, results), daemon=True) for args in arg_tuples]
    for p in procs:
        p.start()
    collected, errors, deadline = [], [], time.monotonic() + timeout
    try:
        for _ in procs:
            status, payload = results.get(timeout=max(1.0, deadline - time.monotonic()))
            (collected.extend if status == "ok" else errors.append)(payload)
    except queue.Empty:
        errors.append("workers did not finish in time")
    finally:
        for p in procs:
            p.join(timeout=10)
            if p.is_alive():
                p.terminate()
                p.join()
    assert not errors, "\n".join(errors)
    return collected
