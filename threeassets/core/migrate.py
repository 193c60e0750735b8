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
