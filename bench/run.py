#!/usr/bin/env python3
"""Voucher import and trial balance at township scale, against a raw sqlite3 load and hledger.

    python bench/run.py                              # 100 villages x 2,000 vouchers (~500k lines)
    python bench/run.py --villages 5 --vouchers 200  # a quick run, a few seconds

Everything goes to bench/out/ (git-ignored): the generated journal, its orgs file, the databases and the
result table (results.md, results.json). The app runs on its own SQLite file there (DATABASE_URL and
THREEASSETS_INSTANCE are set for every command), so no real database is touched.

Every timing is the wall-clock time of a whole process (start-up included), median of --repeat runs
(hledger: --hledger-repeat runs, as it is slow). Targets, from the issue:
  (a) import vouchers --post  <= 5x  the floor (csv module + sqlite3 executemany into a bare table);
  (b) township trial balance from the CLI  >= 20x faster than `hledger -f journal bal`;
      also shown against a bare SQL aggregate (GROUP BY over the raw lines table of the floor).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent

FLOOR = """
import csv, sqlite3, sys
con = sqlite3.connect(sys.argv[2])
con.execute("CREATE TABLE line (org_code, date, voucher_ref, summary, account_code, debit, credit)")
with open(sys.argv[1], encoding="utf-8", newline="") as f:
    rows = csv.reader(f)
    next(rows)
    con.executemany("INSERT INTO line VALUES (?,?,?,?,?,?,?)", rows)
con.commit()
con.close()
"""

# The trial balance's shape over the raw lines: opening net before the range, debit and credit inside it.
AGGREGATE = """
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
rows = con.execute(
    "SELECT account_code,"
    " SUM(CASE WHEN date < ? THEN debit - credit ELSE 0 END),"
    " SUM(CASE WHEN date >= ? THEN debit ELSE 0 END),"
    " SUM(CASE WHEN date >= ? THEN credit ELSE 0 END)"
    " FROM line WHERE date <= ? GROUP BY account_code ORDER BY account_code",
    (sys.argv[2], sys.argv[2], sys.argv[2], sys.argv[3])).fetchall()
with open(sys.argv[4], "w", encoding="utf-8") as f:
    for r in rows:
        f.write(",".join(map(str, r)) + "\\n")
"""


# Every month of every village closed (stored balances) and the year closed (generated vouchers), as `verify`
# then has every stored balance to check: the books as a township has them at year end.
CLOSE_ALL = """
import sys
from sqlalchemy import select
from threeassets import create_app
from threeassets.closing.service import close_period
from threeassets.closing.yearend import close_year
from threeassets.core.db import db, transaction
from threeassets.orgs.models import Village
year = int(sys.argv[1])
with create_app(web=False).app_context():
    for village in db.session.scalars(select(Village).order_by(Village.code)).all():
        for month in range(1, 12):
            with transaction(db.session):
                close_period(db.session, village, year * 100 + month, None)
        with transaction(db.session):
            close_year(db.session, village, year, None)
"""


def sh(cmd: list[str]) -> str:
    """Output of a small informational command, or '' when it is missing."""
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    free = sh(["free", "-h"]).splitlines()
    distro = ""
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                distro = line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return {
        "cpus (nproc)": sh(["nproc"]) or str(os.cpu_count()),
        "cpu": cpu or platform.processor(),
        "memory (free -h, total)": free[1].split()[1] if len(free) > 1 else "",
        "os": f"{distro} ({platform.system()} {platform.release()})" if distro else platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "hledger": sh(["hledger", "--version"]),
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def run_timed(cmd: list[str], env: dict | None = None, stdout=None, before=None, repeat: int = 1):
    """Median wall-clock seconds of `repeat` runs of a command (before() runs untimed ahead of each)."""
    times = []
    for _ in range(repeat):
        if before:
            before()
        out = open(stdout, "wb") if stdout else subprocess.DEVNULL  # noqa: SIM115
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, env=env, stdout=out, stderr=subprocess.PIPE, check=False)
        times.append(time.perf_counter() - t0)
        if stdout:
            out.close()
        if proc.returncode:
            sys.exit(f"failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{proc.stderr.decode(errors='replace')}")
    return statistics.median(times), times


def remove_db(path: Path) -> None:
    """Delete an SQLite file and its WAL companions."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def generate(out: Path, villages: int, vouchers: int, year: int, seed: int) -> Path:
    """The journal (CSV + hledger) from bench/gen_journal.py; reused if present."""
    prefix = out / f"journal-{villages}x{vouchers}-{year}-{seed}"
    csv_path, journal = prefix.with_suffix(".csv"), prefix.with_suffix(".journal")
    if not (csv_path.exists() and journal.exists()):
        gen = BENCH / "gen_journal.py"
        print(f"generating {villages} villages x {vouchers} vouchers with {gen.relative_to(ROOT)}")
        subprocess.run([sys.executable, str(gen), str(villages), str(vouchers), str(year), str(prefix), str(seed)],
                       check=True)
    return prefix


