"""What the instance folder holds is readable by its owner only, whatever the umask: the folder is created 0700,
the SQLite database (and its -wal and -shm files, which SQLite gives the database's mode) and the secret key
0600."""
from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy import text

from threeassets.core.db import db


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask():
    """The common umask that leaves new files world-readable (0644) and folders 0755."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_new_instance_is_private(tmp_path, monkeypatch, open_umask):
    from threeassets import create_app
    from threeassets.core.migrate import upgrade
    folder = tmp_path / "srv" / "instance"
    monkeypatch.setenv("THREEASSETS_INSTANCE", str(folder))
    for name in ("DATABASE_URL", "SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    app = create_app(web=False)
    try:
        with app.app_context():
            upgrade(db.engine)
            with db.engine.connect() as conn:  # an open connection keeps the -wal and -shm files in place
                conn.execute(text("SELECT count(*) FROM village")).scalar()
                database = folder / "threeassets.db"
                files = {p.name: mode(p) for p in (database, folder / "threeassets.db-wal",
                                                   folder / "threeassets.db-shm", folder / "secret_key")}
    finally:
        db.session.remove()
        db.engine.dispose()
    assert mode(folder) == 0o700
    assert files == {"threeassets.db": 0o600, "threeassets.db-wal": 0o600, "threeassets.db-shm": 0o600,
                     "secret_key": 0o600}
    assert mode(folder.parent) == 0o755  # only the instance folder itself is ours to close
