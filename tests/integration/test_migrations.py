"""Migrations: one head (operators run `upgrade head`), and the migrated schema matches the models."""
import json
from datetime import datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

import threeassets.models_registry  # noqa: F401  (every model in Base.metadata)
from threeassets.core.db import Base, db, make_engine
from threeassets.core.migrate import alembic_config, upgrade


def test_single_head():
    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1


def _significant(diff) -> bool:
    """A schema difference that matters: SQLite ignores VARCHAR lengths, which PostgreSQL-only widenings leave."""
    first = diff[0] if isinstance(diff, list) else diff
    return not (db.dialect == "sqlite" and first[0] == "modify_type")


def _fk_key(fk) -> tuple:
    return fk.table.name, tuple(fk.column_keys), tuple(e.target_fullname for e in fk.elements)


def _deferrable_only(diffs) -> set:
    """SQLite: foreign keys the models declare DEFERRABLE INITIALLY IMMEDIATE and the file has without the clause
    (migration 0017 alters them on PostgreSQL only): SQLite enforces both alike."""
    if db.dialect != "sqlite":
        return set()
    removed = {_fk_key(d[1]) for d in diffs if isinstance(d, tuple) and d[0] == "remove_fk"}
    return {_fk_key(d[1]) for d in diffs if isinstance(d, tuple) and d[0] == "add_fk"
            and d[1].deferrable and d[1].initially == "IMMEDIATE"} & removed


def test_migrated_schema_matches_models(app):
    with db.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    same = _deferrable_only(diffs)
    assert [d for d in diffs if _significant(d)
            and not (isinstance(d, tuple) and d[0] in ("remove_fk", "add_fk") and _fk_key(d[1]) in same)] == []


@pytest.fixture
def scratch_url(tmp_path, pg_url):
    """An empty database of its own (this test migrates down and up): an SQLite file, or a scratch PostgreSQL
    database beside the test database."""
    if not pg_url:
        yield f"sqlite:///{tmp_path / 'scratch.db'}"
        return
    base, name = pg_url.rsplit("/", 1)
    admin = make_engine(pg_url)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}_scratch"'))
        conn.execute(text(f'CREATE DATABASE "{name}_scratch"'))
    yield f"{base}/{name}_scratch"
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}_scratch"'))
    admin.dispose()


def test_0007_moves_the_notice_batches_into_the_job_table_and_back(scratch_url):
    engine = make_engine(scratch_url)
    upgrade(engine, "0006_merge_features")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO township (id, code, name, created_at) VALUES (1, 'T1', '甲镇', :at)"),
                     {"at": datetime(2024, 6, 1)})
        conn.execute(text(
            "INSERT INTO disclosure_job (id, township_id, period, layout, status, total, done, current, zip, zip_name,"
            " created_at, expires_at) VALUES (7, 1, '2024-05', 'a3', 'done', 2, 2, '', :zip, 'T1-2024-05-公开榜.zip',"
            " :at, :at)"), {"zip": b"PK-zip", "at": datetime(2024, 6, 1)})
    upgrade(engine)
    with engine.begin() as conn:
        row = conn.execute(text("SELECT id, kind, params, file, file_name, status, done FROM job")).one()
        assert (row.id, row.kind, json.loads(row.params)) == (7, "disclosure.batch", {"period": "2024-05",
                                                                                        "layout": "a3"})
        assert (bytes(row.file), row.file_name, row.status, row.done) == (b"PK-zip", "T1-2024-05-公开榜.zip", "done", 2)
        new_id = conn.execute(text("INSERT INTO job (kind, status, total, done, current, created_at) VALUES "
                                   "('import.orgs', 'queued', 0, 0, '', :at) RETURNING id"),
                              {"at": datetime(2024, 6, 2)}).scalar()
        assert new_id == 8  # the id sequence continues after the moved rows
    command.downgrade(alembic_config(engine), "0006_merge_features")
    with engine.begin() as conn:
        row = conn.execute(text("SELECT id, period, layout, zip, zip_name FROM disclosure_job")).one()
        assert (row.id, row.period, row.layout, bytes(row.zip)) == (7, "2024-05", "a3", b"PK-zip")
    engine.dispose()
