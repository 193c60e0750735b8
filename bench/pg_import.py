#!/usr/bin/env python3
"""Voucher import on PostgreSQL against its floor, at township sizes, with peak memory.

    python bench/pg_import.py                               # 100 and 300 villages x 2,000 vouchers, 3 rounds
    python bench/pg_import.py --sizes 5x200 --repeat 1      # a quick run
    python bench/pg_import.py --url postgresql://user:pw@host:5432

Needs a PostgreSQL role that may create databases (--url, default the local threeassets role) and `psql` on the
PATH. The databases it makes are named PREFIX_base_N, PREFIX_import and PREFIX_floor (--prefix, default
threeassets_bench) and are dropped at the end; the journals and the result table go to bench/out/.

For every size, round after round (so a busy spell on the machine hits both alike):
  floor   psql `\\copy line FROM 'journal.csv' CSV HEADER` into a bare table of the CSV's seven columns (text,
          date, text, text, text, numeric, numeric) that already has one index, on org_code; the table is made
          fresh (untimed) before each run. No validation, no ids, no other index, no foreign key.
  import  `threeassets import vouchers journal.csv --post` into a fresh copy (CREATE DATABASE … TEMPLATE,
          untimed) of a database where init-db and `import orgs` have run, as the --url role: a superuser (or a
          role granted SET ON PARAMETER session_replication_role) imports with its foreign keys checked per set.
  per row the same import as a role made here without that privilege (PREFIX_plain, granted the tables only):
          every line's foreign keys checked one row at a time, as a deployment without the grant runs.
Both are whole processes timed with time.perf_counter around subprocess.run; their peak resident memory comes
from /usr/bin/time -f %M. After the rounds, verify-chain and verify run on the last import of each size.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
from run import generate, machine, orgs_file  # noqa: E402  (bench/run.py: the same journals and orgs file)

FLOOR_TABLE = ("CREATE TABLE line (org_code text, date date, voucher_ref text, summary text, account_code text, "
               "debit numeric, credit numeric); CREATE INDEX line_org_code ON line (org_code)")


def psql(url: str, *commands: str) -> None:
    """Run SQL (or psql meta-commands) in one psql session; stop on the first error."""
    args = ["psql", "-q", "-X", "-v", "ON_ERROR_STOP=1", url]
    for c in commands:
        args += ["-c", c]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)


def with_role(url: str, role: str, password: str) -> str:
    """The server URL with another role's credentials."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"{role}:{password}@{parts.hostname}:{parts.port or 5432}"))


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, int, str]:
    """Wall-clock seconds, peak RSS (KB) and stdout of one run of a command; exits on failure."""
    rss_file = BENCH / "out" / "rss.txt"
    t0 = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", str(rss_file), *cmd], env=env,
                          capture_output=True, check=False)
    seconds = time.perf_counter() - t0
    if proc.returncode:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr.decode(errors='replace')[-3000:]}")
    return seconds, int(rss_file.read_text().split()[-1]), proc.stdout.decode(errors="replace")


