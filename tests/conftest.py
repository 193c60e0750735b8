"""Shared fixtures: a migrated database per test (SQLite by default, PostgreSQL with TEST_DATABASE_URL),
the app, a client, and a small world of two townships, villages and one user per role."""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text

from threeassets.auth.rules import Role
from threeassets.core.db import db, make_engine
from threeassets.core.migrate import upgrade

PASSWORD = "test-pass-123"
PG_URL = os.environ.get("TEST_DATABASE_URL", "")


def pytest_report_header(config):
    """Say which database the suite runs on."""
    return f"threeassets database: {'PostgreSQL ' + PG_URL.rsplit('@', 1)[-1] if PG_URL else 'SQLite'}"


def _worker_pg_url(worker: str) -> str:
    """The PostgreSQL test database of a pytest-xdist worker (<name>_gw0 …), created on first use."""
    if worker == "master":
        return PG_URL
    base, name = PG_URL.rsplit("/", 1)
    url = f"{base}/{name}_{worker}"
    engine = make_engine(PG_URL)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": f"{name}_{worker}"}):
            conn.execute(text(f'CREATE DATABASE "{name}_{worker}"'))
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def pg_url(worker_id):
    """This process's PostgreSQL test database (one per xdist worker), or "" on SQLite."""
    return _worker_pg_url(worker_id) if PG_URL else ""


@pytest.fixture(scope="session")
def template_db(tmp_path_factory, pg_url):
    """Migrate once per session: an SQLite file to copy per test, or the PostgreSQL test database."""
    if pg_url:
        engine = make_engine(pg_url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        upgrade(engine)
        engine.dispose()
        return pg_url
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


def _truncate_pg(url: str) -> None:
    """Empty every table (TRUNCATE bypasses the row triggers that guard posted rows and the audit log)."""
    engine = make_engine(url)
    with engine.begin() as conn:
        tables = [r[0] for r in conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"))]
        conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def db_url(template_db, tmp_path):
    """A fresh, migrated database for one test."""
    if PG_URL:
        _truncate_pg(template_db)
        yield template_db
        return
    path = tmp_path / "test.db"
    shutil.copy(template_db, path)
    yield f"sqlite:///{path}"


@pytest.fixture
def app(db_url, tmp_path, monkeypatch):
    """The app on the test database; CSRF off unless a test asks for csrf_app."""
    monkeypatch.setenv("THREEASSETS_INSTANCE", str(tmp_path / "instance"))
    from threeassets import create_app
    application = create_app({"DATABASE_URL": db_url, "TESTING": True, "WTF_CSRF_ENABLED": False,
                              "SECRET_KEY": "test-secret", "PAGE_SIZE": 20})
    with application.app_context():
        yield application
    db.session.remove()
    db.engine.dispose()


@pytest.fixture
def session(app):
    """The scoped session of the app under test."""
    return db.session


@pytest.fixture
def client(app):
    """A test client (no one logged in)."""
    return app.test_client()


@dataclass
class World:
    """Two townships; A has villages a1, a2, B has b1; one user per role (username = role, suffixed by scope)."""

    township_a: object
    township_b: object
    a1: object
    a2: object
    b1: object
    users: dict = field(default_factory=dict)

    def user(self, name: str):
        """A user by username."""
        return self.users[name]


@pytest.fixture
def world(session):
    """Build the World and commit it."""
    from threeassets.auth.service import create_user
    from threeassets.core.db import transaction
    from threeassets.orgs.service import upsert_township, upsert_village
    with transaction(session):
        ta = upsert_township(session, "TA", "甲镇")
        tb = upsert_township(session, "TB", "乙镇")
        a1 = upsert_village(session, ta, "A1", "甲一村")
        a2 = upsert_village(session, ta, "A2", "甲二村")
        b1 = upsert_village(session, tb, "B1", "乙一村")
        w = World(ta, tb, a1, a2, b1)
        specs = [("admin", Role.ADMIN, None, None), ("supervisor", Role.COUNTY_SUPERVISOR, None, None),
                 ("head", Role.AGENCY_HEAD, ta.id, None), ("accountant", Role.AGENCY_ACCOUNTANT, ta.id, None),
                 ("accountant2", Role.AGENCY_ACCOUNTANT, ta.id, None), ("reviewer", Role.REVIEWER, ta.id, None),
                 ("clerk", Role.WINDOW_CLERK, ta.id, None), ("vacct", Role.VILLAGE_ACCOUNTANT, None, a1.id),
                 ("board", Role.VILLAGE_BOARD, None, a1.id), ("head_b", Role.AGENCY_HEAD, tb.id, None),
                 ("accountant_b", Role.AGENCY_ACCOUNTANT, tb.id, None)]
        for username, role, tid, vid in specs:
            w.users[username] = create_user(session, actor=None, username=username, display_name=username,
                                            password=PASSWORD, role=role, township_id=tid, village_id=vid)
    return w


def login(client, username: str, password: str = PASSWORD):
    """Log a test client in; returns the response."""
    return client.post("/login", data={"username": username, "password": password})


@pytest.fixture
def as_user(client):
    """Log the client in as a given user: as_user('accountant')."""
    def _as(username: str):
        resp = login(client, username)
        assert resp.status_code == 302, resp.data[:500]
        return client
    return _as


def lines(*spec):
    """LineInputs from (summary, code, debit, credit) tuples with string amounts."""
    from threeassets.ledger.rules import LineInput
    return [LineInput(s, code, Decimal(d or "0"), Decimal(c or "0")) for s, code, d, c in spec]


@pytest.fixture
def post_voucher(session, world):
    """Make a posted voucher in a village: prepared by accountant, reviewed by reviewer, posted by accountant2."""
    from threeassets.core.db import transaction
    from threeassets.ledger import service

    def _post(village, day: date, spec, attachments: int = 0):
        with transaction(session):
            v = service.save_draft(session, village=village, actor=world.user("accountant"), voucher_date=day,
                                   attachments=attachments, lines=lines(*spec))
            service.review(session, voucher=v, village=village, actor=world.user("reviewer"))
            service.post(session, voucher=v, village=village, actor=world.user("accountant2"))
        return v
    return _post


@pytest.fixture
def qr_contents(monkeypatch):
    """What every QR code rendered during the test encodes (segno.make spied on, still drawing the code)."""
    import segno
    seen: list[str] = []
    make = segno.make

    def spy(content, *args, **kwargs):
        seen.append(content)
        return make(content, *args, **kwargs)
    monkeypatch.setattr(segno, "make", spy)
    return seen
