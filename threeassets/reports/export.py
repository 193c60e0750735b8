"""Report files as functions of data: CSV (export contract) and XLSX. PDF lives in reports/pdf.py."""
from __future__ import annotations

from threeassets.core.csvio import csv_text
from threeassets.core.money import plain
from threeassets.core.xlsx import simple_sheet
from threeassets.reports.service import TB_COLUMNS, LedgerRow, TBRow, tb_totals

TB_HEADERS_CN = ["科目编码", "科目名称", "期初借方", "期初贷方", "本期借方", "本期贷方", "期末借方", "期末贷方"]


def tb_csv(rows: list[TBRow]) -> str:
    """Trial balance in the CSV export contract (header in English, plain two-decimal numbers)."""
    return csv_text(TB_COLUMNS, ([r.code, r.name, *(plain(x) for x in r.cells())] for r in rows))


def tb_xlsx(rows: list[TBRow], title: str, subtitle: str) -> bytes:
    """Trial balance as an Excel workbook with Chinese headers, number formats and a 合计 row."""
    body = [[r.code, ("　" * (r.level - 1)) + r.name, *r.cells()] for r in rows]
    body.append(["合计", "", *tb_totals(rows)])
    return simple_sheet("科目余额表", title, subtitle, TB_HEADERS_CN, body, range(2, 8), [14, 30] + [16] * 6)


LEDGER_COLUMNS = ["date", "voucher", "summary", "debit", "credit", "side", "balance"]
LEDGER_HEADERS_CN = ["日期", "凭证号", "摘要", "借方", "贷方", "方向", "余额"]


def side(balance) -> str:
    """借 / 贷 / 平 of a balance, as ledgers print it."""
    return "借" if balance > 0 else ("贷" if balance < 0 else "平")


def _ledger_cells(r: LedgerRow) -> list:
    movement = r.kind in ("entry", "month", "year")
    return [str(r.date), r.label, r.summary, r.debit if movement else None, r.credit if movement else None,
            side(r.balance), abs(r.balance)]


def ledger_csv(rows: list[LedgerRow]) -> str:
    """明细账 in the CSV export contract (English header; plain two-decimal numbers; 本月合计/本年累计 rows kept)."""
    return csv_text(LEDGER_COLUMNS, ([*c[:3], *("" if x is None else plain(x) for x in c[3:5]), c[5], plain(c[6])]
                                     for c in map(_ledger_cells, rows)))


def ledger_xlsx(rows: list[LedgerRow], title: str, subtitle: str) -> bytes:
    """明细账 as an Excel workbook with Chinese headers and number formats."""
    body = [_ledger_cells(r) for r in rows]
    return simple_sheet("明细账", title, subtitle, LEDGER_HEADERS_CN, body, (3, 4, 6), [12, 10, 40, 16, 16, 6, 16])