def main() -> None:
    """Generate, set up, time interleaved, verify, print and write the table."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100x2000,300x2000", help="VILLAGESxVOUCHERS, comma-separated")
    ap.add_argument("--year", type=int, default=2024)
    ap.add_argument("--seed", type=int, default=789)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--url", default="postgresql://threeassets:threeassets@127.0.0.1:5432",
                    help="server URL without a database name (the role creates and drops the databases)")
    ap.add_argument("--prefix", default="threeassets_bench")
    ap.add_argument("--out", type=Path, default=BENCH / "out")
    ap.add_argument("--threeassets", default=None, help="the console script (default: .venv/bin/threeassets)")
    ap.add_argument("--paths", default="import,per row", help="which imports to time: import (keys per set), per row")
    args = ap.parse_args()
    args.paths = [p.strip() for p in args.paths.split(",")]
    if not shutil.which("psql"):
        sys.exit("psql not found")
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    ta = args.threeassets or str(ROOT / ".venv" / "bin" / "threeassets")
    info = machine()
    admin = f"{args.url}/postgres"
    app_url = args.url.replace("postgresql://", "postgresql+psycopg://", 1)  # the URL form the app takes
    imp_db, floor_db = f"{args.prefix}_import", f"{args.prefix}_floor"

    plain = f"{args.prefix}_plain"
    plain_url = with_role(app_url, plain, "bench-plain")
    psql(admin, f"DROP ROLE IF EXISTS {plain}", f"CREATE ROLE {plain} LOGIN PASSWORD 'bench-plain'")

    def env_for(db: str, url: str = app_url) -> dict:
        return {**os.environ, "DATABASE_URL": f"{url}/{db}", "THREEASSETS_INSTANCE": str(out / "instance")}

    def fresh_import_db(base: str) -> None:
        psql(admin, f'DROP DATABASE IF EXISTS "{imp_db}"', f'CREATE DATABASE "{imp_db}" TEMPLATE "{base}"')
        psql(f"{args.url}/{imp_db}", f"GRANT USAGE ON SCHEMA public TO {plain}",
             f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {plain}",
             f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {plain}")

    sizes = []
    for spec in args.sizes.split(","):
        villages, vouchers = map(int, spec.lower().split("x"))
        prefix = generate(out, villages, vouchers, args.year, args.seed)
        csv_path = prefix.with_suffix(".csv")
        with open(csv_path, encoding="utf-8") as f:
            n_lines = sum(1 for _ in f) - 1
        base = f"{args.prefix}_base_{villages}x{vouchers}"
        psql(admin, f'DROP DATABASE IF EXISTS "{base}"', f'CREATE DATABASE "{base}"')
        orgs = orgs_file(csv_path, out)
        for cmd in ([ta, "init-db"], [ta, "import", "orgs", str(orgs)]):
            timed(cmd, env_for(base))
        sizes.append((f"{villages}x{vouchers}", csv_path, n_lines, base))

    runs: dict[tuple[str, str], list[tuple[float, int]]] = {}
    for round_ in range(args.repeat):
        for label, csv_path, _n, base in sizes:
            psql(admin, f'DROP DATABASE IF EXISTS "{floor_db}"', f'CREATE DATABASE "{floor_db}"')
            psql(f"{args.url}/{floor_db}", FLOOR_TABLE)
            sec, rss, _ = timed(["psql", "-q", "-X", "-v", "ON_ERROR_STOP=1", f"{args.url}/{floor_db}", "-c",
                                 f"\\copy line FROM '{csv_path}' CSV HEADER"])
            runs.setdefault((label, "floor"), []).append((sec, rss))
            for what, url in (("import", app_url), ("per row", plain_url)):
                if what not in args.paths:
                    continue
                fresh_import_db(base)
                sec, rss, _ = timed([ta, "import", "vouchers", str(csv_path), "--post"], env_for(imp_db, url))
                runs.setdefault((label, what), []).append((sec, rss))
                print(f"round {round_ + 1} {label}: floor {runs[(label, 'floor')][-1][0]:.2f} s, "
                      f"{what} {sec:.2f} s ({rss / 1024:.0f} MB)", flush=True)
    checks = []
    for label, csv_path, _n, base in sizes:  # verify every size's import, by each path, on a fresh copy
        for what, url in (("import", app_url), ("per row", plain_url)):
            if what not in args.paths:
                continue
            fresh_import_db(base)
            timed([ta, "import", "vouchers", str(csv_path), "--post"], env_for(imp_db, url))
            for cmd in ("verify-chain", "verify"):
                checks.append((f"{label} ({what})", cmd, timed([ta, cmd], env_for(imp_db))[2].strip().splitlines()[-1]))
    for db in [imp_db, floor_db, *(base for *_x, base in sizes)]:
        psql(admin, f'DROP DATABASE IF EXISTS "{db}"')
    psql(admin, f"DROP ROLE IF EXISTS {plain}")

    lines = ["| size | what | seconds (median) | runs | peak RSS (MB, max) | ratio to floor |",
             "|---|---|---:|---|---:|---:|"]
    for label, _csv, n_lines, _base in sizes:
        floor = statistics.median(s for s, _ in runs[(label, "floor")])
        for what in ("floor", *(w for w in ("import", "per row") if w in args.paths)):
            times = [s for s, _ in runs[(label, what)]]
            med = statistics.median(times)
            name = {"floor": "psql \\copy into a bare table + 1 index",
                    "import": f"threeassets import vouchers --post ({n_lines:,} lines), keys per set",
                    "per row": "the same, as a role without the privilege: keys per row"}[what]
            lines.append(f"| {label} | {name} | {med:.2f} | {', '.join(f'{t:.2f}' for t in times)} | "
                         f"{max(r for _, r in runs[(label, what)]) / 1024:.0f} | {med / floor:.1f} |")
    lines += ["", *(f"- {label} {cmd}: {result}" for label, cmd, result in checks), "", "machine:"]
    info["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    lines += [f"- {k}: {v}" for k, v in info.items()]
    report = "\n".join(lines)
    print(report)
    (out / "pg_results.md").write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
