"""Claim services on the database: draft → submit → 接件 → 受理 (voucher draft with receipts) or 退回 → resubmit."""
from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from tests.integration.conftest import audit_count
from threeassets.attachments.models import Attachment
from threeassets.claims import service
from threeassets.claims.models import Claim
from threeassets.claims.rules import ClaimInput, LineDraft, account_refusal
from threeassets.core.db import transaction
from threeassets.core.errors import IllegalMove, RuleError
from threeassets.ledger.models import Account, Voucher
from threeassets.windows import service as windows
from threeassets.windows.catalogue import ensure_default_catalogue
from threeassets.windows.rules import Mark

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010800000000"
                    "3a7e9b550000000a49444154789c6360000000020001e221bc330000000049454e44ae426082")
TODAY = date.today()


def claim_input(*lines, pay_method="bank", **kw) -> ClaimInput:
    """A complete claim form; lines are (purpose, code, amount, invoice)."""
    lines = lines or (("村部办公用纸", "513", "320.00", "vat"), ("村道路灯维修", "514", "1180.50", "vat"))
    base = dict(payee="县城文具店", payee_kind="firm", payee_account="6222 0210 0012 3456 789", pay_method=pay_method,
                occurred_on=TODAY, contact_phone="13800001111", handler_name="李会计", oversight_name="王理财",
                head_name="赵主任", signed_on=TODAY,
                lines=tuple(LineDraft(p, c, D(a), i) for p, c, a, i in lines))
    return ClaimInput(**(base | kw))


@pytest.fixture
def catalogue(session, world):
    with transaction(session):
        ensure_default_catalogue(session, world.township_a)


@pytest.fixture
def make_claim(session, world):
    """Save (and by default submit) a claim of a village with one receipt, as its village accountant."""
    def _make(village=None, data=None, submit=True, receipts=(("发票.png", PNG),)):
        village = village or world.a1
        actor = world.user("vacct")
        with transaction(session):
            claim = service.save(session, village=village, actor=actor, data=data or claim_input())
            for name, blob in receipts:
                service.attachments.store(session, village_id=village.id, owner_type="claim", owner_id=claim.id,
                                          filename=name, data=blob, actor=actor)
        if submit:
            with transaction(session):
                service.submit(session, claim=claim, village=village, actor=actor)
        return claim
    return _make


def receive(session, world, claim):
    with transaction(session):
        return service.receive(session, claim=claim, actor=world.user("clerk"))


def tick_all(session, world, case):
    with transaction(session):
        windows.record_materials(session, case, world.user("clerk"),  # what the claim excuses stays excused
                                 {m.id: (True, True) for m in case.checklist if not m.not_applicable})


def test_draft_totals_and_white_slip(session, make_claim):
    claim = make_claim(data=claim_input(("茶叶", "513", "50", "receipt"), ("水", "513", "20.10", "vat")),
                       submit=False)
    assert claim.status == "draft" and claim.total == D("70.10") and claim.white_slip
    assert [ln.seq for ln in claim.lines] == [1, 2] and claim.number == ""


def test_submit_numbers_and_locks(session, world, make_claim):
    first, second = make_claim(), make_claim()
    assert first.status == "submitted" and first.number == f"A1-BZ{TODAY.year}-0001"
    assert second.number == f"A1-BZ{TODAY.year}-0002"
    assert first.submitted_by_id == world.user("vacct").id
    with pytest.raises(IllegalMove), transaction(session):
        service.save(session, village=world.a1, actor=world.user("vacct"), data=claim_input(), claim=first)
    assert audit_count(session, "claim.submit") == 2


