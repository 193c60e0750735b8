"""`threeassets demo` never mixes demo rows into real books: a database holding any village (and so any voucher)
other than the demo's is refused with one line, nothing written; loading the demo again prints the logins."""
from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from threeassets.auth.models import User
from threeassets.cli import main
from threeassets.core.audit import AuditEvent
from threeassets.core.db import transaction
from threeassets.ledger.models import Voucher
from threeassets.orgs.models import Township, Village


@pytest.fixture
def demo(app, db_url, tmp_path):
    """Run `threeassets demo …` on the test database (in the pushed test app); returns the result."""
    def _run(*args):
        env = {"DATABASE_URL": db_url, "THREEASSETS_INSTANCE": str(tmp_path / "cli-instance")}
        return CliRunner().invoke(main, ["demo", *args], env=env, catch_exceptions=False)
    return _run


def counts(session) -> dict[str, int]:
    session.rollback()
    return {m.__tablename__: session.scalar(select(func.count()).select_from(m))
            for m in (Township, Village, User, Voucher, AuditEvent)}


def test_demo_refuses_a_database_with_other_books(demo, session):
    from threeassets.orgs.service import upsert_township, upsert_village
    with transaction(session):
        upsert_village(session, upsert_township(session, "T9", "城关镇"), "T901", "前进村")
    before = counts(session)
    result = demo("--year", str(date.today().year - 1))
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "error: the database already holds books that are not the demo's (1 villages, 0 vouchers); "
        "load the demo into an empty database"]
    assert counts(session) == before


@pytest.mark.slow
def test_demo_loads_once_then_prints_the_logins(demo, session):
    year = str(date.today().year - 1)  # a past year: the books only, no registers or notices (quicker)
    first = demo("--year", year)
    assert first.exit_code == 0 and "kuaiji" in first.stdout
    loaded = counts(session)
    assert loaded["village"] == 5 and loaded["voucher"] > 0  # 示范镇's three and 青山镇's two
    again = demo("--year", year)
    assert again.exit_code == 0 and "demo data already present" in again.stdout and "kuaiji" in again.stdout
    assert counts(session) == loaded
