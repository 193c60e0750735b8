"""Switch-over rules without a database: reading a 2004-chart trial balance, the default mapping, applying it,
and whether a village may still switch."""
from decimal import Decimal as D

import pytest

from threeassets.auth.rules import permissions_of
from threeassets.core.csvio import ImportError_, read_table
from threeassets.ledger.chart import standard_chart
from threeassets.switchover.plan import plan_switch
from threeassets.switchover.rules import (
    TB_COLUMNS,
    MappingRow,
    SwitchFacts,
    chart_2004,
    check_mapping,
    default_mapping,
    file_leaves,
    file_parent,
    parse_tb,
    switch_actions,
    switch_refusal,
    tb_text,
)

CHART = {r["code"]: r for r in standard_chart()}
DEFAULT = {r.old_code: r.new_code for r in default_mapping()}
HEADER = ",".join(TB_COLUMNS) + "\n"
# A small village after the 2023 year-end close: every leaf balance written so the opening can be hand-checked.
TB = HEADER + """101,现金,1200.50,
102,银行存款,50000.00,
112,应收款,3000.00,
112001,张三,1000.00,
112002,李四,2000.00,
131,牲畜(禽)资产,800.00,
151,固定资产,20000.00,
152,累计折旧,,5000.00
153,固定资产清理,100.00,
154,在建工程,4000.00,
202,应付款,,4000.00
202001,村道施工队,,4000.00
212,应付福利费,,600.00
301,资本,,30000.00
322,收益分配,,39500.50
322001,未分配收益,,39500.50
501,经营收入,,
511,发包及上交收入,,
"""


def table(text: str, name: str = "tb.csv", encoding: str = "utf-8"):
    return read_table(text.encode(encoding), name, TB_COLUMNS)


def errors_of(text: str) -> list[tuple]:
    with pytest.raises(ImportError_) as exc:
        parse_tb(table(text))
    return exc.value.errors


def test_every_2004_account_has_a_default_in_the_2023_chart():
    assert set(chart_2004()) <= set(DEFAULT)
    assert check_mapping(list(default_mapping()), CHART) == []
    assert all(DEFAULT[code] for code in chart_2004())


@pytest.mark.parametrize("old, new", [("101", "101"), ("153", "154"), ("154", "153"), ("202", "211"), ("211", "212"),
                                      ("212", "311"), ("502", "511"), ("511", "501"), ("521", "503"), ("522", "503"),
                                      ("531", "504"), ("541", "513"), ("551", "515"), ("561", "502")])
def test_defaults_that_change_code(old, new):
    assert DEFAULT[old] == new


def test_parse_reads_rows_and_finds_leaves():
    lines = parse_tb(table(TB))
    assert len(lines) == 18 and lines[0].line == 2 and lines[0].net == D("1200.50")
    codes = {ln.code for ln in lines}
    assert file_parent("112001", codes) == "112" and file_parent("112", codes) is None
    assert file_parent("121001", codes) == "121"  # a first level not listed is implied
    assert {ln.code for ln in file_leaves(lines)} == codes - {"112", "202", "322"}


def test_gbk_file_and_round_trip():
    lines = parse_tb(table(TB, encoding="gbk"))
    assert lines[3].name == "张三"
    assert parse_tb(table(tb_text(lines))) == [type(ln)(ln.line, ln.code, ln.name, ln.debit, ln.credit)
                                               for ln in lines]


def test_unbalanced_file_is_refused_at_its_last_line():
    errs = errors_of(HEADER + "101,现金,100.00,\n301,资本,,99.99\n")
    why = "余额表借贷不平衡：末级科目借方余额合计 100.00，贷方余额合计 99.99"
    assert errs == [("tb.csv", 3, "credit_balance", why)]


def test_cell_errors_are_all_listed():
    errs = errors_of(HEADER + "101,现金,1.005,\n10x,坏,1,\n102,,5,5\n101,重复,1,\n")
    assert ("tb.csv", 2, "debit_balance", "金额最多两位小数") in errs
    assert ("tb.csv", 3, "account_code", "科目编码“10x”应为3位以上数字") in errs
    assert ("tb.csv", 4, "account_name", "请填写科目名称（不超过60字）") in errs
    assert ("tb.csv", 4, "credit_balance", "余额只能在借方或贷方之一") in errs
    assert ("tb.csv", 5, "account_code", "科目 101 重复") in errs
    negative = errors_of(HEADER + "101,现金,-5,\n")
    assert negative[0][2] == "debit_balance" and "负数" in negative[0][3]


