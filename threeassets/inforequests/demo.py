"""Demo data of requests for disclosure: a few requests of the last months in every state and kind of answer."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from threeassets.inforequests import service
from threeassets.inforequests.models import InfoRequestEvent
from threeassets.windows.workdays import add_working_days, is_working_day

# (days ago received, channel, kind, name, ID or code, contact, village index or None, content, steps)
# A step is (action, working days after receipt, arguments…); the window clerk registers, the head answers.
REQUESTS = [
    (75, "in_person", "person", "李建国", "", "13955101234", 0, "东风村2025年度集体经济组织收益分配方案",
     [("answer", 6, "disclosed", "提供收益分配方案及村民代表会议决议复印件各一份（共5页），申请人当场领取。", "")]),
    (60, "post", "business", "合肥田园农业科技有限公司", "", "0551-65123456", 1,
     "红旗村2024年鱼塘承包合同的承包人身份证号码及银行账号",
     [("answer", 12, "withheld_4", "所申请信息为承包人的个人身份信息和金融账户信息，公开会对第三方合法权益造成损害，"
                                   "经书面征求第三方意见，第三方不同意公开。", "")]),
    (48, "online", "person", "王德明", "", "wdm1968@example.cn", None, "本镇2025年农村集体资产清产核资结果汇总",
     [("ask_correction", 3, "请写明所需的是全镇汇总表还是某个村的明细，以及资产类别。"), ("corrected", 8),
      ("extend", 25, 15, "需从三个村调取档案并汇总，不能在法定期限内答复。"),
      ("answer", 38, "partial", "提供全镇清产核资汇总表；其中涉及个人的往来款明细含个人信息，不予公开。", "")]),
    (40, "in_person", "person", "孙大海", "", "18955135678", None, "要求镇政府确认我家宅基地面积并重新出具证明",
     [("answer", 2, "not_handled_5", "您的申请系要求行政机关确认或重新出具已获取的信息，不属于政府信息公开申请，"
                                     "请到自然资源和村镇建设窗口办理。",
       "《中华人民共和国政府信息公开条例》第二条")]),
    (33, "in_person", "law", "安徽江淮律师事务所", "", "0551-62887766", 2, "新华村村部旧房出租的审批文件",
     [("ask_correction", 2, "请写明出租的时间范围及房屋位置。")]),  # waits for 补正; its time runs out
    (14, "online", "research", "省农业大学农村发展研究院", "", "rural@example.edu.cn", None,
     "本镇2025年村级财务公开情况统计", [("extend", 8, 10, "需汇总各村财务公开榜并核对，工作量较大。")]),
    (36, "post", "person", "周红旗", "", "13605516789", 1, "红旗村四荒地发包的竞价公告及中标结果",
     []),  # no answer yet: overdue
    (6, "in_person", "person", "吴新华", "", "13805518901", 2, "新华村2026年上半年财务公开榜", []),
    (1, "online", "charity", "乡村振兴志愿者协会", "", "volunteer@example.org", None, "本镇惠农补贴“一卡通”发放情况",
     []),
]


def _workday(day: date, today: date) -> date:
    """The first working day on or after `day`, never after today."""
    while day < today and not is_working_day(day):
        day += timedelta(days=1)
    return day


def _stamp(session, req, day: date) -> None:
    """Enter the request's new events on the day they happened (the services stamp them now)."""
    for e in session.scalars(select(InfoRequestEvent).where(InfoRequestEvent.request_id == req.id,
                                                            InfoRequestEvent.day == day)):
        e.at = datetime.combine(day, time(10, 30))


def load(session, township, villages, users, today) -> None:
    """The demo township's requests for disclosure, in the caller's transaction."""
    clerk, head = users["chuangkou"], users["zhuren"]
    for ago, channel, kind, name, id_no, contact, village, content, steps in REQUESTS:
        received = _workday(today - timedelta(days=ago), today)
        req = service.receive(session, township=township, actor=clerk, channel=channel, requester_kind=kind,
                              requester_name=name, requester_id_no=id_no, contact=contact, content=content,
                              received_on=received, village_id=villages[village].id if village is not None else None,
                              today=today)
        req.created_at = datetime.combine(received, time(9, 15))
        _stamp(session, req, received)
        for action, after, *args in steps:
            day = min(add_working_days(received, after), today)
            if action == "answer":
                service.answer(session, req, head, args[0], args[1], args[2], on=day, today=today)
            elif action == "ask_correction":
                service.ask_correction(session, req, clerk, args[0], on=day, today=today)
            elif action == "corrected":
                service.corrected(session, req, clerk, on=day, today=today)
            elif action == "extend":
                service.extend(session, req, head, args[0], args[1], on=day, today=today)
            _stamp(session, req, day)
    session.flush()
