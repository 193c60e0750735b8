#!/usr/bin/env python3
"""Statements and ledgers at township scale: balance sheet, income statement and general ledger for one village
and for the 100-village township of bench/run.py, before and after closing the year, against a bare SQL aggregate.

    python bench/statements.py                              # 100 villages x 2,000 vouchers (~500k lines)
    python bench/statements.py --villages 5 --vouchers 200  # a quick run

It reuses bench/run.py's journal (bench/out/journal-<villages>x<vouchers>-<year>-<seed>.csv, generated the same
way when missing) and keeps its own files in bench/out/statements/: the books imported and posted once with
the CLI (base-*.db, reused while the journal is the same), a fresh copy of them per run, the raw lines in a
bare sqlite3 table (floor-*.db), and the results (results.md, results.json).

Times are in-process (the service call plus the CSV text), median of --repeat runs after one warm-up run; the
bare SQL aggregate is the trial balance's GROUP BY over the raw lines table (sqlite3, no application), timed
the same way. Ratios are statement time / that aggregate's time.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]
OUT = BENCH / "out"
WORK = OUT / "statements"
AGGREGATE = ("SELECT account_code, SUM(CASE WHEN date < ? THEN debit - credit ELSE 0 END),"
             " SUM(CASE WHEN date >= ? THEN debit ELSE 0 END), SUM(CASE WHEN date >= ? THEN credit ELSE 0 END)"
             " FROM line WHERE date <= ? {where} GROUP BY account_code")


def timed(fn, repeat: int) -> tuple[float, list[float]]:
    """Median seconds of fn() over repeat runs after one warm-up, and every run."""
    fn()
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs), runs


def bare_aggregate(floor: Path, village: str | None, year: int, repeat: int) -> tuple[float, list[float]]:
    """The trial balance's shape as one GROUP BY over the raw imported lines (all villages or one)."""
    con = sqlite3.connect(floor)
    where = "AND org_code = ?" if village else ""
    start = f"{year}-01-01"
    args = (start, start, start, f"{year}-12-31") + ((village,) if village else ())
    try:
        return timed(lambda: con.execute(AGGREGATE.format(where=where), args).fetchall(), repeat)
    finally:
        con.close()


def statements(session, ids: list[int], org: str, ym: int) -> dict:
    """The three measured reports as callables producing their CSV text."""
    from threeassets.statements import books, export
    from threeassets.statements.service import balance_sheet, income_statement
    return {
        "balance sheet": lambda: export.statement_csv(balance_sheet(session, ids, ym, org)),
        "income statement": lambda: export.statement_csv(income_statement(session, ids, ym, org)),
        "general ledger": lambda: export.general_ledger_csv(books.general_ledger(session, ids, ym)),
    }


def measure(session, scopes: dict, ym: int, repeat: int, label: str) -> list[dict]:
    """Time every statement for every scope."""
    rows = []
    for scope, (ids, org) in scopes.items():
        for name, fn in statements(session, ids, org, ym).items():
            median, runs = timed(fn, repeat)
            rows.append({"when": label, "scope": scope, "report": name, "period": ym, "seconds": median,
                         "runs": runs})
            session.rollback()  # end the read transaction between runs, as a request would
    return rows


def close_everything(session, villages, year: int) -> float:
    """Close January–November and the year for every village (one transaction per village); seconds."""
    from threeassets.closing.service import close_period
    from threeassets.closing.yearend import close_year
    from threeassets.core.db import transaction
    t = time.perf_counter()
    for v in villages:
        with transaction(session):
            for month in range(1, 12):
                close_period(session, v, year * 100 + month, None)
            close_year(session, v, year, None)
    return time.perf_counter() - t


def cli(db_path: Path, *args: str) -> None:
    """Run a threeassets command on a bench database."""
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{db_path}", THREEASSETS_INSTANCE=str(WORK / "instance"))
    subprocess.run([sys.executable, "-c", "import sys; from threeassets.cli import main; sys.exit(main())",
                    *args], env=env, check=True, stdout=subprocess.DEVNULL)