def test_parent_row_must_equal_its_children():
    errs = errors_of(HEADER + "112,应收款,300.00,\n112001,张三,100.00,\n112002,李四,100.00,\n301,资本,,200.00\n")
    assert errs == [("tb.csv", 2, "debit_balance", "科目 112 的余额 300.00 与其下级科目合计 200.00 不符")]


def test_default_plan_carries_sub_accounts_and_balances():
    plan = plan_switch(parse_tb(table(TB)), DEFAULT, CHART)
    assert plan.errors == [] and plan.unmapped == []
    opening = {code: (d, c) for code, _s, d, c in plan.opening_lines()}
    assert opening == {
        "101": (D("1200.50"), 0), "102": (D("50000.00"), 0), "112001": (D("1000.00"), 0),
        "112002": (D("2000.00"), 0), "131": (D("800.00"), 0), "151": (D("20000.00"), 0), "152": (0, D("5000.00")),
        "154": (D("100.00"), 0), "153": (D("4000.00"), 0), "211001": (0, D("4000.00")), "311": (0, D("600.00")),
        "301": (0, D("30000.00")), "322001": (0, D("39500.50"))}
    assert plan.totals() == (D("79100.50"), D("79100.50"))
    assert plan.accounts["211001"].name == "村道施工队" and plan.accounts["211001"].parent == "211"
    assert plan.accounts["101"].name == "库存现金" and not plan.accounts["211"].leaf
    assert plan.targets["202001"] == "211001" and plan.targets["501"] == "501"


def test_unmapped_accounts_are_listed_and_stop_the_plan():
    text = HEADER + "101,现金,10.00,\n191,其他资产,5.00,\n191001,其他,5.00,\n301,资本,,15.00\n"
    plan = plan_switch(parse_tb(table(text)), DEFAULT, CHART)
    assert [(ln.line, ln.code) for ln in plan.unmapped] == [(3, "191"), (4, "191001")]
    blanked = dict(DEFAULT, **{"101": ""})
    assert [ln.code for ln in plan_switch(parse_tb(table(text)), blanked, CHART).unmapped] == ["101", "191", "191001"]


def test_sub_account_override_splits_livestock_by_nature():
    text = HEADER + ("131,牲畜(禽)资产,900.00,\n13101,幼畜及育肥畜,300.00,\n13102,产役畜,600.00,\n"
                     "1310201,耕牛,600.00,\n301,资本,,900.00\n")
    mapping = dict(DEFAULT, **{"13102": "13203"})
    plan = plan_switch(parse_tb(table(text)), mapping, CHART)
    assert plan.errors == []
    assert {c: p.net for c, p in plan.accounts.items() if p.leaf and p.net} == {
        "13101": D("300.00"), "1320301": D("600.00"), "301": D("-900.00")}
    assert (plan.accounts["13203"].name, plan.accounts["13203"].parent) == ("产役畜", "132")
    assert plan.accounts["132"].name == "生产性生物资产" and not plan.accounts["132"].leaf


def test_accounts_merging_into_one_leaf_add_up():
    text = HEADER + "401,生产(劳务)成本,70.00,\n121,库存物资,30.00,\n301,资本,,100.00\n"
    plan = plan_switch(parse_tb(table(text)), dict(DEFAULT, **{"401": "121"}), CHART)
    assert plan.errors == [] and plan.accounts["121"].net == D("100.00")
    assert [s.code for s in plan.accounts["121"].sources] == ["401", "121"]


def test_same_new_code_with_two_names_is_refused():
    text = HEADER + ("131,牲畜(禽)资产,10.00,\n13101,耕牛,10.00,\n132,林木资产,20.00,\n13201,果园,20.00,\n"
                     "301,资本,,30.00\n")
    plan = plan_switch(parse_tb(table(text)), dict(DEFAULT, **{"132": "131"}), CHART)
    assert len(plan.errors) == 1 and plan.errors[0][0] == 5 and "13101" in plan.errors[0][2]


