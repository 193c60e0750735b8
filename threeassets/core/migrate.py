"""Running Alembic migrations from code (init-db, demo, tests)."""
from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

from threeassets.config import ROOT


def alembic_config(engine: Engine | None = None) -> Config:
    """Alembic config pointing at migrations/, reusing an engine's connection when given."""
    cfg = Config()
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Bring the schema to a revision (default: every head, so feature branches of migrations all apply)."""
    command.upgrade(alembic_config(engine), revision)


def behind(engine: Engine) -> set[str]:
    """The newest migrations (heads) the database has not reached: empty when its schema is current. A database
    without tables is behind every head."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())
    with engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    return heads - current
