"""Alembic environment: uses the engine handed over by threeassets.core.migrate, or DATABASE_URL."""
from alembic import context

from threeassets import models_registry  # noqa: F401  (imports every model)
from threeassets.core.db import Base, make_engine

config = context.config


def run() -> None:
    """Run migrations online against the given engine."""
    engine = config.attributes.get("engine")
    if engine is None:
        from threeassets.config import database_url, instance_path
        engine = make_engine(database_url(instance_path()))
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=Base.metadata, render_as_batch=True,
                          compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
        conn.commit()


run()
