"""close-period, close-year and reopen-period (the README's command-line contract): one line on success, exit 1
with a one-line reason and nothing written on failure."""
from datetime import date

import pytest
from sqlalchemy import select

from tests.integration.conftest import BUY, snapshot
from threeassets.closing.cli import close_period_cmd, close_year_cmd, reopen_period_cmd
from threeassets.core.audit import AuditEvent
from threeassets.ledger.models import Period


def status(session, village, ym):
    """A period's status, read fresh."""
    session.rollback()
    return session.scalar(select(Period.status).where(Period.village_id == village.id, Period.ym == ym))


def test_close_period_and_reopen(cli, session, world, post_voucher):
    post_voucher(world.a1, date(2024, 4, 3), BUY)
    assert cli(close_period_cmd, "--village", "A1", "--period", "2024-04") == \
        (0, "A1 2024-04 closed: 2 account balances stored\n", "")
    assert status(session, world.a1, 202404) == "closed"
    code, out, _err = cli(reopen_period_cmd, "--village", "A1", "--period", "2024-04", "--reason", "补录")
    assert (code, out) == (0, "A1 2024-04 reopened: 2 stored balances dropped\n")
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "period.reopen"))
    assert (event.actor_name, event.actor_id) == ("system", None)


@pytest.mark.parametrize("args, reason", [
    (("--village", "A1", "--period", "2024-05"), "error: 2024-05 不能结账：有 1 张凭证未审核\n"),
    (("--village", "ZZ", "--period", "2024-05"), "error: village ZZ not found\n"),
    (("--village", "A1", "--period", "2024-13"),
     "error: 期间“2024-13”不是年月：请写成如 2026-10、2026/10 或 2026年10月\n"),
])
def test_close_period_refusals(cli, session, world, draft, args, reason):
    draft(world.a1, date(2024, 5, 3), BUY)
    before = snapshot(session)
    assert cli(close_period_cmd, *args) == (1, "", reason)
    session.rollback()
    assert snapshot(session) == before


def test_close_year(cli, session, world, post_voucher):
    post_voucher(world.a1, date(2024, 12, 3), BUY)
    code, out, err = cli(close_year_cmd, "--village", "A1", "--year", "2024")
    assert (code, err) == (0, "")
    assert out == "A1 2024 closed: 记-0002, 记-0003; net result -100.00; 2024-12 closed, 2025-01 open\n"
    code, out, err = cli(close_year_cmd, "--village", "A1", "--year", "2024")
    assert (code, out) == (1, "") and err.startswith("error: 2024 年已年结") and err.count("\n") == 1
    assert status(session, world.a1, 202501) == "open"


def test_reopen_needs_a_reason(cli):
    code, _out, err = cli(reopen_period_cmd, "--village", "A1", "--period", "2024-04")
    assert code == 2 and "--reason" in err
