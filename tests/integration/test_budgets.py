"""Budget services on the database: setting and importing budgets, budget vs actual from the turnover table."""
from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from tests.conftest import lines
from tests.integration.conftest import audit_count, snapshot
from threeassets.budgets import service
from threeassets.budgets.models import Budget
from threeassets.budgets.rules import Entry
from threeassets.core.csvio import ImportError_, read_table
from threeassets.core.db import transaction
from threeassets.ledger import service as ledger


def budgets_of(session, village, year) -> dict[str, D]:
    """code → amount of a village's year."""
    from threeassets.ledger.models import Account
    q = (select(Account.code, Budget.amount).join(Account, Account.id == Budget.account_id)
         .where(Budget.village_id == village.id, Budget.year == year))
    return dict(session.execute(q).all())


def set_budget(session, world, village, year, *entries):
    with transaction(session):
        return service.set_budgets(session, village=village, year=year, actor=world.user("accountant"),
                                   entries=[Entry(code, D(amount)) for code, amount in entries])


def test_set_replaces_the_year_and_audits(session, world, sub_account):
    sub_account(world.a1, "513", "01", "办公费")
    set_budget(session, world, world.a1, 2024, ("501", "1000"), ("51301", "300"), ("151", "5000"))
    set_budget(session, world, world.a1, 2025, ("501", "9"))
    assert budgets_of(session, world.a1, 2024) == {"501": D("1000.00"), "51301": D("300.00"), "151": D("5000.00")}
    set_budget(session, world, world.a1, 2024, ("503", "70.5"))
    assert budgets_of(session, world.a1, 2024) == {"503": D("70.50")}
    assert budgets_of(session, world.a1, 2025) == {"501": D("9.00")}
    assert audit_count(session, "budget.set") == 3


@pytest.mark.parametrize("entries, message", [
    ((("999", "1"),), "科目 999 不存在"),
    ((("501", "1"), ("501", "2")), "科目 501 重复填写"),
    ((("513", "10"), ("51301", "5")), "科目 51301 与其上级科目 513 不能同时编制预算"),
])
def test_bad_entries_write_nothing(session, world, sub_account, entries, message):
    sub_account(world.a1, "513", "01", "办公费")
    set_budget(session, world, world.a1, 2024, ("501", "1000"))
    before = snapshot(session), budgets_of(session, world.a1, 2024)
    with pytest.raises(service.BudgetError) as exc:
        set_budget(session, world, world.a1, 2024, *entries)
    assert any(message in m for m in exc.value.messages)
    assert (snapshot(session), budgets_of(session, world.a1, 2024)) == before


def test_another_villages_sub_account_is_unknown(session, world, sub_account):
    sub_account(world.a2, "513", "07", "别村的明细")
    with pytest.raises(service.BudgetError, match="科目 51307 不存在"):
        set_budget(session, world, world.a1, 2024, ("51307", "1"))


def test_grid_lists_income_expense_and_budgeted_accounts(session, world):
    set_budget(session, world, world.a1, 2024, ("151", "5000"), ("513", "20"))
    rows = {r.code: r for r in service.grid(session, world.a1.id, 2024)}
    assert {"501", "502", "503", "504", "511", "512", "513", "514", "515", "521", "151"} == set(rows)
    assert rows["513"].amount == D("20.00") and rows["501"].amount is None


IMPORT = "org_code,year,account_code,amount,note\n"


def do_import(session, text, encoding="utf-8"):
    table = read_table(text.encode(encoding), "b.csv", service.IMPORT_COLUMNS)
    with transaction(session):
        return service.import_budgets(session, table)


def test_import_replaces_each_village_year_named(session, world):
    set_budget(session, world, world.a1, 2024, ("504", "1"))
    set_budget(session, world, world.a1, 2025, ("504", "2"))
    text = IMPORT + "A1,2024,501,\"12,000.00\",发包\nA1,2024,513,300,\nA2,2024,514,50,村道\n"
    stats = do_import(session, text, "gbk")
    assert stats == {"villages": 2, "budgets": 2, "rows": 3}
    assert budgets_of(session, world.a1, 2024) == {"501": D("12000.00"), "513": D("300.00")}
    assert budgets_of(session, world.a1, 2025) == {"504": D("2.00")}
    assert budgets_of(session, world.a2, 2024) == {"514": D("50.00")}
    assert audit_count(session, "budget.import") == 2


