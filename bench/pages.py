#!/usr/bin/env python3
"""Staff pages over HTTP: requests per second and CPU per request of the common logged-in pages, against a
hello-world Flask app (bench/hello.py) served by the same server with the same settings, in the same run.

    python bench/pages.py                                   # the demo data on SQLite (bench/out/pages/)
    python bench/pages.py --database-url postgresql://u:p@127.0.0.1/db    # the demo data on PostgreSQL
    python bench/pages.py --code before=/path/to/older/checkout --code after=.   # two versions side by side
    python bench/pages.py --database-cpu --via direct=postgresql://u:p@127.0.0.1:5432/db \
        --via pgbouncer='postgresql://u:p@127.0.0.1:6432/db?prepare_threshold=none'   # one app, two ways in

Each server is gunicorn with the same command-line settings (--workers, --threads), started on its own port:
the hello-world app, and the application once per --code directory (PYTHONPATH points there, so another
checkout's `threeassets` package is the one served; the database and the instance folder are shared). The
script logs in over HTTP as the demo's agency accountant (kuaiji: GET /login for the CSRF token and the
cookie, POST the form) and gives wrk the session cookie and the User-Agent the login is bound to. Then, round
by round and page by page, it runs wrk against the floor and each version one after the other (a busy spell of
the shared machine hits them alike) and reads the servers' CPU time (/proc, the master and its workers) around
each run. The tables show medians over the rounds: requests per second, the share of the floor's, and CPU
milliseconds per request. Needs `wrk` (Debian package) and gunicorn; Linux only (/proc).

The database gets the demo (`threeassets init-db` and `threeassets demo`) when it has none; an SQLite one lives
in bench/out/pages/, a PostgreSQL one is whatever --database-url names (use a database of its own).

--via LABEL=URL (repeatable, instead of --database-url and --code) serves this checkout once per URL, e.g. the same
PostgreSQL database straight and through a connection pooler; the demo goes in through the first. --database-cpu
adds the CPU time of every postgres and pgbouncer process on the machine to each run's (so: no other database
work on the machine meanwhile), which is where a pooler and unprepared statements cost.
"""
from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out" / "pages"
AGENT = "threeassets-bench"
USER, PASSWORD = "kuaiji", "demo2024!"
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, proc: subprocess.Popen, seconds: float = 60) -> None:
    """Wait until a server accepts connections (or fail if it died)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if proc.poll() is not None:
            sys.exit(f"server on port {port} exited with {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    sys.exit(f"server on port {port} did not start")


DATABASE_PROCESSES = ("postgres", "pgbouncer")


def cpu_seconds(pid: int, database: bool = False) -> float:
    """User + system CPU time of a process and its children alive now (gunicorn's master and workers), and with
    database=True of every PostgreSQL and PgBouncer process."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name, _, rest = stat.read_text().partition(" (")[2].rpartition(")")
            fields = rest.split()
        except OSError:
            continue
        if (int(stat.parent.name) == pid or int(fields[1]) == pid  # fields[1]: the parent's pid
                or (database and name in DATABASE_PROCESSES)):
            total += (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
    return total


class Server:
    """One gunicorn server of a WSGI app, on a port of its own."""

    def __init__(self, label: str, app: str, chdir: Path, env: dict, args) -> None:
        self.label, self.port = label, free_port()
        if args.server == "waitress":  # --workers processes of waitress on one socket (bench/waitress_procs.py)
            cmd = [sys.executable, str(BENCH / "waitress_procs.py"), app, f"127.0.0.1:{self.port}", str(args.workers),
                   str(args.threads)]
        else:
            cmd = [sys.executable, "-m", "gunicorn", "--workers", str(args.workers), "--threads", str(args.threads),
                   "--bind", f"127.0.0.1:{self.port}", "--chdir", str(chdir), "--log-level", "warning", app]
        # run from chdir: `python -m` puts the working directory first on sys.path, ahead of PYTHONPATH
        self.proc = subprocess.Popen(cmd, env=env, cwd=chdir, start_new_session=True)
        wait_port(self.port, self.proc)
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        """Stop the server and its workers."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(30)


def login(base: str) -> tuple[str, urllib.request.OpenerDirector]:
    """Log in over HTTP as the demo accountant; the Cookie header of the session and the opener holding it."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", AGENT)]
    html = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    form = urllib.parse.urlencode({"csrf_token": token, "username": USER, "password": PASSWORD}).encode()
    opener.open(f"{base}/login", form).read()
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar if "session" in c.name)
    if not cookie:
        sys.exit(f"login as {USER} failed on {base}")
    return cookie, opener


