"""PostgreSQL: the voucher import's foreign keys, checked per set (COPY without per-row triggers, the rows the
keys name held FOR KEY SHARE) where the role may, and per row where it may not. Both paths hold the same rows
against deletion until commit, leave the same books, and give the session back with its triggers on."""
from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from tests.conftest import PG_URL
from tests.integration.conftest import voucher_file
from threeassets.core.csvio import ImportError_
from threeassets.core.db import make_engine
from threeassets.ledger import importer
from threeassets.ledger.chain import verify
from threeassets.ledger.chart import add_sub_account
from threeassets.ledger.importer import import_vouchers, write
from threeassets.ledger.integrity import verify_books
from threeassets.ledger.models import Account, Voucher

pytestmark = pytest.mark.skipif(not PG_URL, reason="PostgreSQL's COPY and session_replication_role")


@pytest.fixture(params=["by set", "by row"])
def path(request, monkeypatch):
    """The import's key path: per set (the test role may set session_replication_role), or forced per row."""
    if request.param == "by row":
        monkeypatch.setattr(write, "may_skip_row_checks", lambda conn: False)
    return request.param


def test_the_path_is_chosen_by_privilege(session, path):
    assert write.may_skip_row_checks(session.connection()) is (path == "by set")
    assert session.scalar(text("SHOW session_replication_role")) == "origin"


def test_an_import_leaves_whole_books_and_the_triggers_on(session, world, tmp_path, path):
    result = import_vouchers(session, voucher_file(tmp_path, world.a1.code, 120), post=True,
                             actor=world.users["accountant"])
    assert session.scalar(text("SHOW session_replication_role")) == "origin"  # the guards act for what follows
    session.commit()
    assert result["vouchers"] == 120
    problems, vouchers = verify(session, world.a1.code)
    assert problems == [] and vouchers == 120
    assert verify_books(session).problems == []  # numbers, turnover, stored balances, audit anchors


def test_the_accounts_an_unfinished_import_uses_cannot_be_deleted(db_url, session, world, tmp_path, path):
    parent = session.scalar(select(Account).where(Account.village_id == world.a1.id, Account.code == "513"))
    sub = add_sub_account(session, village_id=world.a1.id, parent=parent, suffix="01", name="办公费", actor=None)
    session.commit()
    sub_id = sub.id
    # drafts: no turnover row (whose own key check would hold the account too), only the lines name it
    import_vouchers(session, voucher_file(tmp_path, world.a1.code, 5, account="51301"))  # not committed

    other = make_engine(db_url)
    try:
        with other.connect() as conn:
            conn.execute(text("SET lock_timeout = '300ms'"))
            with pytest.raises(OperationalError, match="lock timeout"):
                conn.execute(text("DELETE FROM account WHERE id = :id"), {"id": sub_id})
    finally:
        other.dispose()
    session.rollback()


def test_a_row_gone_before_it_was_held_refuses_the_file(session, world, tmp_path, monkeypatch):
    real = importer._lookups

    def stale(session_, codes, post=False):
        orgs, closed = real(session_, codes, post)
        for org in orgs.values():  # as if 513 had been deleted between the reading and the holding
            org.accounts["513"] = (2_000_000_000, True)
        return orgs, closed
    monkeypatch.setattr(importer, "_lookups", stale)
    with pytest.raises(ImportError_, match="重新导入"):
        import_vouchers(session, voucher_file(tmp_path, world.a1.code, 3), post=True)
    session.rollback()
    assert session.scalar(select(Voucher.id).where(Voucher.village_id == world.a1.id)) is None