def test_import_lists_every_problem_and_writes_nothing(session, world, sub_account):
    sub_account(world.a1, "513", "01", "办公费")
    before = snapshot(session), session.scalar(select(func.count()).select_from(Budget))
    text = IMPORT + ("ZZ,2024,501,1,\nA1,1999,501,1,\nA1,2024,501,1.005,\nA1,2024,999,1,\nA1,2024,513,1,\n"
                     "A1,2024,51301,1,\nA1,2024,502,,\nA2,2024,501,-3,\nA2,2024,504,1,\nA2,2024,504,2,\n")
    with pytest.raises(ImportError_) as exc:
        do_import(session, text)
    got = {(line, col) for _f, line, col, _why in exc.value.errors}
    assert got == {(2, "org_code"), (3, "year"), (4, "amount"), (5, "account_code"), (7, "account_code"),
                   (8, "amount"), (9, "amount"), (11, "account_code")}
    assert (snapshot(session), session.scalar(select(func.count()).select_from(Budget))) == before


def _voucher(session, world, village, day, spec, kind="normal"):
    """Post a voucher, optionally of a generated kind (set while it is still a draft)."""
    with transaction(session):
        v = ledger.save_draft(session, village=village, actor=world.user("accountant"), voucher_date=day,
                              attachments=0, lines=lines(*spec))
        v.kind = kind
        ledger.review(session, voucher=v, village=village, actor=world.user("reviewer"))
        ledger.post(session, voucher=v, village=village, actor=world.user("accountant2"))


@pytest.fixture
def books(session, world, sub_account):
    """A1: 501 income 1000 (Jan) + 500 (Mar) less a 100 refund; 51301 expense 300 (Feb); a year-end close.
    A2: 501 income 200 (Feb). Budgets: A1 501 2000, 51301 400, 151 800; A2 501 100, 514 50."""
    sub_account(world.a1, "513", "01", "办公费")
    _voucher(session, world, world.a1, date(2024, 1, 5), [("发包", "102", "1000", ""), ("发包", "501", "", "1000")])
    _voucher(session, world, world.a1, date(2024, 2, 5), [("办公", "51301", "300", ""), ("办公", "101", "", "300")])
    _voucher(session, world, world.a1, date(2024, 3, 5), [("租金", "102", "500", ""), ("租金", "501", "", "500")])
    _voucher(session, world, world.a1, date(2024, 3, 9), [("退租", "501", "100", ""), ("退租", "102", "", "100")])
    _voucher(session, world, world.a2, date(2024, 2, 1), [("发包", "102", "200", ""), ("发包", "501", "", "200")])
    _voucher(session, world, world.a1, date(2024, 12, 31),
             [("结转", "501", "1400", ""), ("结转", "51301", "", "300"), ("结转", "321", "", "1100")], "year_close")
    set_budget(session, world, world.a1, 2024, ("501", "2000"), ("51301", "400"), ("151", "800"))
    set_budget(session, world, world.a2, 2024, ("501", "100"), ("514", "50"))


def table_of(rows):
    return {r.code: (r.budget, r.actual, r.variance, r.pct) for r in rows}


def test_budget_vs_actual_of_one_village(session, world, books):
    rows = service.budget_vs_actual(session, [world.a1.id], 2024, 202402)
    got = table_of(rows)
    assert got["501"] == (D("2000.00"), D("1000.00"), D("-1000.00"), D("50.0"))
    assert got["513"] == (D("400.00"), D("300.00"), D("-100.00"), D("75.0"))
    assert got["51301"] == (D("400.00"), D("300.00"), D("-100.00"), D("75.0"))
    assert got["151"] == (D("800.00"), D("0"), D("-800.00"), D("0.0"))
    assert got["514"] == (None, D("0"), D("0"), None)
    assert [r.code for r in rows][:4] == ["501", "502", "503", "504"] and rows[-1].code == "151"


def test_year_end_close_is_not_activity(session, world, books):
    got = table_of(service.budget_vs_actual(session, [world.a1.id], 2024, 202412))
    assert got["501"][1] == D("1400.00") and got["51301"][1] == D("300.00")
    assert "321" not in got  # not budgeted, not income or expense


def test_township_consolidates_by_code(session, world, books):
    rows = service.budget_vs_actual(session, [world.a1.id, world.a2.id], 2024, 202412)
    got = table_of(rows)
    assert got["501"] == (D("2100.00"), D("1600.00"), D("-500.00"), D("76.2"))
    assert got["514"] == (D("50.00"), D("0"), D("-50.00"), D("0.0"))
    assert service.budget_vs_actual(session, [world.b1.id], 2024, 202412)[0].budget is None
    assert service.budget_vs_actual(session, [], 2024, 202412) == []
