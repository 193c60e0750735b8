"""The printed voucher (记账凭证): a function of plain data, laid out the way Yonyou/Kingdee users expect."""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from threeassets.core.money import fmt, to_chinese_upper
from threeassets.core.pdf import SPLIT_TALL_ROWS, check_fields, cjk_font, numbered_canvas, para


@dataclass
class VoucherPrint:
    """Everything printed on a voucher."""

    village: str
    label: str
    day: date
    attachments: int
    lines: list[tuple[str, str, Decimal, Decimal]]  # summary, account full name, debit, credit
    total: Decimal
    preparer: str
    reviewer: str
    poster: str
    status: str
    note: str = ""


# The text a voucher prints and the names a refusal gives it (core.pdf.check_fields: a character no installed font
# draws stops the print, naming where it is).
FIELDS = {"village": "核算单位", "label": "凭证号", "lines": ("分录", ("摘要", "会计科目")), "preparer": "制单",
          "reviewer": "审核", "poster": "记账", "note": "红字冲销说明"}


def voucher_data(session: Session, voucher, village) -> VoucherPrint:
    """Gather the printable data of a voucher."""
    from threeassets.ledger.service import signatures
    preparer, reviewer, poster = signatures(session, voucher)
    note = f"冲销 {voucher.reverses.label}（{voucher.reverses.voucher_date}）" if voucher.reverses else ""
    return VoucherPrint(
        village=village.name, label=voucher.label if voucher.number else "（未记账）", day=voucher.voucher_date,
        attachments=voucher.attachments,
        lines=[(ln.summary, f"{ln.account.code} {ln.account.full_name}", ln.debit, ln.credit) for ln in voucher.lines],
        total=voucher.total, preparer=preparer, reviewer=reviewer, poster=poster, status=voucher.status, note=note)


def _continuation(data: VoucherPrint, font: str):
    """Page furniture of a voucher longer than one sheet: 第 N / M 页, and who/when on the later sheets."""
    from reportlab.lib.pagesizes import A5, landscape
    from reportlab.lib.units import mm

    width, height = landscape(A5)

    def decorate(canvas, page: int, total: int) -> None:
        if data.status != "posted":  # a draft or reviewed voucher is not yet in the books: it says so on paper
            canvas.saveState()
            canvas.setFillColorRGB(0.85, 0.2, 0.2, alpha=0.18)
            canvas.setFont(font, 54)
            canvas.translate(width / 2, height / 2)
            canvas.rotate(20)
            canvas.drawCentredString(0, -18, "草稿　未记账")
            canvas.restoreState()
        if total < 2:
            return
        canvas.setFont(font, 8)
        canvas.drawRightString(width - 12 * mm, 5 * mm, f"{data.label}　第 {page} / {total} 页")
        if page > 1:
            canvas.setFont(font, 9)
            text = f"记账凭证（续）　核算单位：{data.village}　日期：{data.day:%Y年%m月%d日}　凭证号：{data.label}"
            canvas.drawString(12 * mm, height - 7 * mm, text)
    return decorate


def render_voucher(data: VoucherPrint) -> bytes:
    """A voucher on half an A4 sheet (landscape A5), CJK font embedded; long vouchers continue on more sheets."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A5, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import HRFlowable, SimpleDocTemplate, Spacer, Table, TableStyle

    check_fields(data, FIELDS)
    font = cjk_font()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A5), leftMargin=12 * mm, rightMargin=12 * mm,
                            topMargin=10 * mm, bottomMargin=10 * mm, title=f"记账凭证 {data.label}",
                            author="threeassets")
    title = ParagraphStyle("t", fontName=font, fontSize=18, alignment=1, leading=24, spaceAfter=1)
    small = ParagraphStyle("s", fontName=font, fontSize=9, leading=12)
    cell = ParagraphStyle("c", fontName=font, fontSize=9, leading=11)
    head = Table([[f"核算单位：{data.village}", f"日期：{data.day:%Y年%m月%d日}", f"凭证号：{data.label}"]],
                 colWidths=[80 * mm, 60 * mm, 46 * mm])
    head.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, 9), ("ALIGN", (1, 0), (1, 0), "CENTER"),
                              ("ALIGN", (2, 0), (2, 0), "RIGHT")]))
    rows = [["摘要", "会计科目", "借方金额", "贷方金额"]]
    rows += [[para(s, cell), para(a, cell), fmt(d, blank_zero=True), fmt(c, blank_zero=True)]
             for s, a, d, c in data.lines]
    while len(rows) < 6:
        rows.append(["", "", "", ""])
    rows.append([f"合计：{to_chinese_upper(data.total)}", "", fmt(data.total), fmt(data.total)])
    table = Table(rows, colWidths=[56 * mm, 70 * mm, 30 * mm, 30 * mm], repeatRows=1, splitInRow=SPLIT_TALL_ROWS)
    red = colors.red if data.total < 0 else colors.black
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), font, 9), ("FONT", (0, 0), (-1, 0), font, 10),
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black), ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"), ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("SPAN", (0, -1), (1, -1)),
        ("TEXTCOLOR", (2, 1), (-1, -1), red), ("MINROWHEIGHT", (0, 0), (-1, -1), 7 * mm),
    ]))
    story = [para("记 账 凭 证", title),  # the double rule under the title, as on the printed forms
             HRFlowable(width=52 * mm, thickness=0.8, color=colors.black, spaceBefore=0, spaceAfter=1),
             HRFlowable(width=52 * mm, thickness=0.8, color=colors.black, spaceBefore=0, spaceAfter=3),
             head, Spacer(1, 2 * mm), table, Spacer(1, 2 * mm)]
    if data.note:
        story.append(para(f"红字冲销：{data.note}", small))
    # The signature row of the printed forms (用友/金蝶): 会计主管 and 出纳 sign by hand; the others are the system's.
    signs = [f"附单据 {data.attachments} 张", "会计主管：", f"记账：{data.poster}", "出纳：", f"审核：{data.reviewer}",
             f"制单：{data.preparer}"]
    foot = Table([[para(text, small) for text in signs]],
                 colWidths=[24 * mm, 28 * mm, 32 * mm, 22 * mm, 40 * mm, 40 * mm], splitInRow=SPLIT_TALL_ROWS)
    foot.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, 9), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(foot)
    doc.build(story, canvasmaker=numbered_canvas(_continuation(data, font)))
    return buf.getvalue()
