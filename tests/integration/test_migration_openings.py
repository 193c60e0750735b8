"""Migration 0009: a switch-over's posted opening voucher of an earlier release becomes the village's opening
balances — January's activity no longer holds it, the balance sheet's 年初数 do, stored balances and the chain still
verify, the voucher stays in the chain. Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from decimal import Decimal as D

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.integration.test_backup import fresh_url  # noqa: F401  (a fixture: an empty database)
from threeassets.closing.service import close_period
from threeassets.closing.verify import verify_books
from threeassets.core import hooks
from threeassets.core.db import make_engine, transaction
from threeassets.core.migrate import upgrade
from threeassets.ledger import posting
from threeassets.ledger.models import Account, Voucher
from threeassets.ledger.openings import service as openings
from threeassets.orgs.service import upsert_township, upsert_village
from threeassets.reports.service import account_ledger, trial_balance
from threeassets.statements.service import balance_sheet

CONVERTED = [("101", "1200.50", "0"), ("102", "50000.00", "0"), ("211", "0", "4000.00"), ("301", "0", "30000.00"),
             ("322", "0", "17200.50")]


@contextmanager
def _release_0008():
    """The receivers of township_created as of release 0008, less those the schema of 0008 cannot hold: the
    subsidy side's starter catalogue, whose tables come later (migration 0012_subsidies gives existing townships
    the catalogue), and the hall's default catalogue, whose materials have columns 0008 lacks (0022's requirement);
    these books need neither."""
    from threeassets.subsidies.hooks import _starter_policies
    from threeassets.windows.hooks import _default_catalogue
    receivers = (_starter_policies, _default_catalogue)
    for receiver in receivers:
        hooks.township_created.disconnect(receiver)
    try:
        yield
    finally:
        for receiver in receivers:
            hooks.township_created.connect(receiver)


def _legacy_books(session: Session):
    """What an earlier release left: the 2024-01-01 opening voucher, a January voucher, January closed."""
    with _release_0008(), transaction(session):
        town = upsert_township(session, "TL", "旧镇")
        village = upsert_village(session, town, "TL01", "旧村")
        accounts = {a.code: a for a in session.scalars(select(Account).where(Account.village_id == village.id))}
        posting.post_new(session, village=village, on=date(2024, 1, 1), kind="opening", actor=None,
                         lines=[(accounts[c], "期初建账（由2004年科目转换）", D(d), D(k)) for c, d, k in CONVERTED])
        posting.post_new(session, village=village, on=date(2024, 1, 20), kind="normal", actor=None,
                         lines=[(accounts["513"], "办公费", D("200"), D(0)),
                                (accounts["101"], "办公费", D(0), D("200"))])
        close_period(session, village, 202401, None)
    return village.id


def test_the_opening_voucher_becomes_opening_balances(fresh_url):  # noqa: F811
    engine = make_engine(fresh_url)
    try:
        upgrade(engine, "0008_openings")
        with Session(engine) as session:
            village_id = _legacy_books(session)
        upgrade(engine, "heads")
        with Session(engine) as session:
            start = openings.start_of(session, village_id)
            assert start is not None and start.start_ym == 202401 and start.balanced
            figures = openings.figures_of(session, village_id)
            assert {c: (f.year_debit, f.year_credit) for c, f in figures.items()} == {
                c: (D(d), D(k)) for c, d, k in CONVERTED}
            rows = {r.code: r for r in trial_balance(session, [village_id], 202401, 202401)}
            assert rows["101"].opening == D("1200.50") and rows["101"].credit == D("200")
            assert rows["102"].debit == 0 and rows["322"].credit == 0  # January holds only the real voucher
            bs = balance_sheet(session, [village_id], 202401, "旧村")
            assert bs.value("货币资金", 0) == D("51200.50") and bs.value("货币资金", 1) == D("51000.50")
            cash = session.scalar(select(Account).where(Account.village_id == village_id, Account.code == "101"))
            opening, entries, _closing = account_ledger(session, village_id, cash, 202401, 202401)
            assert opening == D("1200.50") and [e.summary for e in entries] == ["办公费"]
            assert session.scalar(select(Voucher.kind).where(Voucher.number == 1)) == "opening"  # still chained
            assert verify_books(session, "TL01").problems == []
    finally:
        engine.dispose()
