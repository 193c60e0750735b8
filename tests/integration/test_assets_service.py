"""Register actions post the right vouchers; the trial balance stays balanced; refusals write nothing."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.integration.conftest import snapshot
from threeassets.assets import depreciation, disposal, service
from threeassets.assets.models import Asset, AssetChange
from threeassets.assets.reconcile import reconciliation
from threeassets.assets.rules import parse_card
from threeassets.core.db import transaction
from threeassets.core.errors import IllegalMove, RuleError
from threeassets.decisions.models import DecisionRecord
from threeassets.decisions.rules import DecisionInput
from threeassets.ledger.models import Account, Voucher, VoucherLine
from threeassets.reports.service import tb_totals, trial_balance

D = Decimal
TODAY = date.today()
YM = TODAY.year * 100 + TODAY.month
FULL = DecisionInput(subject="处置旧农机", proposal_on=date(2024, 1, 2), committees_on=date(2024, 1, 5),
                     members_on=date(2024, 1, 8), resolution_on=date(2024, 1, 10), votes_for=30, votes_against=2,
                     votes_abstain=1, attendees=35, notice_from=date(2024, 1, 11), notice_to=date(2024, 1, 18),
                     result_notice_on=date(2024, 2, 1))


def card(**kw):
    raw = {"code": "F001", "name": "拖拉机", "category": "机器设备", "acquired_on": "2020-01-15",
           "original_cost": "12000.00", "useful_life_months": "120", "salvage_rate": "0",
           "accumulated_depreciation": "0", "purpose": "operating"}
    raw.update(kw)
    c, problems = parse_card(raw, TODAY)
    assert problems == {}
    return c


def add(session, world, funding="existing", **kw):
    with transaction(session):
        return service.create_card(session, village=world.a1, card=card(**kw), funding=funding,
                                   actor=world.user("accountant"))


def voucher_lines(session, voucher_id):
    q = (select(Account.code, VoucherLine.debit, VoucherLine.credit).join(Account, Account.id == VoucherLine.account_id)
         .where(VoucherLine.voucher_id == voucher_id).order_by(VoucherLine.line_no))
    return [(c, d, cr) for c, d, cr in session.execute(q)]


def balanced(session, village):
    t = tb_totals(trial_balance(session, [village.id], YM, YM))
    assert t[0] == t[1] and t[2] == t[3] and t[4] == t[5]


def test_registering_against_existing_balances_posts_nothing(session, world):
    before = session.scalar(select(func.count()).select_from(Voucher))
    a = add(session, world)
    assert session.scalar(select(func.count()).select_from(Voucher)) == before
    kinds = [c.kind for c, _v in service.history(session, a)]
    assert kinds == ["acquisition"]


def test_purchase_posts_151_against_bank(session, world):
    a = add(session, world, funding="bank", acquired_on=TODAY.isoformat())
    [(ch, v)] = service.history(session, a)
    assert v.kind == "asset_purchase" and v.status == "posted"
    assert voucher_lines(session, v.id) == [("151", D("12000.00"), 0), ("102", 0, D("12000.00"))]
    balanced(session, world.a1)
    assert reconciliation(session, world.a1.id).clean


def test_purchase_with_accumulated_depreciation_is_refused(session, world):
    with pytest.raises(RuleError):
        add(session, world, funding="cash", accumulated_depreciation="10")
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Asset)) == 0


def test_duplicate_code_is_refused(session, world):
    add(session, world)
    with pytest.raises(RuleError, match="已存在"):
        add(session, world, name="另一台")


def _run(session, world, ym=YM):
    with transaction(session):
        return depreciation.run(session, village=world.a1, ym=ym, actor=world.user("accountant"))


def test_depreciation_posts_one_voucher_by_purpose(session, world):
    add(session, world, code="F1", purpose="operating")  # 100/month
    add(session, world, code="F2", purpose="welfare", original_cost="24000.00")  # 200/month
    add(session, world, code="F3", purpose="management", original_cost="6000.00")  # 50/month
    add(session, world, code="F4", depreciate="否")
    v = _run(session, world)
    assert v.kind == "depreciation"
    assert voucher_lines(session, v.id) == [("511", D("100.00"), 0), ("513", D("50.00"), 0),
                                            ("514", D("200.00"), 0), ("152", 0, D("350.00"))]
    cards = {a.code: a for a in session.scalars(select(Asset))}
    assert cards["F1"].accumulated_depreciation == D("100.00") and cards["F1"].depreciated_through == YM
    assert cards["F4"].accumulated_depreciation == 0
    assert session.scalar(select(func.count()).select_from(AssetChange).where(
        AssetChange.kind == "depreciation")) == 3
    balanced(session, world.a1)


def test_depreciation_only_once_per_period(session, world):
    add(session, world)
    _run(session, world)
    before = snapshot(session)
    with pytest.raises(RuleError, match="每期只能计提一次"):
        _run(session, world)
    session.rollback()
    assert snapshot(session) == before


def test_depreciation_refuses_an_earlier_month_after_a_later_one(session, world):
    add(session, world)
    _run(session, world)
    prev = YM - 1 if YM % 100 != 1 else YM - 89
    with pytest.raises(RuleError, match="更早"):
        _run(session, world, prev)


def test_depreciation_with_nothing_to_do_is_refused(session, world):
    add(session, world, acquired_on=TODAY.isoformat())
    p = depreciation.preview(session, world.a1.id, YM)
    assert p.total == 0 and "下月起提" in p.rows[0].reason
    with pytest.raises(RuleError, match="没有需要计提"):
        _run(session, world)


def test_transfer_changes_fields_without_voucher(session, world):
    a = add(session, world)
    before = session.scalar(select(func.count()).select_from(Voucher))
    with transaction(session):
        service.transfer(session, village=world.a1, asset=a, on=TODAY, status="leased", purpose="welfare",
                         location="二组仓库", custodian="张三", actor=world.user("accountant"))
    assert (a.status, a.purpose, a.location) == ("leased", "welfare", "二组仓库")
    assert session.scalar(select(func.count()).select_from(Voucher)) == before


@pytest.mark.parametrize("appraised, lines", [
    ("15000.00", [("151", D("3000.00"), 0), ("311", 0, D("3000.00"))]),
    ("9000.00", [("515", D("3000.00"), 0), ("151", 0, D("3000.00"))]),
])
def test_revaluation(session, world, appraised, lines):
    a = add(session, world)
    with transaction(session):
        row = service.revalue(session, village=world.a1, asset=a, on=TODAY, appraised=D(appraised),
                              actor=world.user("accountant"))
    assert voucher_lines(session, row.voucher_id) == lines
    assert a.original_cost - a.accumulated_depreciation == D(appraised)
    balanced(session, world.a1)


def _dispose(session, world, a, method="sale", proceeds="5000.00", decision=FULL, actor="accountant"):
    with transaction(session):
        return disposal.submit(session, village=world.a1, asset=a,
                               d=disposal.DisposalInput(method, TODAY, D(proceeds), "bank", "王五"),
                               decision=decision, actor=world.user(actor))


def test_disposal_by_sale_with_a_gain(session, world):
    a = add(session, world, accumulated_depreciation="8000.00")  # net 4000
    row = _dispose(session, world, a, proceeds="5000.00")
    assert a.status == "disposed" and row.status == "done"
    v1, v2, v3 = disposal.voucher_ids(row)
    assert voucher_lines(session, v1) == [("154", D("4000.00"), 0), ("152", D("8000.00"), 0),
                                          ("151", 0, D("12000.00"))]
    assert voucher_lines(session, v2) == [("102", D("5000.00"), 0), ("154", 0, D("5000.00"))]
    assert voucher_lines(session, v3) == [("154", D("1000.00"), 0), ("504", 0, D("1000.00"))]
    balanced(session, world.a1)
    rows = {r.code: r for r in trial_balance(session, [world.a1.id], YM, YM, include_zero=True)}
    assert rows["154"].closing == 0


def test_write_off_with_a_loss(session, world):
    a = add(session, world, accumulated_depreciation="8000.00")
    row = _dispose(session, world, a, method="write_off", proceeds="0")
    v1, v2 = disposal.voucher_ids(row)
    assert voucher_lines(session, v2) == [("515", D("4000.00"), 0), ("154", 0, D("4000.00"))]


def test_disposal_without_decision_record_is_refused_with_missing_steps(session, world):
    a = add(session, world)
    before = snapshot(session)
    with pytest.raises(RuleError) as exc:
        _dispose(session, world, a, decision=DecisionInput(subject="处置"))
    assert "村民（代表）会议决议" in str(exc.value) and "决议公开" in str(exc.value)
    session.rollback()
    assert snapshot(session) == before
    assert session.scalar(select(func.count()).select_from(DecisionRecord)) == 0
    assert session.get(Asset, a.id).status == "in_use"


def test_the_required_steps_follow_the_amount(session, world):
    a = add(session, world, original_cost="60000.00", useful_life_months="120")  # ≥ 50000: every step
    partial = DecisionInput(subject="处置", resolution_on=date(2024, 1, 10), votes_for=30, attendees=35,
                            notice_from=date(2024, 1, 11), notice_to=date(2024, 1, 18))
    with pytest.raises(RuleError, match="党支部提议"):
        _dispose(session, world, a, decision=partial, proceeds="1000")
    session.rollback()
    b = add(session, world, code="F2", original_cost="3000.00")
    assert _dispose(session, world, b, decision=partial, proceeds="1000").status == "done"


def test_large_disposal_waits_for_the_head(session, world):
    a = add(session, world, original_cost="80000.00")
    before = session.scalar(select(func.count()).select_from(Voucher))
    row = _dispose(session, world, a, proceeds="60000.00")
    assert row.status == "pending" and a.status == "in_use"
    assert session.scalar(select(func.count()).select_from(Voucher)) == before
    with pytest.raises(RuleError, match="待审批"):
        _dispose(session, world, a, proceeds="60000.00")
    session.rollback()
    with transaction(session):
        disposal.approve(session, village=world.a1, row=row, actor=world.user("head"))
    assert row.status == "done" and a.status == "disposed" and row.approved_by_id == world.user("head").id
    with pytest.raises(IllegalMove):
        disposal.approve(session, village=world.a1, row=row, actor=world.user("head"))


def test_the_heads_own_large_disposal_waits_for_another_approver(session, world):
    """Four eyes, the head included: a large disposal the head enters waits, and the head cannot approve it."""
    from threeassets.auth.rules import Role
    from threeassets.auth.service import create_user
    a = add(session, world, original_cost="80000.00")
    row = _dispose(session, world, a, proceeds="60000.00", actor="head")
    assert row.status == "pending" and a.status == "in_use"
    before = snapshot(session)
    with pytest.raises(IllegalMove, match="不能审批自己录入的处置"), transaction(session):
        disposal.approve(session, village=world.a1, row=row, actor=world.user("head"))
    assert snapshot(session) == before and row.status == "pending"
    with transaction(session):
        deputy = create_user(session, actor=None, username="deputy", display_name="副主任", password="x-pass-123456",
                             role=Role.AGENCY_HEAD, township_id=world.township_a.id, village_id=None)
        disposal.approve(session, village=world.a1, row=row, actor=deputy)
    assert row.status == "done" and a.status == "disposed" and row.approved_by_id == deputy.id


def test_rejected_disposal_posts_nothing(session, world):
    a = add(session, world, original_cost="80000.00")
    row = _dispose(session, world, a, proceeds="60000.00")
    with transaction(session):
        disposal.reject(session, village=world.a1, row=row, actor=world.user("head"), note="价格偏低")
    assert row.status == "rejected" and a.status == "in_use"
    assert reconciliation(session, world.a1.id).card_count == 1


def test_disposed_card_cannot_change(session, world):
    a = add(session, world)
    _dispose(session, world, a, method="write_off", proceeds="0")
    with pytest.raises(IllegalMove, match="已处置"):
        service.revalue(session, village=world.a1, asset=a, on=TODAY, appraised=D("1"), actor=None)


def test_a_disposed_card_refuses_every_change_with_the_rules_sentence(session, world):
    a = add(session, world)
    _dispose(session, world, a, method="write_off", proceeds="0")
    with pytest.raises(IllegalMove, match="^资产已处置，不能修改$"):
        service.update_card(session, village=world.a1, asset=a, card=card(name="改名"), actor=None)
    with pytest.raises(IllegalMove, match="^资产已处置，不能转为闲置$"):
        service.transfer(session, village=world.a1, asset=a, on=TODAY, status="idle", purpose="operating",
                         location="", custodian="", actor=None)
    with pytest.raises(IllegalMove, match="^资产已处置，不能处置$"):
        _dispose(session, world, a, method="write_off", proceeds="0")


def test_a_second_disposal_and_a_decided_one_are_refused_with_the_rules_sentence(session, world):
    a = add(session, world, original_cost="80000.00")
    row = _dispose(session, world, a, proceeds="60000.00")
    with pytest.raises(IllegalMove, match="^该资产已有待审批的处置申请$"):
        _dispose(session, world, a, proceeds="60000.00")
    session.rollback()
    with transaction(session):
        disposal.reject(session, village=world.a1, row=row, actor=world.user("head"))
    with pytest.raises(IllegalMove, match="^处置申请已退回，不能审批通过$"):
        disposal.approve(session, village=world.a1, row=row, actor=world.user("head"))


def test_edit_locks_amounts_once_posted(session, world):
    a = add(session, world)
    with transaction(session):
        service.update_card(session, village=world.a1, asset=a, card=card(original_cost="13000.00", name="大拖拉机"),
                            actor=world.user("accountant"))
    assert a.original_cost == D("13000.00")
    _run(session, world)
    with pytest.raises(RuleError, match="不能直接修改"):
        service.update_card(session, village=world.a1, asset=a, card=card(original_cost="14000.00"), actor=None)


def test_full_cycle_reconciles(session, world, post_voucher):
    """Card import + matching opening voucher + depreciation + disposal: the reconciliation stays clean."""
    from threeassets.assets.importer import import_assets
    from threeassets.core.csvio import read_table
    body = ("org_code,asset_code,name,category,acquired_on,original_cost,useful_life_months,salvage_rate,depreciate,"
            "accumulated_depreciation,purpose\n"
            "A1,F1,办公楼,房屋及建筑物,2015-06-20,860000.00,360,5,是,190000.00,管理用\n"
            "A1,F2,活动中心,房屋及建筑物,2019-09-01,420000.00,300,5,是,68000.00,公益性\n"
            "A1,F3,拖拉机,机器设备,2018-03-01,90000.00,120,5,是,60000.00,经营性\n")
    with transaction(session):
        import_assets(session, read_table(body.encode("gbk"), "cards.csv", []), actor=world.user("accountant"))
    post_voucher(world.a1, TODAY.replace(day=1), [("期初固定资产", "151", "1370000.00", ""),
                                                  ("期初累计折旧", "152", "", "318000.00"),
                                                  ("期初", "301", "", "1052000.00")])
    assert reconciliation(session, world.a1.id).clean
    _run(session, world)
    rec = reconciliation(session, world.a1.id)
    assert rec.clean, rec.differences
    f3 = session.scalar(select(Asset).where(Asset.code == "F3"))
    _dispose(session, world, f3, proceeds="20000.00")
    rec = reconciliation(session, world.a1.id)
    assert rec.clean and rec.card_count == 2
    balanced(session, world.a1)


def test_a_month_does_not_close_before_its_depreciation_run(session, world):
    from threeassets.closing.service import close_period
    add(session, world, code="F1")  # 100 a month
    add(session, world, code="F2", original_cost="6000.00", purpose="management")  # 50 a month
    with pytest.raises(IllegalMove) as exc, transaction(session):
        close_period(session, world.a1, 202404, world.user("accountant"))
    assert "2024-04 的固定资产折旧尚未计提（2 张卡片共 150.00 元）" in str(exc.value)
    session.rollback()
    _run(session, world, 202404)
    with transaction(session):
        close_period(session, world.a1, 202404, world.user("accountant"))  # run: it closes


def test_a_village_whose_cards_take_nothing_this_month_closes(session, world):
    from threeassets.closing.service import close_period
    add(session, world, code="F1", acquired_on="2024-04-10")  # bought in April: depreciates from May
    add(session, world, code="F2", depreciate="否")
    with transaction(session):
        close_period(session, world.a1, 202404, world.user("accountant"))