@pytest.mark.parametrize("line, field, message", [
    (("打印", "999", "10", "vat"), "lines-0-account_code", "第1行：本村没有科目 999，请输入编码或名称从列表中选择"),
    (("打印", "", "10", "vat"), "lines-0-account_code", "第1行：请选择建议科目"),
    (("打印", "501", "10", "vat"), "lines-0-account_code",
     "第1行：501 经营收入是收入类科目，不能作为建议科目，请选择支出、成本、资产或负债类的末级科目"),
    (("打印", "101", "10", "vat"), "lines-0-account_code",
     "第1行：101 库存现金是付款的科目（报账款从现金或银行付出），不能作为建议科目，"
     "请选择支出、成本、资产或负债类的末级科目"),
    (("", "513", "10", "vat"), "lines-0-purpose", "第1行：用途不能为空"),
    (("打印", "513", "0", "vat"), "lines-0-amount", "第1行：金额应大于零"),
])
def test_submit_refuses_bad_lines_naming_line_and_field(session, world, make_claim, line, field, message):
    claim = make_claim(data=claim_input(line), submit=False)
    with pytest.raises(RuleError) as exc, transaction(session):
        service.submit(session, claim=claim, village=world.a1, actor=world.user("vacct"))
    assert exc.value.fields[field] == message
    session.refresh(claim)
    assert claim.status == "draft" and claim.number == ""


def test_parent_account_is_refused_on_submit(session, world, make_claim, sub_account):
    sub_account(world.a1, "513", "01", "办公费")
    claim = make_claim(data=claim_input(("纸", "513", "10", "vat")), submit=False)
    with pytest.raises(RuleError, match="513 管理费用下设明细科目，请选择其下的末级科目"), transaction(session):
        service.submit(session, claim=claim, village=world.a1, actor=world.user("vacct"))


def test_another_villages_sub_account_is_refused(session, world, make_claim, sub_account):
    sub_account(world.a2, "513", "07", "别村明细")
    claim = make_claim(data=claim_input(("纸", "51307", "10", "vat")), submit=False)
    with pytest.raises(RuleError, match="本村没有科目 51307"), transaction(session):
        service.submit(session, claim=claim, village=world.a1, actor=world.user("vacct"))


def test_submit_needs_signoffs_receipts_and_bank_account(session, world, make_claim):
    data = claim_input(handler_name="", signed_on=None, payee_account="", contact_phone="")
    claim = make_claim(data=data, submit=False, receipts=())
    with pytest.raises(RuleError) as exc, transaction(session):
        service.submit(session, claim=claim, village=world.a1, actor=world.user("vacct"))
    assert set(exc.value.fields) == {"handler_name", "signed_on", "payee_account", "contact_phone", "receipts"}


def test_receive_opens_a_case_with_the_village_accountant(session, world, catalogue, make_claim):
    claim = make_claim()
    case = receive(session, world, claim)
    assert claim.status == "received"
    assert (case.claim_id, case.village_id, case.state) == (claim.id, world.a1.id, "intake")
    assert case.applicant_name == world.user("vacct").display_name and case.applicant_phone == "13800001111"
    assert case.owner_id == world.user("clerk").id
    got = {m.name: (m.received, m.original_seen) for m in case.checklist}
    assert got == {"村级报账单（经办人、民主理财小组、村主任签字）": (True, False),  # scans: originals unseen
                   "原始票据（发票、财政票据等）": (True, False), "收款方银行账户信息": (True, False),
                   "支出审批单（大额支出附“四议两公开”会议记录）": (False, False)}  # paper the clerk must see
    with pytest.raises(IllegalMove), transaction(session):
        service.receive(session, claim=claim, actor=world.user("clerk"))


def test_receive_without_catalogue_item_writes_nothing(session, world, make_claim):
    from threeassets.windows.catalogue import item_by_code
    claim = make_claim()
    with transaction(session):
        item_by_code(session, world.township_a.id, "claim").code = "claim-old"  # the head renamed it away
    with pytest.raises(RuleError, match="村级报账"), transaction(session):
        service.receive(session, claim=claim, actor=world.user("clerk"))
    session.refresh(claim)
    assert claim.status == "submitted"


