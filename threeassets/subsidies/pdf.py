"""The printed 公示 of a subsidy list for one village's notice board: A4, the list with masked IDs, the total in
大写, the notice dates and the supervision phone. A function of plain data; every text goes through core.pdf.para."""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from threeassets.core.money import fmt, to_chinese_upper
from threeassets.core.papers import cn_date
from threeassets.core.pdf import SPLIT_TALL_ROWS, check_fields, cjk_font, cjk_style, numbered_canvas, para


@dataclass
class NoticeRow:
    """A line of the printed list (the ID already masked)."""

    group: str
    number: str
    head_name: str
    id_masked: str
    quantity: Decimal
    rate: Decimal
    amount: Decimal


@dataclass
class NoticePrint:
    """Everything the printed notice shows."""

    township: str
    village: str
    policy: str
    year: int
    batch: str
    unit: str  # 元/亩 …
    notice_from: date | None
    notice_to: date | None
    days: int
    supervision_phone: str
    printed_on: date
    rows: list[NoticeRow] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        """The village's total on the list."""
        return sum((r.amount for r in self.rows), Decimal("0.00"))


# The text the notice prints and the names a refusal gives it (core.pdf.check_fields: a character no installed font
# draws stops the print, naming where it is).
FIELDS = {"township": "乡镇名称", "village": "村名", "policy": "政策名称", "batch": "批次", "unit": "计量单位",
          "supervision_phone": "监督电话",
          "rows": ("公示名单", {"group": "组", "number": "户号", "head_name": "户主姓名", "id_masked": "身份证号"})}


class _Styles:
    def __init__(self, font: str):
        self.font = font
        self.title = cjk_style("t", font, 18, 25, alignment=1)
        self.sub = cjk_style("s", font, 11, 16, alignment=1)
        self.body = cjk_style("b", font, 11, 18, firstLineIndent=22)
        self.cell = cjk_style("c", font, 9.5, 12)
        self.num = cjk_style("n", font, 9.5, 12, alignment=2)
        self.sign = cjk_style("g", font, 11, 18, alignment=2)


def _quantity(q: Decimal) -> str:
    """A quantity without trailing zeros of a whole number (3 人, 12.50 亩)."""
    return str(q.quantize(Decimal(1))) if q == q.to_integral_value() else f"{q:.2f}"


def _table(data: NoticePrint, st: _Styles):
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Table, TableStyle
    head = ["序号", "组", "户号", "户主姓名", "身份证号", "数量", f"标准（{data.unit or '元'}）", "金额（元）"]
    body = [[str(i), para(r.group, st.cell), para(r.number, st.cell), para(r.head_name, st.cell), r.id_masked,
             para(_quantity(r.quantity), st.num), para(fmt(r.rate), st.num), para(fmt(r.amount), st.num)]
            for i, r in enumerate(data.rows, start=1)]
    total = ["合计", "", "", f"{len(data.rows)} 户", "", "", "", para(fmt(data.total), st.num)]
    widths = [11 * mm, 16 * mm, 15 * mm, 24 * mm, 40 * mm, 18 * mm, 27 * mm, 28 * mm]
    table = Table([head, *body, total], colWidths=widths, repeatRows=1, splitInRow=SPLIT_TALL_ROWS)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), st.font, 9.5), ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BOX", (0, 0), (-1, -1), 1, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3ead8")), ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("ALIGN", (0, 1), (0, -1), "CENTER"), ("SPAN", (0, -1), (2, -1)), ("ALIGN", (0, -1), (2, -1), "CENTER"),
        ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f7f7f7"))]))
    return table


def _text(data: NoticePrint) -> list[str]:
    period = f"{cn_date(data.notice_from)}至{cn_date(data.notice_to)}（{data.days}天）"
    return [f"根据{data.policy}政策规定，经农户申报、村级核实，现将{data.village}{data.year}年{data.policy}"
            f"（{data.batch}）拟发放名单予以公示。",
            f"公示时间：{period}。公示期间，对名单中的农户、数量、标准或金额有异议的，请向村民委员会或乡镇农村集体"
            "“三资”代理服务中心反映，也可拨打监督电话。公示期满无异议的，补贴资金通过惠民惠农财政补贴资金“一卡通”"
            "直接发放到户。",
            f"本村合计：{len(data.rows)} 户，金额 {fmt(data.total)} 元（大写：{to_chinese_upper(data.total)}）。",
            f"监督电话：{data.supervision_phone or '（未设置）'}"]


def notice_pdf(data: NoticePrint) -> bytes:
    """The A4 notice of one village's part of a list."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer
    check_fields(data, FIELDS)
    st = _Styles(cjk_font())
    story = [para(f"{data.year}年{data.policy}（{data.batch}）公示", st.title),
             para(f"{data.township} · {data.village}", st.sub), Spacer(1, 4 * mm)]
    story += [para(t, st.body) for t in _text(data)[:2]]
    story += [Spacer(1, 3 * mm), _table(data, st), Spacer(1, 3 * mm)]
    story += [para(t, st.body) for t in _text(data)[2:]]
    story += [Spacer(1, 8 * mm), para(f"{data.township}农村集体“三资”代理服务中心", st.sign),
              para(f"{data.village}村民委员会", st.sign), para(cn_date(data.notice_from or data.printed_on), st.sign)]

    def decorate(canvas, page, total):
        canvas.setFont(st.font, 8.5)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"第 {page} / {total} 页　身份证号已隐去中间数字")

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=14 * mm, rightMargin=14 * mm, topMargin=16 * mm,
                            bottomMargin=18 * mm, title=f"{data.village}{data.year}年{data.policy}公示")
    doc.build(story, canvasmaker=numbered_canvas(decorate))
    return buf.getvalue()
