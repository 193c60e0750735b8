"""Database plumbing: declarative base, the Money type, engine set-up and the one transaction helper."""
from __future__ import annotations

import importlib
import os
from contextlib import contextmanager, suppress
from decimal import Decimal

from sqlalchemy import BigInteger, Integer, MetaData, bindparam, create_engine, event, select, text, type_coerce
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapper, Session, scoped_session, sessionmaker
from sqlalchemy.schema import CreateColumn, PrimaryKeyConstraint
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a naming convention so Alembic names constraints the same everywhere."""

    metadata = MetaData(naming_convention=NAMING)


def _rowid_keyed(table) -> bool:
    """A table whose primary key is (id, owner), `id` handed out by the database (docs/scaling.md)."""
    names = [c.name for c in table.primary_key.columns]
    return len(names) > 1 and names[0] == "id"


@compiles(CreateColumn, "sqlite")
def _sqlite_column(element, compiler, **kw):
    """SQLite hands out ids only to a one-column INTEGER PRIMARY KEY (the rowid): an (id, owner) table's `id`
    is declared plainly here and made that key below."""
    column = element.element
    if column.name == "id" and _rowid_keyed(column.table):
        return f"{compiler.preparer.format_column(column)} INTEGER NOT NULL"
    return compiler.visit_create_column(element, **kw)


@compiles(PrimaryKeyConstraint, "sqlite")
def _sqlite_primary_key(constraint, compiler, **kw):
    """On SQLite an (id, owner) primary key is PRIMARY KEY (id), so `id` is the rowid and numbered as before, and
    UNIQUE (id, owner), which the foreign keys that carry the owner reference; PostgreSQL keeps the composite key."""
    if not _rowid_keyed(constraint.table):
        return compiler.visit_primary_key_constraint(constraint, **kw)
    name = f"CONSTRAINT {compiler.preparer.format_constraint(constraint)} " if constraint.name else ""
    columns = ", ".join(compiler.preparer.quote(c.name) for c in constraint.columns)
    return f"{name}PRIMARY KEY (id), UNIQUE ({columns})"


class Money(TypeDecorator):
    """Decimal yuan in Python, integer fen in the database."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value, dialect):
        """Turn Decimal yuan into integer fen, refusing sub-fen amounts."""
        if value is None:
            return None
        fen = Decimal(value) * 100
        if fen != fen.to_integral_value():
            raise ValueError(f"{value} has more than two decimals")
        return int(fen)

    def process_result_value(self, value, dialect):
        """Turn integer fen back into Decimal yuan with two places."""
        return None if value is None else Decimal(int(value)).scaleb(-2)


def private_file(path: str) -> None:
    """Create an empty file readable by its owner only (0600) unless it exists. SQLite gives a database's -wal
    and -shm files the mode of the database file, so a database created through this stays private whole."""
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


# Parameters of the statements a page runs on every request, built once per process with these in them instead of
# per request (building and hashing a report's select took about as long as running it): the villages (a list,
# expanded in IN), and a range's first and last month (YYYYMM).
IDS = bindparam("ids", expanding=True)
START, END = bindparam("start", type_=Integer), bindparam("end", type_=Integer)


def fen(column):
    """A Money column as its raw integer fen (sums stay exact and skip the Decimal conversion)."""
    return type_coerce(column, BigInteger)


BUSY_TIMEOUT_MS = 30000  # how long an SQLite writer waits in the queue for the write lock