def test_accept_writes_voucher_draft_with_receipts(session, world, catalogue, make_claim):
    receipts = (("发票1.png", PNG), ("发票2.pdf", b"%PDF-1.4 test"))
    claim = make_claim(receipts=receipts)
    case = receive(session, world, claim)
    tick_all(session, world, case)
    with transaction(session):
        windows.accept(session, case, world.user("clerk"))
    assert claim.status == "accepted" and claim.voucher_id
    voucher = session.get(Voucher, claim.voucher_id)
    assert voucher.status == "draft" and voucher.total == D("1500.50") and voucher.attachments == 2
    assert voucher.voucher_date == case.accepted_on
    rows = [(ln.summary, ln.account.code, ln.debit, ln.credit) for ln in voucher.lines]
    assert rows == [("村部办公用纸", "513", D("320.00"), D("0.00")), ("村道路灯维修", "514", D("1180.50"), D("0.00")),
                    (f"付县城文具店报账款 {claim.number}", "102", D("0.00"), D("1500.50"))]
    copied = session.scalars(select(Attachment).where(Attachment.owner_type == "voucher",
                                                      Attachment.owner_id == voucher.id).order_by(Attachment.id))
    assert [(a.filename, a.village_id) for a in copied] == [("发票1.png", world.a1.id), ("发票2.pdf", world.a1.id)]
    assert audit_count(session, "claim.accept") == 1


def test_cash_claim_credits_first_leaf_of_101(session, world, catalogue, make_claim, sub_account):
    sub_account(world.a1, "101", "01", "村部现金")
    sub_account(world.a1, "101", "02", "备用金")
    claim = make_claim(data=claim_input(("误餐", "513", "60", "none"), pay_method="cash", payee_account=""))
    case = receive(session, world, claim)
    tick_all(session, world, case)
    with transaction(session):
        windows.accept(session, case, world.user("clerk"))
    voucher = session.get(Voucher, claim.voucher_id)
    assert [ln.account.code for ln in voucher.lines] == ["513", "10101"]
    assert claim.white_slip


def test_accept_in_a_closed_month_writes_nothing(session, world, catalogue, make_claim, monkeypatch):
    from threeassets.ledger import service as ledger
    claim = make_claim()
    case = receive(session, world, claim)
    tick_all(session, world, case)
    monkeypatch.setattr(ledger, "open_period", lambda *a, **k: (_ for _ in ()).throw(
        ledger.LedgerError("会计期间已结账")))
    before = session.scalar(select(func.count()).select_from(Voucher))
    with pytest.raises(RuleError, match="不能生成凭证草稿"), transaction(session):
        windows.accept(session, case, world.user("clerk"))
    session.refresh(claim)
    session.refresh(case)
    assert (claim.status, case.state) == ("received", "intake")
    assert session.scalar(select(func.count()).select_from(Voucher)) == before


def test_reject_returns_claim_with_reason_then_resubmit(session, world, catalogue, make_claim):
    claim = make_claim()
    case = receive(session, world, claim)
    with transaction(session):
        windows.reject(session, case, world.user("clerk"), "第2行路灯维修无发票，请补开增值税发票")
    assert claim.status == "returned" and claim.return_reason == "第2行路灯维修无发票，请补开增值税发票"
    with transaction(session):
        service.save(session, village=world.a1, actor=world.user("vacct"),
                     data=claim_input(("村部办公用纸", "513", "320.00", "vat")), claim=claim)
        service.submit(session, claim=claim, village=world.a1, actor=world.user("vacct"))
    assert claim.status == "submitted" and claim.total == D("320.00")
    assert claim.number == f"A1-BZ{TODAY.year}-0001"  # the number stays with the claim
    second = receive(session, world, claim)
    assert second.id != case.id and service.case_of(session, claim).id == second.id


def test_delete_draft_removes_receipts(session, world, make_claim):
    claim = make_claim(submit=False)
    with transaction(session):
        service.delete(session, claim=claim, actor=world.user("vacct"))
    assert session.scalar(select(func.count()).select_from(Claim)) == 0
    assert session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_receipt_removal_only_on_editable_claims(session, world, make_claim):
    claim = make_claim()
    att = service.receipts_of(session, claim)[0]
    with pytest.raises(IllegalMove), transaction(session):
        service.remove_receipt(session, claim=claim, attachment_id=att.id, actor=world.user("vacct"))


