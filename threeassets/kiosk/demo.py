"""Demo notices of the kiosk: the demo township's 党务公开 and 政务公开 of the last months, one with a PDF
attachment, one withdrawn and one still a draft (neither shown to the public), written by the window clerk and
published by the agency head; and a few weeks of use counts for the statistics page."""
from __future__ import annotations

import io
from datetime import timedelta

from threeassets.kiosk import counting, rules, service

# (kind, days ago, title, text, final state)
NOTICES = [
    ("party", 40, "关于开展党员冬训工作的通知",
     "各村党组织：\n根据县委组织部统一部署，全镇党员冬训工作于本月开展。\n一、时间：12月中旬至次年1月中旬。\n"
     "二、内容：学习党的创新理论、乡村振兴政策和农村集体“三资”管理制度。\n三、要求：各村党组织书记带头讲党课，"
     "党员参学率不低于95%。\n\n镇党委\n", "published"),
    ("party", 20, "2026年第三季度党费收缴情况公示",
     "全镇应缴党费党员412名，实缴412名，收缴党费合计18,650.00元，已按规定上缴县委组织部。\n"
     "对公示内容有异议的，请在公示期内向镇党委反映，监督电话：0551-66881200。", "published"),
    ("gov", 30, "关于做好2026年耕地地力保护补贴面积核实工作的通知",
     "各村民委员会：\n请于本月底前完成本村承包耕地面积核实，核实结果在村务公开栏公示7天，无异议后报镇农业服务中心。\n"
     "已改变用途的耕地、长年抛荒地不再给予补贴。\n补贴通过“一卡通”直接发放到户，请农户保持社保卡（一卡通）正常使用。",
     "published"),
    ("gov", 10, "示范镇2026年村级集体经济发展项目公示",
     "经镇政府研究，拟对以下项目给予扶持：\n1. 东风村 光伏发电项目，扶持资金300,000.00元；\n"
     "2. 红旗村 农产品冷库项目，扶持资金200,000.00元。\n公示期7天。", "published"),
    ("gov", 5, "关于调整便民服务大厅办公时间的通知（已撤回）", "原定调整暂缓执行，以后续通知为准。", "withdrawn"),
    ("party", 1, "关于推荐优秀共产党员的通知（草稿）", "各村党组织：请于下周五前推荐优秀共产党员人选。", "draft"),
]


def _pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF standing for a scanned attachment."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from threeassets.core.pdf import cjk_font
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4)
    pdf.setFont(cjk_font(), 18)
    pdf.drawCentredString(A4[0] / 2, A4[1] - 80, title)
    pdf.setFont(cjk_font(), 12)
    for i, line in enumerate(lines):
        pdf.drawString(60, A4[1] - 130 - 22 * i, line)
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def load(session, township, villages, users, today) -> None:
    """The demo township's notices and use counts, in the caller's transaction."""
    clerk, head = users["chuangkou"], users["zhuren"]
    for kind, ago, title, body, state in NOTICES:
        day = today - timedelta(days=ago)
        notice = service.create(session, township.id, rules.NoticeInput(kind, title, day.isoformat(), body),
                                actor=clerk)
        if ago == 10:
            service.add_file(session, notice, "扶持项目明细.pdf", _pdf(title, [
                "序号  村名    项目名称          扶持资金（元）", "1     东风村  光伏发电项目      300,000.00",
                "2     红旗村  农产品冷库项目    200,000.00"]), actor=clerk)
        if state in ("published", "withdrawn"):
            service.publish(session, notice, actor=head)
        if state == "withdrawn":
            service.withdraw(session, notice, actor=head)
    for ago in range(21):
        day = today - timedelta(days=ago)
        for section, what, times in (("home", "home", 12 + ago % 5), ("village", "list", 4 + ago % 3),
                                     ("service", "list", 3 + ago % 4), ("party", "list", 1 + ago % 2),
                                     ("gov", "list", 2), ("policy", "list", 5 + ago % 6),
                                     ("policy", "household", 2 + ago % 3)):
            for _ in range(times):
                counting.hit(session, township.id, section, what, day=day)
