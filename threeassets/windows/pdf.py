"""Printed papers of a case: 一次性告知书, 受理回执, 不予受理（退回）通知书 — functions of plain data (A4, CJK font)."""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from threeassets.core.papers import PaperStyles, build_a4, cn_date, ruled_grid
from threeassets.core.pdf import check_fields, cjk_font, markup_para, para


@dataclass
class CasePrint:
    """Everything printed on a case's papers (gathered by windows.queries.print_data)."""

    agency: str  # 甲镇农村集体“三资”代理服务中心
    number: str
    item: str
    window: str
    window_phone: str
    applicant: str
    phone: str  # masked
    village: str
    subject: str
    received_on: date
    clerk: str
    issued_on: date
    days_limit: int = 0
    missing: list[str] = field(default_factory=list)
    materials: list[tuple[str, int, bool]] = field(default_factory=list)  # received: name, copies, original seen
    accepted_on: date | None = None
    due_on: date | None = None
    reason: str = ""
    supervision_phone: str = ""
    calendar_warning: str | None = None
    lookup_url: str = ""
    not_applicable: list[tuple[str, str]] = field(default_factory=list)  # not needed for this case: name, why


# The text each paper prints and the names a refusal gives it (core.pdf.check_fields: a character no installed
# font draws stops the print, naming where it is).
COMMON_FIELDS = {"agency": "服务中心名称", "number": "办件编号", "item": "服务事项", "window": "办理窗口",
                 "window_phone": "窗口电话", "applicant": "申请人", "phone": "联系电话", "village": "所属村",
                 "subject": "申请事由", "clerk": "窗口经办人"}
NOTICE_FIELDS = COMMON_FIELDS | {"missing": "需补正的材料", "lookup_url": "查询网址"}
RECEIPT_FIELDS = COMMON_FIELDS | {"materials": ("已收材料", ("材料名称",)),
                                  "not_applicable": ("本件不需提交的材料", ("材料名称", "说明")),
                                  "calendar_warning": "办结日期提示", "lookup_url": "查询网址"}
REJECTION_FIELDS = COMMON_FIELDS | {"reason": "不予受理（退回）理由", "supervision_phone": "监督电话"}


def _head(data: CasePrint, st: PaperStyles, title: str) -> list:
    """Title with the double rule, the agency, and the number line."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import HRFlowable, Spacer, Table, TableStyle
    number = Table([[f"办件编号：{data.number}", f"出具日期：{cn_date(data.issued_on)}"]], colWidths=[95 * mm, 75 * mm])
    number.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), st.font, 11), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                                ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return [para(data.agency, st.agency), Spacer(1, 2 * mm), para(title, st.title),
            HRFlowable(width=70 * mm, thickness=0.8, color=colors.HexColor("#8b1a1a"), spaceAfter=1),
            HRFlowable(width=70 * mm, thickness=0.8, color=colors.HexColor("#8b1a1a"), spaceAfter=5 * mm),
            number, Spacer(1, 2 * mm)]


def _applicant_table(data: CasePrint, st: PaperStyles):
    """Who applied for what, at which window."""
    from reportlab.lib.units import mm
    rows = [["申请人", data.applicant, "联系电话", data.phone],
            ["所属村", data.village or "—", "办理窗口", data.window],
            ["服务事项", data.item, "接件日期", cn_date(data.received_on)]]
    if data.subject:
        rows.append(["申请事由", data.subject, "", ""])
    table = ruled_grid(rows, [24 * mm, 61 * mm, 24 * mm, 61 * mm], st)
    if data.subject:
        table.setStyle([("SPAN", (1, 3), (3, 3)), ("BACKGROUND", (2, 3), (2, 3), "#ffffff")])
    return table


def _signatures(data: CasePrint, st: PaperStyles, applicant_line: str = "申请人签收：") -> list:
    """The window's signature, phone and seal line, and the applicant's receipt line."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer, Table, TableStyle
    phone = data.window_phone or "____________"
    rows = [[f"窗口经办人：{data.clerk}", f"窗口电话：{phone}", "（服务中心盖章）"],
            ["", "", cn_date(data.issued_on)],
            [f"{applicant_line}______________", "", "____年__月__日"]]
    table = Table(rows, colWidths=[65 * mm, 60 * mm, 45 * mm], rowHeights=[9 * mm, 9 * mm, 14 * mm])
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), st.font, 11.5), ("ALIGN", (2, 0), (2, -1), "CENTER"),
                               ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    return [Spacer(1, 8 * mm), table]


