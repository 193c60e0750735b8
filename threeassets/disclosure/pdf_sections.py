"""The notice's printed sections as ReportLab flowables, in the order of the 财务公开 rules' categories.

Every section takes the notice data and a Ctx (layout, font, styles) and returns flowables; an empty register
or book prints 本期无 rather than an empty table, so a reader knows nothing was left out.
"""
from __future__ import annotations

from decimal import Decimal

from threeassets.core.money import fmt
from threeassets.disclosure.chart import composition
from threeassets.disclosure.pdf_tables import Col, Ctx, amount, grid, heading, nothing, short_date, subheading


def header(data: dict, ctx: Ctx) -> list:
    """Title, township, period, version and publication date."""
    from reportlab.platypus import HRFlowable, Spacer
    per, vil = data["period"], data["village"]
    published = short_date(data.get("published_on"), year=True) if data.get("published_on") else "（待公布）"
    out = [ctx.p(f"{vil['name']}财务公开榜", "title"), Spacer(1, ctx.lay.body * 0.4),
           ctx.p(f"{vil['township']}　公开期间：{per['label']}（{short_date(per['start'], year=True)}至"
                 f"{short_date(per['end'], year=True)}）", "sub"),
           ctx.p(f"第 {ctx.version} 版　公布日期：{published}{_until(data)}", "sub")]
    if ctx.status_note:
        out.append(ctx.p(f"【{ctx.status_note}】", "sub"))
    out.append(HRFlowable(width="100%", thickness=1.5, spaceBefore=4, spaceAfter=2))
    return out


def _until(data: dict) -> str:
    """The end of the posting period when the workflow has set one (公示至 …)."""
    until = data.get("display_until")
    return f"　公示至：{short_date(until, year=True)}" if until else ""


def overview(data: dict, ctx: Ctx) -> list:
    """本期概况: cash at the start, income, expenditure, cash at the end (with 大写), the cash and bank detail,
    and the composition chart."""
    c, inc, exp = data["cash"], data["income"], data["expense"]
    rows = [["期初货币资金余额", amount(c["opening"]), ""],
            ["本期收入合计", amount(inc["total"]), inc["total_upper"]],
            ["本期支出合计", amount(exp["total"]), exp["total_upper"]],
            ["本期收支差额", amount(data["net"]["amount"]), data["net"]["upper"]],
            ["期末货币资金余额", amount(c["closing"]), c["closing_upper"]]]
    cols = [Col("项目", 0.27), Col("金额（元）", 0.23, "R"), Col("大写", 0.5, "W")]
    out = [ctx.p("本期概况", "h"), grid(ctx, cols, rows, bold_rows=(len(rows) - 1,))]
    cash_rows = [[("　" if r["level"] > 1 else "") + r["name"], amount(r["opening"]), amount(r["debit"]),
                  amount(r["credit"]), amount(r["closing"])] for r in c["rows"]]
    cash_cols = [Col("货币资金", 0.24, "W"), Col("期初余额", 0.19, "R"), Col("本期收入", 0.19, "R"),
                 Col("本期支出", 0.19, "R"), Col("期末余额", 0.19, "R")]
    out += subheading(ctx, "库存现金和银行存款") + [grid(ctx, cash_cols, cash_rows)]
    return out + chart_block(data, ctx)


def chart_block(data: dict, ctx: Ctx) -> list:
    """The income and expenditure composition charts, each under its own caption."""
    from reportlab.platypus import Spacer
    out = []
    for section, title in (("income", "本期收入构成"), ("expense", "本期支出构成")):
        d = composition(data[section]["by_account"], section, title, width=ctx.lay.frame_width, font=ctx.font,
                        size=ctx.lay.table)
        if d is not None:
            out += [Spacer(1, ctx.lay.body * 0.6), d]
    return out


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


def assets(data: dict, ctx: Ctx, n: int) -> list:
    """四、各项资产: fixed-asset cards by category and what changed in the period."""
    a = data["assets"]
    out = heading(ctx, n, "各项资产（固定资产）")
    if not a["by_category"] and not a["changes"]:
        return out + [nothing(ctx, "固定资产台账")]
    rows = [[r["category"], str(r["count"]), amount(r["cost"]), amount(r["depreciation"]), amount(r["net"])]
            for r in a["by_category"]]
    rows.append(["合计", str(a["count"]), amount(a["cost"]), amount(a["depreciation"]), amount(a["net"])])
    cols = [Col("类别", 0.24, "W"), Col("数量", 0.1, "R"), Col("原值", 0.22, "R"), Col("累计折旧", 0.22, "R"),
            Col("净值", 0.22, "R")]
    out += [grid(ctx, cols, rows, bold_rows=(len(rows) - 1,)),
            ctx.p(f"本期计提折旧 {amount(a['period_depreciation'])} 元。", "note"), *subheading(ctx, "本期资产变动")]
    if not a["changes"]:
        return out + [nothing(ctx, "资产变动")]
    rows = [[short_date(c["date"]), c["asset"], c["kind"], amount(c["amount"]), c["detail"]] for c in a["changes"]]
    cols = [Col("日期", 0, "C"), Col("资产", 0.45, "W"), Col("变动", 0, "C"), Col("原值或调整额", 0, "R"),
            Col("说明", 0.55, "W")]
    return out + [grid(ctx, cols, rows)]
