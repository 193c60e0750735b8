#!/usr/bin/env python3
"""Opening balances (期初余额) at city scale: importing a file of every village's openings, then the commands that
read them (verify's opening check, a township trial balance, a village balance sheet), each beside its floor.

    python bench/openings.py                    # 1,000 villages in 30 townships, mid-year start with 累计
    python bench/openings.py --villages 50      # a quick run

Files live in bench/out/openings/ (git-ignored): the openings CSV (the import contract, see
docs/import-formats.md), orgs.csv, base.db (schema and organisations, made once per size), a fresh copy per
round. Every time is the wall-clock time of a whole process (start-up included) around subprocess.run, median of
--repeat rounds. Floors, timed the same way in the same rounds:

* import: Python's csv module reading the same file and sqlite3 executemany into a bare table (no checks);
* trial balance: one sqlite3 GROUP BY over that bare table (the openings' sums per account code);
* verify: `threeassets verify-chain` on the same books (nothing posted: what a command costs to start).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import statistics
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]
from run import machine, remove_db, run_timed  # noqa: E402 (bench/run.py's helpers)

OUT = BENCH / "out" / "openings"
COLUMNS = ["org_code", "start_period", "account_code", "account_name", "year_opening_debit", "year_opening_credit",
           "ytd_debit", "ytd_credit"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
FLOOR = """
import csv, sqlite3, sys
con = sqlite3.connect(sys.argv[2])
con.execute("CREATE TABLE opening (org_code TEXT, start_period TEXT, account_code TEXT, account_name TEXT,"
            " year_debit INTEGER, year_credit INTEGER, ytd_debit INTEGER, ytd_credit INTEGER)")
def fen(x):
    return int(round(float(x) * 100)) if x else 0
with open(sys.argv[1], encoding="utf-8-sig", newline="") as fh:
    r = csv.reader(fh); next(r)
    con.executemany("INSERT INTO opening VALUES (?,?,?,?,?,?,?,?)",
                    ([a, b, c, d, fen(e), fen(f), fen(g), fen(h)] for a, b, c, d, e, f, g, h in r))
con.execute("CREATE INDEX ix_opening ON opening (org_code, account_code)")
con.commit()
"""
AGGREGATE = """
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
con.execute("SELECT account_code, SUM(year_debit - year_credit), SUM(ytd_debit), SUM(ytd_credit) FROM opening"
            " WHERE org_code LIKE ? GROUP BY account_code", (sys.argv[2] + "%",)).fetchall()
"""


def village_rows(code: str, start: str, rnd: random.Random, counterparties: int) -> list[list[str]]:
    """One village's openings: bank, cash, receivables from named people (new sub-accounts 112001…), fixed
    assets, payables, capital, the year's income and expense so far; both sides balance."""
    def amount(lo: int, hi: int) -> int:
        return rnd.randrange(lo, hi) * 100  # fen, whole yuan

    rows: dict[tuple[str, str], list[int]] = {}

    def put(account: str, name: str, yd=0, yc=0, td=0, tc=0) -> None:
        acc = rows.setdefault((account, name), [0, 0, 0, 0])
        for i, v in enumerate((yd, yc, td, tc)):
            acc[i] += v

    owed = [amount(500, 30000) for _ in range(counterparties)]
    for i, x in enumerate(owed, start=1):
        put(f"112{i:03d}", rnd.choice(SURNAMES) + rnd.choice(SURNAMES) + "户", yd=x)
    cost, acc = amount(200000, 2000000), amount(50000, 150000)
    put("151", "", yd=cost)
    put("152", "", yc=acc)
    cash, bank, payable = amount(1000, 20000), amount(100000, 900000), amount(5000, 80000)
    put("101", "", yd=cash)
    put("102", "", yd=bank)
    put("211", "", yc=payable)
    put("301", "", yc=sum(owed) + cost - acc + cash + bank - payable)
    income, spent = amount(50000, 300000), amount(30000, 200000)
    put("501", "", tc=income)
    put("513", "", td=spent)
    put("102", "", td=income, tc=spent)
    return [[code, start, account, name, *(f"{v / 100:.2f}" if v else "" for v in values)]
            for (account, name), values in rows.items()]


