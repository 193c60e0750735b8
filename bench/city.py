#!/usr/bin/env python3
"""A city on PostgreSQL: 1,000 villages in 30 townships, a year of books (~5M lines), each step beside its floor.

    python bench/city.py                                        # 30 townships, 1,000 villages, ~5M lines
    python bench/city.py --townships 3 --villages 30 --vouchers 200   # a quick run

Needs a PostgreSQL server and a role that may create databases (--admin-url; the default is the role the test
suite uses). Two databases are made afresh: <db> for the app and <db>_floor for the floors. Generated files and
results go to bench/out/city/ (git-ignored): results.md and results.json.

Steps, all timed with time.perf_counter:
1. import: every township's voucher file with `threeassets import vouchers FILE --post` (one process per
   township, as a city loads them), beside the floor: psql `\\copy` of the same files into one bare table of
   the same seven columns, then one index on (org_code, date). Done once at this size; the peak memory of the
   largest import process is shown.
2. The first township's villages get months 1..--close closed (stored balances, as a city has them by year end).
3. Reports for the first township, twice: after a third of the townships are loaded and after all of them, so a
   report that grows with the city's lines shows it (they must stay flat). Each beside its floor, interleaved,
   median of --repeat runs:
   - township and village trial balance, village balance sheet: whole CLI processes, start-up included, beside a
     bare Python + psycopg process running the aggregate (GROUP BY account over the raw lines of the floor);
   - the village and township dashboards: one request in the app (logged in, test client), beside the same
     bare aggregate by account and month run in-process on an open psycopg connection;
   - a month's notice batch for the township (build + render A4 per village), beside bench/disclosure.py's floor
     (a bare ReportLab table of every row each notice prints).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy.engine import make_url

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]
OUT = BENCH / "out" / "city"
ADMIN_URL = "postgresql://threeassets:threeassets@127.0.0.1:5432/postgres"

LINE_TABLE = ("CREATE TABLE line (org_code text, date date, voucher_ref text, summary text, account_code text,"
              " debit numeric(14,2), credit numeric(14,2))")

# The trial balance's shape over the raw lines: opening net before the range, debit and credit inside it.
AGGREGATE = """
import psycopg, sys
with psycopg.connect(sys.argv[1]) as con:
    rows = con.execute(
        "SELECT account_code,"
        " SUM(CASE WHEN date < %(a)s THEN coalesce(debit, 0) - coalesce(credit, 0) ELSE 0 END),"
        " SUM(CASE WHEN date >= %(a)s THEN debit ELSE 0 END),"
        " SUM(CASE WHEN date >= %(a)s THEN credit ELSE 0 END)"
        " FROM line WHERE org_code BETWEEN %(lo)s AND %(hi)s AND date <= %(b)s"
        " GROUP BY account_code ORDER BY account_code",
        {"a": sys.argv[2], "b": sys.argv[3], "lo": sys.argv[4], "hi": sys.argv[5]}).fetchall()
with open(sys.argv[6], "w", encoding="utf-8") as f:
    for r in rows:
        f.write(",".join(map(str, r)) + "\\n")
"""

# What a dashboard must at least read without stored balances: each account's net per month up to the month.
TREND = ("SELECT account_code, date_trunc('month', date) AS m, SUM(coalesce(debit, 0) - coalesce(credit, 0))"
         " FROM line WHERE org_code BETWEEN %(lo)s AND %(hi)s AND date <= %(b)s GROUP BY 1, 2")


def db_url(admin: str, name: str) -> str:
    """The URL of database name on the admin URL's server (its parameters kept)."""
    return make_url(admin).set(database=name).render_as_string(hide_password=False)


def fresh_db(admin: str, name: str) -> str:
    """Drop and create a database; its URL."""
    import psycopg
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        con.execute(f'CREATE DATABASE "{name}"')
    return db_url(admin, name)


def split(n: int, parts: int) -> list[tuple[int, int]]:
    """n villages over parts townships: (first village number, count) each, counts differing by at most one."""
    out, first = [], 0
    for t in range(parts):
        count = n // parts + (1 if t < n % parts else 0)
        out.append((first, count))
        first += count
    return out


