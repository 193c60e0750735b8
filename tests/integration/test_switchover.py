"""Switch-over on the database: the township mapping, the opening voucher and every refusal (which writes nothing)."""
from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from tests.integration.conftest import BUY, account, audit_count, snapshot
from threeassets.closing.service import close_period
from threeassets.closing.verify import verify_books
from threeassets.core.csvio import ImportError_, read_table
from threeassets.core.db import transaction
from threeassets.core.errors import IllegalMove
from threeassets.ledger.models import Period, Voucher
from threeassets.ledger.openings import service as openings
from threeassets.ledger.openings.models import OpeningAdjustment, OpeningBalance, OpeningStart
from threeassets.reports.service import trial_balance
from threeassets.statements.service import balance_sheet
from threeassets.switchover import service
from threeassets.switchover.models import ChartMapping
from threeassets.switchover.rules import TB_COLUMNS, MappingRow, TypedAdjustment, default_mapping

HEADER = ",".join(TB_COLUMNS) + "\n"
TB = HEADER + """101,现金,1200.50,
102,银行存款,50000.00,
112,应收款,3000.00,
112001,张三,1000.00,
112002,李四,2000.00,
131,牲畜(禽)资产,800.00,
13101,幼畜及育肥畜,300.00,
13102,产役畜,500.00,
151,固定资产,20000.00,
152,累计折旧,,5000.00
153,固定资产清理,100.00,
202,应付款,,4000.00
202001,村道施工队,,4000.00
212,应付福利费,,600.00
301,资本,,30000.00
322,收益分配,,35500.50
322001,未分配收益,,35500.50
502,经营支出,,
502001,发包成本,,
"""
# Hand-computed from TB with the defaults (131 → 131; 153 → 154; 202 → 211; 212 → 311) and 13102 → 132 overridden.
OPENING = {"101": D("1200.50"), "102": D("50000.00"), "112": D("3000.00"), "112001": D("1000.00"),
           "112002": D("2000.00"), "131": D("300.00"), "13101": D("300.00"), "132": D("500.00"),
           "151": D("20000.00"), "152": D("-5000.00"), "154": D("100.00"), "211": D("-4000.00"),
           "211001": D("-4000.00"), "311": D("-600.00"), "301": D("-30000.00"), "322": D("-35500.50"),
           "322001": D("-35500.50")}


def tb(text=TB, name="tb.csv"):
    return read_table(text.encode("utf-8"), name, TB_COLUMNS)


def save_mapping(session, world, **overrides):
    rows = [MappingRow(r.old_code, overrides.pop(r.old_code, r.new_code), r.note) for r in default_mapping()]
    rows += [MappingRow(code, new) for code, new in overrides.items()]
    with transaction(session):
        service.save_mapping(session, township=world.township_a, rows=rows, actor=world.user("head"))


def switch(session, world, village=None, text=TB, adjustments=()):
    with transaction(session):
        return service.switch_over(session, village=village or world.a1, table=tb(text), actor=world.user("accountant"),
                                   adjustments=list(adjustments))


def closing_balances(session, village) -> dict[str, D]:
    return {r.code: r.closing for r in trial_balance(session, [village.id], 202401, 202401)}


