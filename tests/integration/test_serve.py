"""`threeassets serve`: one worker process per core by default (gunicorn), and what one worker does the others
honour — a login made through one (its CSRF token, its session cookie, the generated secret key, the login row)
opens pages served by any other. The write side across processes (voucher numbers gapless under SQLite's file
lock and PostgreSQL's row locks) is test_concurrency.py's.

Runs on the test database: an SQLite file, or PostgreSQL when TEST_DATABASE_URL is set.
"""
from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import PASSWORD
from threeassets.core.serve import cores, gunicorn_runs

ROOT = Path(__file__).resolve().parents[2]
CLI = "import sys; from threeassets.cli import main; sys.exit(main())"
AGENT = "serve-test"


def test_default_workers_are_the_cores_this_process_may_use():
    assert 1 <= cores() <= (os.cpu_count() or 1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    """Processes whose parent is pid (from /proc)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return out


@pytest.mark.slow
@pytest.mark.skipif(not gunicorn_runs() or not Path("/proc").is_dir(), reason="gunicorn and /proc (Linux)")
def test_workers_share_logins_and_keys(db_url, world, tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("TEST_DATABASE_URL", "SECRET_KEY")}
    env.update(DATABASE_URL=db_url, THREEASSETS_INSTANCE=str(tmp_path / "instance"), THREEASSETS_ENV="development")
    server = subprocess.Popen([sys.executable, "-c", CLI, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
                              env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              start_new_session=True)
    try:
        banner = server.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in banner and "2 worker processes" in banner
        deadline = time.monotonic() + 120
        while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
            assert server.poll() is None and time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)
        while len(_children(server.pid)) < 2:  # the master listens before its workers are forked
            assert time.monotonic() < deadline, "workers did not start"
            time.sleep(0.2)
        assert len(_children(server.pid)) == 2

        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.addheaders = [("User-Agent", AGENT)]
        base = f"http://127.0.0.1:{port}"
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                          opener.open(f"{base}/login").read().decode()).group(1)
        form = {"csrf_token": token, "username": "accountant", "password": PASSWORD}
        landed = opener.open(f"{base}/login", urllib.parse.urlencode(form).encode())
        assert urllib.parse.urlsplit(landed.url).path == "/"
        page = f"/v/{world.a1.id}/vouchers"
        for _ in range(12):  # each request a new connection: both workers answer some of them
            resp = opener.open(base + page)
            assert resp.status == 200 and urllib.parse.urlsplit(resp.url).path == page
            assert "凭证列表" in resp.read().decode()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
    assert server.returncode == 0
