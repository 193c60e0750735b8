#!/usr/bin/env python3
"""Start-up of the data commands: a one-village report and a one-village disclosure notice from the command line,
process start included, against bare scripts that do the same work with nothing of the app.

    python bench/startup.py                                  # SQLite (the demo township), 9 rounds
    python bench/startup.py --pg postgresql://u:p@host/db    # and PostgreSQL (demo loaded if the db is empty)
    python bench/startup.py --before OTHER/.venv/bin/threeassets   # also time another checkout's commands

Floors (each a whole process, like the commands):
  * report: the same aggregate SQL as the trial balance (village by code, chart, stored balances plus monthly
    turnover), run through the app's own driver (sqlite3, or psycopg on PostgreSQL) and written as CSV;
  * disclose: bench/disclosure.py's floor, a bare ReportLab LongTable of every row the notice prints, with the
    same embedded CJK font the app picks, and nothing else of the app imported.
Targets from the issue: report <= 3x its floor, disclose <= 2x its floor.

Every command runs once per round, all steps in turn (so a busy spell of the shared machine hits each alike),
after one warm-up round that also writes the bytecode caches (PYTHONDONTWRITEBYTECODE is removed from the
children's environment: a deployed app has its caches). The table shows the median wall-clock and CPU time
(user + system, of the child) and every wall-clock run; results go to bench/out/startup/results.md and
results.json.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT)]
WORK = BENCH / "out" / "startup"
VILLAGE = "DEMO01"  # the demo's first village
PUBLIC_URL = "https://sanzi.example.gov.cn"

# The trial balance's queries (reports/service.py: _scope, _chart, _turnover) for one village, by hand. {p} is
# the driver's parameter mark. Amounts are integer fen; the CSV has one line per account code with its sums.
REPORT_FLOOR = """
import csv, sys
kind, dsn, code, start, end, out = sys.argv[1:7]
if kind == "sqlite":
    import sqlite3
    con, p = sqlite3.connect(dsn), "?"
else:
    import psycopg
    con, p = psycopg.connect(dsn), "%s"
cur = con.cursor()
cur.execute(f"SELECT id FROM village WHERE code = {p}", (code,))
vid = cur.fetchone()[0]
cur.execute("SELECT a.code, a.name, a.level, b.code, a.is_leaf FROM account a LEFT JOIN account b"
            f" ON b.id = a.parent_id WHERE a.village_id = {p} ORDER BY a.village_id", (vid,))
chart = {r[0]: r[1] for r in cur.fetchall()}
start, end = int(start), int(end)
cur.execute(
    "WITH latest AS (SELECT village_id, max(ym) AS ym FROM period_balance"
    f"  WHERE village_id = {p} AND ym < {p} GROUP BY village_id),"
    " u AS (SELECT pb.account_id AS aid, pb.balance AS opening, 0 AS debit, 0 AS credit FROM period_balance pb"
    "  JOIN latest ON latest.village_id = pb.village_id AND latest.ym = pb.ym"
    f" UNION ALL SELECT t.account_id, CASE WHEN t.ym < {p} THEN t.debit - t.credit ELSE 0 END,"
    f"  CASE WHEN t.ym >= {p} THEN t.debit ELSE 0 END, CASE WHEN t.ym >= {p} THEN t.credit ELSE 0 END"
    "  FROM account_turnover t LEFT JOIN latest ON latest.village_id = t.village_id"
    f"  WHERE t.village_id = {p} AND t.ym <= {p} AND t.ym > coalesce(latest.ym, 0))"
    " SELECT a.code, sum(u.opening), sum(u.debit), sum(u.credit) FROM u JOIN account a ON a.id = u.aid"
    " GROUP BY a.code ORDER BY a.code",
    (vid, start, start, start, start, vid, end))
with open(out, "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(["account_code", "account_name", "opening", "debit", "credit"])
    for code, *fen in cur.fetchall():
        w.writerow([code, chart[code], *(f"{int(x or 0) / 100:.2f}" for x in fen)])
con.close()
"""

# bench/disclosure.py's floor in a process of its own: the rows (already formatted), the body font registered
# as a plain TTFont (the same file and subfont the app embeds), one LongTable, written to a file.
DISCLOSE_FLOOR = """
import json, sys
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from disclosure import floor_pdf
rows, font, index, out = sys.argv[1:5]
pdfmetrics.registerFont(TTFont("BENCH-CJK", font, subfontIndex=int(index)))
with open(rows, encoding="utf-8") as f:
    data = json.load(f)
with open(out, "wb") as f:
    f.write(floor_pdf(data, font="BENCH-CJK"))
"""


def child_env(extra: dict) -> dict:
    """The environment of every timed process: bytecode caches on, the app's instance and database set."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(THREEASSETS_ENV="development", SECRET_KEY="bench", THREEASSETS_PUBLIC_URL=PUBLIC_URL,
               PYTHONPATH=str(BENCH))
    env.update(extra)
    return env