def generate(path: Path, villages: int, townships: int, counterparties: int, seed: int) -> tuple[Path, int]:
    """The openings CSV and orgs.csv; returns (orgs path, rows)."""
    rnd = random.Random(seed)
    orgs = path.with_name("orgs.csv")
    n = 0
    with open(path, "w", newline="", encoding="utf-8") as fh, open(orgs, "w", newline="", encoding="utf-8") as fo:
        w, wo = csv.writer(fh), csv.writer(fo)
        w.writerow(COLUMNS)
        wo.writerow(["township_code", "township_name", "village_code", "village_name"])
        for v in range(villages):
            t = v % townships
            code = f"T{t:02d}V{v:04d}"
            wo.writerow([f"T{t:02d}", f"第{t + 1}镇", code, f"第{v + 1}村"])
            for row in village_rows(code, "2026-07", rnd, counterparties):
                w.writerow(row)
                n += 1
    return orgs, n


def median_row(label: str, runs: list[float]) -> dict:
    return {"what": label, "seconds": statistics.median(runs), "runs": runs}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--villages", type=int, default=1000)
    ap.add_argument("--townships", type=int, default=30)
    ap.add_argument("--counterparties", type=int, default=30, help="receivable sub-accounts per village")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--threeassets", default=str(BENCH.parent / ".venv" / "bin" / "threeassets"))
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    ta = args.threeassets
    data = OUT / f"openings-{args.villages}x{args.counterparties}-{args.seed}.csv"
    orgs, lines = generate(data, args.villages, args.townships, args.counterparties, args.seed)
    base = OUT / f"base-{args.villages}.db"
    env = {**os.environ, "THREEASSETS_INSTANCE": str(OUT / "instance")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not base.exists():
        env["DATABASE_URL"] = f"sqlite:///{base}"
        run_timed([ta, "init-db"], env)
        run_timed([ta, "import", "orgs", str(orgs)], env)
    times: dict[str, list[float]] = {k: [] for k in ("floor", "import", "verify-chain", "verify", "aggregate",
                                                      "tb", "bs")}
    py = sys.executable
    for _ in range(args.repeat):
        floor_db, db = OUT / "floor.db", OUT / "round.db"
        remove_db(floor_db)
        remove_db(db)
        shutil.copy(base, db)
        env["DATABASE_URL"] = f"sqlite:///{db}"
        times["floor"].append(run_timed([py, "-c", FLOOR, str(data), str(floor_db)])[0])
        times["import"].append(run_timed([ta, "import", "opening-balances", str(data)], env)[0])
        times["verify-chain"].append(run_timed([ta, "verify-chain"], env)[0])
        times["verify"].append(run_timed([ta, "verify"], env)[0])
        times["aggregate"].append(run_timed([py, "-c", AGGREGATE, str(floor_db), "T00"])[0])
        times["tb"].append(run_timed([ta, "report", "trial-balance", "--township", "T00", "--from", "2026-07",
                                      "--to", "2026-07", "--format", "csv", "-o", str(OUT / "tb.csv")], env)[0])
        times["bs"].append(run_timed([ta, "report", "balance-sheet", "--village", "T00V0000", "--period", "2026-07",
                                      "--format", "csv", "-o", str(OUT / "bs.csv")], env)[0])
    labels = {
        "floor": "floor: csv module + sqlite3 executemany into a bare table (+ one index)",
        "import": f"threeassets import opening-balances ({lines:,} rows, {args.villages:,} villages)",
        "verify-chain": "threeassets verify-chain (start-up floor of a data command; nothing posted)",
        "verify": "threeassets verify (chains, anchors, balances, every village's opening seal)",
        "aggregate": "bare SQL: GROUP BY over one township's openings in the bare table",
        "tb": "threeassets report trial-balance --township (one township, 2026-07)",
        "bs": "threeassets report balance-sheet --village (2026-07)",
    }
    rows = [median_row(labels[k], v) for k, v in times.items()]
    ratios = {"import / floor": rows[1]["seconds"] / rows[0]["seconds"],
              "verify / verify-chain": rows[3]["seconds"] / rows[2]["seconds"],
              "trial balance / bare aggregate": rows[5]["seconds"] / rows[4]["seconds"]}
    table = ["| what | seconds (median) | runs |", "|---|---:|---|"]
    table += [f"| {r['what']} | {r['seconds']:.2f} | {', '.join(f'{x:.2f}' for x in r['runs'])} |" for r in rows]
    table += ["", "| ratio | × |", "|---|---:|"] + [f"| {k} | {v:.1f} |" for k, v in ratios.items()]
    text = "\n".join(table)
    print(text)
    (OUT / "results.md").write_text(text + "\n", encoding="utf-8")
    (OUT / "results.json").write_text(json.dumps({"machine": machine(), "rows": rows, "ratios": ratios,
                                                  "lines": lines, "villages": args.villages},
                                                 ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
