"""Month close and reopen on the database: refusals that name every problem and write nothing, closed months
that refuse every write path, stored balances equal to the trial balance, and a trial balance that is the same
before a close, after it and after a reopen."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text, update

from tests.integration.conftest import BUY, audit_count, snapshot
from tests.integration.test_importer import csv_bytes, run
from threeassets.closing.models import PeriodBalance
from threeassets.closing.rules import ClosingError
from threeassets.closing.service import close_period, reopen_period
from threeassets.core.audit import AuditEvent
from threeassets.core.csvio import ImportError_
from threeassets.core.db import transaction
from threeassets.core.errors import IllegalMove
from threeassets.ledger import service
from threeassets.ledger.models import Period, Voucher, VoucherCounter
from threeassets.ledger.rules import LedgerError
from threeassets.reports.service import trial_balance

D = Decimal
INCOME = (("收租金", "101", "500.00", ""), ("收租金", "501", "", "500.00"))


def close(session, village, ym, actor=None):
    """Close a month in its own transaction, as a route or the CLI does."""
    with transaction(session):
        return close_period(session, village, ym, actor)


def reopen(session, village, ym, actor, reason="补录漏记凭证"):
    """Reopen a month in its own transaction."""
    with transaction(session):
        return reopen_period(session, village, ym, actor, reason)


def period(session, village, ym) -> Period | None:
    """A period row, read fresh."""
    session.rollback()
    return session.scalar(select(Period).where(Period.village_id == village.id, Period.ym == ym))


def stored(session, village, ym) -> dict[str, Decimal]:
    """Stored closing balances of a month by account code."""
    from threeassets.ledger.models import Account
    q = (select(Account.code, PeriodBalance.balance).join(Account, Account.id == PeriodBalance.account_id)
         .where(PeriodBalance.village_id == village.id, PeriodBalance.ym == ym))
    return dict(session.execute(q).all())


def refused(session, village, ym, *fragments):
    """Closing the month is refused with every fragment in the message, and nothing is written."""
    before = snapshot(session), session.scalar(select(func.count()).select_from(PeriodBalance))
    with pytest.raises(IllegalMove) as exc:
        close(session, village, ym)
    for fragment in fragments:
        assert fragment in str(exc.value)
    session.rollback()
    assert (snapshot(session), session.scalar(select(func.count()).select_from(PeriodBalance))) == before
    return str(exc.value)


def test_close_locks_the_month_and_stores_balances(session, world, post_voucher):
    post_voucher(world.a1, date(2024, 4, 3), BUY)
    post_voucher(world.a1, date(2024, 4, 9), INCOME)
    assert close(session, world.a1, 202404, world.user("accountant")) == 3
    p = period(session, world.a1, 202404)
    assert (p.status, p.closed_by_id) == ("closed", world.user("accountant").id) and p.closed_at is not None
    assert stored(session, world.a1, 202404) == {"101": D("400.00"), "513": D("100.00"), "501": D("-500.00")}
    assert audit_count(session, "period.close") == 1


def test_close_refuses_drafts_and_reviewed_vouchers(session, world, post_voucher, draft):
    post_voucher(world.a1, date(2024, 4, 3), BUY)
    draft(world.a1, date(2024, 4, 5), BUY)
    draft(world.a1, date(2024, 4, 6), BUY)
    reviewed = draft(world.a1, date(2024, 4, 7), INCOME)
    with transaction(session):
        service.review(session, voucher=reviewed, village=world.a1, actor=world.user("reviewer"))
    msg = refused(session, world.a1, 202404, "有 2 张凭证未审核", "有 1 张凭证已审核未记账")
    assert msg.startswith("2024-04 不能结账：")
    assert period(session, world.a1, 202404).status == "open"


def test_close_refuses_a_gap_in_the_numbers(session, world, post_voucher):
    post_voucher(world.a1, date(2024, 4, 3), BUY)
    post_voucher(world.a1, date(2024, 4, 4), BUY)
    with transaction(session):  # a number handed out but no voucher carries it
        session.execute(update(VoucherCounter).where(VoucherCounter.village_id == world.a1.id).values(last=3))
    refused(session, world.a1, 202404, "凭证号不连续，缺少 记-0003")


def test_close_refuses_a_renumbered_voucher(session, world, post_voucher, unguard):
    post_voucher(world.a1, date(2024, 4, 3), BUY)
    v = post_voucher(world.a1, date(2024, 4, 4), BUY)
    unguard("voucher")
    with transaction(session):
        session.execute(update(Voucher).where(Voucher.id == v.id).values(number=7))
    refused(session, world.a1, 202404, "缺少 记-0002", "超出本月编号 1–2：记-0007")


def test_months_close_in_order(session, world, post_voucher):
    post_voucher(world.a1, date(2024, 3, 3), BUY)
    post_voucher(world.a1, date(2024, 5, 3), BUY)
    refused(session, world.a1, 202405, "之前的期间 2024-03 尚未结账")
    close(session, world.a1, 202403)
    close(session, world.a1, 202405)  # April had no books: it does not block
    assert period(session, world.a1, 202405).status == "closed"
    assert period(session, world.a1, 202404) is None


def test_a_new_year_waits_for_the_year_close(session, world, post_voucher):
    post_voucher(world.a1, date(2023, 11, 3), BUY)
    post_voucher(world.a1, date(2024, 1, 3), BUY)
    close(session, world.a1, 202311)
    refused(session, world.a1, 202401, "2023 年尚未年结")


def test_close_refuses_december_a_closed_month_and_the_future(session, world, post_voucher):
    post_voucher(world.a1, date(2024, 4, 3), BUY)
    refused(session, world.a1, 202412, "年末月份，请执行年结")
    close(session, world.a1, 202404)
    refused(session, world.a1, 202404, "2024-04 已结账")
    nxt = date.today().year * 100 + 101
    refused(session, world.a1, nxt, "尚未开始")


def test_closed_month_refuses_every_write(session, world, post_voucher, draft):
    posted = post_voucher(world.a1, date(2024, 4, 3), BUY)
    close(session, world.a1, 202404)
    accountant = world.user("accountant")
    with pytest.raises(LedgerError, match="2024-04 已结账"):
        draft(world.a1, date(2024, 4, 20), BUY)
    with pytest.raises(LedgerError, match="已结账"), transaction(session):
        service.reverse(session, voucher=posted, village=world.a1, actor=accountant, on=date(2024, 4, 30))
    with pytest.raises(ImportError_) as exc:
        run(session, csv_bytes(["A1,2024-04-08,V1,买文具,513,5,", "A1,2024-04-08,V1,买文具,101,,5"]), post=True)
    assert exc.value.errors[0][1:] == (2, "date", "A1 的期间 2024-04 已结账")


def test_a_new_month_before_a_closed_one_is_refused(session, world, post_voucher, draft):
    """February never had books; once April is closed, February cannot start (April's balances include it)."""
    post_voucher(world.a1, date(2024, 4, 3), BUY)
    close(session, world.a1, 202404)
    with pytest.raises(LedgerError, match="2024-02 早于已结账的 2024-04"):
        draft(world.a1, date(2024, 2, 10), BUY)
    with pytest.raises(ImportError_) as exc:
        run(session, csv_bytes(["A1,2024-02-08,V1,买文具,513,5,", "A1,2024-02-08,V1,买文具,101,,5"]))
    assert exc.value.errors[0][1:] == (2, "date", "A1 的期间 2024-02 早于已结账的 2024-04")
    draft(world.a1, date(2024, 5, 10), BUY)  # later months are fine
    draft(world.a2, date(2024, 2, 10), BUY)  # and so are other villages


def test_review_and_post_refused_once_the_month_is_closed(session, world, draft):
    """A close cannot pass a reviewed voucher, so only a close behind the app's back leaves one: still refused."""
    d = draft(world.a1, date(2024, 4, 5), BUY)
    r = draft(world.a1, date(2024, 4, 6), BUY)
    with transaction(session):
        service.review(session, voucher=r, village=world.a1, actor=world.user("reviewer"))
        session.execute(text("UPDATE period SET status = 'closed' WHERE village_id = :v"), {"v": world.a1.id})
    with pytest.raises(LedgerError, match="已结账"), transaction(session):
        service.review(session, voucher=d, village=world.a1, actor=world.user("reviewer"))
    with pytest.raises(LedgerError, match="已结账"), transaction(session):
        service.post(session, voucher=r, village=world.a1, actor=world.user("accountant2"))


def test_reopen_is_for_the_agency_head_with_a_reason(session, world, post_voucher):
    post_voucher(world.a1, date(2024, 4, 3), BUY)
    close(session, world.a1, 202404)
    with pytest.raises(ClosingError, match="只有中心主任"):
        reopen(session, world.a1, 202404, world.user("accountant"))
    with pytest.raises(ClosingError, match="请填写反结账原因"):
        reopen(session, world.a1, 202404, world.user("head"), reason="  ")
    with pytest.raises(IllegalMove, match="2024-05 未结账"):
        reopen(session, world.a1, 202405, world.user("head"))
    assert period(session, world.a1, 202404).status == "closed"
    assert reopen(session, world.a1, 202404, world.user("head"), reason="漏记4月电费") == 2
    p = period(session, world.a1, 202404)
    assert (p.status, p.closed_by_id, p.closed_at) == ("open", None, None)
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "period.reopen"))
    assert event.actor_id == world.user("head").id and "漏记4月电费" in event.detail
    assert stored(session, world.a1, 202404) == {}