def pages(base: str, opener) -> list[tuple[str, str]]:
    """(name, path) of the pages measured, found the way a clerk finds them: the first village of the home page,
    the first voucher of its list."""
    home = opener.open(f"{base}/").read().decode()
    vid = re.search(r'/v/(\d+)/dashboard', home).group(1)
    listing = opener.open(f"{base}/v/{vid}/vouchers").read().decode()
    voucher = re.search(rf'/v/{vid}/vouchers/(\d+)"', listing).group(1)
    found = [("home", "/"), ("village dashboard", f"/v/{vid}/dashboard"), ("voucher list", f"/v/{vid}/vouchers"),
             ("one voucher", f"/v/{vid}/vouchers/{voucher}"),
             ("trial balance", f"/v/{vid}/reports/trial-balance"),
             ("balance sheet", f"/v/{vid}/statements/balance-sheet")]
    for _, path in found:  # every page answers 200 (a redirect to the login page would measure the wrong thing)
        resp = opener.open(base + path)
        if resp.status != 200 or resp.url != base + path:
            sys.exit(f"{path}: {resp.status} {resp.url}")
    return found


def wrk(server: Server, path: str, cookie: str | None, args) -> dict:
    """One wrk run: requests per second and the servers' CPU milliseconds per request."""
    cmd = ["wrk", f"-t{args.wrk_threads}", f"-c{args.connections}", f"-d{args.duration}s", "--timeout", "30s",
           "-H", f"User-Agent: {AGENT}"]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    cpu0 = cpu_seconds(server.proc.pid, args.database_cpu)
    out = subprocess.run(cmd + [server.url + path], capture_output=True, text=True, check=True).stdout
    cpu = cpu_seconds(server.proc.pid, args.database_cpu) - cpu0
    if "Non-2xx" in out or "Socket errors" in out:  # an error page or a refused connection measures nothing
        sys.exit(f"{server.label} {path}: errors\n{out}")
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "cpu_ms": 1000 * cpu / max(requests, 1)}


