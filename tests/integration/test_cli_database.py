"""A command started where it cannot work ends with one line naming why, and no traceback: a database URL that
cannot be used (not a URL, an unknown driver, a bad prepare_threshold, an SQLite file in no directory), a database
that refuses the connection, or one without the schema (`threeassets init-db` not run yet). The commands run in a
process of their own, as an operator runs them (in this process the test app holds the database already)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
CLI = "import sys; sys.argv[0] = 'threeassets'; from threeassets.cli import main; main()"
REPORT = ("report", "trial-balance", "--village", "A1", "--from", "2024-01", "--to", "2024-01")


def run(database_url: str, tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEST_DATABASE_URL")}
    env.update(DATABASE_URL=database_url, THREEASSETS_INSTANCE=str(tmp_path / "instance"))
    return subprocess.run([sys.executable, "-c", CLI, *(args or REPORT)], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def one_line(done: subprocess.CompletedProcess) -> str:
    """The command's one line of refusal (it failed, with no traceback)."""
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


@pytest.mark.parametrize(("url", "said"), [
    ("not a url", "error: database URL: Could not parse SQLAlchemy URL"),
    ("oracle2000://u:p@h/books", "error: database URL: Can't load plugin: sqlalchemy.dialects:oracle2000"),
    ("postgresql://u:p@127.0.0.1/books?prepare_threshold=soon",
     "error: database URL: prepare_threshold must be a whole number or none, not 'soon'"),
    ("sqlite:////{tmp}/threeassets.db?prepare_threshold=none",
     "error: database URL: prepare_threshold is for PostgreSQL through psycopg 3 only"),
    ("sqlite:////{tmp}/no-such-directory/threeassets.db", "error: database URL: no directory /{tmp}/no-such-directory"),
])
def test_a_url_that_cannot_be_used(tmp_path, url, said):
    tmp = str(tmp_path).lstrip("/")
    assert one_line(run(url.format(tmp=tmp), tmp_path)).startswith(said.format(tmp=tmp))
    assert not (tmp_path / "no-such-directory").exists()


def test_a_database_that_refuses_the_connection(tmp_path):
    line = one_line(run("postgresql://clerk:pw@127.0.0.1:1/books", tmp_path))
    assert line.startswith("error: database: connection failed:") and "Connection refused" in line


def test_init_db_into_a_missing_directory_says_so(tmp_path):
    line = one_line(run(f"sqlite:///{tmp_path}/gone/threeassets.db", tmp_path, "init-db"))
    assert line == f"error: database URL: no directory {tmp_path}/gone for {tmp_path}/gone/threeassets.db"


def test_a_database_without_the_schema_asks_for_init_db(db_url, tmp_path):
    if db_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path}/empty.db"  # created empty by the command itself
    else:  # the test database, looking for its tables in a schema that does not exist
        url = make_url(db_url).update_query_dict({"options": "-csearch_path=no_schema_here"}).render_as_string(
            hide_password=False)
    line = one_line(run(url, tmp_path))
    assert line.startswith("error: the database has no tables yet (") and line.endswith(
        "run `threeassets init-db` first")
    assert "village" in line


def test_a_command_that_works_is_not_touched(db_url, world, tmp_path):
    done = run(db_url, tmp_path)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert done.stdout.startswith("account_code,account_name,opening_debit")


def test_serve_refuses_a_database_behind_the_newest_schema(tmp_path):
    """Started on tables an older release made (or none), every page would fail on its own: serve says so first."""
    line = one_line(run(f"sqlite:///{tmp_path}/empty.db", tmp_path, "serve", "--port", "1"))
    assert line == "error: the database is not at the newest schema: run `threeassets init-db` first"


def test_the_schema_is_current_after_init_db(db_url):
    from threeassets.core.db import make_engine
    from threeassets.core.migrate import behind
    engine = make_engine(db_url)
    try:
        assert behind(engine) == set()
    finally:
        engine.dispose()
