"""Shared fixtures: a migrated database per test (SQLite by default, PostgreSQL with TEST_DATABASE_URL),
the app, a client, and a small world of two townships, villages and one user per role."""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from tests.dburl import beside
from threeassets.auth.rules import Role
from threeassets.core.db import db, make_engine
from threeassets.core.migrate import upgrade

PASSWORD = "test-pass-123"
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # still argon2id; real costs: test_auth
PG_URL = os.environ.get("TEST_DATABASE_URL", "")


def _share_url_builders() -> None:
    """Build each URL rule's builder, and parse each rule's text, once per process, not once per app (test-only).

    Every test builds a fresh app, and Werkzeug compiles two Python functions per route (an AST turned into code)
    each time: ~70 ms of every test's setup. The function depends only on the rule's parsed parts (converters are
    looked up on the rule at call time), so rules without defaults share it across apps.
    """
    from werkzeug.routing import rules

    original = rules.Rule._compile_builder
    built: dict = {}

    def compile_builder(self, append_unknown=True):
        if self.defaults:
            return original(self, append_unknown)
        key = (tuple(self._trace), append_unknown)
        if key not in built:
            built[key] = original(self, append_unknown)
        return built[key]
    rules.Rule._compile_builder = compile_builder

    parse = rules.Rule._parse_rule
    parsed: dict = {}

    def parse_rule(self, rule: str):
        """The rule's parts, its trace and its converters' specs parsed once per rule text; converters are made
        anew for each rule (they belong to its map)."""
        kinds = self.map.__dict__.get("_converter_kinds")
        if kinds is None:
            kinds = self.map._converter_kinds = tuple(sorted(self.map.converters.items(), key=lambda kv: kv[0]))
        key = (rule, kinds)
        if key not in parsed:
            specs: dict = {}
            get = self.get_converter

            def remember(variable, converter_name, args, kwargs):
                specs[variable] = (converter_name, args, kwargs)
                return get(variable, converter_name, args, kwargs)
            self.get_converter = remember
            trace_from = len(self._trace)
            try:
                parts = list(parse(self, rule))
            finally:
                del self.get_converter
            parsed[key] = (parts, self._trace[trace_from:], specs)
            yield from parts
            return
        parts, trace, specs = parsed[key]
        self._trace.extend(trace)
        for variable, (converter_name, args, kwargs) in specs.items():
            self._converters[variable] = self.get_converter(variable, converter_name, args, kwargs)
            self.arguments.add(variable)
        yield from parts
    rules.Rule._parse_rule = parse_rule


def _share_compiled_templates() -> None:
    """Keep Jinja's compiled templates for the whole process (test-only), as a BytecodeCache.

    Every test builds a fresh app, whose Jinja environment compiled each template it rendered anew (lex, parse,
    generate, compile): about a quarter of a web test's time. The cache is keyed by template name and checked
    against the source's checksum, so an edited template is compiled again.
    """
    from flask import Flask
    from jinja2 import BytecodeCache

    class Shared(BytecodeCache):
        store: dict[str, bytes] = {}

        def load_bytecode(self, bucket) -> None:
            if bucket.key in self.store:
                bucket.bytecode_from_string(self.store[bucket.key])

        def dump_bytecode(self, bucket) -> None:
            self.store[bucket.key] = bucket.bytecode_to_string()

    original, cache = Flask.create_jinja_environment, Shared()

    def create_jinja_environment(app):
        env = original(app)
        env.bytecode_cache = cache
        return env
    Flask.create_jinja_environment = create_jinja_environment


def pytest_configure(config):
    """Process-wide test set-up."""
    _share_url_builders()
    _share_compiled_templates()


def pytest_report_header(config):
    """Say which database the suite runs on."""
    return f"threeassets database: {'PostgreSQL ' + PG_URL.rsplit('@', 1)[-1] if PG_URL else 'SQLite'}"


def _worker_pg_url(worker: str) -> str:
    """The PostgreSQL test database of a pytest-xdist worker (<name>_gw0 …), created on first use."""
    if worker == "master":
        return PG_URL
    name, url = beside(PG_URL, worker)
    engine = make_engine(PG_URL)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            conn.execute(text(f'CREATE DATABASE "{name}"'))
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


