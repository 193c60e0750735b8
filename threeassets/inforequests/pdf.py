"""Printed papers of a request for disclosure — functions of plain data (A4, the embedded CJK font):

* 政府信息公开申请答复书, one wording for each kind of answer (予以公开, 部分公开, 不予公开, 无法提供, 不予处理,
  其他处理): what was asked, the decision, its reason and legal basis, and (where the answer refuses something)
  the requester's right to 行政复议 or 行政诉讼 (条例第五十一条);
* 补正告知书 (第三十条) and 延期答复告知书 (第三十三条).

The layout (title with the double rule, ruled tables, A4 margins) is the service hall's papers' (windows/pdf.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from threeassets.core.papers import PaperStyles, build_a4, cn_date, ruled_grid
from threeassets.core.pdf import check_fields, cjk_font, cjk_style, para

REMEDIES = ("如对本答复不服，可以自收到本答复书之日起六十日内依法申请行政复议，或者自收到本答复书之日起六个月内依法"
            "向人民法院提起行政诉讼；也可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报"
            "（《中华人民共和国政府信息公开条例》第五十一条）。")
SUBTITLES = {"disclosed": "（予以公开）", "partial": "（部分公开）", "withheld": "（不予公开）",
             "unavailable": "（无法提供）", "not_handled": "（不予处理）", "other": "（其他处理）"}


@dataclass
class RequestPrint:
    """Everything printed on a request's papers (gathered by inforequests.queries.print_data)."""

    agency: str  # 甲镇人民政府
    number: str  # 依申〔2026〕第3号
    requester: str
    requester_kind: str  # 自然人, 商业企业 …
    id_no: str  # masked
    contact: str  # masked phone, or as typed
    address: str
    channel: str  # 当面提交 …
    received_on: date
    content: str
    issued_on: date
    clerk: str = ""
    phone: str = ""  # the agency's phone for questions
    corrected_on: date | None = None
    # the answer
    group: str = ""  # the outcome's group code: disclosed, partial, withheld, unavailable, not_handled, other
    outcome: str = ""  # the outcome's reason row, e.g. 4．保护第三方合法权益 ('' for disclosed and partial)
    answer_text: str = ""
    basis: str = ""
    # the 补正 notice
    correction_note: str = ""
    correction_deadline: date | None = None
    # the extension notice
    extension_days: int = 0
    extension_reason: str = ""
    due_before: date | None = None
    due_on: date | None = None


FIELDS = {"agency": "行政机关名称", "number": "申请编号", "requester": "申请人", "requester_kind": "申请人类型",
          "id_no": "证件号码", "contact": "联系方式", "address": "通信地址", "channel": "申请方式",
          "content": "申请公开的政府信息", "clerk": "经办人", "phone": "联系电话"}
ANSWER_FIELDS = FIELDS | {"outcome": "答复类型", "answer_text": "答复内容", "basis": "法律依据"}
CORRECTION_FIELDS = FIELDS | {"correction_note": "需补正的事项"}
EXTENSION_FIELDS = FIELDS | {"extension_reason": "延期理由"}