def load_demo(ta: str, env: dict) -> None:
    """`threeassets demo` into an empty database (skipped when the demo is there already)."""
    proc = subprocess.run([ta, "demo"], env=env, capture_output=True, text=True, check=False)
    if proc.returncode and "already" not in (proc.stderr + proc.stdout):
        sys.exit(f"threeassets demo failed:\n{proc.stderr}")


def prepare(url: str, out: Path) -> dict:
    """The year to report (the demo's), the period to disclose (the village's newest draft notice, which the
    command regenerates from the books and renders, as a clerk's run does; a published one would only be read
    back), the notice's rows for the floor, and the body font's file: read in this process through the app."""
    from disclosure import floor_rows
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    import threeassets.models_registry  # noqa: F401
    from threeassets.core.db import make_engine
    from threeassets.core.pdf import FONT_CANDIDATES, pdf_font
    from threeassets.disclosure.content import build_notice
    from threeassets.disclosure.models import Disclosure
    from threeassets.orgs.models import Village
    engine = make_engine(url)
    with Session(engine) as session:
        village = session.scalar(select(Village).where(Village.code == VILLAGE))
        period = session.scalar(select(Disclosure.period).where(Disclosure.village_id == village.id,
                                                                Disclosure.status == "draft")
                                .order_by(Disclosure.period.desc()))
        if period is None:
            sys.exit(f"village {VILLAGE} has no draft notice to regenerate (is this the demo?)")
        rows = floor_rows(build_notice(session, village, period))
    engine.dispose()
    rows_path = out / "notice-rows.json"
    rows_path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    font = pdf_font()
    if font is None:
        sys.exit("no CJK TrueType font installed (scripts/setup installs fonts-wqy-zenhei)")
    path = font.body.face.filename
    return {"year": int(period[:4]), "period": period, "rows": rows_path, "nrows": len(rows), "font": path,
            "index": dict(FONT_CANDIDATES).get(path, 0)}


def steps_for(backend: str, url: str, out: Path, commands: dict[str, str], loader: str) -> tuple[dict, list]:
    """(facts, steps) for one database: each step is (key, label, argv, env); commands name the console
    scripts timed, loader is the one that loads the demo."""
    instance = out / f"instance-{backend}"
    env = child_env({"THREEASSETS_INSTANCE": str(instance), "DATABASE_URL": url})
    load_demo(loader, env)
    facts = prepare(url, out)
    py = sys.executable
    y = facts["year"]
    tb = ["report", "trial-balance", "--village", VILLAGE, "--from", f"{y}-01", "--to", f"{y}-12", "--format", "csv"]
    dsn = url.removeprefix("sqlite:///") if backend == "sqlite" else url
    steps = [
        ("python", "python -c pass (the interpreter alone)", [py, "-c", "pass"], env),
        ("frameworks", "python + Flask, SQLAlchemy and click imported, nothing else (collector off)",
         [py, "-c", "import gc; gc.disable(); import click, flask.cli, sqlalchemy.orm"], env),
        ("report_floor", f"floor: {'sqlite3' if backend == 'sqlite' else 'psycopg'} + the trial balance's SQL, CSV",
         [py, "-c", REPORT_FLOOR, backend, dsn, VILLAGE, f"{y}01", f"{y}12", str(out / f"floor-{backend}.csv")],
         env),
        ("disclose_floor", f"floor: ReportLab LongTable of the notice's {facts['nrows']} rows, CJK font embedded",
         [py, "-c", DISCLOSE_FLOOR, str(facts["rows"]), facts["font"], str(facts["index"]),
          str(out / f"floor-{backend}.pdf")], env),
    ]
    for name, ta in commands.items():
        steps += [
            (f"help_{name}", f"{name}: threeassets --help", [ta, "--help"], env),
            (f"report_{name}", f"{name}: threeassets report trial-balance --village (CSV)",
             [ta, *tb, "-o", str(out / f"tb-{backend}-{name}.csv")], env),
            (f"disclose_{name}", f"{name}: threeassets disclose --village --period {facts['period']}",
             [ta, "disclose", "--village", VILLAGE, "--period", facts["period"], "-o",
              str(out / f"notice-{backend}-{name}.pdf")], env),
        ]
    return facts, steps