def orgs_file(csv_path: Path, out: Path) -> Path:
    """Township T001 with every village code the journal uses."""
    with open(csv_path, encoding="utf-8", newline="") as f:
        codes = sorted({row["org_code"] for row in csv.DictReader(f)})
    path = out / "orgs.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["township_code", "township_name", "village_code", "village_name"])
        for i, code in enumerate(codes):
            w.writerow(["T001", "示范镇", code, f"第{i + 1}村"])
    return path


def main() -> None:
    """Generate, load, time, check, print the table."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--villages", type=int, default=100)
    ap.add_argument("--vouchers", type=int, default=2000, help="vouchers per village")
    ap.add_argument("--year", type=int, default=2024)
    ap.add_argument("--seed", type=int, default=789)
    ap.add_argument("--repeat", type=int, default=5, help="rounds of the timed runs (median)")
    ap.add_argument("--hledger-repeat", type=int, default=3, help="runs of hledger (median)")
    ap.add_argument("--no-hledger", action="store_true")
    ap.add_argument("--out", type=Path, default=BENCH / "out")
    ap.add_argument("--oracle", type=Path, default=None,
                    help="an independent trial-balance checker: oracle JOURNAL_CSV ALL FROM TO TB_CSV, exit 0 if equal")
    ap.add_argument("--threeassets", default=None, help="the console script (default: .venv/bin/threeassets)")
    args = ap.parse_args()

    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    ta = args.threeassets or str(ROOT / ".venv" / "bin" / "threeassets")
    if not Path(ta).exists():
        ta = shutil.which("threeassets") or sys.exit("threeassets console script not found (use --threeassets)")
    hledger = None if args.no_hledger else shutil.which("hledger")
    info = machine()

    prefix = generate(out, args.villages, args.vouchers, args.year, args.seed)
    journal_csv, journal = prefix.with_suffix(".csv"), prefix.with_suffix(".journal")
    with open(journal_csv, encoding="utf-8") as f:
        n_lines = sum(1 for _ in f) - 1
    orgs = orgs_file(journal_csv, out)
    start, end = f"{args.year}-01", f"{args.year}-12"
    results: list[tuple[str, float, list[float]]] = []

    # The app works on its own databases in out/: base.db after init-db and the orgs, bench.db a fresh copy
    # of it for every import run.
    instance = out / "instance"
    base_db, bench_db, floor_db = out / "base.db", out / "bench.db", out / "floor.db"

    def env_for(db: Path) -> dict:
        return {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "THREEASSETS_INSTANCE": str(instance)}

    remove_db(base_db)
    t_init, _ = run_timed([ta, "init-db"], env=env_for(base_db))
    t_orgs, _ = run_timed([ta, "import", "orgs", str(orgs)], env=env_for(base_db))

    def fresh_bench_db():
        remove_db(bench_db)
        shutil.copyfile(base_db, bench_db)

    tb_csv = out / "tb.csv"
    steps = [  # (label, command, env, before); run in turn, round after round, so a busy spell hits all alike
        ("floor: csv module + sqlite3 executemany into a bare table",
         [sys.executable, "-c", FLOOR, str(journal_csv), str(floor_db)], None, lambda: remove_db(floor_db)),
        (f"threeassets import vouchers --post ({n_lines:,} lines)",
         [ta, "import", "vouchers", str(journal_csv), "--post"], env_for(bench_db), fresh_bench_db),
        ("threeassets report trial-balance --township T001 (CLI)",
         [ta, "report", "trial-balance", "--township", "T001", "--from", start, "--to", end, "--format", "csv",
          "-o", str(tb_csv)], env_for(bench_db), None),
        ("bare SQL aggregate: sqlite3 GROUP BY over the raw lines",
         [sys.executable, "-c", AGGREGATE, str(floor_db), f"{start}-01", f"{end}-31", str(out / "aggregate.csv")],
         None, None),
    ]
    hl_label = "hledger -f journal bal"
    runs: dict[str, list[float]] = {label: [] for label, *_ in steps}
    if hledger:
        runs[hl_label] = []
    for round_ in range(max(args.repeat, args.hledger_repeat if hledger else 0)):
        for label, cmd, env, before in steps:
            if round_ < args.repeat:
                runs[label].append(run_timed(cmd, env=env, before=before)[0])
        if hledger and round_ < args.hledger_repeat:  # slow: only in the first rounds, beside the others
            runs[hl_label].append(run_timed([hledger, "-f", str(journal), "bal"],
                                            stdout=out / "hledger-bal.txt")[0])
        print(f"round {round_ + 1}: " + ", ".join(f"{times[round_]:.2f}" if round_ < len(times) else "-"
                                                   for times in runs.values()), flush=True)
    medians = {label: statistics.median(times) for label, times in runs.items()}
    floor, imp, tb, agg = (medians[label] for label, *_ in steps)
    hl = medians.get(hl_label)
    results += [(label, medians[label], runs[label]) for label in runs]

    verify, verify_runs = run_timed([ta, "verify-chain"], env=env_for(bench_db), stdout=out / "verify-chain.txt")
    verify_result = (out / "verify-chain.txt").read_text(encoding="utf-8").strip()
    results.append(("threeassets verify-chain (every posted voucher re-hashed)", verify, verify_runs))
    books, books_runs = run_timed([ta, "verify"], env=env_for(bench_db), stdout=out / "verify.txt")
    books_result = (out / "verify.txt").read_text(encoding="utf-8").strip()
    results.append(("threeassets verify (chain, audit anchors, numbers, turnover, stored balances)", books,
                    books_runs))
    closed_db = out / "closed.db"

    def close_all():
        remove_db(closed_db)
        shutil.copyfile(bench_db, closed_db)
        run_timed([sys.executable, "-c", CLOSE_ALL, str(args.year)], env=env_for(closed_db))
    closed, closed_runs = run_timed([ta, "verify"], env=env_for(closed_db), stdout=out / "verify-closed.txt",
                                    before=close_all)
    closed_result = (out / "verify-closed.txt").read_text(encoding="utf-8").strip()
    results.append(("threeassets verify, every month and the year closed (stored balances checked too)", closed,
                    closed_runs))
    results.append(("threeassets init-db + import orgs (once)", t_init + t_orgs, [t_init, t_orgs]))

    oracle = args.oracle
    if oracle is not None:
        check = subprocess.run([sys.executable, str(oracle), str(journal_csv), "ALL", start, end, str(tb_csv)],
                               capture_output=True, text=True, check=False)
        oracle_result = check.stdout.strip() or check.stderr.strip()
        if check.returncode:
            sys.exit(f"trial balance differs from the oracle: {oracle_result}")
    else:
        oracle_result = "no --oracle given, not checked"

    info["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    ratios = {
        "import / floor (target <= 5)": imp / floor,
        "trial balance / bare SQL aggregate": tb / agg,
    }
    if hl is not None:
        ratios["hledger / trial balance (target >= 20)"] = hl / tb
    met = {"(a) import within 5x the floor": imp <= 5 * floor}
    if hl is not None:
        met["(b) trial balance 20x faster than hledger"] = hl >= 20 * tb

    lines = [f"{args.villages} villages x {args.vouchers} vouchers = {n_lines:,} lines, year {args.year}", "",
             "| what | seconds (median) | runs |", "|---|---:|---|"]
    lines += [f"| {name} | {sec:.2f} | {', '.join(f'{t:.2f}' for t in runs)} |" for name, sec, runs in results]
    lines += ["", "| ratio | value |", "|---|---:|"]
    lines += [f"| {name} | {value:.1f} |" for name, value in ratios.items()]
    scale = ("" if args.villages * args.vouchers >= 200_000
             else " (the targets are for 100 x 2,000; start-up dominates here)")
    lines += ["", *(f"- {name}: {'met' if ok else 'MISSED'}{scale}" for name, ok in met.items()),
              f"- trial balance vs oracle: {oracle_result}", f"- verify-chain: {verify_result}",
              f"- verify: {books_result}", f"- verify, books closed: {closed_result}", "", "machine:"]
    lines += [f"- {k}: {v}" for k, v in info.items()]
    report = "\n".join(lines)
    print(report)
    (out / "results.md").write_text(report + "\n", encoding="utf-8")
    (out / "results.json").write_text(json.dumps({
        "villages": args.villages, "vouchers": args.vouchers, "lines": n_lines, "machine": info,
        "seconds": {name: {"median": sec, "runs": runs} for name, sec, runs in results},
        "ratios": ratios, "targets_met": met}, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
