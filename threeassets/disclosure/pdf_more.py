"""The notice's later sections: resources and contracts, debts, income distribution, other matters, sign-off."""
from __future__ import annotations

import io

from threeassets.disclosure.pdf_tables import Col, Ctx, amount, grid, heading, nothing, short_date, subheading


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


def other(data: dict, ctx: Ctx, n: int) -> list:
    """八、其他: what the village board adds (a free text), or 无."""
    text = (data.get("other") or "").strip()
    return heading(ctx, n, "其他需要公开的事项") + [ctx.p(text or "无。")]


def _qr(ctx: Ctx, url: str):
    """The verification QR code as an image flowable (segno, error correction M, quiet zone kept)."""
    import segno
    from reportlab.platypus import Image
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=8, border=2)
    buf.seek(0)
    return Image(buf, width=ctx.lay.qr, height=ctx.lay.qr)


def _signature_rows(data: dict) -> list[tuple[str, str]]:
    """The three signing parties and their lines; the oversight group's names and date once it has signed off."""
    s = data.get("signoff") or {}
    blank_day = "＿＿＿＿年＿＿月＿＿日"
    names = s.get("names") or "＿＿＿＿＿＿"
    day = short_date(s.get("on"), year=True) if s.get("on") else blank_day
    return [("村民委员会（盖章）", f"负责人：＿＿＿＿＿＿　日期：{blank_day}"),
            ("民主理财小组", f"成员签字：{names}　日期：{day}"),
            ("三资代理服务中心（盖章）", f"经办人：＿＿＿＿＿＿　日期：{blank_day}")]


def signoff(data: dict, ctx: Ctx) -> list:
    """Signature lines, the supervision phone and the QR code with its address printed under it."""
    from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle
    w = ctx.lay.frame_width
    rows = [[ctx.p(a), ctx.p(b)] for a, b in _signature_rows(data)]  # many names wrap inside their cell
    sig = Table(rows, colWidths=[w * 0.3, w * 0.7])
    sig.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), ctx.font, ctx.lay.body),
                             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                             ("TOPPADDING", (0, 0), (-1, -1), ctx.lay.body * 0.9),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), ctx.lay.body * 0.9)]))
    phone = data.get("supervision_phone") or "（请向乡镇三资代理服务中心询问）"
    text = [ctx.p(f"监督电话：{phone}", "h2"),
            ctx.p("对公开内容有疑问，可向村民主理财小组反映，或拨打监督电话。", "note"),
            ctx.p("扫描右侧二维码，或在浏览器中打开下面的网址，可核对本公开榜是否为正式公布的版本：", "note"),
            ctx.p(ctx.verify_url, "note")]
    qr_w = ctx.lay.qr + ctx.lay.body
    box = Table([[text, _qr(ctx, ctx.verify_url)]], colWidths=[w - qr_w, qr_w])
    box.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                             ("BOX", (0, 0), (-1, -1), 0.8, (0, 0, 0))]))
    return [KeepTogether([ctx.p("签字确认", "h"), sig, Spacer(1, ctx.lay.body), box])]