def test_switch_saves_the_mapped_balances_as_the_2024_opening_balances(session, world):
    save_mapping(session, world, **{"13102": "132"})
    start = switch(session, world)
    assert (start.start_ym, start.balanced) == (202401, True)
    assert session.scalar(select(func.count()).select_from(Voucher)) == 0  # no voucher: openings, not activity
    assert closing_balances(session, world.a1) == OPENING
    january = {r.code: r for r in trial_balance(session, [world.a1.id], 202401, 202401)}
    assert all(r.debit == 0 and r.credit == 0 for r in january.values())  # January's turnover stays zero
    assert {code: r.opening for code, r in january.items() if r.opening} == {k: v for k, v in OPENING.items() if v}
    bs = balance_sheet(session, [world.a1.id], 202401, "甲一村")
    assert bs.value("货币资金", 0) == D("51200.50") and bs.value("货币资金", 1) == D("51200.50")  # 年初数 = 期末数
    assert bs.value("资产总计", 0) == bs.value("负债和所有者权益总计", 0)
    assert account(session, world.a1, "211001").name == "村道施工队"
    assert account(session, world.a1, "211001").full_name == "应付款—村道施工队"
    assert account(session, world.a1, "511001").name == "发包成本"  # zero rows keep their structure
    assert not account(session, world.a1, "112").is_leaf
    assert verify_books(session, world.a1.code).problems == []
    assert audit_count(session, "switchover.post") == 1 and audit_count(session, "opening.save") == 1
    assert audit_count(session, "voucher.post") == 0
    assert audit_count(session, "account.create") == 6  # 112001 112002 13101 211001 322001 511001
    assert closing_balances(session, world.a2) == {}
    assert service.switched_openings(session, world.a1.id).year_debit == D("75100.50")


def test_preview_writes_nothing_and_matches_the_switch(session, world):
    before = snapshot(session)
    result = service.preview(session, world.a1, tb())
    assert result.ready and snapshot(session) == before
    assert result.creates == ["112001", "112002", "13101", "13102", "211001", "322001", "511001"]
    assert result.plan.targets["13102"] == "13102"  # the default keeps 产役畜 under 131 until the township maps it


def test_existing_sub_account_with_the_same_name_is_reused(session, world, sub_account):
    sub_account(world.a1, "112", "001", "张三")
    result = service.preview(session, world.a1, tb())
    assert "112001" not in result.creates and result.ready
    switch(session, world)
    assert closing_balances(session, world.a1)["112001"] == D("1000.00")


def openings_rows(session) -> tuple[int, int, int]:
    """Opening balances, adjustments and starts stored (of any village)."""
    return tuple(session.scalar(select(func.count()).select_from(m))
                 for m in (OpeningBalance, OpeningAdjustment, OpeningStart))


def assert_refused(session, world, exc_type, text=TB, match=None, adjustments=()):
    before, stored = snapshot(session), openings_rows(session)
    with pytest.raises(exc_type) as exc:
        switch(session, world, text=text, adjustments=adjustments)
    assert snapshot(session) == before and openings_rows(session) == stored
    if match:
        assert match in str(exc.value)
    return exc.value


def test_unmapped_accounts_stop_the_switch(session, world):
    save_mapping(session, world, **{"101": ""})
    err = assert_refused(session, world, service.SwitchError, TB + "191,其他资产,0,\n")
    assert err.messages[1:] == ["101 现金", "191 其他资产"]


def test_unbalanced_or_bad_file_writes_nothing(session, world):
    assert_refused(session, world, ImportError_, TB.replace("1200.50", "1200.51"), "借贷不平衡")
    assert_refused(session, world, ImportError_, TB.replace("1200.50", "1200.505"), "两位小数")


def test_open_income_is_refused(session, world):
    text = TB.replace("502,经营支出,,", "502,经营支出,10.00,").replace("502001,发包成本,,", "502001,发包成本,10.00,")
    text = text.replace("301,资本,,30000.00", "301,资本,,30010.00")
    assert_refused(session, world, ImportError_, text, "2023年末应无余额")


def test_second_switch_is_refused(session, world):
    switch(session, world)
    assert_refused(session, world, IllegalMove, match="已完成新旧制度转换")


def test_postings_in_january_2024_refuse(session, world, post_voucher):
    post_voucher(world.a1, date(2024, 1, 20), BUY)
    assert_refused(session, world, IllegalMove, match="2024年1月或以前已有记账凭证")
    post_voucher(world.a2, date(2024, 2, 1), BUY)  # later months do not stop a switch
    switch(session, world, village=world.a2)
    assert closing_balances(session, world.a2)["101"] == D("1200.50")


