"""Demo claims of the first demo village (the one with a village accountant), in every state a user meets:
a draft, one waiting at the window, one accepted with its voucher draft, one returned with a reason, and a 白条
claim waiting for 补正 after a one-time notice. Runs after the windows demo (the catalogue exists)."""
from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

from threeassets.claims import service
from threeassets.claims.rules import ClaimInput, LineDraft

# (payee, kind, account, method, days ago, [(purpose, code, amount, invoice)], what happens)
CLAIMS = [
    ("县城新华文具店", "firm", "6228 4800 1234 5678 012", "bank", 3,
     [("村部购买打印纸、墨盒", "51301", "386.00", "vat")], "draft"),
    ("明亮电器维修部", "firm", "6217 0010 2233 4455 667", "bank", 5,
     [("村道路灯更换灯头12个", "514", "1440.00", "vat"), ("路灯线路检修人工", "514", "600.00", "vat")], "submitted"),
    ("洁美保洁服务有限公司", "firm", "6222 0210 0098 7654 321", "bank", 8,
     [("村内主干道保洁服务费（本月）", "514", "1800.00", "vat")], "accepted"),
    ("刘建国", "person", "", "cash", 6,
     [("防汛值班误餐费", "515", "240.00", "receipt")], "returned"),
    ("王小二", "person", "", "cash", 4,
     [("临时用工清理沟渠工钱", "514", "450.00", "none"), ("购买编织袋", "515", "60.00", "receipt")], "notice"),
]
RETURN_REASON = "收据未加盖收款单位印章，防汛值班人员名单未附，请补齐后重新提交"
# Listed beside the checklist's missing rows (the approval form, the originals of the scans):
NOTICE = ["临时用工人员签名领款表（白条须附说明）"]


def receipt_pdf(title: str, payee: str, lines: list[tuple[str, str, str, str]]) -> bytes:
    """A one-page scanned-receipt stand-in: title, payee and the lines (the demo has no real scans)."""
    from reportlab.lib.pagesizes import A5, landscape
    from reportlab.pdfgen import canvas

    from threeassets.core.pdf import cjk_font
    font = cjk_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=landscape(A5))
    c.setFont(font, 20)
    c.drawCentredString(297, 370, title)
    c.setFont(font, 12)
    c.drawString(60, 330, f"收款单位（人）：{payee}")
    y = 300
    for purpose, _code, amount, _inv in lines:
        c.drawString(60, y, purpose)
        c.drawRightString(530, y, f"¥{amount}")
        y -= 24
    c.drawString(60, 80, "（演示用票据）")
    c.save()
    return buf.getvalue()


def _claim(session, village, actor, spec, today):
    """Save one demo claim with its receipt, as the village accountant."""
    payee, kind, account, method, ago, lines, _ = spec
    day = today - timedelta(days=ago)
    data = ClaimInput(payee, kind, account, method, day, "13905510123", "张报账", "刘理财", "陈村长", day,
                      tuple(LineDraft(p, c, Decimal(a), i) for p, c, a, i in lines))
    claim = service.save(session, village=village, actor=actor, data=data, today=today)
    title = "增值税普通发票" if all(ln[3] == "vat" for ln in lines) else "收 据"
    service.attachments.store(session, village_id=village.id, owner_type="claim", owner_id=claim.id,
                              filename=f"{title.replace(' ', '')}-{payee}.pdf", data=receipt_pdf(title, payee, lines),
                              actor=actor)
    return claim


def _window_steps(session, claim, what, clerk, today):
    """Carry a submitted claim through the window as far as the demo wants it."""
    from threeassets.windows import service as windows
    case = service.receive(session, claim=claim, actor=clerk)
    if what == "returned":
        windows.reject(session, case, clerk, RETURN_REASON)
    elif what == "notice":
        windows.notify_missing(session, case, clerk, windows.missing_of(case) + NOTICE, today=today)
    elif what == "accepted":
        windows.record_materials(session, case, clerk, {m.id: (True, True) for m in case.checklist})
        windows.accept(session, case, clerk, today=today)


def load(session, township, villages, users, today) -> None:
    """Add the demo claims to the first village in the caller's transaction."""
    village, actor, clerk = villages[0], users["baozhang"], users["chuangkou"]
    for spec in CLAIMS:
        what = spec[-1]
        claim = _claim(session, village, actor, spec, today)
        if what == "draft":
            continue
        service.submit(session, claim=claim, village=village, actor=actor, today=today)
        if what != "submitted":
            _window_steps(session, claim, what, clerk, today)