def _head(data: RequestPrint, st: PaperStyles, title: str, subtitle: str = "") -> list:
    """The organ, the title with its double rule, and the number line."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import HRFlowable, Spacer, Table, TableStyle
    number = Table([[f"编号：{data.number}", f"日期：{cn_date(data.issued_on)}"]], colWidths=[95 * mm, 75 * mm])
    number.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), st.font, 11), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                                ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    story = [para(data.agency, st.agency), Spacer(1, 2 * mm), para(title, st.title)]
    if subtitle:
        story.append(para(subtitle, cjk_style("sub", st.font, 14, 20, alignment=1)))
    rule = colors.HexColor("#8b1a1a")
    return story + [HRFlowable(width=70 * mm, thickness=0.8, color=rule, spaceAfter=1),
                    HRFlowable(width=70 * mm, thickness=0.8, color=rule, spaceAfter=5 * mm), number,
                    Spacer(1, 2 * mm)]


def _requester_table(data: RequestPrint, st: PaperStyles):
    """Who asked for what, how and when."""
    from reportlab.lib.units import mm
    rows = [["申请人", data.requester, "申请人类型", data.requester_kind],
            ["证件号码", data.id_no or "—", "联系方式", data.contact],
            ["申请方式", data.channel, "收到申请日期", cn_date(data.received_on)],
            ["申请公开的政府信息", data.content, "", ""]]
    if data.address:
        rows.insert(2, ["通信地址", data.address, "", ""])
    table = ruled_grid(rows, [30 * mm, 55 * mm, 30 * mm, 55 * mm], st)
    spans = [("SPAN", (1, n), (3, n)) for n, row in enumerate(rows) if row[2] == ""]
    table.setStyle(spans + [("BACKGROUND", (2, n), (2, n), "#ffffff") for n, row in enumerate(rows) if row[2] == ""])
    return table


def _received(data: RequestPrint) -> str:
    """本机关于…收到您提出的政府信息公开申请 … (and the corrected request's day)."""
    text = f"本机关于{cn_date(data.received_on)}收到您（单位）通过{data.channel}方式提出的政府信息公开申请。"
    if data.corrected_on:
        text += f"经告知补正，本机关于{cn_date(data.corrected_on)}收到补正后的申请。"
    return text


def _box(title: str, text: str, st: PaperStyles):
    from reportlab.lib.units import mm
    return ruled_grid([[title], [text or "—"]], [170 * mm], st, header=True)


def _closing(data: RequestPrint, st: PaperStyles, receipt: bool = True) -> list:
    """Who to ask, the seal placeholder and the date, and the requester's receipt line."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer, Table, TableStyle
    rows = [[f"经办人：{data.clerk}", f"联系电话：{data.phone or '____________'}", ""],
            ["", "", f"（{data.agency}"],
            ["", "", "政府信息公开专用章）"],
            ["", "", cn_date(data.issued_on)]]
    if receipt:
        rows.append(["申请人签收：______________", "", "____年__月__日"])
    table = Table(rows, colWidths=[62 * mm, 58 * mm, 50 * mm],
                  rowHeights=[9 * mm, 12 * mm, 7 * mm, 9 * mm] + ([14 * mm] if receipt else []))
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), st.font, 11.5), ("ALIGN", (2, 0), (2, -1), "CENTER"),
                               ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    return [Spacer(1, 8 * mm), table]


def _decision(data: RequestPrint) -> tuple[str, str]:
    """The decision's sentence and the title of the box that says more, for each kind of answer."""
    reason = data.outcome.split("．", 1)[-1] if data.outcome else ""
    return {
        "disclosed": ("经审查，您申请公开的政府信息属于公开范围，本机关予以公开。公开的内容及提供方式如下：",
                      "公开的内容及提供方式"),
        "partial": ("经审查，您申请公开的政府信息中含有不应当公开或者不属于政府信息的内容，但能够作区分处理，本机关"
                    "向您提供可以公开的内容，对不予公开的内容说明理由如下：", "公开的内容及不予公开部分的理由"),
        "withheld": (f"经审查，本机关决定对您申请公开的政府信息不予公开（{reason}）。理由如下：", "不予公开的理由"),
        "unavailable": (f"经审查，本机关无法提供您申请公开的政府信息（{reason}）。具体说明如下：", "无法提供的说明"),
        "not_handled": (f"经审查，本机关对您的申请不予处理（{reason}）。具体说明如下：", "不予处理的说明"),
        "other": (f"{reason}。具体说明如下：" if reason else "具体说明如下：", "处理情况说明"),
    }[data.group]


def render_answer(data: RequestPrint) -> bytes:
    """政府信息公开申请答复书: the decision of one kind, its reason and basis, and the remedies where it refuses."""
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Spacer

    check_fields(data, ANSWER_FIELDS)
    st = PaperStyles(cjk_font())
    story = _head(data, st, "政府信息公开申请答复书", SUBTITLES[data.group])
    story += [_requester_table(data, st), Spacer(1, 5 * mm), para(f"{data.requester}：", st.plain)]
    sentence, box = _decision(data)
    story.append(para(_received(data) + sentence, st.body))
    story += [Spacer(1, 2 * mm), _box(box, data.answer_text, st), Spacer(1, 3 * mm)]
    if data.basis:
        story.append(para(f"依据：{data.basis}。" if not data.basis.endswith("。") else f"依据：{data.basis}",
                          st.body))
    if data.group != "disclosed":
        story.append(para(REMEDIES, st.body))
    tail = [story.pop()] if data.basis or data.group != "disclosed" else []  # the last words stay with the seal
    story.append(KeepTogether(tail + _closing(data, st)))
    return build_a4(story, f"政府信息公开申请答复书 {data.number}")


def _opening(data: RequestPrint, fields, title: str):
    """(styles, story) of a notice up to its salutation: fields checked, title block, the request, 申请人："""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer
    check_fields(data, fields)
    st = PaperStyles(cjk_font())
    story = _head(data, st, title)
    story += [_requester_table(data, st), Spacer(1, 5 * mm), para(f"{data.requester}：", st.plain)]
    return st, story


def render_correction(data: RequestPrint) -> bytes:
    """补正告知书 (第三十条): what to make clear, by when, and what happens if not."""
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Spacer

    st, story = _opening(data, CORRECTION_FIELDS, "政府信息公开申请补正告知书")
    story.append(para(_received(data) + "经审查，您的申请内容不明确。根据《中华人民共和国政府信息公开条例》第三十条"
                      "的规定，现一次性告知您对下列事项作出补正：", st.body))
    story += [Spacer(1, 2 * mm), _box("需补正的事项", data.correction_note, st), Spacer(1, 3 * mm)]
    story.append(para(f"请于{cn_date(data.correction_deadline)}前（含当日）向本机关提交补正后的申请。答复期限自本机关收到"
                      "补正后的申请之日起计算。无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
                      st.body))
    story.append(KeepTogether(_closing(data, st)))
    return build_a4(story, f"政府信息公开申请补正告知书 {data.number}")


def render_extension(data: RequestPrint) -> bytes:
    """延期答复告知书 (第三十三条第二款): the reason, the days added and the new due date."""
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Spacer

    st, story = _opening(data, EXTENSION_FIELDS, "政府信息公开申请延期答复告知书")
    story.append(para(_received(data) + f"本机关原应于{cn_date(data.due_before)}前作出答复，因下列原因不能在该期限内"
                      "作出答复：", st.body))
    story += [Spacer(1, 2 * mm), _box("延期理由", data.extension_reason, st), Spacer(1, 3 * mm)]
    due = cn_date(data.due_on)
    story.append(para(f"根据《中华人民共和国政府信息公开条例》第三十三条第二款的规定，经政府信息公开工作机构负责人同意，"
                      f"答复期限延长{data.extension_days}个工作日，本机关将于{due}前作出答复。", st.body))
    story.append(KeepTogether(_closing(data, st)))
    return build_a4(story, f"政府信息公开申请延期答复告知书 {data.number}")
