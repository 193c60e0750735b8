"""Migrations: one head (operators run `upgrade head`), and the migrated schema matches the models."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

import threeassets.models_registry  # noqa: F401  (every model in Base.metadata)
from threeassets.core.db import Base, db
from threeassets.core.migrate import alembic_config


def test_single_head():
    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1


def _significant(diff) -> bool:
    """A schema difference that matters: SQLite ignores VARCHAR lengths, which PostgreSQL-only widenings leave."""
    first = diff[0] if isinstance(diff, list) else diff
    return not (db.dialect == "sqlite" and first[0] == "modify_type")


def test_migrated_schema_matches_models(app):
    with db.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert [d for d in diffs if _significant(d)] == []
