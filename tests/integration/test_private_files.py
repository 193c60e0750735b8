"""What the instance folder holds is readable by its owner only, whatever the umask: the folder is created 0700,
the SQLite database (and its -wal and -shm files, which SQLite gives the database's mode) and the secret key
0600."""
from __future__ import annotations

import os
import stat
from pathlib import Path

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


def _read_key(folder: str, barrier, results) -> None:
    """One process starting up: the instance's secret key (generated if missing)."""
    try:
        from threeassets.config import secret_key
        barrier.wait(timeout=60)
        results.put(("ok", [secret_key(Path(folder))]))
    except Exception:  # noqa: BLE001 - the test reports it
        import traceback
        results.put(("error", traceback.format_exc()))


def test_processes_starting_together_share_one_generated_key(tmp_path, monkeypatch):
    """Workers and commands starting at once with no key yet: all read the one key written, whole, 0600."""
    from tests.spawned import run_spawned
    monkeypatch.delenv("SECRET_KEY", raising=False)
    folder = tmp_path / "instance"
    keys = run_spawned(_read_key, [(str(folder),)] * 4)
    written = (folder / "secret_key").read_text().strip()
    assert len(keys) == 4 and set(keys) == {written} and len(written) == 64
    assert mode(folder / "secret_key") == 0o600
    assert sorted(p.name for p in folder.iterdir()) == ["secret_key"]  # no draft left behind
