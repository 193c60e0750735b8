"""The printed 财务公开榜: a function of the notice data (content.build_notice), A4 portrait or A3 landscape.

Made to be read on a village notice board: large type (body 11 pt on A4, 14 pt on A3), the CJK font embedded,
tables that continue across pages with their headers repeated, greys that survive a black-and-white copy,
signature lines, the supervision phone, a QR code to verify the notice and 第 N 页 共 M 页 on every page.

This module lays out the pages and puts the sections in order; the sections are in overview.py (title and
本期概况), books.py and registers.py (一 to 七, by where their figures come from) and signoff.py (八 and the
signatures), built on tables.py (the rendering's context, the ruled grid) and chart.py. Every section takes the
notice data and a Ctx and returns flowables; an empty register or book prints 本期无 rather than an empty table,
so a reader knows nothing was left out. No database and no request here: render_notice(data) -> bytes.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from threeassets.core.pdf import check_fields, cjk_font, numbered_canvas
from threeassets.disclosure.pdf import books, overview, registers, signoff
from threeassets.disclosure.pdf.tables import Ctx
from threeassets.disclosure.rules import mask_text


def _flows(title: str, chart: str) -> tuple:
    """The labels of 各项收入 / 各项支出: itemised lines, the chart's bars, the total's 大写."""
    return (title, {"items": ("", {"date": "日期", "voucher": "凭证号", "summary": "摘要", "account": "科目"}),
                    "by_account": (chart, {"name": "科目"}), "total_upper": "合计大写"})


def _debts(title: str, who: str) -> tuple:
    """The labels of one side of 债权债务."""
    return (title, {"rows": ("", {"account": "科目", "counterparty": who})})


# The text the notice prints and the names a refusal gives it (core.pdf.check_fields): a character no installed
# font draws stops generation, preview and publication, naming where it is (各项收入 第 3 行 摘要).
LABELS = {
    "village": ("", {"name": "村名", "township": "乡镇名称"}), "period": ("", {"label": "公开期间"}),
    "supervision_phone": "监督电话",
    "cash": ("库存现金和银行存款", {"rows": ("", {"name": "货币资金"}), "closing_upper": "期末余额大写"}),
    "income": _flows("各项收入", "本期收入构成"), "expense": _flows("各项支出", "本期支出构成"),
    "plan": ("财务计划执行情况", {"rows": ("", {"section": "类别", "name": "项目", "pct": "执行率"})}),
    "debts": ("债权债务", {"receivable": _debts("债权", "欠款单位或个人"),
                          "payable": _debts("债务", "债权单位或个人")}),
    "distribution": ("收益分配", {"columns": "栏目", "lines": ("", {"prefix": "项目", "item": "项目"})}),
    "other": "其他需要公开的事项", "signoff": ("", {"names": "民主理财小组成员签字"}),
    "assets": ("各项资产", {"by_category": ("", {"category": "类别"}),
                         "changes": ("本期资产变动", {"asset": "资产", "kind": "变动", "detail": "说明"})}),
    "resources": ("各类资源", {"by_type": ("", {"type": "资源类型"})}),
    "contracts": ("合同收款情况", {"rows": ("", {"code": "合同编号", "kind": "合同类型", "title": "合同名称",
                                            "party": "承包（承租）方", "party_id": "证件号码"})}),
    "net": ("", {"upper": "本期收支差额大写"}), "status_note": "状态标注", "verify_url": "核验网址",
    "subsidies": ("惠农补贴发放", {"policies": ("", {"policy": "政策", "rows": (
        "发放明细", {"batch": "批次", "group": "组", "name": "户主", "id": "身份证号"})})}),
}


def check_notice(data: dict, *, status_note: str = "", verify_url: str = "") -> None:
    """Refuse (core.pdf.MissingGlyph) a notice holding a character no installed font draws, naming its field."""
    check_fields(dict(data, status_note=status_note, verify_url=verify_url), LABELS)


@dataclass(frozen=True)
class Layout:
    """Sizes of one paper layout, in points; columns > 1 sets the story in side-by-side frames."""

    name: str
    width: float
    height: float
    margin: float
    columns: int
    gap: float
    body: float
    table: float
    heading: float
    title: float
    footer: float
    qr: float

    @property
    def frame_width(self) -> float:
        """Width of one text column."""
        return (self.width - 2 * self.margin - (self.columns - 1) * self.gap) / self.columns


def layout_of(name: str) -> Layout:
    """The A4 portrait or A3 landscape layout; ValueError for any other name."""
    from reportlab.lib.pagesizes import A3, A4, landscape
    from reportlab.lib.units import mm
    if name == "a4":
        w, h = A4
        return Layout("a4", w, h, 14 * mm, 1, 0, 11, 11, 15, 26, 9, 32 * mm)
    if name == "a3":
        w, h = landscape(A3)
        return Layout("a3", w, h, 16 * mm, 2, 14 * mm, 14, 13, 19, 36, 11, 42 * mm)
    raise ValueError(f"unknown layout {name!r} (a4 or a3)")


def _furniture(data: dict, lay: Layout, font: str, version: int, status_note: str, verify_url: str):
    """Page decoration run on every page: who/when on top, page numbers and the verify address at the foot,
    and a draft's status across the page so an unsigned copy cannot pass for the posted one."""
    village, period = data["village"]["name"], data["period"]["label"]

    def decorate(canvas, page: int, total: int) -> None:
        canvas.saveState()
        canvas.setFont(font, lay.footer)
        top = lay.height - lay.margin * 0.55
        canvas.drawString(lay.margin, top, f"{data['village']['township']}　{village}财务公开榜")
        canvas.drawRightString(lay.width - lay.margin, top, f"核验：{verify_url}")
        y = lay.margin * 0.45
        canvas.drawString(lay.margin, y, f"{village}　{period}　第{version}版")
        canvas.setFont(font, lay.footer + 2)
        canvas.drawRightString(lay.width - lay.margin, y, f"第 {page} 页 共 {total} 页")
        if status_note:
            canvas.setFont(font, lay.title * 2.2)
            # Drawn over the finished page: translucent, so the figures under it stay legible.
            canvas.setFillGray(0.4)
            canvas.setFillAlpha(0.16)
            canvas.translate(lay.width / 2, lay.height / 2)
            canvas.rotate(30)
            canvas.drawCentredString(0, 0, status_note)
        canvas.restoreState()
    return decorate