def test_closed_month_in_2024_refuses(session, world):
    with transaction(session):
        session.add(Period(village_id=world.a1.id, ym=202403, status="closed"))
    assert_refused(session, world, service.SwitchError, match="早于已结账的 2024-03")
    with transaction(session):
        session.add(Period(village_id=world.a1.id, ym=202401, status="open"))
    assert_refused(session, world, IllegalMove, match="2024年已有结账的会计期间")


def test_name_clash_with_an_existing_sub_account_is_refused(session, world, sub_account):
    sub_account(world.a1, "112", "001", "王五")
    err = assert_refused(session, world, service.SwitchError)
    assert "本村已有科目 112001 王五" in err.messages[0]


def test_balance_on_a_parent_that_has_sub_accounts_is_refused(session, world, sub_account):
    sub_account(world.a1, "102", "01", "农商银行")
    assert_refused(session, world, service.SwitchError, match="本村科目 102 银行存款 已设下级科目")


def test_mapping_save_reset_and_audit(session, world):
    rows, is_default = service.mapping_rows(session, world.township_a.id)
    assert is_default and len(rows) == len(default_mapping())
    save_mapping(session, world, **{"212": "211", "13102": "13203"})
    mapping = service.mapping_of(session, world.township_a.id)
    assert mapping["212"] == "211" and mapping["13102"] == "13203"
    assert service.mapping_rows(session, world.township_b.id)[1]  # another township still has the defaults
    with pytest.raises(service.SwitchError, match="999 不是2023年制度的科目"):
        save_mapping(session, world, **{"101": "999"})
    assert service.mapping_of(session, world.township_a.id)["101"] == "101"
    with transaction(session):
        service.reset_mapping(session, township=world.township_a, actor=world.user("head"))
    assert service.mapping_rows(session, world.township_a.id)[1]
    assert session.scalar(select(ChartMapping.id)) is None
    assert audit_count(session, "switchover.mapping") == 1 and audit_count(session, "switchover.mapping_reset") == 1


def test_the_first_voucher_after_the_switch_is_numbered_first(session, world, post_voucher):
    switch(session, world)
    assert service.opening_voucher(session, world.a1.id) is None
    v = post_voucher(world.a1, date(2024, 1, 5), BUY)
    assert v.number == 1


def test_missing_first_level_account_is_refused(session, world):
    from sqlalchemy import delete

    from threeassets.ledger.models import Account
    with transaction(session):
        session.execute(delete(Account).where(Account.village_id == world.a1.id, Account.code == "311"))
    err = assert_refused(session, world, service.SwitchError)
    assert err.messages == ["本村缺少一级科目 311 公积公益金，请先补齐会计科目"]


# ---------------------------------------------------------------- stock-take adjustments with the switch (清产核资)

FOUND = TypedAdjustment("asset_found", "151", "311", "8,000.00", "盘盈水泵一台（清产核资盘点表第3页）")
OWED = TypedAdjustment("liability", "311", "211001", "500", "补记村道施工尾款（合同第5条）")
FOREST = TypedAdjustment("bio_back", "134", "311", "1200", "防护林转回公益性生物资产")


def test_preview_shows_the_converted_the_adjustments_and_the_adjusted_openings(session, world):
    before = snapshot(session)
    result = service.preview(session, world.a1, tb(), [FOUND, OWED])
    assert result.ready and result.adjustment_problems == {} and snapshot(session) == before
    lines = {ln.code: ln for ln in result.opening}
    assert lines["151"].sides() == (D("20000.00"), 0, D("8000.00"), 0, D("28000.00"), 0)
    assert lines["211001"].sides() == (0, D("4000.00"), 0, D("500"), 0, D("4500.00"))
    assert "211" not in lines and "112" not in lines  # parents: the openings are of leaves
    assert {"211001", "13101", "134", "101"} <= set(result.leaves)  # created, and existing leaves
    assert not {"211", "131", "112"} & set(result.leaves)  # they get sub-accounts
    assert "501" in result.leaves and "501" not in result.choices()  # income opens with no balance
    assert result.name("134") == "公益性生物资产" and result.name("211001") == "村道施工队"


