"""The printable contract summary (合同摘要): a function of plain data, CJK font embedded."""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from threeassets.core.masking import mask_id
from threeassets.core.money import fmt, to_chinese_upper
from threeassets.core.pdf import SPLIT_TALL_ROWS, check_fields, cjk_font, para


@dataclass
class SummaryData:
    """Everything printed on a contract summary."""

    village: str
    code: str
    title: str
    kind: str
    status: str
    party: list[tuple[str, str]]  # (label, value) lines of the counterparty
    award: str
    signed_on: date
    starts_on: date
    ends_on: date
    price: Decimal
    deposit: Decimal
    deposit_held: Decimal
    income_account: str
    subjects: list[tuple[str, str, str, str]]  # kind, code and name, location, area
    schedule: list[tuple[int, date, Decimal, Decimal, str]]  # seq, due, amount, received, status
    decision: list[tuple[str, str]]  # (step, what the record shows)
    note: str
    printed_on: date


# The text a summary prints and the names a refusal gives it (core.pdf.check_fields: a character no installed
# font draws stops the print, naming where it is).
FIELDS = {"village": "村", "code": "合同编号", "title": "合同名称", "kind": "合同类型", "status": "合同状态",
          "party": ("承包（承租）方", ("项目", "内容")), "award": "发包方式", "income_account": "收入科目",
          "subjects": ("合同标的", ("类别", "编码及名称", "坐落", "发包面积")),
          "schedule": ("收款计划", (None, None, None, None, "状态")),
          "decision": ("“四议两公开”决策记录", ("步骤", "记录")), "note": "备注"}


def _decision_lines(row) -> list[tuple[str, str]]:
    """The decision record as (step, evidence) lines; empty steps say 未记录."""
    from threeassets.decisions.rules import STEPS
    if row is None:
        return [("四议两公开", "未记录")]
    out = []
    for key, (label, fields) in STEPS.items():
        vals = [getattr(row, f) for f in fields]
        if all(v is None for v in vals):
            out.append((label, "未记录"))
        elif key == "resolution":
            out.append((label, f"{row.resolution_on or ''}　到会 {row.attendees or 0} 人，赞成 {row.votes_for or 0}，"
                               f"反对 {row.votes_against or 0}，弃权 {row.votes_abstain or 0}"))
        elif key == "notice":
            out.append((label, f"{row.notice_from or ''} 至 {row.notice_to or ''}"))
        else:
            out.append((label, str(vals[0])))
    return out


def summary_data(session: Session, village, c) -> SummaryData:
    """Gather the printable data of a contract."""
    from threeassets.assets.models import Asset
    from threeassets.contracts.decision import decision_of
    from threeassets.contracts.rules import AWARD_METHODS, INSTALLMENT_LABELS, KINDS, PARTY_TYPES, STATUS_LABELS
    from threeassets.ledger.models import Account
    from threeassets.resources.models import Resource
    subjects = []
    for s in c.subjects:
        if s.resource_id:
            r = session.get(Resource, s.resource_id)
            subjects.append(("资源·" + r.rtype, f"{r.code} {r.name}", r.location, fmt(s.area_mu or r.area_mu) + " 亩"))
        else:
            a = session.get(Asset, s.asset_id)
            subjects.append(("资产·" + a.category, f"{a.code} {a.name}", a.location, ""))
    acc = session.query(Account).filter_by(village_id=village.id, code=c.income_account).first()
    id_label = "身份证号" if c.party_type == "person" else "统一社会信用代码"
    party = [("名称", f"{c.party_name}（{PARTY_TYPES[c.party_type]}）"),
             (id_label, mask_id(c.party_id_no) if c.party_type == "person" else c.party_id_no),
             ("电话 / 地址", f"{c.party_phone or '—'}　{c.party_address or ''}")]
    return SummaryData(
        village=f"{village.township.name} {village.name}", code=c.code, title=c.title, kind=KINDS[c.kind],
        status=STATUS_LABELS[c.status], party=party, award=AWARD_METHODS[c.award_method], signed_on=c.signed_on,
        starts_on=c.starts_on, ends_on=c.ends_on, price=c.total_price, deposit=c.deposit,
        deposit_held=c.deposit_received, income_account=f"{c.income_account} {acc.full_name if acc else ''}",
        subjects=subjects, schedule=[(i.seq, i.due_on, i.amount, i.received, INSTALLMENT_LABELS[i.status])
                                     for i in c.installments],
        decision=_decision_lines(decision_of(session, c)), note=c.note or "", printed_on=date.today())


def _styles(font: str):
    """Paragraph styles of the summary."""
    from reportlab.lib.styles import ParagraphStyle
    return (ParagraphStyle("t", fontName=font, fontSize=18, leading=24, alignment=1, spaceAfter=4),
            ParagraphStyle("h", fontName=font, fontSize=11.5, leading=16, spaceBefore=8, spaceAfter=3),
            ParagraphStyle("c", fontName=font, fontSize=9.5, leading=12.5))