def _lookup(data: CasePrint, st: PaperStyles) -> list:
    """How to follow the case: a QR code of the public lookup page and the words to type there."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer, Table, TableStyle
    text = (f"查询办理进度：请访问 {data.lookup_url or '本中心便民查询页面'}，输入办件编号 {data.number} "
            "及申请人手机号后四位。" if data.number else "")
    cells: list = [para(text, st.small)]
    widths = [170 * mm]
    if data.lookup_url:
        cells.insert(0, _qr(data.lookup_url, 24 * mm))
        widths = [28 * mm, 142 * mm]
    table = Table([cells], colWidths=widths)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return [Spacer(1, 4 * mm), table]


def _foot(data: CasePrint, st: PaperStyles):
    """The signatures and the lookup QR code on one page: a long paper moves them on together, never the code
    alone."""
    from reportlab.platypus import KeepTogether
    return KeepTogether(_signatures(data, st) + _lookup(data, st))


def _qr(url: str, size: float):
    """A QR code (segno) of the lookup URL as a ReportLab image."""
    import segno
    from reportlab.platypus import Image
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="png", scale=6, border=1)
    buf.seek(0)
    return Image(buf, width=size, height=size)


def render_notice(data: CasePrint) -> bytes:
    """一次性告知书: every material the applicant still has to bring, listed at once."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    check_fields(data, NOTICE_FIELDS)
    st = PaperStyles(cjk_font())
    story = _head(data, st, "一次性告知书") + [_applicant_table(data, st), Spacer(1, 5 * mm)]
    story.append(para(f"{data.applicant}：", st.plain))
    story.append(para(f"您申请办理的“{data.item}”事项，经审查，申请材料尚不齐全。根据服务承诺和一次性告知制度，"
                           f"现将需要补正的全部材料一次性告知如下：", st.body))
    story.append(Spacer(1, 2 * mm))
    rows = [["序号", "需补正的材料"]] + [[str(i), name] for i, name in enumerate(data.missing, start=1)]
    story.append(ruled_grid(rows, [16 * mm, 154 * mm], st, header=True))
    story.append(Spacer(1, 3 * mm))
    story.append(para(f"请补齐上述全部材料后到{data.window}办理。补正期间不计入承诺办理时限；"
                           "材料补齐之日起按承诺时限办理。本告知书已列明全部需补正的材料，窗口不再以本告知书以外的"
                           "材料不全为由要求补正。", st.body))
    story.append(_foot(data, st))
    return build_a4(story, f"一次性告知书 {data.number}")


def render_receipt(data: CasePrint) -> bytes:
    """受理回执: the case is accepted; its number, the materials received and the promised completion date."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    check_fields(data, RECEIPT_FIELDS)
    st = PaperStyles(cjk_font())
    story = _head(data, st, "受 理 回 执") + [_applicant_table(data, st), Spacer(1, 5 * mm)]
    story.append(para(f"{data.applicant}：", st.plain))
    story.append(markup_para("您申请办理的“{item}”事项，申请材料齐全，符合受理条件，本中心已于{accepted}受理。"
                             "承诺办结时限为<u>{days}个工作日</u>（自受理次日起算，法定节假日不计），"
                             "承诺办结日期为<u>{due}</u>。", st.body, item=data.item,
                             accepted=cn_date(data.accepted_on), days=data.days_limit, due=cn_date(data.due_on)))
    if data.calendar_warning:
        story.append(para(f"注意：{data.calendar_warning}。国家公布节假日安排后，办结日期以实际工作日为准。",
                               st.warn))
    story.append(Spacer(1, 2 * mm))
    rows = [["序号", "已收材料", "份数", "原件核验"]]
    rows += [[str(i), name, str(copies), "已核验" if seen else "—"]
             for i, (name, copies, seen) in enumerate(data.materials, start=1)]
    story.append(ruled_grid(rows, [16 * mm, 110 * mm, 18 * mm, 26 * mm], st, header=True))
    story += _not_applicable(data, st)
    story.append(_foot(data, st))
    return build_a4(story, f"受理回执 {data.number}")


def _not_applicable(data: CasePrint, st: PaperStyles) -> list:
    """The materials the window found this case does not need (视情形提交, not its case), and why, in one short
    paragraph under the received ones: the applicant sees they were not forgotten."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer
    if not data.not_applicable:
        return []
    items = "；".join(f"{i}. {name}（{why}）" for i, (name, why) in enumerate(data.not_applicable, start=1))
    return [Spacer(1, 2 * mm), para(f"本件不需提交的材料（仅在所注情形下需要，经窗口核实）：{items}。", st.body)]


def render_rejection(data: CasePrint) -> bytes:
    """不予受理（退回）通知书: the decision and its reason, and where to object."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    check_fields(data, REJECTION_FIELDS)
    st = PaperStyles(cjk_font())
    story = _head(data, st, "不予受理（退回）通知书") + [_applicant_table(data, st), Spacer(1, 5 * mm)]
    story.append(para(f"{data.applicant}：", st.plain))
    story.append(para(f"您申请办理的“{data.item}”事项，经审查，本中心决定不予受理（退回）。理由如下：", st.body))
    story.append(Spacer(1, 2 * mm))
    story.append(ruled_grid([["不予受理（退回）理由"], [data.reason]], [170 * mm], st, header=True))
    story.append(Spacer(1, 3 * mm))
    objection = (f"如对本决定有异议，可向本中心主任反映，或拨打监督电话 {data.supervision_phone}。"
                 if data.supervision_phone else "如对本决定有异议，可向本中心主任或县农经站反映。")
    story.append(para(objection + "申请材料已如数退还申请人。", st.body))
    story += _signatures(data, st, "申请人签收（材料已退还）：")
    return build_a4(story, f"不予受理通知书 {data.number}")
