"""The printed sections that come from the posted books: 一、财务计划, 二、各项收入, 三、各项支出, 六、债权债务 and
七、收益分配."""
from __future__ import annotations

from decimal import Decimal

from threeassets.core.money import fmt
from threeassets.disclosure.pdf.tables import Col, Ctx, amount, grid, heading, nothing, short_date, subheading


def plan(data: dict, ctx: Ctx, n: int) -> list:
    """一、财务计划执行情况: the year's budget against the actual so far."""
    pl = data["plan"]
    out = heading(ctx, n, f"财务计划执行情况（{pl['year']}年）")
    if not pl["rows"]:
        return out + [ctx.p(f"{pl['year']}年未编制财务计划（预算）。")]
    rows = [[r["section"], ("　" if r["level"] > 1 else "") + r["name"], amount(r["budget"]) if r["budget"] else "",
             amount(r["actual"]), r["pct"]] for r in pl["rows"]]
    cols = [Col("类别", 0.1, "C"), Col("项目", 0.34, "W"), Col("年度预算", 0.2, "R"), Col("本年实际", 0.2, "R"),
            Col("执行率", 0.16, "R")]
    return out + [grid(ctx, cols, rows), ctx.p("本年实际为1月至本期末的累计数。", "note")]


def flows(data: dict, ctx: Ctx, n: int, section: str) -> list:
    """二、各项收入 / 三、各项支出: itemised lines (small ones grouped), the total with its 大写."""
    word = "收入" if section == "income" else "支出"
    sec = data[section]
    out = heading(ctx, n, f"各项{word}")
    if not sec["items"]:
        return out + [nothing(ctx)]
    rows = [[short_date(i["date"]), i["voucher"], i["summary"], i["account"], amount(i["amount"])]
            for i in sec["items"]]
    rows.append([f"{word}合计", "", f"大写：{sec['total_upper']}", "", amount(sec["total"])])
    cols = [Col("日期", 0.125, "C"), Col("凭证号", 0.12, "C"), Col("摘要", 0.305, "W"), Col("科目", 0.26, "W"),
            Col("金额（元）", 0.19, "R")]
    out.append(grid(ctx, cols, rows, bold_rows=(len(rows) - 1,), spans=[((0, -1), (1, -1)), ((2, -1), (3, -1))]))
    if Decimal(data.get("group_threshold") or 0) > 0:
        out.append(ctx.p(f"单笔金额不足 {fmt(Decimal(data['group_threshold']))} 元的，按科目合并列示。", "note"))
    return out


def _debt_table(ctx: Ctx, block: dict, who: str):
    """One side of 债权债务: a line per counterparty and the total."""
    rows = [[x["account"], x["counterparty"], amount(x["opening"]), amount(x["increase"]), amount(x["decrease"]),
             amount(x["closing"])] for x in block["rows"]]
    rows.append(["合计", "", "", "", "", amount(block["total"])])
    cols = [Col("科目", 0.15, "W"), Col(who, 0.21, "W"), Col("期初余额", 0.16, "R"), Col("本期增加", 0.16, "R"),
            Col("本期减少", 0.16, "R"), Col("期末余额", 0.16, "R")]
    return grid(ctx, cols, rows, bold_rows=(len(rows) - 1,))


def debts(data: dict, ctx: Ctx, n: int) -> list:
    """六、债权债务: receivables and payables by counterparty (the sub-accounts of the books)."""
    d = data["debts"]
    out = heading(ctx, n, "债权债务")
    for kind, title, who in (("receivable", "债权（应收款项）", "欠款单位或个人"),
                             ("payable", "债务（应付款项）", "债权单位或个人")):
        out += subheading(ctx, title)
        out.append(_debt_table(ctx, d[kind], who) if d[kind]["rows"] else nothing(ctx))
    return out


def distribution(data: dict, ctx: Ctx, n: int) -> list:
    """七、收益分配: the income and distribution statement's lines."""
    dist = data["distribution"]
    rows = [[ln["prefix"] + ln["item"], *(amount(v) for v in ln["values"])] for ln in dist["lines"]
            if ln["values"] is not None]
    bold = [i for i, ln in enumerate(x for x in dist["lines"] if x["values"] is not None) if ln.get("total")]
    cols = [Col("项目", 0.44, "W"), Col(dist["columns"][0], 0.28, "R"), Col(dist["columns"][1], 0.28, "R")]
    return heading(ctx, n, "收益分配") + [grid(ctx, cols, rows, bold_rows=bold)]
