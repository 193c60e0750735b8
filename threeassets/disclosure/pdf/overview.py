"""The head of the printed notice: title, period and dates, then 本期概况 (cash at the start and the end, income,
expenditure, with 大写), the cash and bank detail and the composition charts."""
from __future__ import annotations

from threeassets.disclosure.pdf.chart import composition
from threeassets.disclosure.pdf.tables import Col, Ctx, amount, grid, short_date, subheading


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
