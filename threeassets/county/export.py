"""The county table and a township's drill-down as XLSX (core/xlsx.py: every text cell through the formula guard)."""
from __future__ import annotations

from decimal import Decimal

from threeassets.core.periods import ym_label
from threeassets.core.xlsx import Sheet, workbook
from threeassets.county.queries import Overview
from threeassets.county.rules import ALERT_LABELS, Figures

HEADER = ["编码", "名称", "村数", "库存现金", "银行存款", "应收款项", "应付款项", "资产（张）", "资产原值", "资产净值",
          "资源（宗）", "资源面积（亩）", "90天内到期合同", "逾期应收（笔）", "逾期应收金额",
          "应结账（村·月）", "按期结账", "按期结账率", "应公开（村·月）", "按期公开", "按期公开率",
          "已公开（村·月）", "公示满15天", "公示达标率", "窗口办结", "不予受理/退回", "按时办结", "按时办结率",
          "待处理预警"]
MONEY_COLS = (3, 4, 5, 6, 8, 9, 14)
PCT_COLS = (17, 20, 23, 27)


def _pct(value: Decimal | None):
    """A percentage (50.0) as an Excel fraction (0.5) for a 0.0% cell; blank when nothing was due."""
    return None if value is None else value / 100


def cells(code: str, name: str, f: Figures) -> list:
    """One row of the table, in HEADER's order."""
    return [code, name, f.villages, f.cash, f.bank, f.receivables, f.payables, f.assets, f.assets_cost,
            f.assets_net, f.resources, f.resources_area, f.expiring, f.overdue, f.overdue_amount,
            f.closes_due, f.closes_on_time, _pct(f.close_rate), f.notices_due, f.notices_on_time,
            _pct(f.notice_rate), f.notices_posted, f.notices_displayed, _pct(f.display_rate), f.cases_done,
            f.cases_rejected, f.cases_on_time, _pct(f.case_rate), f.open_alerts]


def overview_xlsx(title: str, data: Overview) -> bytes:
    """Two sheets: the table (a row per township or village and the totals row) and the county's alerts."""
    rows = [cells(r.code, r.name, r.figures) for r in data.rows]
    rows.append(cells("", "合计", data.totals))
    formats = {c: "#,##0.00" for c in MONEY_COLS} | {c: "0.0%" for c in PCT_COLS} | {11: "#,##0.00"}
    span = f"{ym_label(data.months[0])}—{ym_label(data.months[-1])}"
    table = Sheet("汇总", [HEADER], rows,
                  [[title], [f"余额截至 {data.as_of.isoformat()} 所在月末；结账、公开、办件统计期 {span}"]],
                  [10, 16] + [12] * (len(HEADER) - 2), formats, bold={len(rows) - 1}, shaded={len(rows) - 1},
                  freeze_cols=2)
    alerts = Sheet("预警", [["类型", "级别", "内容"]],
                   [[ALERT_LABELS[a.rule], "严重" if a.severity == "danger" else "警告", a.message]
                    for a in data.alerts], [[f"{title} 预警"]], [18, 8, 90], wrap_cols={2})
    return workbook(table, alerts)