def _sqlite_listeners(engine: Engine) -> None:
    """A new database file is private; WAL, foreign keys, busy timeout; writers begin IMMEDIATE so they queue
    instead of failing."""
    path = engine.url.database
    if path and path != ":memory:" and not path.startswith("file:"):

        @event.listens_for(engine, "do_connect")
        def _private(_dialect, _record, _cargs, _cparams):
            try:
                private_file(path)
            except FileNotFoundError:
                folder = os.path.dirname(path) or "."
                raise DatabaseURLError(f"database URL: no directory {folder} for {path}") from None

    @event.listens_for(engine, "connect")
    def _setup(dbapi_conn, _record):
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", f"busy_timeout={BUSY_TIMEOUT_MS}", "synchronous=NORMAL"):
            cur.execute(f"PRAGMA {pragma}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        mode = "IMMEDIATE" if conn.get_execution_options().get("write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")


# A query parameter of DATABASE_URL that is psycopg's, not libpq's: when psycopg prepares a statement on the server
# (after it has run this many times on a connection; 5 by default; "none": never). A pooler in transaction mode
# that does not keep prepared statements itself (PgBouncer before 1.21) needs "none" (docs/deployment.md).
PREPARE_THRESHOLD = "prepare_threshold"


class DatabaseURLError(ValueError):
    """DATABASE_URL (or the direct URL) cannot be used: not a URL, an unknown driver, a bad parameter of ours."""


def driver_options(url: str) -> tuple[str, dict]:
    """(the URL without the app's own driver parameter, the keywords it means for the driver's connect).

    postgresql://…/db?prepare_threshold=none → (postgresql://…/db, {"prepare_threshold": None}); a whole number
    N ≥ 0 → N. Anything else is refused with the parameter named; other URLs come back unchanged."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseURLError(f"database URL: {exc}") from None
    value = parsed.query.get(PREPARE_THRESHOLD)
    if value is None:
        return url, {}
    if parsed.drivername not in ("postgresql", "postgresql+psycopg"):
        raise DatabaseURLError(f"database URL: {PREPARE_THRESHOLD} is for PostgreSQL through psycopg 3 only")
    if isinstance(value, tuple) or not (value.lower() == "none" or (value.isascii() and value.isdigit())):
        raise DatabaseURLError(f"database URL: {PREPARE_THRESHOLD} must be a whole number or none, not {value!r}")
    bare = parsed.difference_update_query([PREPARE_THRESHOLD]).render_as_string(hide_password=False)
    return bare, {"prepare_threshold": None if value.lower() == "none" else int(value)}


def make_engine(url: str, echo: bool = False) -> Engine:
    """Create the engine for a URL; SQLite gets its pragmas and IMMEDIATE writers; PostgreSQL URLs may say when
    psycopg prepares statements (driver_options)."""
    url, connect_args = driver_options(url)
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    try:
        engine = create_engine(url, echo=echo, future=True, connect_args=connect_args)
    except ArgumentError as exc:  # NoSuchModuleError too: a driver SQLAlchemy does not know
        raise DatabaseURLError(f"database URL: {exc}") from None
    if engine.dialect.name == "sqlite":
        _sqlite_listeners(engine)
    return engine


class Database:
    """Holds the engine and a scoped session; bound once per app (or CLI run)."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.session = scoped_session(sessionmaker(expire_on_commit=False))

    def bind(self, url: str, echo: bool = False) -> None:
        """(Re)bind to a database URL, disposing of any earlier engine."""
        if self.engine is not None:
            self.session.remove()
            self.engine.dispose()
        self.engine = make_engine(url, echo=echo)
        self.session.configure(bind=self.engine)

    @property
    def dialect(self) -> str:
        """Name of the bound dialect: 'sqlite' or 'postgresql'."""
        return self.engine.dialect.name


db = Database()

_ON_DEMAND: list[str] = []  # modules importing every model, for models_on_demand


def unloaded_tables() -> set[str]:
    """Tables that a foreign key of a loaded model names but no loaded model defines."""
    tables = Base.metadata.tables
    named = {fk.target_fullname.rpartition(".")[0] for table in tables.values() for fk in table.foreign_keys}
    return named - tables.keys()


def models_on_demand(module: str) -> None:
    """Let this process load only the models its code imports, as a short command does (docs/architecture.md,
    start-up of the command line). SQLAlchemy must find the table of every foreign key of a model it uses (a
    flush orders tables by them), and most tables name village and user_account; so when the mappers are first
    configured — the first query or new object, and again after more models are imported — and a foreign key
    names a table no loaded model defines, `module`, which imports every model, is imported first."""
    if module not in _ON_DEMAND:
        _ON_DEMAND.append(module)
    if not event.contains(Mapper, "before_configured", _load_named_tables):
        event.listen(Mapper, "before_configured", _load_named_tables)


def _load_named_tables() -> None:
    """Mapper configuration is starting: import the on-demand modules if a foreign key names an unloaded table."""
    if unloaded_tables():
        for module in _ON_DEMAND:
            importlib.import_module(module)


@contextmanager
def transaction(session: Session):
    """The one place a use case commits: routes and CLI commands wrap their service call in it."""
    if isinstance(session, scoped_session):
        session = session()
    if session.in_transaction():
        # End any read transaction (e.g. loading current_user) so the write starts IMMEDIATE.
        session.rollback()
    session.connection(execution_options={"write": True})
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


@contextmanager
def brief_write(engine: Engine, wait_ms: int):
    """A small write that must never hold up its caller (a kiosk page's use count): a Session on a connection of
    its own, outside the request's session and transaction, that waits at most `wait_ms` for a lock — SQLite's
    busy timeout for its write lock, PostgreSQL's lock_timeout — and then fails (OperationalError) instead of
    queueing behind another writer. Commits at the end; the caller drops what could not be written."""
    wait_ms = max(1, int(wait_ms))
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection if engine.dialect.name == "sqlite" else None
        if raw is not None:  # before BEGIN IMMEDIATE, which is what waits for the lock
            raw.execute(f"PRAGMA busy_timeout={wait_ms}")
        try:
            with Session(bind=conn.execution_options(write=True)) as session:
                if raw is None:
                    session.execute(text(f"SET LOCAL lock_timeout = '{wait_ms}ms'"))
                yield session
                session.commit()
        finally:
            if raw is not None:  # the connection goes back to the pool with the usual queueing
                raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


@contextmanager
def snapshot(session: Session):
    """A read-only use case whose queries must all see one state of the database (a check of the whole books,
    while clerks keep posting): REPEATABLE READ, read only, on PostgreSQL; on SQLite the deferred read
    transaction already is one snapshot. Rolled back at the end: nothing is written."""
    if isinstance(session, scoped_session):
        session = session()
    if session.in_transaction():
        session.rollback()
    if session.bind.dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ", "postgresql_readonly": True})
    try:
        yield session
    finally:
        session.rollback()


def insert_for(session: Session):
    """The dialect's INSERT with ON CONFLICT support (SQLite and PostgreSQL both have it)."""
    if session.bind.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def locked_row(session: Session, model, **key):
    """Create a counter-like row if missing (racing creators do nothing), then select it FOR UPDATE."""
    session.execute(insert_for(session)(model).values(**key).on_conflict_do_nothing())
    q = select(model).filter_by(**key).with_for_update()
    return session.scalars(q.execution_options(populate_existing=True)).one()


def analyze_if_believed_smaller(conn, table: str, rows: int) -> bool:
    """ANALYZE a table whose statistics hold fewer rows than it is known to hold; whether it did.

    PostgreSQL sizes a table by its recorded rows per page times its pages now. When ANALYZE last ran while the
    table held only dead rows (drafts deleted, an import rolled back), that density is 0: however large the
    table grows, the planner believes it empty, and joins and foreign-key checks into it become sequential scans
    of the whole table — an import of 25,000 vouchers into such a table took minutes instead of seconds. Inside
    a transaction, ANALYZE counts the rows that transaction wrote. A role that does not own the table gets a
    warning, not an error, and carries on as before. PostgreSQL only.
    """
    believed = conn.exec_driver_sql("SELECT reltuples FROM pg_class WHERE oid = %(t)s::regclass",
                                    {"t": table}).scalar()
    if believed is None or believed < 0 or believed >= rows:  # -1: never analysed, sized from its pages
        return False
    conn.exec_driver_sql(f"ANALYZE {table}")
    return True


def refresh_statistics(session: Session, tables: tuple[str, ...]) -> None:
    """PostgreSQL: ANALYZE the tables a long transaction filled before it reads them (analyze_if_believed_smaller
    says why); the demo's year of books is one transaction, followed by closings and notices reading them."""
    if session.get_bind().dialect.name == "postgresql":
        conn = session.connection()
        for table in tables:
            conn.exec_driver_sql(f"ANALYZE {table}")