def generate(args) -> list[tuple[str, Path, list[str]]]:
    """One voucher file per township (reused while the arguments are the same): (code, file, village codes)."""
    tag = f"{args.villages}x{args.vouchers}-{args.year}-{args.seed}"
    out = []
    jobs = []
    for t, (first, count) in enumerate(split(args.villages, args.townships)):
        code = f"T{t + 1:02d}"
        prefix = OUT / f"{tag}-{code}"
        path = prefix.with_suffix(".csv")
        if not path.exists():
            jobs.append([sys.executable, str(BENCH / "gen_journal.py"), str(count), str(args.vouchers),
                         str(args.year), str(prefix), str(args.seed + t), str(first)])
        out.append((code, path, [f"V{v:05d}" for v in range(first, first + count)]))
    for i in range(0, len(jobs), 2):  # two at a time: one per core
        procs = [subprocess.Popen(j) for j in jobs[i:i + 2]]
        if any(p.wait() for p in procs):
            sys.exit("generation failed")
    for path in OUT.glob(f"{tag}-T*.journal"):  # the hledger twin is not needed here
        path.unlink()
    return out


def orgs_file(townships) -> Path:
    """Every township and its villages in the orgs import contract."""
    path = OUT / "orgs.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["township_code", "township_name", "village_code", "village_name"])
        for t, (code, _path, villages) in enumerate(townships):
            for i, v in enumerate(villages):
                w.writerow([code, f"第{t + 1}镇", v, f"第{t + 1}镇第{i + 1}村"])
    return path