def _grid(rows, widths, font, head=True, right=()):
    """A bordered table in the CJK font; right-aligned columns by index."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle
    t = Table(rows, colWidths=widths, repeatRows=1 if head else 0, splitInRow=SPLIT_TALL_ROWS)
    style = [("FONT", (0, 0), (-1, -1), font, 9.5), ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 3),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]
    if head:
        style += [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f5")), ("ALIGN", (0, 0), (-1, 0), "CENTER")]
    style += [("ALIGN", (c, 1 if head else 0), (c, -1), "RIGHT") for c in right]
    t.setStyle(TableStyle(style))
    return t


def _terms(d: SummaryData, font: str, cell) -> list:
    """The contract's key terms as label/value grids: four columns, the counterparty's lines in two (a table of
    its own rather than spanned cells, so that a very long name can continue on the next page)."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    label = colors.HexColor("#f7efe0")
    widths = [24 * mm, 62 * mm, 22 * mm, 68 * mm]
    top = _grid([["合同编号", para(d.code, cell), "合同类型", d.kind], ["发包方式", d.award, "合同状态", d.status],
                 ["签订日期", f"{d.signed_on:%Y年%m月%d日}", "合同期限",
                  f"{d.starts_on:%Y-%m-%d} 至 {d.ends_on:%Y-%m-%d}"]], widths, font, head=False)
    party = _grid([[name, para(value, cell)] for name, value in d.party], [widths[0], sum(widths[1:])], font,
                  head=False)
    money = _grid([["合同总价", f"¥{fmt(d.price)}", "大写", to_chinese_upper(d.price)],
                   ["履约保证金", f"¥{fmt(d.deposit)}（已收 {fmt(d.deposit_held)}）", "收入科目",
                    para(d.income_account, cell)]],
                  widths, font, head=False)
    for t in (top, party, money):
        t.setStyle([("BACKGROUND", (0, 0), (0, -1), label)] +
                   ([("BACKGROUND", (2, 0), (2, -1), label)] if t is not party else []))
    return [top, party, money]


def _footer(d: SummaryData, font: str):
    """Page number and print date at the foot of every page."""
    from reportlab.lib.units import mm

    def draw(canvas, doc):
        canvas.setFont(font, 8)
        canvas.drawString(18 * mm, 10 * mm, f"{d.village}　合同 {d.code}　打印日期 {d.printed_on}")
        canvas.drawRightString(192 * mm, 10 * mm, f"第 {doc.page} 页")
    return draw


def render_summary(d: SummaryData) -> bytes:
    """The contract summary on A4: terms, 大写 price, subjects, installment schedule, decision record, signatures."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle
    check_fields(d, FIELDS)
    font = cjk_font()
    title, head, cell = _styles(font)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=17 * mm, rightMargin=17 * mm, topMargin=15 * mm,
                            bottomMargin=18 * mm, title=f"合同摘要 {d.code}", author="threeassets")
    story = [para("合 同 摘 要", title), para(f"{d.village}　{d.title}", cell), Spacer(1, 4),
             *_terms(d, font, cell), para("合同标的", head),
             _grid([["类别", "编码及名称", "坐落", "发包面积"]] + [[k, para(n, cell), para(loc, cell), area]
                                                           for k, n, loc, area in d.subjects] if d.subjects
                   else [["类别", "编码及名称", "坐落", "发包面积"], ["—", "", "", ""]],
                   [26 * mm, 62 * mm, 58 * mm, 30 * mm], font, right=(3,)),
             para("收款计划", head)]
    sched = [["期次", "到期日", "应收金额", "已收金额", "状态"]]
    sched += [[str(n), f"{due:%Y-%m-%d}", fmt(a), fmt(r), s] for n, due, a, r, s in d.schedule]
    sched.append(["合计", "", fmt(sum((x[2] for x in d.schedule), Decimal(0))),
                  fmt(sum((x[3] for x in d.schedule), Decimal(0))), ""])
    story += [_grid(sched, [18 * mm, 36 * mm, 44 * mm, 44 * mm, 34 * mm], font, right=(2, 3)),
              para("“四议两公开”决策记录", head),
              _grid([[k, para(v, cell)] for k, v in d.decision], [50 * mm, 126 * mm], font, head=False)]
    if d.note:
        story += [para("备注", head), para(d.note, cell)]
    signs = Table([["发包方（盖章）：", "承包/承租方（签字）：", "经办人："]], colWidths=[66 * mm, 66 * mm, 44 * mm])
    signs.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, 10.5), ("TOPPADDING", (0, 0), (-1, -1), 18)]))
    story += [Spacer(1, 10), signs]
    doc.build(story, onFirstPage=_footer(d, font), onLaterPages=_footer(d, font))
    return buf.getvalue()
