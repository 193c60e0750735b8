"""Chart of accounts: the standard chart per village, sub-accounts at any depth, guarded deletion."""
import csv
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.integration.conftest import account, audit_count, snapshot
from threeassets.core.db import transaction
from threeassets.ledger import chart
from threeassets.ledger.models import Account
from threeassets.ledger.rules import LedgerError
from threeassets.orgs.service import upsert_township, upsert_village

CHART_CSV = Path(__file__).parents[2] / "threeassets" / "ledger" / "data" / "chart_2023.csv"


def read_chart() -> list[dict]:
    """The shipped chart, read here independently of the app."""
    with CHART_CSV.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_new_village_gets_the_standard_chart(session, world):
    expected = read_chart()
    assert len(expected) == 42
    with transaction(session):
        village = upsert_village(session, upsert_township(session, "TC", "丙镇"), "C1", "丙一村")
    rows = chart.accounts_of(session, village.id)
    assert [(a.code, a.name, a.category, a.normal_side) for a in rows] == [
        (r["code"], r["name"], r["category"], r["normal_side"]) for r in expected]
    assert all(a.level == 1 and a.is_leaf and a.parent_id is None and a.full_name == a.name for a in rows)


def test_every_village_has_its_own_accounts(session, world):
    ids = {v.code: {a.id for a in chart.accounts_of(session, v.id)} for v in (world.a1, world.a2, world.b1)}
    assert all(len(s) == 42 for s in ids.values())
    assert not (ids["A1"] & ids["A2"]) and not (ids["A1"] & ids["B1"])


def test_mnemonics():
    assert chart.mnemonic("银行存款") == "yhck"
    assert chart.mnemonic("库存现金") == "kcxj"
    assert chart.mnemonic("生产(劳务)成本") == "sclwcb"  # punctuation dropped


def test_mnemonic_is_stored(session, world):
    assert account(session, world.a1, "102").mnemonic == "yhck"
    assert account(session, world.a1, "513").mnemonic == "glfy"


def test_sub_accounts_three_levels_deep(session, world, sub_account):
    bank = sub_account(world.a1, "102", "01", "农业银行")
    branch = sub_account(world.a1, "10201", "01", "城关支行")
    deeper = sub_account(world.a1, "1020101", "0001", "活期")
    assert (bank.code, branch.code, deeper.code) == ("10201", "1020101", "10201010001")
    assert (bank.level, branch.level, deeper.level) == (2, 3, 4)
    assert branch.full_name == "银行存款—农业银行—城关支行"
    assert branch.parent_id == bank.id and deeper.category == "asset" and deeper.normal_side == "debit"
    session.expire_all()
    assert [account(session, world.a1, c).is_leaf for c in ("102", "10201", "1020101", "10201010001")] == [
        False, False, False, True]
    assert set(chart.leaf_map(session, world.a1.id)) >= {"10201010001", "101"}
    assert "102" not in chart.leaf_map(session, world.a1.id)
    assert audit_count(session, "account.create") == 3


@pytest.mark.parametrize("suffix, name, message", [
    ("1", "甲", "2至4位"), ("12345", "甲", "2至4位"), ("ab", "甲", "2至4位"),
    ("01", " ", "名称"), ("01", "字" * 61, "名称")])
def test_sub_account_input_checked(session, world, suffix, name, message):
    before = snapshot(session)
    with pytest.raises(LedgerError, match=message), transaction(session):
        chart.add_sub_account(session, village_id=world.a1.id, parent=account(session, world.a1, "102"),
                              suffix=suffix, name=name, actor=None)
    assert snapshot(session) == before


def test_duplicate_code_and_foreign_parent_refused(session, world, sub_account):
    sub_account(world.a1, "102", "01", "农行")
    with pytest.raises(LedgerError, match="已存在"):
        sub_account(world.a1, "102", "01", "又一个")
    with pytest.raises(LedgerError, match="不属于本村"), transaction(session):
        chart.add_sub_account(session, village_id=world.a1.id, parent=account(session, world.b1, "102"),
                              suffix="02", name="信用社", actor=None)
    assert account(session, world.b1, "102").is_leaf


def test_used_account_cannot_get_children(session, world, post_voucher, draft):
    post_voucher(world.a1, date(2024, 5, 3), (("a", "513", "5", ""), ("a", "101", "", "5")))
    draft(world.a1, date(2024, 5, 3), (("a", "511", "5", ""), ("a", "101", "", "5")))  # a draft counts too
    for code in ("513", "511"):
        before = snapshot(session)
        with pytest.raises(LedgerError, match="已有凭证分录"), transaction(session):
            chart.add_sub_account(session, village_id=world.a1.id, parent=account(session, world.a1, code),
                                  suffix="01", name="办公费", actor=None)
        assert snapshot(session) == before
        assert account(session, world.a1, code).is_leaf