def run(cmd: list[str], env: dict, **kw) -> float:
    """Seconds of one whole process; fails loudly."""
    t = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, **kw)
    if done.returncode:
        sys.exit(f"failed: {' '.join(cmd)}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return time.perf_counter() - t


def run_rss(cmd: list[str], env: dict) -> tuple[float, int]:
    """Seconds and peak memory (KB) of one process (wait4 reports the child's own peak)."""
    log = OUT / "last-command.log"
    t = time.perf_counter()
    with open(log, "wb") as f:
        proc = subprocess.Popen(cmd, env=env, stdout=f, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        sys.exit(f"failed: {' '.join(cmd)}\n{log.read_text(encoding='utf-8', errors='replace')[-3000:]}")
    return seconds, usage.ru_maxrss


def count_lines(url: str) -> int:
    """voucher_line rows in the app's database."""
    import psycopg
    with psycopg.connect(url) as con:
        return con.execute("SELECT count(*) FROM voucher_line").fetchone()[0]


def close_months(app_url: str, villages: list[str], year: int, months: int) -> float:
    """Close months 1..months of the given villages in-process (not part of any ratio)."""
    from sqlalchemy import select

    from threeassets import create_app
    from threeassets.closing.service import close_period
    from threeassets.core.db import db, transaction
    from threeassets.orgs.models import Village
    t = time.perf_counter()
    with create_app({"DATABASE_URL": app_url}, web=False).app_context():
        for village in db.session.scalars(select(Village).where(Village.code.in_(villages))
                                          .order_by(Village.code)).all():
            for month in range(1, months + 1):
                with transaction(db.session):
                    close_period(db.session, village, year * 100 + month, None)
    return time.perf_counter() - t


def median_runs(fns: dict, repeat: int) -> dict:
    """Each callable run once to warm up, then repeat times round by round (a busy spell hits all alike):
    key → (median, runs)."""
    for fn in fns.values():
        fn()
    runs = {k: [] for k in fns}
    for _ in range(repeat):
        for k, fn in fns.items():
            runs[k].append(fn())
    return {k: (statistics.median(v), v) for k, v in runs.items()}


def process_steps(args, env, app_url, floor_url, town, village) -> dict:
    """The CLI reports and their bare-aggregate floors as callables returning seconds."""
    ta, y = args.threeassets, args.year
    res = OUT / "report.csv"
    code, _path, villages = town
    lo, hi = villages[0], villages[-1]
    agg = [sys.executable, "-c", AGGREGATE, floor_url]
    return {
        "tb_township": lambda: run([ta, "report", "trial-balance", "--township", code, "--from", f"{y}-01",
                                    "--to", f"{y}-12", "--format", "csv", "-o", str(res)], env),
        "tb_township_floor": lambda: run(agg + [f"{y}-01-01", f"{y}-12-31", lo, hi, str(res)], env),
        "tb_village": lambda: run([ta, "report", "trial-balance", "--village", village, "--from", f"{y}-01",
                                   "--to", f"{y}-12", "--format", "csv", "-o", str(res)], env),
        "tb_village_floor": lambda: run(agg + [f"{y}-01-01", f"{y}-12-31", village, village, str(res)], env),
        "bs_village": lambda: run([ta, "report", "balance-sheet", "--village", village, "--period", f"{y}-12",
                                   "--format", "csv", "-o", str(res)], env),
        "bs_village_floor": lambda: run(agg + [f"{y}-01-01", f"{y}-12-31", village, village, str(res)], env),
    }


def in_process_steps(args, app_url, floor_url, town, village_code) -> tuple[dict, object]:
    """Dashboards through the app (logged in) and the notice batch, with their floors; and a closer."""
    import disclosure as notices
    import psycopg
    from sqlalchemy import select

    from threeassets import create_app
    from threeassets.auth.models import User
    from threeassets.core.db import db, transaction
    from threeassets.disclosure.content import build_notice
    from threeassets.disclosure.pdf import render_notice
    from threeassets.orgs.models import Township, Village
    code, _path, villages = town
    app = create_app({"DATABASE_URL": app_url, "TESTING": True, "WTF_CSRF_ENABLED": False})
    ctx = app.app_context()
    ctx.push()
    township = db.session.scalar(select(Township).where(Township.code == code))
    vill = db.session.scalar(select(Village).where(Village.code == village_code))
    if not db.session.scalar(select(User).where(User.username == "bench")):
        from threeassets.auth.service import create_user
        with transaction(db.session):
            create_user(db.session, actor=None, username="bench", display_name="测试会计",
                        password="bench-password-2024", role="agency_accountant", township_id=township.id)
    client = app.test_client()
    assert client.post("/login", data={"username": "bench", "password": "bench-password-2024"}).status_code == 302
    floor = psycopg.connect(floor_url)
    y = args.year
    period = f"{y}-{args.close:02d}"

    def get(url):
        def step():
            t = time.perf_counter()
            resp = client.get(url)
            assert resp.status_code == 200, (url, resp.status_code)
            return time.perf_counter() - t
        return step

    def trend(lo, hi):
        def step():
            t = time.perf_counter()
            floor.execute(TREND, {"lo": lo, "hi": hi, "b": f"{y}-12-31"}).fetchall()
            return time.perf_counter() - t
        return step
    town_villages = db.session.scalars(select(Village).where(Village.code.in_(villages))
                                       .order_by(Village.code)).all()
    batch_rows = [notices.floor_rows(build_notice(db.session, v, period)) for v in town_villages]
    db.session.rollback()

    def batch():
        t = time.perf_counter()
        for v in town_villages:
            render_notice(build_notice(db.session, v, period), layout="a4", verify_url=notices.URL)
        db.session.rollback()
        return time.perf_counter() - t

    def batch_floor():
        t = time.perf_counter()
        for rows in batch_rows:
            notices.floor_pdf(rows)
        return time.perf_counter() - t
    steps = {
        "dash_village": get(f"/v/{vill.id}/dashboard?ym={y}-12"),
        "dash_village_floor": trend(village_code, village_code),
        "dash_township": get(f"/t/{township.id}/dashboard?ym={y}-12"),
        "dash_township_floor": trend(villages[0], villages[-1]),
        "notice_batch": batch,
        "notice_batch_floor": batch_floor,
    }

    def close():
        floor.close()
        db.session.remove()
        db.engine.dispose()
        ctx.pop()
    return steps, close


LABELS = {
    "tb_township": "township trial balance, CLI (科目余额表, year)",
    "tb_village": "village trial balance, CLI",
    "bs_village": "village balance sheet, CLI (资产负债表, December)",
    "dash_village": "village dashboard, one request in the app",
    "dash_township": "township dashboard, one request in the app",
    "notice_batch": "a month's notice batch for the township (build + render A4 per village)",
}
FLOORS = {
    "tb_township": "bare psycopg process: GROUP BY account over the township's raw lines",
    "tb_village": "bare psycopg process: the same for the village",
    "bs_village": "bare psycopg process: the village's balances by account",
    "dash_village": "bare aggregate by account and month, in-process",
    "dash_township": "bare aggregate by account and month, in-process",
    "notice_batch": "bare ReportLab table of each notice's rows",
}


def measure(args, env, app_url, floor_url, townships) -> dict:
    """One round of report timings for the first township."""
    town = townships[0]
    village = town[2][0]
    steps = process_steps(args, env, app_url, floor_url, town, village)
    inproc, close = in_process_steps(args, app_url, floor_url, town, village)
    try:
        return median_runs(steps | inproc, args.repeat)
    finally:
        close()


def table(load_res: dict, rounds: list[tuple[int, dict]], args, lines: int) -> str:
    """The results as Markdown."""
    imports = sum(load_res["imports"])
    out = [f"{args.townships} townships, {args.villages} villages × {args.vouchers} vouchers = {lines:,} lines, "
           f"year {args.year}; {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
           "", "| load | seconds | ratio to floor |", "|---|---:|---:|",
           f"| floor: psql \\copy of every township file + one index | {load_res['floor']:.1f} | 1.0 |",
           f"| threeassets import vouchers --post, one process per township | {imports:.1f} | "
           f"{imports / load_res['floor']:.1f} |",
           f"| (slowest township file: {max(load_res['imports']):.2f} s; peak memory of an import process: "
           f"{load_res['rss_kb'] / 1024:.0f} MB) | | |",
           f"| (init-db {load_res['init']:.1f} s, import orgs {load_res['orgs']:.1f} s, closing months 1–{args.close} "
           f"of the first township {load_res.get('close', 0):.1f} s: not in any ratio) | | |", ""]
    head = "| step | " + " | ".join(f"at {n:,} lines: seconds (ratio)" for n, _r in rounds) + " | floor |"
    out += [f"Reports for township T01 (median of {args.repeat}; runs in results.json):", "", head,
            "|---|" + "---:|" * len(rounds) + "---|"]
    for key, label in LABELS.items():
        cells = []
        for _n, r in rounds:
            m, f = r[key][0], r[key + "_floor"][0]
            cells.append(f"{m * 1000:.0f} ms ({m / f:.1f}×)" if m < 1 else f"{m:.2f} s ({m / f:.1f}×)")
        out.append(f"| {label} | " + " | ".join(cells) + f" | {FLOORS[key]} |")
    return "\n".join(out)


def main() -> None:
    """Generate, load, close, measure twice, write the results."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--townships", type=int, default=30)
    ap.add_argument("--villages", type=int, default=1000)
    ap.add_argument("--vouchers", type=int, default=2000, help="vouchers per village")
    ap.add_argument("--year", type=int, default=2024)
    ap.add_argument("--seed", type=int, default=789)
    ap.add_argument("--close", type=int, default=11, help="months closed in the first township")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--admin-url", default=ADMIN_URL)
    ap.add_argument("--db", default="threeassets_city")
    ap.add_argument("--threeassets", default=str(ROOT / ".venv" / "bin" / "threeassets"))
    args = ap.parse_args()
    args.first_round = max(1, args.townships // 3)
    OUT.mkdir(parents=True, exist_ok=True)
    townships = generate(args)
    app_url = fresh_db(args.admin_url, args.db)
    floor_url = fresh_db(args.admin_url, args.db + "_floor")
    env = dict(os.environ, DATABASE_URL=app_url, THREEASSETS_INSTANCE=str(OUT / "instance"),
               SECRET_KEY="bench-only")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    rounds = []
    ta = args.threeassets
    res = {"init": run([ta, "init-db"], env), "orgs": run([ta, "import", "orgs", str(orgs_file(townships))], env)}
    psql = ["psql", "-q", "-v", "ON_ERROR_STOP=1", floor_url]
    res["floor"] = run(psql + ["-c", LINE_TABLE], env)
    for _code, path, _v in townships:
        res["floor"] += run(psql + ["-c", f"\\copy line FROM '{path}' WITH (FORMAT csv, HEADER true)"], env)
    res["floor"] += run(psql + ["-c", "CREATE INDEX line_org_date ON line (org_code, date)"], env)
    res["imports"], res["rss_kb"] = [], 0
    for i, (_code, path, _v) in enumerate(townships):
        seconds, rss = run_rss([ta, "import", "vouchers", str(path), "--post"], env)
        res["imports"].append(seconds)
        res["rss_kb"] = max(res["rss_kb"], rss)
        print(f"imported {path.name} in {seconds:.1f} s ({rss / 1024:.0f} MB)", flush=True)
        if i == 0:
            res["close"] = close_months(app_url, townships[0][2], args.year, args.close)
        if i + 1 == args.first_round or i + 1 == len(townships):
            rounds.append((count_lines(app_url), measure(args, env, app_url, floor_url, townships)))
            print(f"measured at {rounds[-1][0]:,} lines", flush=True)
    text = table(res, rounds, args, rounds[-1][0])
    (OUT / "results.md").write_text(text + "\n", encoding="utf-8")
    (OUT / "results.json").write_text(json.dumps({"load": res, "rounds": [
        {"lines": n, "steps": {k: {"median": m, "runs": v} for k, (m, v) in r.items()}} for n, r in rounds]},
        indent=1), encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