def _tables_with_rows(conn) -> list[str]:
    """The public tables that hold at least one row (one query)."""
    tables = [r[0] for r in conn.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"))]
    probe = " UNION ALL ".join(f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM \"{t}\")" for t in tables)
    return [r[0] for r in conn.execute(text(probe))]


_ENGINES: dict[str, object] = {}


def _reset_engine(url: str):
    """One engine per database for the resets between tests (a new engine per reset paid a connection each)."""
    if url not in _ENGINES:
        _ENGINES[url] = make_engine(url)
    return _ENGINES[url]


def _empty_pg(url: str) -> None:
    """Empty every table and restart every sequence, as a fresh migrated database.

    Only the tables that hold rows are emptied, by DELETE with triggers off (replication role "replica": the row
    triggers that guard posted rows and the audit log, and the foreign-key triggers, stay silent): a TRUNCATE of
    every table creates a new file per table and cost ~0.2 s per test, most of the PostgreSQL run.
    """
    with _reset_engine(url).begin() as conn:
        full = _tables_with_rows(conn)
        if full:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            conn.execute(text("; ".join(f'DELETE FROM "{t}"' for t in full)))
        conn.execute(text("SELECT setval(c.oid, 1, false) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                          " WHERE c.relkind = 'S' AND n.nspname = 'public'"))


@pytest.fixture(scope="session")
def world_template(template_db, tmp_path_factory):
    """The World built once per session: an SQLite file to copy, or a snapshot schema of the PostgreSQL database."""
    if PG_URL:
        _empty_pg(template_db)
        _build_world_in(template_db)
        _snapshot_pg(template_db)
        return template_db
    path = tmp_path_factory.mktemp("world") / "world.db"
    shutil.copy(template_db, path)
    _build_world_in(f"sqlite:///{path}")
    return path


def _build_world_in(url: str) -> None:
    """Build the World in a database through the services, with cheap password hashing."""
    from threeassets.auth import service
    engine = make_engine(url)
    with Session(engine) as session:
        hasher, service._hasher = service._hasher, CHEAP_HASHER
        try:
            build_world(session)
        finally:
            service._hasher = hasher
    engine.dispose()


SNAPSHOT = "world_snapshot"
DEMO_SNAPSHOT = "demo_snapshot"


def _snapshot_pg(url: str, schema: str = SNAPSHOT) -> None:
    """Copy every table holding rows, and every sequence's position, into a snapshot schema."""
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"))
        for table in _tables_with_rows(conn):
            conn.execute(text(f'CREATE TABLE {schema}."{table}" AS SELECT * FROM public."{table}"'))
        conn.execute(text(f"CREATE TABLE {schema}._sequences AS SELECT c.oid::regclass::text AS name,"
                          " s.last_value FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                          " JOIN pg_sequences s ON s.schemaname = n.nspname AND s.sequencename = c.relname"
                          " WHERE c.relkind = 'S' AND n.nspname = 'public'"))
    engine.dispose()


def _restore_pg(url: str, schema: str = SNAPSHOT) -> None:
    """Put a snapshot back into the emptied tables (triggers off, as when it was built)."""
    with _reset_engine(url).begin() as conn:
        tables = [r[0] for r in conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = :s AND tablename <> '_sequences'"), {"s": schema})]
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text("; ".join(f'INSERT INTO public."{t}" OVERRIDING SYSTEM VALUE SELECT * FROM {schema}."{t}"'
                                    for t in tables)))
        conn.execute(text(f"SELECT setval(name::regclass, coalesce(last_value, 1), last_value IS NOT NULL)"
                          f" FROM {schema}._sequences"))


@pytest.fixture(scope="session")
def demo_template(template_db, tmp_path_factory):
    """The demo (`threeassets demo`) loaded once per session, as world_template: each demo load is tens of
    seconds (a year of vouchers, closings, notices), and several tests read the demo without changing its shape."""
    if PG_URL:
        _empty_pg(template_db)
        _load_demo_in(template_db, tmp_path_factory.mktemp("demo-instance"))
        _snapshot_pg(template_db, DEMO_SNAPSHOT)
        return template_db
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    shutil.copy(template_db, path)
    _load_demo_in(f"sqlite:///{path}", tmp_path_factory.mktemp("demo-instance"))
    return path


def _load_demo_in(url: str, instance) -> None:
    """Load the demo into a database through its loader, in a light app of its own, with cheap password hashing
    (the demo's passwords still verify)."""
    from threeassets import create_app
    from threeassets.auth import service
    from threeassets.core.db import transaction
    from threeassets.demo.loader import load_demo
    kept = os.environ.get("THREEASSETS_INSTANCE")
    os.environ["THREEASSETS_INSTANCE"] = str(instance)
    try:
        app = create_app({"DATABASE_URL": url, "TESTING": True, "SECRET_KEY": "test-secret"}, web=False)
    finally:
        if kept is None:
            del os.environ["THREEASSETS_INSTANCE"]
        else:
            os.environ["THREEASSETS_INSTANCE"] = kept
    hasher, service._hasher = service._hasher, CHEAP_HASHER
    try:
        with app.app_context(), transaction(db.session):
            load_demo(db.session)
    finally:
        service._hasher = hasher
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def demo_loaded(db_url):
    """The test database holds the demo (restored from demo_template by db_url)."""
    return db_url


@pytest.fixture
def db_url(request, template_db, tmp_path):
    """A fresh, migrated database for one test; it holds the World already when the test asks for one."""
    with_world, with_demo = "world" in request.fixturenames, "demo_loaded" in request.fixturenames
    assert not (with_world and with_demo), "a test has the World or the demo, not both"
    source = (request.getfixturevalue("world_template") if with_world
              else request.getfixturevalue("demo_template") if with_demo else template_db)
    if PG_URL:
        _empty_pg(template_db)
        if with_world or with_demo:
            _restore_pg(template_db, SNAPSHOT if with_world else DEMO_SNAPSHOT)
        yield template_db
        return
    path = tmp_path / "test.db"
    shutil.copy(source, path)
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


WORLD_USERS = [("admin", Role.ADMIN, None, None), ("supervisor", Role.COUNTY_SUPERVISOR, None, None),
               ("head", Role.AGENCY_HEAD, "TA", None), ("accountant", Role.AGENCY_ACCOUNTANT, "TA", None),
               ("accountant2", Role.AGENCY_ACCOUNTANT, "TA", None), ("reviewer", Role.REVIEWER, "TA", None),
               ("clerk", Role.WINDOW_CLERK, "TA", None), ("vacct", Role.VILLAGE_ACCOUNTANT, None, "A1"),
               ("board", Role.VILLAGE_BOARD, None, "A1"), ("head_b", Role.AGENCY_HEAD, "TB", None),
               ("accountant_b", Role.AGENCY_ACCOUNTANT, "TB", None)]


def build_world(session) -> None:
    """Make the World's townships, villages and users through the services, and commit."""
    from threeassets.auth.service import create_user
    from threeassets.core.db import transaction
    from threeassets.orgs.service import upsert_township, upsert_village
    with transaction(session):
        towns = {"TA": upsert_township(session, "TA", "甲镇"), "TB": upsert_township(session, "TB", "乙镇")}
        villages = {"A1": upsert_village(session, towns["TA"], "A1", "甲一村"),
                    "A2": upsert_village(session, towns["TA"], "A2", "甲二村"),
                    "B1": upsert_village(session, towns["TB"], "B1", "乙一村")}
        for username, role, town, village in WORLD_USERS:
            create_user(session, actor=None, username=username, display_name=username, password=PASSWORD, role=role,
                        township_id=town and towns[town].id, village_id=village and villages[village].id)


@pytest.fixture
def world(session):
    """The World, built once per session and copied into each test's database (see db_url), read back here."""
    from threeassets.auth.models import User
    from threeassets.orgs.models import Township, Village
    towns = {t.code: t for t in session.scalars(select(Township))}
    villages = {v.code: v for v in session.scalars(select(Village))}
    w = World(towns["TA"], towns["TB"], villages["A1"], villages["A2"], villages["B1"])
    w.users = {u.username: u for u in session.scalars(select(User))}
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


@pytest.fixture(autouse=True, scope="session")
def _audit_rows_written():
    """Every audit row any test writes (action, object type, detail), to check each can be read in Chinese."""
    from sqlalchemy import event

    from threeassets.core.audit import AuditEvent
    written: list[tuple] = []

    def on_init(target, args, kwargs):
        written.append((kwargs.get("action"), kwargs.get("object_type"), kwargs.get("detail")))
    event.listen(AuditEvent, "init", on_init)
    yield written
    event.remove(AuditEvent, "init", on_init)


@pytest.fixture(autouse=True)
def _audit_speaks_chinese(_audit_rows_written):
    """A test fails when it made the code write an audit row that the audit page could not show in words: an
    action, object or detail field no feature's audit_labels.py names (core/audit_text.py)."""
    start = len(_audit_rows_written)
    yield
    from threeassets.auth.routes.audit import vocabulary
    from threeassets.core.audit_text import unnamed_keys
    vocab, unnamed = vocabulary(), []
    for action, object_type, detail in _audit_rows_written[start:]:
        if action not in vocab.actions:
            unnamed.append(f"action {action!r}")
        if object_type and object_type not in vocab.objects:
            unnamed.append(f"object {object_type!r} ({action})")
        unnamed += [f"detail field {key!r} of {action}" for key in sorted(unnamed_keys(action, detail, vocab))]
    assert not unnamed, "audit rows the log cannot show in Chinese: " + "; ".join(sorted(set(unnamed)))