def test_reopen_drops_later_balances_and_reclosing_recomputes_them(session, world, post_voucher):
    for month in (3, 4, 5):
        post_voucher(world.a1, date(2024, month, 3), BUY)
        close(session, world.a1, 202400 + month)
    before = {m: stored(session, world.a1, m) for m in (202403, 202404, 202405)}
    assert before[202405] == {"101": D("-300.00"), "513": D("300.00")}
    reopen(session, world.a1, 202404, world.user("head"))
    assert stored(session, world.a1, 202403) == before[202403]
    assert stored(session, world.a1, 202404) == stored(session, world.a1, 202405) == {}
    assert period(session, world.a1, 202405).status == "closed"  # later months stay closed
    refused(session, world.a1, 202406, "之前的期间 2024-04 尚未结账")
    post_voucher(world.a1, date(2024, 4, 20), INCOME)  # the reason for reopening
    close(session, world.a1, 202404)
    assert stored(session, world.a1, 202405) == {"101": D("200.00"), "513": D("300.00"), "501": D("-500.00")}
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "period.close")
                            .order_by(AuditEvent.id.desc())).first()
    assert "2024-05" in event.detail  # recomputed months are in the audit row


def test_stored_balances_equal_the_trial_balance(session, world, post_voucher, sub_account):
    sub_account(world.a1, "102", "01", "农行")
    specs = [(date(2024, 1, 5), (("出资", "10201", "10000.00", ""), ("出资", "301", "", "10000.00"))),
             (date(2024, 1, 9), (("提现", "101", "800.00", ""), ("提现", "10201", "", "800.00"))),
             (date(2024, 2, 2), BUY), (date(2024, 2, 12), INCOME),
             (date(2024, 3, 1), (("补助", "10201", "3000.00", ""), ("补助", "503", "", "3000.00")))]
    for day, spec in specs:
        post_voucher(world.a1, day, spec)
    for ym in (202401, 202402, 202403):
        close(session, world.a1, ym)
        leaves = {r.code: r.closing for r in trial_balance(session, [world.a1.id], ym, ym) if r.is_leaf}
        assert stored(session, world.a1, ym) == {c: v for c, v in leaves.items() if v}


