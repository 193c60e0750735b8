"""The statement layouts and their evaluator, without a database: formulas, coverage of the chart, hand-computed
balances, and the running-balance books."""
from collections import Counter
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from threeassets.ledger.chart import standard_chart
from threeassets.statements import layouts
from threeassets.statements.rules import (
    Column,
    LayoutError,
    Term,
    accounts_of,
    book_rows,
    classify_distribution,
    direction,
    evaluate,
    ledger_months,
    parse_formula,
    parse_layout,
)

D = Decimal
CHART = {r["code"]: r["category"] for r in standard_chart()}
PL = tuple(c for c, cat in CHART.items() if cat in ("income", "expense"))
BS = parse_layout(layouts.BALANCE_SHEET)
IS = parse_layout(layouts.INCOME_STATEMENT)


def by_item(lines, values) -> dict[str, Decimal]:
    """item → amount of the numbered lines."""
    return {ln.item: values[ln.row_no] for ln in lines if ln.row_no is not None}


@pytest.mark.parametrize("text, terms", [
    ("101 + 102", (Term(1, "acct", "101"), Term(1, "acct", "102"))),
    ("112 + 113:D", (Term(1, "acct", "112"), Term(1, "split", "113:D"))),
    ("-133", (Term(-1, "acct", "133"),)),
    ("R8 - R9", (Term(1, "row", "8"), Term(-1, "row", "9"))),
    ("321@open + PL@open", (Term(1, "acct", "321", True), Term(1, "pl", "", True))),
    ("DIST:members", (Term(1, "dist", "members"),)),
    ("", ()),
])
def test_parse_formula(text, terms):
    assert parse_formula(text) == terms


@pytest.mark.parametrize("text", ["101 102", "101 +", "R", "abc", "113:X", "101@close", "DIST:"])
def test_bad_formulas_are_refused(text):
    with pytest.raises(LayoutError):
        parse_formula(text)


def test_layout_checks_rows():
    with pytest.raises(LayoutError, match="duplicate"):
        parse_layout([(1, "a", "", "D", "101"), (1, "b", "", "D", "102")])
    with pytest.raises(LayoutError, match="missing row 9"):
        parse_layout([(1, "a", "", "D", "R9")])
    with pytest.raises(LayoutError, match="side"):
        parse_layout([(1, "a", "", "X", "101")])
    loop = parse_layout([(1, "a", "", "D", "R2"), (2, "b", "", "D", "R1")])
    with pytest.raises(LayoutError, match="itself"):
        evaluate(loop, Column({}), PL)


def test_every_chart_account_is_on_the_balance_sheet_once():
    """Assets, liabilities, equity, cost and P&L accounts each feed exactly one line; 113 is split by side."""
    refs = Counter(accounts_of(BS, PL))
    assert refs.pop("113:D") == 1 and refs.pop("113:C") == 1
    assert refs == Counter({code: 1 for code in CHART if code != "113"})


def test_every_income_and_expense_account_is_on_the_income_statement_once():
    refs = Counter(accounts_of(IS, PL))
    # rows 1–12 list each P&L account once; 年初未分配收益 and 其他转入 read 321/322 (and PL at the year start)
    first_half = Counter(accounts_of(tuple(ln for ln in IS if ln.row_no <= 12), PL))
    assert first_half == Counter({code: 1 for code in PL})
    assert refs["321"] == refs["322"] == 2


def test_items_use_the_standard_names():
    items = [ln.item for ln in BS if ln.row_no] + [ln.item for ln in IS]
    for name in ("货币资金", "资产总计", "负债和所有者权益总计", "未分配收益", "本年收益", "年末未分配收益"):
        assert name in items
    assert len(items) == len(set(items))


def test_balance_sheet_on_hand_computed_balances():
    # net debit balances: cash 300, bank 1,200; 113's leaves 张三 +50 (owes us), 李四 -80 (we owe);
    # fixed asset 10,000 with 2,500 depreciation; 401 work in progress 70; capital -7,900; 5xx unclosed:
    # income 501 -4,000, expense 513 +3,000 → 1,000 of result; 322 -120; 211 payable -20.
    closing = {"101": D(300), "102": D(1200), "113": D(-30), "151": D(10000), "152": D(-2500), "401": D(70),
               "301": D(-7900), "501": D(-4000), "513": D(3000), "322": D(-120), "211": D(-20)}
    assert sum(closing.values()) == 0
    split = {("113", "D"): D(50), ("113", "C"): D(80)}
    got = by_item(BS, evaluate(BS, Column(closing, split), PL))
    assert got["货币资金"] == D(1500)
    assert got["应收款项"] == D(50)
    assert got["存货"] == D(70)
    assert got["流动资产合计"] == D(1620)
    assert (got["固定资产原值"], got["累计折旧"], got["固定资产净值"]) == (D(10000), D(2500), D(7500))
    assert got["资产总计"] == D(9120)
    assert got["应付款项"] == D(100)  # 211's 20 and 李四's 80
    assert got["负债合计"] == D(100)
    assert got["未分配收益"] == D(1120)  # 322's 120 and the unclosed 1,000
    assert got["所有者权益合计"] == D(7900) + D(1120)
    assert got["负债和所有者权益总计"] == got["资产总计"]


