"""Migration 0007_sessions on a database that has users and audit rows pointing at them (the columns it drops are
on the table every audit row references): the rows survive, the new tables exist, and it goes back down."""
from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from tests.conftest import PG_URL
from tests.dburl import beside
from threeassets.core.db import make_engine
from threeassets.core.migrate import upgrade

BEFORE = "0006_merge_features"


@pytest.fixture
def engine(tmp_path):
    """A database of its own (SQLite file; on PostgreSQL a database beside the test one)."""
    if not PG_URL:
        eng = make_engine(f"sqlite:///{tmp_path / 'migrate.db'}")
        yield eng
        eng.dispose()
        return
    name, url = beside(PG_URL, "migrate")
    admin = make_engine(PG_URL)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    eng = make_engine(url)
    yield eng
    eng.dispose()
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def _columns(engine, table: str) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns(table)}


def test_upgrade_keeps_users_and_their_audit_rows_and_downgrades(engine):
    from threeassets.core.migrate import alembic_config
    upgrade(engine, BEFORE)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO user_account (id, username, display_name, password_hash, role, active, failed_logins, "
            "session_token, created_at) VALUES (1, 'head', '主任', 'x', 'agency_head', true, 3, 'tok', "
            "CURRENT_TIMESTAMP)"))
        conn.execute(text("INSERT INTO audit_event (at, actor_id, actor_name, action) "
                          "VALUES (CURRENT_TIMESTAMP, 1, 'head', 'login')"))
    upgrade(engine)
    assert {"session_token", "failed_logins", "locked_until"}.isdisjoint(_columns(engine, "user_account"))
    assert {"secret_hash", "agent_hash", "expires_at", "ended_at"} <= _columns(engine, "login_session")
    assert {"scope", "subject", "address", "level", "blocked_until"} <= _columns(engine, "throttle")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT username FROM user_account")).scalar_one() == "head"
        # a login of no township is the county's (migration 0021_county_tables)
        assert conn.execute(text("SELECT actor_id FROM county_audit_event")).scalar_one() == 1
    from alembic import command
    command.downgrade(alembic_config(engine), BEFORE)
    assert "session_token" in _columns(engine, "user_account")
    assert not inspect(engine).has_table("login_session") and not inspect(engine).has_table("throttle")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_event")).scalar_one() == 1