def test_trial_balance_reads_the_stored_balances(session, world, post_voucher):
    """The opening of a later range starts from the stored month (changing the stored row shows in it)."""
    post_voucher(world.a1, date(2024, 3, 3), BUY)
    close(session, world.a1, 202403)
    post_voucher(world.a1, date(2024, 4, 3), BUY)
    rows = {r.code: r for r in trial_balance(session, [world.a1.id], 202404, 202404)}
    assert (rows["513"].opening, rows["513"].closing) == (D("100.00"), D("200.00"))
    with transaction(session):
        session.execute(text("UPDATE period_balance SET balance = balance * 2 WHERE village_id = :v"),
                        {"v": world.a1.id})
    rows = {r.code: r for r in trial_balance(session, [world.a1.id], 202404, 202404)}
    assert rows["513"].opening == D("200.00")
    rows = {r.code: r for r in trial_balance(session, [world.a1.id], 202403, 202404)}
    assert rows["513"].opening == D("0") and rows["513"].closing == D("200.00")  # before the stored month


def test_month_problem_reads_what_open_period_refuses_without_opening_anything(session, world):
    from threeassets.ledger.posting import month_problem, open_period
    close(session, world.a1, 202405)  # a month without books, asked for by name
    for ym in (202405, 202403, 202407):  # closed; before a closed one; after it, without books
        why = month_problem(session, world.a1.id, ym)
        assert session.scalar(select(func.count()).select_from(Period).where(Period.ym == ym)) == (ym == 202405)
        try:
            with transaction(session):
                open_period(session, world.a1.id, ym)
            refused = None
        except LedgerError as exc:
            refused = str(exc)
        assert why == refused
    assert month_problem(session, world.a1.id, 202405) == "会计期间 2024-05 已结账，不能录入或记账"
    assert month_problem(session, world.a1.id, 202403) == \
        "会计期间 2024-03 早于已结账的 2024-05，不能录入；如需补录请由中心主任反结账"
    assert month_problem(session, world.a1.id, 202407) is None  # open_period opened it above
