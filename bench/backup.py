#!/usr/bin/env python3
"""`threeassets backup` and `threeassets restore` of the demo books, timed.

    python bench/backup.py                 # SQLite, under bench/out/backup/
    python bench/backup.py --postgres URL  # also PostgreSQL: URL's database gets the demo (it must be empty or
                                           # hold the demo only); <name>_restored is made and dropped per round

Each round takes a backup into a new file and restores it into a new, empty database, once through the
commands (wall-clock time of the whole process, start-up included, and the CPU time of it and the programs
it ran) and once by calling core/backup.py in this process (the copy alone). Medians of --repeat rounds. The
last restored copy is checked with `threeassets verify-chain`.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


sys.path.insert(0, str(ROOT))


def cpu_of_children() -> float:
    """User + system seconds of every finished child process (and the programs they ran)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(ta: str, url: str, instance: Path, *args: str) -> tuple[float, float]:
    """Run one command on a database; (wall-clock, CPU) seconds (a failure stops the bench)."""
    env = {k: v for k, v in os.environ.items() if k != "THREEASSETS_DIRECT_DATABASE_URL"}  # this url, no other
    env.update(DATABASE_URL=url, THREEASSETS_INSTANCE=str(instance))
    cpu, start = cpu_of_children(), time.perf_counter()
    done = subprocess.run([ta, *args], env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"threeassets {' '.join(args)} failed: {done.stderr.strip()}")
    return seconds, cpu_of_children() - cpu


def timed(fn, *args) -> float:
    """Wall-clock seconds of one call in this process."""
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def recreate_pg(url: str, name: str, create: bool) -> str:
    """Drop (and create) a PostgreSQL database beside URL's (its parameters kept); returns its URL."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from threeassets.core.db import make_engine
    engine = make_engine(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if create:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def bench(ta: str, kind: str, source: str, out: Path, repeat: int, fresh) -> dict:
    """Load the demo into source, then back up and restore it repeat times, by command and in-process."""
    from threeassets.core.backup import backup, restore
    instance = out / "instance"
    run(ta, source, instance, "init-db")
    run(ta, source, instance, "demo")
    times: dict[str, list[float]] = {k: [] for k in ("backup", "backup_cpu", "restore", "restore_cpu",
                                                      "backup_call", "restore_call")}
    size, target = 0, ""
    for n in range(repeat):
        file, call_file = out / f"{kind}-{n}.backup", out / f"{kind}-{n}-call.backup"
        wall, cpu = run(ta, source, instance, "backup", str(file))
        times["backup"].append(wall)
        times["backup_cpu"].append(cpu)
        size = file.stat().st_size
        wall, cpu = run(ta, fresh(n), instance, "restore", str(file))
        times["restore"].append(wall)
        times["restore_cpu"].append(cpu)
        times["backup_call"].append(timed(backup, source, call_file))
        target = fresh(n + repeat)
        times["restore_call"].append(timed(restore, target, call_file))
    verify, _cpu = run(ta, target, instance, "verify-chain")
    return {"kind": kind, "size": size, "verify": [verify], **times}


def row(label: str, times: list[float]) -> str:
    return f"| {label} | {statistics.median(times):.2f} | {', '.join(f'{t:.2f}' for t in times)} |"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--postgres", default="", help="PostgreSQL URL of the source database (optional)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--threeassets", default=str(ROOT / ".venv" / "bin" / "threeassets"))
    args = ap.parse_args()
    out = BENCH / "out" / "backup"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    results = [bench(args.threeassets, "sqlite", f"sqlite:///{out / 'demo.db'}", out, args.repeat,
                     lambda n: f"sqlite:///{out / f'restored-{n}.db'}")]  # a new file each time
    if args.postgres:
        from sqlalchemy.engine import make_url
        name = f"{make_url(args.postgres).database}_restored"
        results.append(bench(args.threeassets, "postgresql", args.postgres, out, args.repeat,
                             lambda n: recreate_pg(args.postgres, name, True)))
        recreate_pg(args.postgres, name, False)
    start = time.perf_counter()
    subprocess.run([args.threeassets, "--help"], capture_output=True, check=True)
    print(f"start-up of the console script (--help): {time.perf_counter() - start:.2f} s\n")
    print("| what | seconds (median) | runs |\n|---|---:|---|")
    for r in results:
        k = r["kind"]
        print(row(f"{k}: `threeassets backup` of the demo ({r['size']:,} bytes), wall", r["backup"]))
        print(row(f"{k}: `threeassets backup`, CPU", r["backup_cpu"]))
        print(row(f"{k}: backup, the copy alone (in-process)", r["backup_call"]))
        print(row(f"{k}: `threeassets restore` into an empty database, wall", r["restore"]))
        print(row(f"{k}: `threeassets restore`, CPU", r["restore_cpu"]))
        print(row(f"{k}: restore, the copy alone (in-process)", r["restore_call"]))
        print(row(f"{k}: `threeassets verify-chain` of the restored copy, wall", r["verify"]))


if __name__ == "__main__":
    main()
