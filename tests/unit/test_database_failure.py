"""Which database errors end a command with one line (core.cli.database_failure): the database cannot be reached or
has no schema yet. Any other error keeps its traceback: it is a bug to see whole."""
import sqlite3

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from threeassets.core.cli import database_failure


class PgError(Exception):
    """A stand-in for a psycopg error: its message and SQLSTATE."""

    def __init__(self, message: str, sqlstate: str):
        super().__init__(message)
        self.sqlstate = sqlstate


def wrapped(cls, orig):
    return cls("SELECT village.id FROM village", {}, orig)


def test_no_table_on_sqlite_asks_for_init_db():
    said = database_failure(wrapped(OperationalError, sqlite3.OperationalError("no such table: village")))
    assert said == "the database has no tables yet (no such table: village): run `threeassets init-db` first"


def test_an_undefined_relation_on_postgresql_asks_for_init_db():
    orig = PgError('relation "village" does not exist\nLINE 1: SELECT village.id FROM village', "42P01")
    said = database_failure(wrapped(ProgrammingError, orig))
    assert said == ('the database has no tables yet (relation "village" does not exist): '
                    "run `threeassets init-db` first")


def test_an_unreachable_database_is_one_line():
    orig = PgError('connection failed: connection to server at "127.0.0.1", port 1 failed: Connection refused\n'
                   "\tIs the server running on that host and accepting TCP/IP connections?", "08001")
    said = database_failure(wrapped(OperationalError, orig))
    assert said == 'database: connection failed: connection to server at "127.0.0.1", port 1 failed: Connection refused'


@pytest.mark.parametrize("exc", [
    wrapped(ProgrammingError, PgError('syntax error at or near "FORM"', "42601")),  # a bug in a statement
    wrapped(ProgrammingError, PgError('column "nope" does not exist', "42703")),
    wrapped(IntegrityError, sqlite3.IntegrityError("UNIQUE constraint failed: voucher.number")),
])
def test_other_errors_keep_their_traceback(exc):
    assert database_failure(exc) is None