def prepare(villages: int, vouchers: int, year: int, seed: int) -> tuple[Path, Path]:
    """The imported, posted books and the raw lines table of bench/run.py's journal (built once, then reused)."""
    from run import generate, orgs_file  # bench/run.py: the same journal and organisation file
    WORK.mkdir(parents=True, exist_ok=True)
    journal = generate(OUT, villages, vouchers, year, seed).with_suffix(".csv")
    base, floor = WORK / f"base-{journal.stem}.db", WORK / f"floor-{journal.stem}.db"
    if not base.exists():
        tmp = base.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        print(f"importing {journal.name} (once)")
        cli(tmp, "init-db")
        cli(tmp, "import", "orgs", str(orgs_file(journal, WORK)))
        cli(tmp, "import", "vouchers", str(journal), "--post")
        tmp.rename(base)
    if not floor.exists():
        con = sqlite3.connect(floor)
        con.execute("CREATE TABLE line (org_code, date, voucher_ref, summary, account_code, debit, credit)")
        with open(journal, encoding="utf-8", newline="") as fh:
            rows = csv.reader(fh)
            next(rows)
            con.executemany("INSERT INTO line VALUES (?,?,?,?,?,?,?)", rows)
        con.commit()
        con.close()
    return base, floor


def main() -> None:
    """Prepare the books, measure, close the year, measure again, write the tables."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--villages", type=int, default=100)
    ap.add_argument("--vouchers", type=int, default=2000, help="per village")
    ap.add_argument("--year", type=int, default=2024)
    ap.add_argument("--seed", type=int, default=789)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-close", action="store_true", help="skip closing (only the 'before' numbers)")
    args = ap.parse_args()
    base, floor = prepare(args.villages, args.vouchers, args.year, args.seed)
    db_path = WORK / "run.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    shutil.copy(base, db_path)

    from sqlalchemy import func, select

    from threeassets import create_app
    from threeassets.core.db import db
    from threeassets.core.migrate import upgrade
    from threeassets.ledger.models import VoucherLine
    from threeassets.orgs.models import Township, Village
    from threeassets.reports.service import township_village_ids
    app = create_app({"DATABASE_URL": f"sqlite:///{db_path}"}, web=False)
    with app.app_context():
        upgrade(db.engine)
        session = db.session
        township = session.scalar(select(Township).order_by(Township.code))
        villages = list(session.scalars(select(Village).where(Village.township_id == township.id)
                                        .order_by(Village.code)))
        lines = session.scalar(select(func.count()).select_from(VoucherLine))
        first = villages[0]
        scopes = {f"village {first.code}": ([first.id], first.name),
                  f"township {township.code} ({len(villages)} villages)":
                      (township_village_ids(session, township.id), township.name)}
        session.rollback()
        bare = {"village": bare_aggregate(floor, first.code, args.year, args.repeat),
                "township": bare_aggregate(floor, None, args.year, args.repeat)}
        ym, next_ym = args.year * 100 + 12, (args.year + 1) * 100 + 1
        rows = measure(session, scopes, ym, args.repeat, "before close")
        closing_seconds = None
        if not args.no_close:
            closing_seconds = close_everything(session, villages, args.year)
            rows += measure(session, scopes, ym, args.repeat, "after year close")
            rows += measure(session, scopes, next_ym, args.repeat, "after year close")
    write(rows, bare, lines, len(villages), closing_seconds, args.repeat)


def write(rows: list[dict], bare: dict, lines: int, villages: int, closing_seconds, repeat: int) -> None:
    """Print the table and save it as statements.md and statements.json."""
    out = [f"{villages} villages, {lines:,} voucher lines of 2024; median of {repeat} runs after a warm-up.", "",
           "| when | scope | report | period | ms | ÷ bare SQL aggregate |", "|---|---|---|---|---:|---:|"]
    for r in rows:
        base = bare["village" if r["scope"].startswith("village") else "township"][0]
        r["ratio"] = r["seconds"] / base
        out.append(f"| {r['when']} | {r['scope']} | {r['report']} | {r['period'] // 100}-{r['period'] % 100:02d} "
                   f"| {r['seconds'] * 1000:.1f} | {r['ratio']:.2f} |")
    out += ["", f"bare SQL aggregate (GROUP BY over the raw lines of floor.db): village "
                f"{bare['village'][0] * 1000:.1f} ms, township {bare['township'][0] * 1000:.1f} ms"]
    if closing_seconds is not None:
        out.append(f"closing January–November and the year for every village: {closing_seconds:.1f} s")
    text = "\n".join(out) + "\n"
    print(text)
    (WORK / "results.md").write_text(text, encoding="utf-8")
    (WORK / "results.json").write_text(json.dumps({"rows": rows, "bare": bare, "lines": lines,
                                                     "closing_seconds": closing_seconds}, indent=1))


if __name__ == "__main__":
    main()
