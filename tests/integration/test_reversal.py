"""红字冲销: a reversal is a red draft referencing the original; once posted the accounts net to zero."""
from datetime import date
from decimal import Decimal

import pytest

from tests.conftest import lines
from tests.integration.conftest import audit_count, snapshot
from threeassets.core.db import transaction
from threeassets.core.errors import IllegalMove
from threeassets.ledger import service
from threeassets.ledger.chain import verify
from threeassets.ledger.rules import LedgerError
from threeassets.reports.service import trial_balance

D = Decimal
SPEC = (("付电费", "513", "80.00", ""), ("付电费", "511", "40.50", ""), ("付电费", "102", "", "120.50"))


def reverse(session, world, voucher, on=date(2024, 6, 2)):
    """Reverse a voucher as the accountant, committing."""
    with transaction(session):
        return service.reverse(session, voucher=voucher, village=world.a1, actor=world.user("accountant"), on=on)


def review_and_post(session, world, voucher):
    """Review (reviewer) and post (accountant2) a draft, committing."""
    with transaction(session):
        service.review(session, voucher=voucher, village=world.a1, actor=world.user("reviewer"))
        return service.post(session, voucher=voucher, village=world.a1, actor=world.user("accountant2"))


def test_reversal_is_a_red_draft_of_the_original(session, world, post_voucher):
    original = post_voucher(world.a1, date(2024, 5, 3), SPEC)
    red = reverse(session, world, original)
    assert red.status == "draft" and red.number is None and red.reverses_id == original.id
    assert red.ym == 202406 and red.voucher_date == date(2024, 6, 2) and red.total == D("-120.50")
    assert [(ln.account.code, ln.debit, ln.credit) for ln in red.lines] == [
        ("513", D("-80.00"), D("0")), ("511", D("-40.50"), D("0")), ("102", D("0"), D("-120.50"))]
    assert all(ln.summary.startswith("冲销记-0001：") for ln in red.lines)
    assert red.preparer_id == world.user("accountant").id
    assert audit_count(session, "voucher.reverse") == 1
    assert service.reversal_of(session, original).id == red.id


def test_second_reversal_refused(session, world, post_voucher):
    original = post_voucher(world.a1, date(2024, 5, 3), SPEC)
    reverse(session, world, original)
    before = snapshot(session)
    with pytest.raises(IllegalMove, match="已被冲销"):
        reverse(session, world, original)
    assert snapshot(session) == before


def test_reversal_can_be_redone_after_its_draft_is_deleted(session, world, post_voucher):
    original = post_voucher(world.a1, date(2024, 5, 3), SPEC)
    red = reverse(session, world, original)
    with transaction(session):
        service.delete_draft(session, voucher=red, village=world.a1, actor=world.user("accountant"))
    again = reverse(session, world, original)
    assert again.reverses_id == original.id


def test_reversal_of_a_reversal_refused(session, world, post_voucher):
    original = post_voucher(world.a1, date(2024, 5, 3), SPEC)
    red = reverse(session, world, original)
    assert review_and_post(session, world, red) == 1  # first voucher of June
    before = snapshot(session)
    with pytest.raises(IllegalMove, match="冲销凭证不能再被冲销"):
        reverse(session, world, red, on=date(2024, 7, 1))
    assert snapshot(session) == before


def test_reversal_cannot_predate_the_original(session, world, post_voucher):
    original = post_voucher(world.a1, date(2024, 5, 3), SPEC)
    before = snapshot(session)
    with pytest.raises(LedgerError, match="不能早于原凭证日期 2024-05-03"):
        reverse(session, world, original, on=date(2024, 5, 2))
    assert snapshot(session) == before
    assert reverse(session, world, original, on=date(2024, 5, 3)).ym == 202405  # the same day is fine


def test_only_posted_vouchers_can_be_reversed(session, world, draft):
    v = draft(world.a1, date(2024, 5, 3), SPEC)
    with pytest.raises(IllegalMove):
        reverse(session, world, v)


def test_reversal_draft_cannot_be_edited(session, world, post_voucher):
    red = reverse(session, world, post_voucher(world.a1, date(2024, 5, 3), SPEC))
    with pytest.raises(IllegalMove, match="系统生成"), transaction(session):
        service.save_draft(session, village=world.a1, actor=world.user("accountant"), voucher_date=date(2024, 6, 2),
                           attachments=0, lines=lines(*SPEC), voucher=red)


def test_reversal_into_a_closed_period_refused(session, world, post_voucher):
    original = post_voucher(world.a1, date(2024, 5, 3), SPEC)
    service.open_period(session, world.a1.id, 202406).status = "closed"
    session.commit()
    with pytest.raises(LedgerError, match="2024-06 已结账"):
        reverse(session, world, original)
    assert service.reversal_of(session, original) is None


def test_posted_reversal_nets_the_accounts_to_zero(session, world, post_voucher):
    original = post_voucher(world.a1, date(2024, 5, 3), SPEC)
    post_voucher(world.a1, date(2024, 5, 4), (("取现", "101", "10", ""), ("取现", "102", "", "10")))
    red = reverse(session, world, original)
    review_and_post(session, world, red)
    assert red.status == "posted" and red.label == "记-0001"

    may = {r.code: r for r in trial_balance(session, [world.a1.id], 202405, 202405)}
    assert (may["513"].debit, may["511"].debit, may["102"].credit) == (D("80.00"), D("40.50"), D("130.50"))

    june = {r.code: r for r in trial_balance(session, [world.a1.id], 202406, 202406)}
    # June alone shows the red amounts against the May balances
    assert (june["513"].opening, june["513"].debit, june["513"].closing) == (D("80.00"), D("-80.00"), D("0"))
    assert (june["102"].opening, june["102"].credit, june["102"].closing) == (D("-130.50"), D("-120.50"), D("-10.00"))

    both = {r.code: r for r in trial_balance(session, [world.a1.id], 202405, 202406)}
    assert "513" not in both and "511" not in both  # every column is zero, so the rows drop out
    assert both["102"].cells() == (0, 0, 0, D("10.00"), 0, D("10.00"))
    assert both["101"].cells() == (0, 0, D("10.00"), 0, D("10.00"), 0)
    assert verify(session) == ([], 3)


def test_a_long_generated_voucher_is_reversed_and_posted(session, world):
    """The 200-line limit is a rule of entry: the red copy of a generated voucher with a line per account (an
    opening voucher of many counterparties) is posted like the original was."""
    from threeassets.ledger.models import Account
    from threeassets.ledger.posting import post_new
    from threeassets.ledger.rules import MAX_LINES
    cash = session.query(Account).filter_by(village_id=world.a1.id, code="101").one()
    income = session.query(Account).filter_by(village_id=world.a1.id, code="501").one()
    many = [(cash, f"期初余额{n}", D("1.00"), D("0")) for n in range(MAX_LINES)]
    many.append((income, "期初余额", D("0"), D(MAX_LINES)))
    with transaction(session):
        original = post_new(session, village=world.a1, on=date(2024, 5, 3), kind="opening", lines=many,
                            actor=world.user("accountant"))
    assert len(original.lines) == MAX_LINES + 1 and original.status == "posted"
    red = reverse(session, world, original)
    assert review_and_post(session, world, red) == 1 and red.status == "posted"
    assert verify(session, None)[0] == []
