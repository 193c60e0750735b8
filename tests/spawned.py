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


def clerks_session(url: str, village_id: int, user_ids: dict):
    """In a spawned worker posting vouchers: its own engine and session on the test database, the village and the
    (preparer, reviewer, poster) users of user_ids loaded, no transaction left open. Returns (database, session,
    village, (preparer, reviewer, poster)); dispose of database.engine when done."""
    from threeassets.auth.models import User
    from threeassets.core.db import Database
    from threeassets.models_registry import Village  # every mapper, as in the app

    database = Database()
    database.bind(url)
    session = database.session()
    village = session.get(Village, village_id)
    users = tuple(session.get(User, user_ids[k]) for k in ("preparer", "reviewer", "poster"))
    session.rollback()
    return database, session, village, users