def test_claim_accounts_are_leaves_of_the_village(session, world, sub_account):
    sub_account(world.a1, "513", "01", "办公费")
    sub_account(world.a1, "102", "01", "农商行")
    codes = [c for c, _ in service.claim_accounts(session, world.a1.id)]
    every = session.scalars(select(Account.code).where(Account.village_id == world.a1.id))
    facts = service.account_facts(session, world.a1.id, every)
    # the picker offers exactly what the line check accepts
    assert codes == sorted(c for c, fact in facts.items() if account_refusal(c, fact) is None)
    assert "51301" in codes and "513" not in codes and "514" in codes and "151" in codes
    assert not any(c.startswith(("101", "102", "5")) and c[:3] in ("501", "502", "503", "504") for c in codes)
    assert "101" not in codes and "102" not in codes
    assert session.scalar(select(func.count()).select_from(Account).where(Account.village_id == world.a2.id,
                                                                          Account.code == "51301")) == 0


def test_the_claims_voucher_waits_for_an_accountant_who_becomes_its_preparer(session, world, catalogue, make_claim):
    from threeassets.ledger import service as ledger
    from threeassets.ledger.rules import UNPREPARED, LineInput
    claim = make_claim()
    case = receive(session, world, claim)
    tick_all(session, world, case)
    with transaction(session):
        windows.accept(session, case, world.user("clerk"))
    voucher = session.get(Voucher, claim.voucher_id)
    assert voucher.preparer_id is None  # not the window clerk who accepted the case
    assert ledger.signatures(session, voucher)[0] == "（待代理会计核对保存）"
    with pytest.raises(RuleError, match=UNPREPARED), transaction(session):
        ledger.review(session, voucher=voucher, village=world.a1, actor=world.user("reviewer"))
    lines = [LineInput(ln.summary, ln.account.code, ln.debit, ln.credit) for ln in voucher.lines]
    with transaction(session):  # the agency accountant checks it and saves it unchanged
        ledger.save_draft(session, village=world.a1, actor=world.user("accountant"), voucher=voucher,
                          voucher_date=voucher.voucher_date, attachments=voucher.attachments, lines=lines)
    assert voucher.preparer_id == world.user("accountant").id
    assert ledger.signatures(session, voucher)[0] == world.user("accountant").display_name
    with transaction(session):
        ledger.review(session, voucher=voucher, village=world.a1, actor=world.user("reviewer"))
    assert voucher.status == "reviewed"


BANK = "收款方银行账户信息"  # 视情形提交: 转账支付时提供


def test_a_cash_claims_case_needs_no_bank_details_and_is_accepted_once_the_notice_is_met(
        session, world, catalogue, make_claim):
    """The window's defect: a cash claim's case could not be accepted without ticking bank details that do not
    exist. The claim decides: not applicable, shown why, and neither blocking 受理 nor on the notice."""
    claim = make_claim(data=claim_input(("误餐", "513", "60", "none"), pay_method="cash", payee_account=""))
    case = receive(session, world, claim)
    bank = next(m for m in case.checklist if m.name == BANK)
    assert (bank.requirement, bank.not_applicable, bank.received, bank.decided_by) == \
        ("conditional", True, False, "报账单为现金支付")
    missing = windows.missing_of(case)
    assert BANK not in " ".join(missing) and "支出审批单（大额支出附“四议两公开”会议记录）" in missing
    clerk = world.user("clerk")
    with transaction(session):
        windows.notify_missing(session, case, clerk, missing)
    with pytest.raises(RuleError, match="本件不需提交（报账单为现金支付），不能改为需要"), transaction(session):
        windows.record_materials(session, case, clerk, {bank.id: (True, False)})
    session.rollback()
    with transaction(session):  # everything the notice asked for is brought: the clerk ticks those rows
        windows.record_materials(session, case, clerk, {m.id: (True, True) for m in case.checklist
                                                         if any(x.startswith(m.name) for x in missing)})
        windows.accept(session, case, clerk)
    assert case.state == "accepted" and claim.status == "accepted" and claim.voucher_id is not None
    assert windows.not_applicable_of(case) == [BANK]


