"""Report files as functions of data: CSV (export contract) and XLSX. PDF lives in reports/pdf.py."""
from __future__ import annotations

from threeassets.core.csvio import csv_text
from threeassets.core.money import plain
from threeassets.core.xlsx import simple_sheet
from threeassets.reports.service import TB_COLUMNS, TBRow, tb_totals

TB_HEADERS_CN = ["科目编码", "科目名称", "期初借方", "期初贷方", "本期借方", "本期贷方", "期末借方", "期末贷方"]


def tb_csv(rows: list[TBRow]) -> str:
    """Trial balance in the CSV export contract (header in English, plain two-decimal numbers)."""
    return csv_text(TB_COLUMNS, ([r.code, r.name, *(plain(x) for x in r.cells())] for r in rows))


def tb_xlsx(rows: list[TBRow], title: str, subtitle: str) -> bytes:
    """Trial balance as an Excel workbook with Chinese headers, number formats and a 合计 row."""
    body = [[r.code, ("　" * (r.level - 1)) + r.name, *r.cells()] for r in rows]
    body.append(["合计", "", *tb_totals(rows)])
    return simple_sheet("科目余额表", title, subtitle, TB_HEADERS_CN, body, range(2, 8), [14, 30] + [16] * 6)
