"""Browser fixtures: the real app served by waitress in a subprocess on a free port, and Debian's Chromium
driven by Playwright. Screenshots of failing tests (and of every step they took) land in test-artifacts/."""
from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("THREEASSETS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--lang=zh-CN"]
PASSWORD = "browser-pass-1"
DEMO_PASSWORD = "demo2024!"
CLI = "import sys; from threeassets.cli import main; sys.exit(main())"


def _free_port() -> int:
    """A localhost port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(instance: Path) -> dict:
    """Environment of the app subprocess: its own instance folder and SQLite file, a fixed secret."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEST_DATABASE_URL")}
    env.update(THREEASSETS_INSTANCE=str(instance), SECRET_KEY="browser-test-secret", PYTHONUNBUFFERED="1")
    return env


def cli(instance: Path, *args: str) -> str:
    """Run a `threeassets` command against an instance; returns its output."""
    done = subprocess.run([sys.executable, "-c", CLI, *args], env=_env(instance), cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


@dataclass
class Server:
    """A running app: its base URL and instance folder."""

    url: str
    instance: Path
    proc: subprocess.Popen

    def stop(self) -> None:
        """Stop the server process (the one this fixture started)."""
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def start_server(instance: Path) -> Server:
    """Serve the instance's database on a free port and wait until the login page answers."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(instance / "server.log", "w")  # noqa: SIM115 - closed with the process
    env = {**_env(instance), "THREEASSETS_PUBLIC_URL": url}  # the QR codes' address, as scripts/start sets it
    proc = subprocess.Popen([sys.executable, "-c", CLI, "serve", "--port", str(port), "--threads", "4"],
                            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError((instance / "server.log").read_text())
        try:
            with urllib.request.urlopen(url + "/login", timeout=2):
                return Server(url, instance, proc)
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("app did not start in 30 s")


def seed_small_world(db_url: str) -> None:
    """One township with two empty villages and the agency staff the voucher flow needs."""
    from sqlalchemy.orm import Session

    from threeassets.auth.rules import Role
    from threeassets.auth.service import create_user
    from threeassets.core.db import make_engine, transaction
    from threeassets.core.migrate import upgrade
    from threeassets.orgs.service import upsert_township, upsert_village

    engine = make_engine(db_url)
    upgrade(engine)
    with Session(engine, expire_on_commit=False) as session, transaction(session):
        town = upsert_township(session, "T01", "城关镇")
        upsert_village(session, town, "T0101", "前进村")
        upsert_village(session, town, "T0102", "光明村")
        for username, name, role in [("kuaiji", "李会计", Role.AGENCY_ACCOUNTANT), ("shenhe", "赵审核", Role.REVIEWER),
                                     ("zhuren", "王主任", Role.AGENCY_HEAD)]:
            create_user(session, actor=None, username=username, display_name=name, password=PASSWORD,
                        role=role, township_id=town.id, village_id=None)
    engine.dispose()


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the session (Debian's, never a downloaded one)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _build_demo(instance: Path) -> None:
    cli(instance, "init-db")
    assert "kuaiji" in cli(instance, "demo")


BUILDS = {"small": lambda instance: seed_small_world(f"sqlite:///{instance / 'threeassets.db'}"),
          "demo": _build_demo}


def instance_of(tmp_path_factory, build: str) -> Path:
    """A fresh instance folder holding a copy of a database built once for the whole run (BUILDS: the small world,
    the demo): the first xdist worker to ask builds it under a lock in the workers' common temporary folder, the
    others wait and copy. Each module's server then writes only to its own copy."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    built = root / f"built-{build}"
    with open(root / f"built-{build}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (built / ".done").exists():
            shutil.rmtree(built, ignore_errors=True)
            built.mkdir()
            BUILDS[build](built)
            (built / ".done").touch()
    instance = tmp_path_factory.mktemp(f"{build}-instance")
    shutil.copytree(built, instance, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".done", "*.log"))
    return instance


@pytest.fixture(scope="module")
def small_server(tmp_path_factory):
    """The app on a fresh database: 城关镇 with 前进村 and 光明村, no vouchers yet."""
    server = start_server(instance_of(tmp_path_factory, "small"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    """The app with `threeassets demo` loaded: 示范镇, three villages, a year of books, a user per role."""
    server = start_server(instance_of(tmp_path_factory, "demo"))
    yield server
    server.stop()


class Steps:
    """Numbered screenshots of one test; kept always for page tours, on failure for flows."""

    def __init__(self, page, name: str) -> None:
        self.page, self.dir, self.n = page, ARTIFACTS / name, 0
        self.console: list[str] = []
        shutil.rmtree(self.dir, ignore_errors=True)  # no stale shots from an earlier run

    def shot(self, label: str, full_page: bool = True) -> Path:
        """Save a screenshot of the page as NN-label.png."""
        self.n += 1
        self.dir.mkdir(parents=True, exist_ok=True)
        path = self.dir / f"{self.n:02d}-{label}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path


def _note_console(steps: Steps, msg) -> None:
    """Keep script errors and CSP violations; a page's own 4xx status is not a script error."""
    if msg.type in ("error", "warning") and not msg.text.startswith("Failed to load resource"):
        steps.console.append(f"{msg.type}: {msg.text}")


def _note_response(steps: Steps, resp) -> None:
    """Keep failed sub-resources (scripts, styles, fonts, icons, fetches)."""
    if resp.status >= 400 and resp.request.resource_type != "document":
        steps.console.append(f"{resp.status} {resp.request.resource_type}: {resp.url}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's outcome on the item so fixtures can tell a failed test."""
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


@pytest.fixture
def page(chromium, request):
    """A fresh browser context (no cookies) and page; on failure its last state is screenshotted."""
    context = chromium.new_context(viewport={"width": 1366, "height": 800}, locale="zh-CN")
    context.set_default_timeout(10_000)
    pg = context.new_page()
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    steps = Steps(pg, name)
    pg.on("console", lambda m: _note_console(steps, m))
    pg.on("pageerror", lambda e: steps.console.append(f"pageerror: {e}"))
    pg.on("response", lambda r: _note_response(steps, r))
    pg.steps = steps
    yield pg
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        steps.dir.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(Exception):  # a dead page must not hide the real failure
            pg.screenshot(path=str(steps.dir / "failure.png"), full_page=True)
        (steps.dir / "console.txt").write_text("\n".join(steps.console), encoding="utf-8")
    context.close()


def login(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Log in through the login form, with the keyboard."""
    page.goto(base_url + "/login")
    page.locator("#username").fill(username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda u: "/login" not in u)


def open_first(page, menu: str) -> None:
    """Open the first voucher of a left-menu list such as 待审核 or 待记账."""
    page.locator("aside").get_by_role("link", name=menu).click()
    page.locator("table tbody tr").first.get_by_role("link", name="查看").click()


def logout(page) -> None:
    """Press 退出 in the top bar and land on the login page."""
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/login**")
