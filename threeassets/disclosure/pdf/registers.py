"""The printed sections that come from the registers: 四、各项资产 (fixed-asset cards) and 五、各类资源 with the
contracts that let them."""
from __future__ import annotations

from threeassets.disclosure.pdf.tables import Col, Ctx, amount, grid, heading, nothing, short_date, subheading


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


def resources(data: dict, ctx: Ctx, n: int) -> list:
    """五、各类资源: the register by type, then the contracts that let them and what they brought in."""
    r, c = data["resources"], data["contracts"]
    out = heading(ctx, n, "各类资源及发包出租合同")
    if r["by_type"]:
        rows = [[x["type"], str(x["count"]), amount(x["area"]), amount(x["let_area"])] for x in r["by_type"]]
        rows.append(["合计", str(r["count"]), amount(r["area"]), amount(r["let_area"])])
        cols = [Col("资源类型", 0.28, "W"), Col("块（处）数", 0.16, "R"), Col("面积（亩）", 0.28, "R"),
                Col("其中已发包出租（亩）", 0.28, "R")]
        out.append(grid(ctx, cols, rows, bold_rows=(len(rows) - 1,)))
    else:
        out.append(nothing(ctx, "资源台账"))
    out += subheading(ctx, "合同收款情况")
    if not c["rows"]:
        return out + [nothing(ctx, "发包出租合同")]
    rows = [[f"{x['code']}（{x['kind']}）\n{x['title']}", f"{x['party']}\n{x['party_id']}", amount(x["received"]),
             amount(x["due"]), amount(x["overdue"])] for x in c["rows"]]
    rows.append(["合计", "", amount(c["received"]), "", amount(c["overdue"])])
    cols = [Col("合同", 0.45, "W"), Col("承包（承租）方", 0.55, "W"), Col("本期收款", 0, "R"),
            Col("应收至期末", 0, "R"), Col("欠款", 0, "R")]
    return out + [grid(ctx, cols, rows, bold_rows=(len(rows) - 1,)),
                  ctx.p("应收至期末：到期各期合同款之和；欠款：到期应收而至期末未收的部分。", "note")]


def subsidies(data: dict, ctx: Ctx, n: int) -> list:
    """八、惠农补贴: what the village's households were paid in the period, by policy (IDs masked); not the
    village's income."""
    s = data["subsidies"]
    out = heading(ctx, n, "惠农补贴发放（直接发放到户，不计入村集体收入）")
    if not s["policies"]:
        return out + [nothing(ctx, "本期惠农补贴发放")]
    rows = [[p["policy"], str(p["households"]), amount(p["total"])] for p in s["policies"]]
    rows.append(["合计", str(s["households"]), amount(s["total"])])
    out.append(grid(ctx, [Col("政策", 0.6, "W"), Col("户次", 0.15, "R"), Col("发放金额", 0.25, "R")], rows,
                    bold_rows=(len(rows) - 1,)))
    for p in s["policies"]:
        out += subheading(ctx, f"{p['policy']}发放明细")
        rows = [[r["batch"], r["group"], r["name"], r["id"], amount(r["amount"]), short_date(r["date"])]
                for r in p["rows"]]
        cols = [Col("批次", 0, "W"), Col("组", 0, "W"), Col("户主", 0.4, "W"), Col("身份证号", 0, "C"),
                Col("金额", 0, "R"), Col("发放日期", 0, "C")]
        out.append(grid(ctx, cols, rows))
    return out