def test_a_bank_transfer_claims_bank_details_apply_and_come_with_the_claim(session, world, catalogue, make_claim):
    case = receive(session, world, make_claim())
    bank = next(m for m in case.checklist if m.name == BANK)
    assert (bank.not_applicable, bank.received, bank.decided_by) == (False, True, "报账单为银行转账支付")
    with pytest.raises(RuleError, match="本件需要提交（报账单为银行转账支付），不能标为不适用"), transaction(session):
        windows.record_materials(session, case, world.user("clerk"), {bank.id: Mark(not_applicable=True)})


def test_bank_details_the_township_requires_always_stay_required(session, world, catalogue, make_claim):
    from threeassets.windows.catalogue import item_by_code
    with transaction(session):
        next(m for m in item_by_code(session, world.township_a.id, "claim").materials
             if m.name == BANK).requirement = "always"
    claim = make_claim(data=claim_input(("误餐", "513", "60", "vat"), pay_method="cash", payee_account=""))
    case = receive(session, world, claim)
    bank = next(m for m in case.checklist if m.name == BANK)
    assert (bank.requirement, bank.not_applicable, bank.decided_by) == ("always", False, "")
    assert BANK in windows.missing_of(case)

# ---------------------------------------------------------------- dates, every problem at once

def test_impossible_dates_are_refused_by_save_and_submit(session, world, make_claim):
    from datetime import timedelta
    vacct = world.user("vacct")
    future = claim_input(occurred_on=TODAY + timedelta(days=1), signed_on=TODAY)
    with pytest.raises(RuleError) as exc, transaction(session):
        service.save(session, village=world.a1, actor=vacct, data=future)
    assert exc.value.fields == {"occurred_on": "发生日期不能晚于今天"}
    backwards = claim_input(occurred_on=date(2020, 1, 1), signed_on=date(2019, 1, 1))
    with pytest.raises(RuleError) as exc, transaction(session):
        service.save(session, village=world.a1, actor=vacct, data=backwards, today=date(2021, 6, 1))
    assert exc.value.fields == {"signed_on": "签字日期不能早于发生日期 2020-01-01"}
    assert session.scalar(select(func.count()).select_from(Claim)) == 0
    claim = make_claim(submit=False, data=claim_input(signed_on=TODAY))
    with pytest.raises(RuleError) as exc, transaction(session):  # the day after: a claim signed "tomorrow"
        service.submit(session, claim=claim, village=world.a1, actor=vacct, today=TODAY - timedelta(days=1))
    assert set(exc.value.fields) == {"occurred_on", "signed_on"}
    session.refresh(claim)
    assert claim.status == "draft"


def test_form_problems_name_everything_at_once(session, world, sub_account):
    sub_account(world.a1, "513", "01", "办公费")
    data = claim_input(("纸", "101", "10", "vat"), ("墨盒", "513", "5", "vat"), payee_account="123",
                       handler_name="", occurred_on=date(2027, 3, 1), signed_on=date(2026, 12, 7))
    got = service.form_problems(session, village=world.a1, data=data, receipts=0, submitting=True,
                                today=date(2026, 12, 7))
    assert set(got) == {"payee_account", "handler_name", "occurred_on", "receipts", "lines-0-account_code",
                        "lines-1-account_code"}
    draft = service.form_problems(session, village=world.a1, data=data, receipts=0, submitting=False,
                                  today=date(2026, 12, 7))
    assert draft == {"occurred_on": "发生日期不能晚于今天"}  # a draft needs less, but never an impossible date


# ---------------------------------------------------------------- receipts held for a form that came back