def test_income_statement_on_hand_computed_movements():
    # movements (net debit) of the year: income negative, expense positive; 322: distributions 300 + 100 debited
    # to its leaves, and 50 credited from 311 (公积公益金弥补); opening: 322 -2,000 (last year's undistributed).
    moves = {"501": D(-8000), "502": D(150), "503": D(-3000), "511": D(2000), "512": D(100), "513": D(900),
             "514": D(700), "515": D(50), "521": D(200), "322": D(350)}
    col = Column(moves, opening={"322": D(-2000)}, dist={"reserve": D(300), "members": D(100)})
    got = by_item(IS, evaluate(IS, col, PL))
    assert got["投资收益"] == D(-150)  # a loss shows negative
    assert got["经营收益"] == D(8000) - D(2000) - D(100) - D(900) - D(150)
    assert got["收益总额"] == D(4850) + D(3000) - D(700) - D(50)
    assert got["本年收益"] == D(7100) - D(200)
    assert got["年初未分配收益"] == D(2000)
    assert got["其他转入"] == D(50)  # -350 of 322's movement, plus the 400 of distributions shown below
    assert got["可分配收益"] == D(6900) + D(2000) + D(50)
    assert got["年末未分配收益"] == D(8950) - D(400)


def test_distribution_kinds_by_name():
    kinds = layouts.DISTRIBUTION_KINDS
    assert classify_distribution("未分配收益", kinds) == "undistributed"
    assert classify_distribution("提取公积公益金", kinds) == "reserve"
    assert classify_distribution("向成员分配", kinds) == "members"
    assert classify_distribution("农户分配", kinds) == "members"
    assert classify_distribution("各项分配", kinds) == "other"
    assert classify_distribution("收益分配", kinds) == "other"


def test_direction():
    assert (direction(D(1)), direction(D(-1)), direction(D(0))) == ("借", "贷", "平")


def entry(day: date, debit: str, credit: str, balance: str, label: str = "记-0001"):
    """A ledger entry as reports.service.account_ledger returns it."""
    return SimpleNamespace(date=day, label=label, summary="摘要", debit=D(debit), credit=D(credit),
                           balance=D(balance), voucher_id=1)


def test_book_rows_add_day_month_and_year_lines():
    entries = [entry(date(2024, 3, 1), "100", "0", "600"), entry(date(2024, 3, 1), "0", "30", "570"),
               entry(date(2024, 3, 9), "0", "70", "500"), entry(date(2024, 4, 2), "10", "0", "510")]
    rows = book_rows(D(500), date(2024, 3, 1), entries, (D(1000), D(400)), daily=True)
    assert [(r.kind, r.debit, r.credit, r.balance) for r in rows] == [
        ("opening", 0, 0, D(500)),
        ("entry", D(100), 0, D(600)), ("entry", 0, D(30), D(570)), ("day", D(100), D(30), D(570)),
        ("entry", 0, D(70), D(500)), ("day", 0, D(70), D(500)),
        ("month", D(100), D(100), D(500)), ("year", D(1100), D(500), D(500)),
        ("entry", D(10), 0, D(510)), ("day", D(10), 0, D(510)),
        ("month", D(10), 0, D(510)), ("year", D(1110), D(500), D(510))]
    assert rows[0].summary == "期初余额"
    plain = book_rows(D(0), date(2024, 1, 1), entries[:1], (D(0), D(0)))
    assert [r.kind for r in plain] == ["opening", "entry", "month", "year"] and plain[0].summary == "上年结转"


def test_book_rows_start_the_year_again_in_january():
    entries = [entry(date(2024, 12, 5), "5", "0", "5"), entry(date(2025, 1, 5), "7", "0", "12")]
    rows = book_rows(D(0), date(2024, 12, 1), entries, (D(100), D(0)))
    years = [(r.debit, r.credit) for r in rows if r.kind == "year"]
    assert years == [(D(105), 0), (D(7), 0)]


def test_ledger_months_run_the_balance_and_the_year():
    out = ledger_months(D(-100), [(202401, D(50), D(0)), (202402, D(0), D(20))])
    assert [(m, r.debit, r.credit, r.balance, r.side, y.debit, y.credit) for m, r, y in out] == [
        (202401, D(50), D(0), D(-50), "贷", D(50), D(0)),
        (202402, D(0), D(20), D(-70), "贷", D(50), D(20))]