def test_used_sub_account_cannot_be_deleted(session, world, sub_account, post_voucher):
    office = sub_account(world.a1, "513", "01", "办公费")
    post_voucher(world.a1, date(2024, 5, 3), (("a", "51301", "5", ""), ("a", "101", "", "5")))
    with pytest.raises(LedgerError, match="已有凭证分录"), transaction(session):
        chart.delete_account(session, account=office, actor=None)
    assert account(session, world.a1, "51301") is not None


def test_delete_unused_sub_account_makes_parent_leaf_again(session, world, sub_account):
    first = sub_account(world.a1, "513", "01", "办公费")
    second = sub_account(world.a1, "513", "02", "差旅费")
    with transaction(session):
        chart.delete_account(session, account=first, actor=world.user("accountant"))
    assert not account(session, world.a1, "513").is_leaf  # 51302 remains
    with transaction(session):
        chart.delete_account(session, account=second, actor=world.user("accountant"))
    assert account(session, world.a1, "513").is_leaf
    assert session.scalars(select(Account.code).where(Account.code.startswith("5130"))).all() == []
    assert audit_count(session, "account.delete") == 2


def test_parent_and_first_level_accounts_cannot_be_deleted(session, world, sub_account):
    sub_account(world.a1, "102", "01", "农行")
    sub_account(world.a1, "10201", "01", "城关支行")
    with pytest.raises(LedgerError, match="下级科目"):
        chart.delete_account(session, account=account(session, world.a1, "10201"), actor=None)
    with pytest.raises(LedgerError, match="一级科目"):
        chart.delete_account(session, account=account(session, world.a1, "101"), actor=None)
    session.rollback()


def test_rename_sub_account(session, world, sub_account):
    bank = sub_account(world.a1, "102", "01", "农行")
    with transaction(session):
        chart.rename_account(session, account=bank, name="农商银行", actor=None)
    assert (bank.name, bank.full_name, bank.mnemonic) == ("农商银行", "银行存款—农商银行", "nsyh")
    with pytest.raises(LedgerError, match="一级科目"):
        chart.rename_account(session, account=account(session, world.a1, "102"), name="存款", actor=None)
    session.rollback()


@pytest.mark.parametrize("first, second", [(("102", "01"), ("102", "0101")), (("102", "0101"), ("102", "01")),
                                           (("102", "01"), ("102", "011"))])
def test_overlapping_codes_refused(session, world, sub_account, first, second):
    # 10201 and 1020101 both directly under 102 would make 1020101 look like a child of 10201
    sub_account(world.a1, *first, "农行")
    before = snapshot(session)
    with pytest.raises(LedgerError, match="编码重叠"):
        sub_account(world.a1, *second, "信用社")
    assert snapshot(session) == before


def test_deeper_codes_and_other_parents_do_not_overlap(session, world, sub_account):
    sub_account(world.a1, "102", "01", "农行")
    assert sub_account(world.a1, "10201", "01", "城关支行").code == "1020101"  # a real child, fine
    assert sub_account(world.a1, "102", "02", "信用社").code == "10202"
    assert sub_account(world.a1, "101", "0201", "备用金").code == "1010201"  # another parent, no overlap
    assert sub_account(world.b1, "102", "0101", "农商行").code == "1020101"  # another village


def test_a_batch_of_sub_accounts_is_added_whole_or_not_at_all(session, world):
    a1 = world.a1
    parent = account(session, a1, "112")
    before = audit_count(session, "account.create")
    with pytest.raises(chart.SubAccountRefused) as refused, transaction(session):
        chart.add_sub_accounts(session, village_id=a1.id, parent=parent, actor=None,
                               children=[("001", "张三"), ("002", "李四"), ("0021", "王五")])
    assert refused.value.index == 2 and "编码重叠" in str(refused.value)  # overlaps a code of the same batch
    assert account(session, a1, "112001") is None and account(session, a1, "112").is_leaf
    with transaction(session):
        made = chart.add_sub_accounts(session, village_id=a1.id, parent=account(session, a1, "112"), actor=None,
                                      children=[("001", " 张三 "), ("002", "李四")])
    assert [(a.code, a.name, a.full_name, a.level) for a in made] == [
        ("112001", "张三", "应收款—张三", 2), ("112002", "李四", "应收款—李四", 2)]
    assert not account(session, a1, "112").is_leaf
    assert audit_count(session, "account.create") == before + 2  # one audit row each
    with pytest.raises(chart.SubAccountRefused) as again, transaction(session):
        chart.add_sub_accounts(session, village_id=a1.id, parent=account(session, a1, "112"), actor=None,
                               children=[("003", "赵六"), ("001", "重名")])
    assert again.value.index == 1 and "已存在" in str(again.value)