def test_balance_on_a_new_parent_is_refused():
    text = HEADER + "131,牲畜(禽)资产,10.00,\n132,林木资产,20.00,\n13201,果园,20.00,\n301,资本,,30.00\n"
    plan = plan_switch(parse_tb(table(text)), dict(DEFAULT, **{"132": "131"}), CHART)
    assert len(plan.errors) == 1 and "新科目 131 已有下级科目" in plan.errors[0][2]


def test_income_or_result_left_open_is_refused():
    text = HEADER + "102,银行存款,100.00,\n511,发包及上交收入,,60.00\n321,本年收益,,40.00\n"
    plan = plan_switch(parse_tb(table(text)), DEFAULT, CHART)
    assert [(line, col) for line, col, _why in plan.errors] == [(3, "credit_balance"), (4, "credit_balance")]
    assert "2023年末应无余额" in plan.errors[0][2]


def test_bad_sub_code_and_missing_parent_of_an_override():
    odd = plan_switch(parse_tb(table(HEADER + "112,应收款,5,\n1121,甲,5,\n301,资本,,5\n")), DEFAULT, CHART)
    assert odd.errors and "2至4位数字" in odd.errors[0][2]
    text = HEADER + "131,牲畜(禽)资产,5,\n1310201,耕牛,5,\n301,资本,,5\n"
    gap = plan_switch(parse_tb(table(text)), dict(DEFAULT, **{"13102": "13203"}), CHART)
    assert gap.errors and "请在余额表中列示其上级科目 13102" in gap.errors[0][2]


def test_all_zero_trial_balance_has_nothing_to_open():
    plan = plan_switch(parse_tb(table(HEADER + "101,现金,0,\n301,资本,,0\n")), DEFAULT, CHART)
    assert plan.errors == [(3, "-", "余额表没有非零余额，无需建账")]


def test_mapping_check_lists_every_problem():
    rows = [MappingRow("101", "101"), MappingRow("101", "102"), MappingRow("10", "101"),
            MappingRow("131", "999"), MappingRow("13102", "1321"), MappingRow("13101", "13101", "x" * 201)]
    problems = check_mapping(rows, CHART)
    assert problems == ["原科目 101 重复", "原科目编码“10”应为3位以上数字", "原科目 131：999 不是2023年制度的科目",
                        "原科目 13102：1321：明细科目编码应为一级科目编码加2至4位数字", "原科目 13101：说明最多200字"]


# --- whether a village may still switch, and who may: role × state ------------------------------------------

@pytest.mark.parametrize("role, facts, expected", [
    ("agency_accountant", (False, False, False), ["switch"]),
    ("agency_head", (False, False, False), ["switch"]),
    ("agency_head", (True, False, False), []),  # switched once
    ("agency_head", (False, True, False), []),  # books already begun by 2024-01
    ("agency_accountant", (False, False, True), []),  # a closed month from 2024-01 on
    ("reviewer", (False, False, False), []),
    ("village_accountant", (False, False, False), []),
    ("county_supervisor", (False, False, False), []),
])
def test_switch_actions(role, facts, expected):
    assert switch_actions(SwitchFacts(*facts), permissions_of(role)) == expected


def test_switch_refusal_says_why_first_reason_first():
    assert switch_refusal(SwitchFacts(False, False, False)) is None
    assert switch_refusal(SwitchFacts(True, True, True)) == \
        "本村已完成新旧制度转换（已有期初余额或期初建账凭证），不能重复转换"
    assert switch_refusal(SwitchFacts(False, True, True)) == \
        "本村2024年1月或以前已有记账凭证，不能再由2004年科目余额表建账"
    assert switch_refusal(SwitchFacts(False, False, True)) == \
        "本村2024年已有结账的会计期间，不能再由2004年科目余额表建账"


def test_the_optional_2004_accounts_map_and_213_is_not_fed_from_wages():
    """161/171/241 were optional additions of local 2004 charts: they map by default; 应付工资 goes to 212 only,
    213 应付劳务费 is fed by the sub-accounts of 202 and 113 a township maps there."""
    mapping = {r.old_code: r.new_code for r in default_mapping()}
    assert (mapping["161"], mapping["171"], mapping["241"]) == ("161", "171", "241")
    assert mapping["211"] == "212" and "213" not in mapping.values()
    notes = {r.old_code: r.note for r in default_mapping()}
    assert "213" in notes["202"] and "213" in notes["113"] and "213" in notes["211"]
