"""Budget vs actual as files: CSV (plain two-decimal numbers, English header) and XLSX (Chinese, with totals)."""
from __future__ import annotations

from threeassets.budgets.rules import BvaRow, section_totals
from threeassets.core.csvio import csv_text
from threeassets.core.money import plain
from threeassets.core.xlsx import simple_sheet

BVA_COLUMNS = ["account_code", "account_name", "budget", "actual", "variance", "executed_pct"]
BVA_HEADERS_CN = ["科目编码", "科目名称", "全年预算", "本年累计实际", "差异（实际−预算）", "执行率%"]


def bva_csv(rows: list[BvaRow]) -> str:
    """Budget vs actual in CSV: no budget leaves budget and executed_pct empty."""
    return csv_text(BVA_COLUMNS, ([r.code, r.name, "" if r.budget is None else plain(r.budget), plain(r.actual),
                                   plain(r.variance), "" if r.pct is None else f"{r.pct:.1f}"] for r in rows))


def bva_xlsx(rows: list[BvaRow], title: str, subtitle: str) -> bytes:
    """Budget vs actual as an Excel workbook: sections, indented sub-accounts, 收入/支出 totals and 收支差额."""
    body = [[r.code, ("　" * (r.level - 1)) + r.name, r.budget, r.actual, r.variance, r.pct] for r in rows]
    for label, (budget, actual) in section_totals(rows).items():
        body.append([f"{label}合计" if label != "收支差额" else label, "", budget, actual, actual - budget])
    return simple_sheet("预算执行", title, subtitle, BVA_HEADERS_CN, body, range(2, 5), [12, 30, 16, 16, 18, 10])
