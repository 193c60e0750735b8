"""Budget rules without a database: entries, roll-up, execution figures, totals."""
from decimal import Decimal as D

import pytest

from threeassets.budgets.rules import (
    BvaRow,
    Entry,
    actual_amount,
    ancestors,
    clamp_upto,
    executed_pct,
    nested_pairs,
    parse_entry,
    parse_year,
    roll_up,
    section_totals,
)

PARENTS = {"513": None, "51301": "513", "51302": "513", "5130101": "51301", "501": None}


@pytest.mark.parametrize("text, year", [("2024", 2024), (" 2025 ", 2025), (2030, 2030), ("1999", None),
                                        ("2101", None), ("24", None), ("二〇二四", None), ("", None), (None, None)])
def test_parse_year(text, year):
    assert parse_year(text) == year


def test_entry_with_separators_and_note():
    assert parse_entry("513", "12,345.6", " 办公 ") == (Entry("513", D("12345.60"), "办公"), {})


def test_blank_amount_is_no_budget_and_zero_is_a_budget():
    assert parse_entry("513", "  ") == (None, {})
    assert parse_entry("513", "0")[0] == Entry("513", D("0.00"))


@pytest.mark.parametrize("amount, fragment", [("1.005", "两位小数"), ("-5", "负数"), ("1e3", "不是有效金额"),
                                              ("abc", "不是有效金额")])
def test_bad_amounts(amount, fragment):
    entry, problems = parse_entry("513", amount)
    assert entry is None and fragment in problems["amount"]


def test_note_without_amount_and_missing_code():
    assert parse_entry("513", "", "说明")[1] == {"amount": "填写了备注，请同时填写预算金额"}
    assert parse_entry("", "10")[1] == {"code": "请填写科目编码"}
    assert "备注最多" in parse_entry("513", "10", "长" * 201)[1]["note"]


def test_nested_pairs_find_any_ancestor():
    assert nested_pairs({"513", "5130101", "501"}, PARENTS) == [("5130101", "513")]
    assert nested_pairs({"51301", "51302", "501"}, PARENTS) == []


def test_roll_up_sums_children_into_every_ancestor():
    rolled = roll_up({"5130101": D("10"), "51302": D("5"), "501": D("7")}, PARENTS)
    assert rolled == {"5130101": D("10"), "51301": D("10"), "51302": D("5"), "513": D("15"), "501": D("7")}


def test_actual_follows_the_normal_side():
    assert actual_amount("credit", D("100"), D("1000")) == D("900")  # income less a refund
    assert actual_amount("debit", D("1000"), D("100")) == D("900")  # expense less a refund


@pytest.mark.parametrize("budget, actual, pct", [(D("3"), D("1"), D("33.3")), (D("3"), D("2"), D("66.7")),
                                                 (D("200"), D("0.01"), D("0.0")), (D("8"), D("1"), D("12.5")),
                                                 (D("100"), D("150"), D("150.0")), (D("0"), D("5"), None),
                                                 (None, D("5"), None)])
def test_executed_pct_rounds_half_up(budget, actual, pct):
    assert executed_pct(budget, actual) == pct


def test_section_totals_use_first_level_rows_only():
    rows = [BvaRow("501", "经营收入", 1, "income", D("1000"), D("800")),
            BvaRow("50101", "发包收入", 2, "income", D("1000"), D("800")),
            BvaRow("513", "管理费用", 1, "expense", None, D("120")),
            BvaRow("514", "公益支出", 1, "expense", D("300"), D("0")),
            BvaRow("151", "固定资产", 1, "asset", D("5000"), D("4000"))]
    assert section_totals(rows) == {"收入": (D("1000"), D("800")), "支出": (D("300"), D("120")),
                                    "收支差额": (D("700"), D("680"))}
    assert rows[4].section == "其他" and rows[2].variance == D("120") and rows[0].pct == D("80.0")


def test_clamp_upto_keeps_the_budget_year():
    assert clamp_upto(2024, 202405) == 202405
    assert clamp_upto(2024, 202503) == 202412
    assert clamp_upto(2024, 202311) == 202401


def test_ancestors_are_nearest_first_and_a_cycle_in_bad_data_ends_the_walk():
    assert ancestors("5130101", {"5130101": "51301", "51301": "513", "513": None}) == ("51301", "513")
    assert ancestors("513", {"513": None}) == ()
    assert ancestors("a", {"a": "b", "b": "a"}) == ("b", "a")
