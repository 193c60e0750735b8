#!/usr/bin/env python3
"""The county's page (全县概览) at a city's scale, beside bare SQL aggregates of the same balances.

    python bench/county.py                       # on the city bench/city.py loaded (databases threeassets_city…)
    python bench/county.py --db threeassets_city_after --repeat 7

Reads a city that bench/city.py built (30 townships, 1,000 villages, a year of books; its first township has
months closed, so stored balances are read there and turnover elsewhere); writes nothing to it. Each step is timed
with time.perf_counter in this process, all interleaved round by round (median of --repeat, after one warm-up):

- page: the county page rendered by its view for a county supervisor (every township's figures, the alerts, the
  charts, the HTML), in a request context of the app;
- overview: county.queries.overview alone (the SQL and the folding, no HTML);
- floor_turnover: one bare SQL statement on an open psycopg connection: every village's net per first-level
  account of the four balances from the monthly turnover table, grouped by township (the least the balances
  must read without stored balances);
- floor_lines: the same sums straight from the raw lines of the floor database (what the figures would cost
  without turnover).
Results go to bench/out/county/results.md and results.json (git-ignored).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from sqlalchemy.engine import make_url

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]
OUT = BENCH / "out" / "county"
ADMIN_URL = "postgresql://threeassets:threeassets@127.0.0.1:5432/postgres"
ROOTS = ("101", "102", "112", "113", "211", "212", "213")

FLOOR_TURNOVER = """
SELECT v.township_id, substr(a.code, 1, 3) AS root, SUM(t.debit - t.credit)
FROM account_turnover t
JOIN account a ON a.id = t.account_id AND a.village_id = t.village_id
JOIN village v ON v.id = t.village_id
WHERE t.ym <= %(end)s AND substr(a.code, 1, 3) = ANY(%(roots)s)
GROUP BY 1, 2
"""
FLOOR_LINES = """
SELECT substr(org_code, 1, 3), substr(account_code, 1, 3), SUM(coalesce(debit, 0) - coalesce(credit, 0))
FROM line WHERE date <= %(day)s AND substr(account_code, 1, 3) = ANY(%(roots)s)
GROUP BY 1, 2
"""


def median_runs(fns: dict, repeat: int) -> dict:
    """Each callable once to warm up, then `repeat` rounds, each running every callable: key → (median, runs)."""
    for fn in fns.values():
        fn()
    runs = {k: [] for k in fns}
    for _ in range(repeat):
        for k, fn in fns.items():
            runs[k].append(fn())
    return {k: (statistics.median(v), v) for k, v in runs.items()}


def steps(app_url: str, floor_url: str, as_of: date) -> tuple[dict, object, str]:
    """The timed callables, a closer, and a description of the data."""
    import psycopg
    from flask import g
    from sqlalchemy import func, select

    from threeassets import create_app
    from threeassets.auth.models import User
    from threeassets.auth.rules import Role
    from threeassets.core.db import db
    from threeassets.county.queries import all_township_ids, overview
    from threeassets.ledger.models import VoucherLine
    from threeassets.orgs.models import Township, Village
    app = create_app({"DATABASE_URL": app_url, "TESTING": True})
    ctx = app.app_context()
    ctx.push()
    towns = db.session.scalar(select(func.count()).select_from(Township))
    villages = db.session.scalar(select(func.count()).select_from(Village))
    lines = db.session.scalar(select(func.count()).select_from(VoucherLine))
    db.session.rollback()
    supervisor = User(id=0, username="bench-county", display_name="县农经站（基准）", role=Role.COUNTY_SUPERVISOR,
                      active=True)  # never added to the session: nothing is written
    view = app.view_functions["county.index"]
    app_con, floor_con = psycopg.connect(app_url), psycopg.connect(floor_url)
    end = as_of.year * 100 + as_of.month

    def timed(fn):
        def step():
            t = time.perf_counter()
            fn()
            return time.perf_counter() - t
        return step

    def page():
        with app.test_request_context(f"/county?day={as_of.isoformat()}"):
            g._login_user = supervisor  # as Flask-Login keeps a loaded user (no login row written)
            html = view()
            assert "全县三资监管概览" in html
        db.session.rollback()

    def only_queries():
        overview(db.session, all_township_ids(db.session), as_of)
        db.session.rollback()

    fns = {
        "page": timed(page),
        "overview": timed(only_queries),
        "floor_turnover": timed(lambda: app_con.execute(FLOOR_TURNOVER, {"end": end, "roots": list(ROOTS)})
                                .fetchall()),
        "floor_lines": timed(lambda: floor_con.execute(FLOOR_LINES, {"day": as_of, "roots": list(ROOTS)})
                             .fetchall()),
    }

    def close():
        app_con.close()
        floor_con.close()
        db.session.remove()
        db.engine.dispose()
        ctx.pop()
    return fns, close, f"{towns} townships, {villages:,} villages, {lines:,} voucher lines"


LABELS = {"page": "county page (全县概览), rendered by its view",
          "overview": "county.queries.overview alone (SQL + folding, no HTML)",
          "floor_turnover": "floor: bare SQL, balances by township from account_turnover",
          "floor_lines": "floor: bare SQL, the same sums over the raw lines (floor database)"}


def main() -> None:
    """Measure and write the results."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default="threeassets_city", help="the app database bench/city.py made")
    ap.add_argument("--floor-db", default=None, help="its floor database (default: <db>_floor)")
    ap.add_argument("--admin-url", default=ADMIN_URL)
    ap.add_argument("--day", default="2024-12-31", help="the day the page is as of")
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    admin = make_url(args.admin_url)
    app_url, floor_url = (admin.set(database=name).render_as_string(hide_password=False)
                          for name in (args.db, args.floor_db or args.db + "_floor"))
    os.environ.setdefault("SECRET_KEY", "bench-only")
    OUT.mkdir(parents=True, exist_ok=True)
    fns, close, what = steps(app_url, floor_url, date.fromisoformat(args.day))
    try:
        res = median_runs(fns, args.repeat)
    finally:
        close()
    floor = res["floor_turnover"][0]
    out = [f"{what}; as of {args.day}; {platform.machine()}, {os.cpu_count()} CPUs, Python "
           f"{platform.python_version()}; median of {args.repeat}, interleaved", "",
           "| step | median | ratio to the turnover floor |", "|---|---:|---:|"]
    out += [f"| {LABELS[k]} | {m * 1000:.0f} ms | {m / floor:.1f}× |" for k, (m, _v) in res.items()]
    text = "\n".join(out)
    (OUT / "results.md").write_text(text + "\n", encoding="utf-8")
    (OUT / "results.json").write_text(json.dumps({k: {"median": m, "runs": v} for k, (m, v) in res.items()},
                                                 indent=1), encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