def _doc(buf, data: dict, lay: Layout, version: int):
    """A document template with one page template of lay.columns frames."""
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate
    frames = [Frame(lay.margin + i * (lay.frame_width + lay.gap), lay.margin, lay.frame_width,
                    lay.height - 2 * lay.margin, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
                    id=f"col{i}") for i in range(lay.columns)]
    title = f"{data['village']['name']} {data['period']['label']} 财务公开榜 第{version}版"
    doc = BaseDocTemplate(buf, pagesize=(lay.width, lay.height), leftMargin=lay.margin, rightMargin=lay.margin,
                          topMargin=lay.margin, bottomMargin=lay.margin, title=title, author="threeassets",
                          subject="财务公开")
    doc.addPageTemplates([PageTemplate(id="notice", frames=frames)])
    return doc


def story(data: dict, ctx: Ctx) -> list:
    """The notice's flowables: header, overview, the eight categories of the 财务公开 rules, sign-off."""
    out = overview.header(data, ctx) + overview.overview(data, ctx)
    out += books.plan(data, ctx, 1) + books.flows(data, ctx, 2, "income") + books.flows(data, ctx, 3, "expense")
    out += registers.assets(data, ctx, 4) + registers.resources(data, ctx, 5) + books.debts(data, ctx, 6)
    out += books.distribution(data, ctx, 7)
    if data.get("subsidies") is not None:  # notices built before the section existed print as they did
        return out + registers.subsidies(data, ctx, 8) + signoff.other(data, ctx, 9) + signoff.signoff(data, ctx)
    out += signoff.other(data, ctx, 8)
    return out + signoff.signoff(data, ctx)


def render_notice(data: dict, *, layout: str = "a4", verify_url: str, version: int = 1,
                  status_note: str = "") -> bytes:
    """The notice as PDF bytes; data is content.build_notice's dict (with published_on, signoff, other if set)."""
    lay = layout_of(layout)
    data = dict(data, other=mask_text(data.get("other") or ""))
    check_notice(data, status_note=status_note, verify_url=verify_url)
    font = cjk_font()  # the workflow's free text is typed later
    buf = io.BytesIO()
    doc = _doc(buf, data, lay, version)
    ctx = Ctx(lay, font, version, verify_url, status_note)
    doc.build(story(data, ctx),
              canvasmaker=numbered_canvas(_furniture(data, lay, font, version, status_note, verify_url)))
    return buf.getvalue()
