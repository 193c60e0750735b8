"""Voucher use cases against a real database: drafts, review, posting numbers, immutability, audit rows."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from tests.conftest import lines
from tests.integration.conftest import BUY, account, audit_count, snapshot
from threeassets.core.db import transaction
from threeassets.core.errors import IllegalMove
from threeassets.ledger import service
from threeassets.ledger.models import Period, Voucher, VoucherLine
from threeassets.ledger.rules import LedgerError, VoucherInvalid

MAY3 = date(2024, 5, 3)


def save(session, world, village, spec, day=MAY3, actor="accountant", voucher=None):
    """save_draft with the usual arguments (no commit)."""
    return service.save_draft(session, village=village, actor=world.user(actor), voucher_date=day,
                              attachments=0, lines=lines(*spec), voucher=voucher)


def refused_without_writing(session, call, exc_type, match):
    """Run a refused call inside a transaction and prove it left no row behind, before and after commit."""
    before = snapshot(session)
    with transaction(session):
        with pytest.raises(exc_type, match=match) as exc:
            call()
        assert snapshot(session) == before
    assert snapshot(session) == before
    return exc.value


# ---------------------------------------------------------------- save_draft refusals

def test_draft_is_saved_with_lines_and_period(session, world, draft):
    v = draft(world.a1, MAY3, BUY)
    assert v.status == "draft" and v.number is None and v.ym == 202405 and v.total == Decimal("100.00")
    assert [(ln.line_no, ln.account.code, ln.debit, ln.credit) for ln in v.lines] == [
        (1, "513", Decimal("100.00"), Decimal("0")), (2, "101", Decimal("0"), Decimal("100.00"))]
    assert all(ln.account.village_id == world.a1.id and ln.village_id == world.a1.id for ln in v.lines)
    assert session.scalar(select(Period.status).where(Period.village_id == world.a1.id, Period.ym == 202405)) == "open"
    assert audit_count(session, "voucher.create") == 1


def test_unknown_account_refused(session, world):
    spec = (("a", "513", "5", ""), ("a", "999", "", "5"))
    exc = refused_without_writing(session, lambda: save(session, world, world.a1, spec), VoucherInvalid,
                                  "科目“999”不存在")
    assert exc.problems.fields == {(1, "account"): "科目“999”不存在"}


def test_non_leaf_account_refused_after_sub_account(session, world, sub_account):
    save_ok = (("a", "513", "5", ""), ("a", "102", "", "5"))
    assert account(session, world.a1, "102").is_leaf
    sub_account(world.a1, "102", "01", "农行")
    assert not account(session, world.a1, "102").is_leaf
    exc = refused_without_writing(session, lambda: save(session, world, world.a1, save_ok), VoucherInvalid,
                                  "不是末级科目")
    assert (1, "account") in exc.problems.fields
    with transaction(session):
        v = save(session, world, world.a1, (("a", "513", "5", ""), ("a", "10201", "", "5")))
    assert v.lines[1].account.name == "农行"


def test_account_of_another_village_refused(session, world, sub_account):
    foreign = sub_account(world.b1, "102", "01", "农商行")
    assert account(session, world.a1, "10201") is None
    spec = (("a", "513", "5", ""), ("a", foreign.code, "", "5"))
    refused_without_writing(session, lambda: save(session, world, world.a1, spec), VoucherInvalid,
                            f"科目“{foreign.code}”不存在")
    # a shared first-level code resolves to the village's own account, never b1's
    with transaction(session):
        v = save(session, world, world.a1, BUY)
    assert {ln.account.village_id for ln in v.lines} == {world.a1.id}


def test_closed_period_refused(session, world, draft):
    draft(world.a1, MAY3, BUY)
    with transaction(session):
        session.execute(text("UPDATE period SET status = 'closed' WHERE village_id = :v AND ym = 202405"),
                        {"v": world.a1.id})
    refused_without_writing(session, lambda: save(session, world, world.a1, BUY, day=date(2024, 5, 31)),
                            LedgerError, "2024-05 已结账")
    # the same month of another village, and the next month, stay open
    with transaction(session):
        save(session, world, world.a2, BUY)
        save(session, world, world.a1, BUY, day=date(2024, 6, 1))


def test_closed_period_refuses_review_and_post(session, world, draft):
    v = draft(world.a1, MAY3, BUY)
    with transaction(session):
        service.review(session, voucher=v, village=world.a1, actor=world.user("reviewer"))
        session.execute(text("UPDATE period SET status = 'closed' WHERE village_id = :v"), {"v": world.a1.id})
    refused_without_writing(session, lambda: service.post(session, voucher=v, village=world.a1,
                                                          actor=world.user("accountant2")), LedgerError, "已结账")
    session.refresh(v)
    assert v.status == "reviewed" and v.number is None


def test_invalid_lines_refused_with_line_and_field(session, world):
    spec = (("a", "513", "5", ""), ("a", "101", "", "4"))
    exc = refused_without_writing(session, lambda: save(session, world, world.a1, spec), VoucherInvalid, "借贷不平衡")
    assert "借方合计 5.00" in str(exc)
    exc = refused_without_writing(session, lambda: save(session, world, world.a1, (("a", "513", "5", ""),)),
                                  VoucherInvalid, "至少需要两行")


def test_edit_replaces_lines(session, world, draft):
    v = draft(world.a1, MAY3, BUY)
    with transaction(session):
        save(session, world, world.a1, (("改", "511", "30", ""), ("改", "513", "20", ""), ("改", "102", "", "50")),
             day=date(2024, 5, 9), voucher=v)
    n = session.scalar(select(func.count()).select_from(VoucherLine).where(VoucherLine.voucher_id == v.id))
    assert n == 3 and v.total == Decimal("50.00") and v.voucher_date == date(2024, 5, 9)
    assert audit_count(session, "voucher.edit") == 1


# ---------------------------------------------------------------- review / post

def test_preparer_cannot_review(session, world, draft):
    v = draft(world.a1, MAY3, BUY)
    refused_without_writing(session, lambda: service.review(session, voucher=v, village=world.a1,
                                                            actor=world.user("accountant")), IllegalMove, "制单人")
    session.refresh(v)
    assert v.status == "draft" and v.reviewer_id is None


def test_the_preparer_does_not_post_and_an_editor_becomes_the_preparer(session, world, draft):
    """Four eyes that editing cannot walk around: whoever prepared or edited a voucher neither reviews nor
    posts it (the head included), and the printed 制单 is whoever prepared the content as it stands."""
    v = draft(world.a1, MAY3, BUY)  # prepared by the accountant
    with transaction(session):  # the head corrects it
        save(session, world, world.a1, BUY, voucher=v, actor="head")
    assert v.preparer_id == world.user("head").id
    assert service.signatures(session, v)[0] == "head"
    for who in ("head", "accountant"):  # neither the editor nor the first preparer reviews it
        refused_without_writing(session, lambda who=who: service.review(
            session, voucher=v, village=world.a1, actor=world.user(who)), IllegalMove, "修改过这张凭证的人")
    with transaction(session):
        service.review(session, voucher=v, village=world.a1, actor=world.user("reviewer"))
    for who in ("head", "accountant"):  # nor posts it
        refused_without_writing(session, lambda who=who: service.post(
            session, voucher=v, village=world.a1, actor=world.user(who)), IllegalMove, "记账人不能是制单人")
    with transaction(session):
        assert service.post(session, voucher=v, village=world.a1, actor=world.user("accountant2")) == 1


def test_draft_cannot_be_posted_and_unreview_returns_to_draft(session, world, draft):
    v = draft(world.a1, MAY3, BUY)
    with pytest.raises(IllegalMove):
        service.post(session, voucher=v, village=world.a1, actor=world.user("accountant"))
    with transaction(session):
        service.review(session, voucher=v, village=world.a1, actor=world.user("reviewer"))
    assert v.status == "reviewed" and v.reviewer_id == world.user("reviewer").id
    with transaction(session):
        service.unreview(session, voucher=v, village=world.a1, actor=world.user("reviewer"))
    assert v.status == "draft" and v.reviewer_id is None


def test_numbers_per_village_and_month(session, world, post_voucher):
    may = [post_voucher(world.a1, date(2024, 5, d), BUY) for d in (3, 9, 20)]
    june = post_voucher(world.a1, date(2024, 6, 1), BUY)
    may_again = post_voucher(world.a1, date(2024, 5, 31), BUY)
    other = post_voucher(world.a2, date(2024, 5, 3), BUY)
    b1 = post_voucher(world.b1, date(2024, 5, 3), BUY)
    assert [v.number for v in may] == [1, 2, 3]
    assert (june.number, may_again.number, other.number, b1.number) == (1, 4, 1, 1)
    assert may[2].label == "记-0003"
    assert [v.poster_id for v in may] == [world.user("accountant2").id] * 3


def test_failed_posting_leaves_no_gap(session, world, draft):
    v = draft(world.a1, MAY3, BUY)
    with transaction(session):
        service.review(session, voucher=v, village=world.a1, actor=world.user("reviewer"))
    with pytest.raises(RuntimeError), transaction(session):
        assert service.post(session, voucher=v, village=world.a1, actor=world.user("accountant2")) == 1
        raise RuntimeError("the request failed after posting")
    session.refresh(v)
    assert v.status == "reviewed" and v.number is None
    with transaction(session):
        assert service.post(session, voucher=v, village=world.a1, actor=world.user("accountant2")) == 1


# ---------------------------------------------------------------- posted is final

@pytest.mark.parametrize("sql", [
    "UPDATE voucher SET attachments = 9 WHERE id = :id",
    "UPDATE voucher SET status = 'draft' WHERE id = :id",
    "DELETE FROM voucher WHERE id = :id",
    "UPDATE voucher_line SET debit = debit + 1 WHERE voucher_id = :id AND line_no = 1",
    "UPDATE voucher_line SET summary = 'x' WHERE voucher_id = :id",
    "DELETE FROM voucher_line WHERE voucher_id = :id",
])
def test_posted_voucher_is_immutable_in_the_database(session, world, post_voucher, sql):
    v = post_voucher(world.a1, MAY3, BUY)
    with pytest.raises(DBAPIError, match="immutable|refused"), transaction(session):
        session.execute(text(sql), {"id": v.id})
    session.expire_all()
    assert session.get(Voucher, v.id).attachments == 0
    assert [(ln.summary, ln.debit) for ln in session.get(Voucher, v.id).lines] == [
        ("买文具", Decimal("100.00")), ("买文具", Decimal("0"))]


def test_draft_rows_can_still_change(session, world, draft):
    v = draft(world.a1, MAY3, BUY)
    with transaction(session):
        session.execute(text("UPDATE voucher SET attachments = 9 WHERE id = :id"), {"id": v.id})
        session.execute(text("UPDATE voucher_line SET summary = 'x' WHERE voucher_id = :id"), {"id": v.id})


def test_posted_voucher_cannot_be_edited_through_the_service(session, world, post_voucher):
    v = post_voucher(world.a1, MAY3, BUY)
    with pytest.raises(IllegalMove):
        save(session, world, world.a1, BUY, voucher=v)
    session.rollback()


# ---------------------------------------------------------------- audit

def test_each_step_writes_one_audit_row(session, world, draft):
    v = draft(world.a1, MAY3, BUY)
    with transaction(session):
        service.review(session, voucher=v, village=world.a1, actor=world.user("reviewer"))
    with transaction(session):
        service.post(session, voucher=v, village=world.a1, actor=world.user("accountant2"))
    counts = {a: audit_count(session, a) for a in ("voucher.create", "voucher.review", "voucher.post")}
    assert counts == {"voucher.create": 1, "voucher.review": 1, "voucher.post": 1}


def test_audit_row_rolls_back_with_the_change(session, world, draft):
    v = draft(world.a1, MAY3, BUY)
    with pytest.raises(RuntimeError), transaction(session):
        service.review(session, voucher=v, village=world.a1, actor=world.user("reviewer"))
        assert audit_count(session, "voucher.review") == 1  # same transaction, visible before commit
        raise RuntimeError
    assert audit_count(session, "voucher.review") == 0
    session.refresh(v)
    assert v.status == "draft"


def test_audit_log_is_append_only(session, world, draft):
    draft(world.a1, MAY3, BUY)
    for sql in ("UPDATE audit_event SET action = 'x'", "DELETE FROM audit_event"):
        with pytest.raises(DBAPIError, match="append-only"), transaction(session):
            session.execute(text(sql))
    assert audit_count(session, "voucher.create") == 1


# ---------------------------------------------------------------- delete_draft

def test_delete_draft(session, world, draft):
    v = draft(world.a1, MAY3, BUY)
    vid = v.id
    with transaction(session):
        service.delete_draft(session, voucher=v, village=world.a1, actor=world.user("accountant"))
    assert session.get(Voucher, vid) is None
    assert session.scalar(select(func.count()).select_from(VoucherLine).where(VoucherLine.voucher_id == vid)) == 0
    assert audit_count(session, "voucher.delete") == 1


def test_delete_refused_after_review_and_posting(session, world, draft, post_voucher):
    v = draft(world.a1, MAY3, BUY)
    with transaction(session):
        service.review(session, voucher=v, village=world.a1, actor=world.user("reviewer"))
    posted = post_voucher(world.a1, MAY3, BUY)
    for target in (v, posted):
        refused_without_writing(session, lambda t=target: service.delete_draft(
            session, voucher=t, village=world.a1, actor=world.user("accountant")), IllegalMove, "不能删除")
    assert session.get(Voucher, v.id) is not None and session.get(Voucher, posted.id) is not None
