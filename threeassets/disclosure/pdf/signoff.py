"""What the workflow adds to the printed notice: 八、其他 (the text typed while it is a draft) and the sign-off
block with the signature lines, the supervision phone and the QR code to verify it."""
from __future__ import annotations

import io

from threeassets.core.pdf import SPLIT_TALL_ROWS
from threeassets.disclosure.pdf.tables import Ctx, heading, short_date


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
    sig = Table(rows, colWidths=[w * 0.3, w * 0.7], splitInRow=SPLIT_TALL_ROWS)
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
    box = Table([[text, _qr(ctx, ctx.verify_url)]], colWidths=[w - qr_w, qr_w], splitInRow=SPLIT_TALL_ROWS)
    box.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                             ("BOX", (0, 0), (-1, -1), 0.8, (0, 0, 0))]))
    return [KeepTogether([ctx.p("签字确认", "h"), sig, Spacer(1, ctx.lay.body), box])]