def run_once(argv: list[str], env: dict) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds: user + system) of one process; exits with its error output when it
    fails. The CPU time moves far less than the wall clock when other jobs share the machine."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    if proc.returncode:
        sys.exit(f"failed ({proc.returncode}): {' '.join(argv[:4])} …\n{err.decode(errors='replace')}")
    return seconds, usage.ru_utime + usage.ru_stime


def measure(steps: list, rounds: int) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """One warm-up round, then `rounds` rounds of every step in turn (the order rotates each round): the wall
    and the CPU seconds of every run."""
    for _key, _label, argv, env in steps:
        run_once(argv, env)
    runs: dict[str, list[float]] = {key: [] for key, *_ in steps}
    cpu: dict[str, list[float]] = {key: [] for key, *_ in steps}
    for r in range(rounds):
        for key, _label, argv, env in steps[r % len(steps):] + steps[:r % len(steps)]:
            wall, used = run_once(argv, env)
            runs[key].append(wall)
            cpu[key].append(used)
        print(f"round {r + 1}/{rounds}", file=sys.stderr, flush=True)
    return runs, cpu


def table(backend: str, facts: dict, steps: list, runs: dict, cpu: dict, names: list[str]) -> list[str]:
    """Markdown: every step's median wall and CPU time and its runs, then the ratios to the floors."""
    med = {key: statistics.median(times) for key, times in runs.items()}
    mcpu = {key: statistics.median(times) for key, times in cpu.items()}
    lines = [f"**{backend}** — village {VILLAGE}, report {facts['year']}-01..12, notice {facts['period']}", "",
             "| what | wall ms (median) | CPU ms (median) | wall runs (ms) |", "|---|---:|---:|---|"]
    for key, label, *_ in steps:
        lines.append(f"| {label} | {med[key] * 1000:.0f} | {mcpu[key] * 1000:.0f} "
                     f"| {', '.join(f'{t * 1000:.0f}' for t in runs[key])} |")
    lines += ["", "| ratio (wall; CPU) | " + " | ".join(names) + " | target |", "|---|" + "---:|" * len(names) + "---|"]
    for what, floor, target in (("report", "report_floor", "≤ 3"), ("disclose", "disclose_floor", "≤ 2")):
        cells = " | ".join(f"{med[f'{what}_{n}'] / med[floor]:.1f}×; {mcpu[f'{what}_{n}'] / mcpu[floor]:.1f}×"
                           for n in names)
        lines.append(f"| {what} / its floor | {cells} | {target} |")
    return lines


def main() -> None:
    """Load the demo where needed, time every step interleaved, print and save the tables."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=9, help="timed rounds (median); one warm-up round more")
    ap.add_argument("--pg", default=None, help="a PostgreSQL URL (postgresql://user:password@host:port/db)")
    ap.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    ap.add_argument("--threeassets", default=str(ROOT / ".venv" / "bin" / "threeassets"),
                    help="the console script measured (default: this checkout's .venv)")
    ap.add_argument("--before", default=None, help="another checkout's console script, timed beside it")
    args = ap.parse_args()
    from run import machine  # bench/run.py: what the numbers were measured on

    WORK.mkdir(parents=True, exist_ok=True)
    commands = {"before": args.before, "after": args.threeassets} if args.before else {"threeassets": args.threeassets}
    names = list(commands)
    databases = [] if args.no_sqlite else [("sqlite", f"sqlite:///{WORK / 'instance-sqlite' / 'threeassets.db'}")]
    if args.pg:
        databases.append(("postgresql", args.pg))
    info = machine()
    out_lines, out_json = [], {"machine": info, "rounds": args.rounds, "databases": {}}
    for backend, url in databases:
        facts, steps = steps_for(backend, url, WORK, commands, args.threeassets)
        runs, cpu = measure(steps, args.rounds)
        out_lines += table(backend, facts, steps, runs, cpu, names) + [""]
        out_json["databases"][backend] = {"facts": {k: str(v) for k, v in facts.items()}, "wall": runs,
                                          "cpu": cpu, "labels": {k: label for k, label, *_ in steps}}
    info["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    out_lines += ["machine:"] + [f"- {k}: {v}" for k, v in info.items() if k != "hledger"]
    text = "\n".join(out_lines)
    print(text)
    (WORK / "results.md").write_text(text + "\n", encoding="utf-8")
    (WORK / "results.json").write_text(json.dumps(out_json, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
