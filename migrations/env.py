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
        # SQLite rebuilds a table to change its keys (batch mode): dropping the old table with foreign keys on
        # would cascade into the rows that reference it. Off for the run (outside any transaction, where the
        # pragma takes effect), then every foreign key is checked.
        raw = conn.connection.dbapi_connection if conn.dialect.name == "sqlite" else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            context.configure(connection=conn, target_metadata=Base.metadata, render_as_batch=True,
                              compare_type=True)
            with context.begin_transaction():
                context.run_migrations()
                if raw is not None and (broken := conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()):
                    raise RuntimeError(f"foreign keys broken by the migration: {broken[:5]}")
            conn.commit()
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


run()
