"""Stock-take adjustments typed on the switch-over preview, without a database: reading the rows of the form,
checking each against the chart after the switch, and the three columns of the 2024-01-01 openings."""
from decimal import Decimal as D

import pytest

from threeassets.ledger.chart import standard_chart
from threeassets.switchover.rules import (
    ADJUSTMENTS_MAX,
    AdjustedLine,
    TypedAdjustment,
    adjusted_openings,
    adjusted_totals,
    adjustment_row_problems,
    adjustments_key,
    adjustments_problems,
    no_balance_codes,
    typed_adjustments,
)

CHART = {r["code"]: r for r in standard_chart()}
NO_BALANCE = no_balance_codes(CHART)
LEAVES = {"101", "102", "112001", "112002", "151", "211001", "311", "501"}
FOUND = TypedAdjustment("asset_found", "151", "311", "8,000", "盘盈水泵一台，村委会清点")


def test_the_form_gives_the_filled_rows_in_row_order():
    form = {"adj-kind-2": "liability", "adj-debit-2": " 311 ", "adj-credit-2": "211001", "adj-amount-2": "500",
            "adj-reason-2": "补记村道施工尾款", "adj-kind-0": "asset_found", "adj-debit-0": "151",
            "adj-credit-0": "311", "adj-amount-0": "8,000", "adj-reason-0": "盘盈水泵一台，村委会清点",
            "adj-kind-1": "other", "adj-debit-1": "", "adj-credit-1": "", "adj-amount-1": "", "adj-reason-1": "",
            "adj-debit-1234": "101", "adj-colour-3": "x", "tb": "…"}
    rows = typed_adjustments(form)
    assert rows == [FOUND, TypedAdjustment("liability", "311", "211001", "500", "补记村道施工尾款")]
    assert rows[0].amount == D("8000") and TypedAdjustment(amount_text="1.234").amount is None
    assert rows[0].shown_amount == "8,000.00" and TypedAdjustment(amount_text="1.234").shown_amount == "1.234"


def test_a_row_with_only_its_kind_chosen_is_blank():
    assert TypedAdjustment("asset_found").blank and not TypedAdjustment(reason="盘盈").blank
    assert typed_adjustments({"adj-kind-0": "asset_found"}) == []


def test_a_good_row_has_no_problems():
    assert adjustment_row_problems(FOUND, LEAVES, NO_BALANCE) == {}


@pytest.mark.parametrize("row, field, words", [
    (TypedAdjustment("", "151", "311", "1", "x"), "kind", "请选择调整类型"),
    (TypedAdjustment("asset_found", "", "311", "1", "x"), "debit", "请填写借方科目"),
    (TypedAdjustment("asset_found", "151", "", "1", "x"), "credit", "请填写贷方科目"),
    (TypedAdjustment("asset_found", "151", "151", "1", "x"), "credit", "借贷科目不能相同"),
    (TypedAdjustment("asset_found", "151", "311", "", "x"), "amount", "金额应大于零"),
    (TypedAdjustment("asset_found", "151", "311", "1.005", "x"), "amount", "金额最多两位小数"),
    (TypedAdjustment("asset_found", "151", "311", "一千", "x"), "amount", "不是有效金额"),
    (TypedAdjustment("asset_found", "151", "311", "1", " "), "reason", "请写明调整原因"),
    (TypedAdjustment("asset_found", "151", "311", "1", "x" * 201), "reason", "最多200字（现 201 字）"),
    (TypedAdjustment("asset_found", "112", "311", "1", "x"), "debit", "科目 112 不是转换后的末级科目"),
    (TypedAdjustment("asset_found", "151", "999", "1", "x"), "credit", "科目 999 不是转换后的末级科目"),
    (TypedAdjustment("other", "101", "501", "1", "x"), "credit", "科目 501 是损益类或本年收益科目"),
])
def test_each_problem_is_named_by_its_field(row, field, words):
    problems = adjustment_row_problems(row, LEAVES, NO_BALANCE)
    assert words in problems[field]


def test_income_expense_and_the_year_result_open_with_no_balance():
    assert {"501", "511", "321"} <= NO_BALANCE and not NO_BALANCE & {"101", "151", "311", "322"}


def test_the_rows_past_the_most_a_switch_takes_are_refused():
    rows = [FOUND] * (ADJUSTMENTS_MAX + 1) + [TypedAdjustment("asset_found", "151", "311", "1", "")]
    problems = adjustments_problems(rows, LEAVES, NO_BALANCE)
    assert sorted(problems) == [ADJUSTMENTS_MAX, ADJUSTMENTS_MAX + 1]
    assert "最多登记50笔" in problems[ADJUSTMENTS_MAX]["reason"]


def test_adjusted_openings_are_converted_plus_debits_minus_credits():
    converted = {"101": D("300"), "151": D("20000"), "311": D("-600"), "211001": D("-100"), "112": D("0")}
    rows = [FOUND, TypedAdjustment("liability", "311", "211001", "500", "补记村道施工尾款"),
            TypedAdjustment("other", "311", "181", "50", "盘亏")]
    lines = {ln.code: ln for ln in adjusted_openings(converted, rows)}
    assert list(lines) == ["101", "151", "181", "211001", "311"]  # code order; zero and untouched left out
    assert lines["151"].adjusted == D("28000") and lines["101"].adjusted == D("300")
    assert lines["311"] == AdjustedLine("311", D("-600"), D("550"), D("8000"))
    assert lines["311"].sides() == (0, D("600"), D("550"), D("8000"), 0, D("8050"))
    assert lines["211001"].sides() == (0, D("100"), 0, D("500"), 0, D("600"))
    assert lines["181"].sides() == (0, 0, 0, D("50"), 0, D("50"))  # an account the conversion left at zero


def test_every_column_balances_when_the_openings_do():
    converted = {"101": D("300"), "151": D("400"), "311": D("-700")}
    lines = adjusted_openings(converted, [FOUND, TypedAdjustment("liability", "151", "211001", "350", "水泵欠款")])
    assert adjusted_totals(lines) == (D("700"), D("700"), D("8350"), D("8350"), D("9050"), D("9050"))
    assert adjusted_totals([]) == (0,) * 6


def test_the_key_changes_with_any_cell():
    key = adjustments_key([FOUND])
    assert key == adjustments_key([TypedAdjustment(*FOUND.__dict__.values())])
    assert key == adjustments_key([TypedAdjustment("asset_found", "151", "311", "8000", FOUND.reason)])  # as shown
    assert key != adjustments_key([TypedAdjustment("asset_found", "151", "311", "8000.01", FOUND.reason)])
    assert key != adjustments_key([]) and key != adjustments_key([FOUND, FOUND])