def test_switch_with_adjustments_opens_with_the_converted_balances_plus_the_adjustments(session, world):
    save_mapping(session, world, **{"13102": "132"})
    start = switch(session, world, adjustments=[FOUND, OWED, FOREST])
    assert start.balanced
    expected = dict(OPENING, **{"151": D("28000.00"), "311": D("-9300.00"), "211001": D("-4500.00"),
                                "211": D("-4500.00"), "134": D("1200")})
    assert closing_balances(session, world.a1) == expected
    listed = openings.adjustment_list(session, world.a1.id)
    assert [(a.kind, a.debit_code, a.credit_code, a.amount, a.author) for a in listed] == [
        ("盘盈资产入账", "151", "311", D("8000.00"), "accountant"),
        ("补记未入账负债", "311", "211001", D("500.00"), "accountant"),
        ("生物资产转回", "134", "311", D("1200.00"), "accountant")]
    assert listed[1].credit_name == "应付款—村道施工队" and listed[0].reason == FOUND.reason
    assert audit_count(session, "opening.adjust") == 3 and audit_count(session, "opening.save") == 4
    assert audit_count(session, "switchover.post") == 1
    assert verify_books(session, world.a1.code).problems == []  # sealed with the adjusted figures
    assert service.switched_openings(session, world.a1.id).year_debit == D("75100.50") + D("9200")


@pytest.mark.parametrize("row, field, words", [
    (TypedAdjustment("asset_found", "151", "", "100", "盘盈"), "credit", "请填写贷方科目"),  # one side only
    (TypedAdjustment("asset_found", "112", "311", "100", "盘盈"), "debit", "不是转换后的末级科目"),
    (TypedAdjustment("other", "101", "511001", "100", "收入"), "credit", "损益类或本年收益科目"),
    (TypedAdjustment("asset_found", "151", "311", "100.001", "盘盈"), "amount", "两位小数"),
    (TypedAdjustment("asset_found", "151", "311", "100", ""), "reason", "请写明调整原因"),
])
def test_an_invalid_adjustment_writes_nothing(session, world, row, field, words):
    err = assert_refused(session, world, service.AdjustmentsInvalid, adjustments=[FOUND, row])
    assert list(err.problems) == [1] and words in err.problems[1][field]
    assert err.messages[0].startswith("第2笔调整：")


def test_an_adjustment_refused_on_the_way_rolls_the_whole_switch_back(session, world, monkeypatch):
    applied = []

    def second_fails(session_, **kw):
        if applied:
            raise openings.OpeningsInvalid([(None, "debit", "模拟的失败")])
        applied.append(openings.add_adjustment(session_, **kw))
    monkeypatch.setattr(service, "add_adjustment", second_fails)
    err = assert_refused(session, world, service.AdjustmentsInvalid, adjustments=[FOUND, OWED])
    assert applied and err.problems == {1: {"debit": "模拟的失败"}}
    assert service.switched_openings(session, world.a1.id) is None


def test_a_closed_january_2024_refuses_the_switch_and_locks_the_adjustments(session, world):
    with transaction(session):
        session.add(Period(village_id=world.a1.id, ym=202401, status="closed"))
    assert_refused(session, world, service.SwitchError, match="2024-01 已结账", adjustments=[FOUND])
    assert "2024年已有结账的会计期间" in service.preview(session, world.a1, tb(), [FOUND]).refusal
    switch(session, world, village=world.a2, adjustments=[FOUND])
    assert not openings.start_locked(session, world.a2.id)
    with transaction(session):
        close_period(session, world.a2, 202401, world.user("accountant"))
    assert openings.start_locked(session, world.a2.id)
    with pytest.raises(openings.OpeningsInvalid, match="已结账"):
        openings.add_adjustment(session, village=world.a2, kind=OWED.kind, debit_code="311", credit_code="211001",
                                amount=D("500"), reason=OWED.reason, actor=world.user("accountant"))
    session.rollback()
    assert len(openings.adjustment_list(session, world.a2.id)) == 1
