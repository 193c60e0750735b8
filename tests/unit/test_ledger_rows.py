"""明细账 lines (pure): 本月合计 after each month with entries, 本年累计 from January, reset in a new year."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from threeassets.reports.service import LedgerEntry, ledger_rows


def _e(day: date, debit: str, credit: str, balance: str) -> LedgerEntry:
    return LedgerEntry(1, day, "记-0001", "x", D(debit), D(credit), D(balance))


def test_month_and_year_lines_across_a_new_year():
    entries = [_e(date(2024, 11, 3), "10", "0", "110"), _e(date(2024, 11, 9), "0", "4", "106"),
               _e(date(2025, 1, 2), "5", "0", "111")]
    rows = ledger_rows(D("100"), entries, 202411, 202501, ytd_before=(D("70"), D("20")))
    got = [(r.kind, r.summary, r.debit, r.credit, r.balance) for r in rows if r.kind != "entry"]
    assert got == [("open", "期初余额", 0, 0, 100),
                   ("month", "本月合计", 10, 4, 106), ("year", "本年累计", 80, 24, 106),
                   ("month", "本月合计", 5, 0, 111), ("year", "本年累计", 5, 0, 111),  # January starts the year again
                   ("close", "期末余额", 0, 0, 111)]


def test_no_entries_is_the_opening_and_closing_only():
    rows = ledger_rows(D("-3"), [], 202405, 202405)
    assert [(r.kind, r.balance) for r in rows] == [("open", D("-3")), ("close", D("-3"))]
