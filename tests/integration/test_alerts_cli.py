"""`threeassets alerts scan` on the test database: scopes, the date option and one-line failures."""
from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from threeassets.alerts.models import Alert, AlertScan
from threeassets.cli import main


@pytest.fixture
def cli(db_url, tmp_path, world):
    """Run `threeassets …` on the test database."""
    def _run(*args):
        env = {"DATABASE_URL": db_url, "THREEASSETS_INSTANCE": str(tmp_path / "cli-instance")}
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return _run


def scanned(session) -> set[int]:
    session.rollback()
    return set(session.scalars(select(AlertScan.village_id)))


def test_scan_a_township_then_a_village_as_of_a_date(cli, session, world, post_voucher):
    from tests.integration.test_alerts_scan import fund
    fund(post_voucher, world.a1, "6000.00")
    post_voucher(world.a1, date(2024, 5, 6), [("付款", "513", "6000.00", ""), ("付款", "101", "", "6000.00")])
    result = cli("alerts", "scan", "--township", "TA", "--date", "2024-05-05")
    assert result.exit_code == 0, result.output
    assert "scanned 2 villages as of 2024-05-05: 0 raised" in result.stdout
    assert scanned(session) == {world.a1.id, world.a2.id}
    result = cli("alerts", "scan", "--village", "A1", "--date", "2024-05-06")
    assert "scanned 1 villages as of 2024-05-06: 1 raised, 0 raised again, 0 resolved, 1 open" in result.stdout
    result = cli("alerts", "scan")  # every village, today
    assert result.exit_code == 0 and "scanned 3 villages" in result.stdout
    assert session.scalar(select(func.count()).select_from(Alert)) == 1


@pytest.mark.parametrize("args, reason", [
    (("--village", "NOPE"), "village NOPE not found"),
    (("--township", "NOPE"), "township NOPE not found"),
    (("--date", "2024-13-01"), "不是日期"),
    (("--village", "A1", "--township", "TA"), "at most one"),
])
def test_bad_arguments_fail_with_a_reason_and_write_nothing(cli, session, args, reason):
    result = cli("alerts", "scan", *args)
    assert result.exit_code != 0 and reason in result.output
    assert scanned(session) == set()