def _hold(session, world, user="vacct", village=None, files=(("发票.png", PNG),), keep=(), now=None):
    from datetime import datetime
    with transaction(session):
        return service.hold_receipts(session, village_id=(village or world.a1).id, actor=world.user(user),
                                     files=list(files), keep=list(keep), now=now or datetime.now())


def test_held_receipts_join_the_claim_saved_from_the_form(session, world):
    from datetime import datetime
    held = _hold(session, world)
    assert [(a.owner_type, a.owner_id) for a in held] == [("claim:held", world.user("vacct").id)]
    assert audit_count(session, "attachment.add") == 0  # nothing owns them yet
    now = datetime.now()
    got = service.held_receipts(session, village_id=world.a1.id, actor=world.user("vacct"), ids=[held[0].id], now=now)
    with transaction(session):
        claim = service.save(session, village=world.a1, actor=world.user("vacct"), data=claim_input())
        service.attach_receipts(session, claim=claim, files=[("收据.pdf", b"%PDF-1.4 x")], held=got,
                                actor=world.user("vacct"), now=now)
    assert [a.filename for a in service.receipts_of(session, claim)] == ["发票.png", "收据.pdf"]
    assert audit_count(session, "attachment.add") == 2
    with transaction(session):
        service.submit(session, claim=claim, village=world.a1, actor=world.user("vacct"))
    assert claim.status == "submitted"


def test_held_receipts_are_the_users_own_in_the_village_and_expire(session, world):
    from datetime import datetime, timedelta

    from threeassets.attachments.service import HOLD_FOR
    now = datetime.now()
    mine = _hold(session, world, now=now)[0].id
    ids = [mine]
    assert service.held_receipts(session, village_id=world.a2.id, actor=world.user("vacct"), ids=ids, now=now) == []
    assert service.held_receipts(session, village_id=world.a1.id, actor=world.user("board"), ids=ids,
                                 now=now) == []  # another user of the village
    later = now + HOLD_FOR + timedelta(seconds=1)
    assert service.held_receipts(session, village_id=world.a1.id, actor=world.user("vacct"), ids=ids,
                                 now=later) == []
    _hold(session, world, village=world.a2, now=later)  # a hold in another village purges nothing here
    assert session.get(Attachment, mine) is not None
    _hold(session, world, user="board", now=later)  # anyone's hold in the village deletes its expired files
    session.expire_all()
    assert session.get(Attachment, mine) is None


def test_holding_again_replaces_the_users_set_and_keeps_what_is_kept(session, world):
    from datetime import datetime
    now = datetime.now()
    first = _hold(session, world, files=(("一.png", PNG), ("二.png", PNG)), now=now)
    second = _hold(session, world, files=(("三.png", PNG),), keep=first[:1], now=now)
    assert [a.filename for a in second] == ["一.png", "三.png"]
    left = session.scalars(select(Attachment.filename).where(Attachment.owner_type == "claim:held")
                           .order_by(Attachment.id)).all()
    assert left == ["一.png", "三.png"]
    with pytest.raises(RuleError, match="只接受 JPG、PNG 图片或 PDF 文件") as refused:
        _hold(session, world, files=(("好.png", PNG), ("假.png", b"text"), ("也假.pdf", b"text")))
    assert "假.png" in str(refused.value) and "也假.pdf" in str(refused.value)  # every refused file, at once
    assert list(refused.value.fields) == ["files"]
    assert session.scalars(select(Attachment.filename).where(Attachment.owner_type == "claim:held")
                           .order_by(Attachment.id)).all() == ["一.png", "三.png"]  # nothing held, nothing dropped


def test_a_held_receipt_is_not_downloadable(session, world):
    from threeassets.attachments.rules import read_refusal
    from threeassets.core import hooks
    att = _hold(session, world)[0]
    answers = hooks.answers(hooks.attachment_owner, att, session=session, role="village_accountant")
    assert read_refusal(answers, {"claims.read", "attachments.read", "books.read"}) == 404