def prepare(env: dict) -> None:
    """The demo data: init-db, then the demo (which leaves a database that has it as it is)."""
    ta = [sys.executable, "-c", "from threeassets.cli import main; main()"]
    for command in ("init-db", "demo"):
        subprocess.run(ta + [command], env=env, check=True, stdout=subprocess.DEVNULL)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--database-url", help="PostgreSQL database for the demo (default: SQLite in bench/out/pages)")
    ap.add_argument("--code", action="append", metavar="LABEL=DIR",
                    help="a checkout of the application to serve (repeatable; default: this one, labelled app)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--server", choices=("gunicorn", "waitress"), default="gunicorn",
                    help="gunicorn (sync worker with --threads 1, else gthread), or --workers waitress processes")
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--wrk-threads", type=int, default=1)
    ap.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--only", help="comma-separated page names to run (default: all)")
    ap.add_argument("--via", action="append", metavar="LABEL=URL",
                    help="serve this checkout on this database URL (repeatable; instead of --database-url, --code)")
    ap.add_argument("--database-cpu", action="store_true",
                    help="count the CPU of every postgres and pgbouncer process too")
    args = ap.parse_args()
    if args.via and (args.code or args.database_url):
        ap.error("--via serves this checkout on each URL: not with --code or --database-url")

    vias = [tuple(v.split("=", 1)) for v in args.via or []]
    codes = ([(label, ROOT) for label, _ in vias] if vias else
             [(c.split("=", 1)[0], Path(c.split("=", 1)[1]).resolve()) for c in args.code or [f"app={ROOT}"]])
    urls = dict(vias)
    args.database_url = args.database_url or (vias[0][1] if vias else None)
    OUT.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, THREEASSETS_INSTANCE=str(OUT / "instance"), THREEASSETS_ENV="production",
               THREEASSETS_PUBLIC_URL="http://127.0.0.1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("SECRET_KEY", None)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    else:
        env.pop("DATABASE_URL", None)
    prepare(dict(env, PYTHONPATH=str(ROOT)))

    servers = [Server("hello-world floor", "hello:app", BENCH, env, args)]
    try:
        for label, path in codes:
            served = subprocess.run([sys.executable, "-c", "import threeassets; print(threeassets.__file__)"],
                                    env=dict(env, PYTHONPATH=str(path)), cwd=path, capture_output=True, text=True)
            if not served.stdout.startswith(str(path)):
                sys.exit(f"{label}: {path} would not serve its own code ({served.stdout.strip()})")
            own = dict(env, PYTHONPATH=str(path), **({"DATABASE_URL": urls[label]} if label in urls else {}))
            servers.append(Server(label, "threeassets:create_app()", path, own, args))
        cookies = {}
        for server in servers[1:]:
            cookies[server.label], opener = login(server.url)
            found = pages(server.url, opener)
        if args.only:
            found = [p for p in found if p[0] in args.only.split(",")]
        for server in servers:  # warm-up: every worker has loaded its templates and filled its caches
            for _, path in found[:1] if server is servers[0] else found:
                wrk(server, "/" if server is servers[0] else path, cookies.get(server.label),
                    argparse.Namespace(**{**vars(args), "duration": 1}))
        runs: dict[tuple[str, str], list[dict]] = {}
        for r in range(args.rounds):
            for name, path in found:
                for server in servers:
                    is_floor = server is servers[0]
                    res = wrk(server, "/" if is_floor else path, cookies.get(server.label), args)
                    runs.setdefault((server.label, name), []).append(res)
                    print(f"round {r + 1} {name:18s} {server.label:18s} {res['rps']:8.0f} req/s "
                          f"{res['cpu_ms']:6.2f} ms CPU/req", flush=True)
    finally:
        for server in servers:
            server.stop()

    db = "PostgreSQL" if args.database_url else "SQLite"
    db += " (CPU: the app's and every postgres and pgbouncer process's)" if args.database_cpu else ""
    lines = [f"{db}, {args.server} --workers {args.workers} --threads {args.threads}, wrk -t{args.wrk_threads} "
             f"-c{args.connections} -d{args.duration}s, {args.rounds} rounds (medians)", "",
             "| page | floor req/s | " + " | ".join(f"{lbl} req/s (share of floor) | {lbl} CPU ms/req"
                                                    for lbl, _ in codes) + " | floor CPU ms/req |",
             "|---|---:|" + "---:|---:|" * len(codes) + "---:|"]
    result = {}
    for name, _ in found:
        floor = runs[(servers[0].label, name)]
        frps = statistics.median(x["rps"] for x in floor)
        cells = []
        for label, _ in codes:
            mine = runs[(label, name)]
            share = statistics.median(m["rps"] / f["rps"] for m, f in zip(mine, floor, strict=True))
            rps, cpu = statistics.median(x["rps"] for x in mine), statistics.median(x["cpu_ms"] for x in mine)
            cells.append(f"{rps:.0f} ({share:.0%}) | {cpu:.2f}")
            result[f"{label}/{name}"] = {"rps": rps, "share": share, "cpu_ms": cpu, "runs": mine}
        fcpu = statistics.median(x["cpu_ms"] for x in floor)
        result[f"floor/{name}"] = {"rps": frps, "cpu_ms": fcpu, "runs": floor}
        lines.append(f"| {name} | {frps:.0f} | " + " | ".join(cells) + f" | {fcpu:.2f} |")
    text = "\n".join(lines)
    print("\n" + text)
    tag = (("via" if vias else "pg" if args.database_url else "sqlite")
           + ("" if args.server == "gunicorn" else f"-{args.server}"))
    (OUT / f"results-{tag}.md").write_text(text + "\n")
    (OUT / f"results-{tag}.json").write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
