"""Demo data of the service hall: window phones and ~18 cases of the last two months in every state."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from threeassets.windows import service
from threeassets.windows.catalogue import ensure_default_catalogue, item_by_code, windows_of
from threeassets.windows.models import CaseEvent
from threeassets.windows.rules import Mark
from threeassets.windows.workdays import add_working_days, is_working_day

PHONES = {"CW": "0551-6688 1201", "ZC": "0551-6688 1202", "HT": "0551-6688 1203", "ZH": "0551-6688 1200"}
# (days ago received, item code, village index or None, applicant, phone, subject, steps)
# A step is (action, working days after receipt[, argument]); the clerk receives, the accountant handles.
CASES = [
    (58, "contract", 0, "李建国", "13955101234", "东风村鱼塘承包合同鉴证",
     [("accept", 0), ("start", 1), ("complete", 4, ("合同已鉴证备案，登记合同台账及收款计划", 5))]),
    (52, "disposal", 1, "王德明", "13866502345", "报废旧拖拉机一台",
     [("accept", 1), ("start", 2), ("complete", 9, ("经审批同意报废处置，残值收入已入账", 4))]),
    (45, "claim", 0, "张报账", "13705513456", "9月村道维修费报账",
     [("notify", 0, ["原始票据（发票、财政票据等）（须核验原件）", "工程验收单"]), ("materials", 2),
      ("accept", 2), ("start", 3), ("complete", 5, ("已生成记账凭证，款项已支付", 5))]),
    (40, "cert", 2, "赵桂兰", "15855124567", "开具集体经济组织收益分配证明",
     [("accept", 0), ("complete", 0, ("当场出具证明", 5))]),
    (35, "subsidy", None, "孙大海", "18955135678", "咨询耕地地力保护补贴发放",
     [("reject", 0, "所咨询补贴由县农业农村局发放，已告知咨询电话，本中心不予受理")]),
    (30, "lease", 1, "周红旗", "13605516789", "四荒地公开发包方案报审",
     [("accept", 1), ("start", 2), ("complete", 12, ("发包方案审查通过，已发布竞价公告", 3))]),
    (25, "disclosure", 0, "刘理财", "13905517890", "申领三季度财务公开资料",
     [("accept", 0), ("complete", 1, ("已打印财务公开榜并盖章", 4))]),
    (21, "disposal", 2, "吴新华", "13805518901", "村部旧办公桌椅处置",
     [("accept", 0), ("start", 1)]),  # left in progress: it runs past its promised date
    (18, "contract", 2, "郑春生", "13705519012", "厂房租赁合同鉴证",
     [("accept", 0), ("start", 1), ("transfer", 2, "ZC"), ("complete", 6, ("合同及资产台账已更新", 5))]),
    (12, "claim", 1, "钱会计", "15055110123", "10月保洁费报账",
     [("accept", 0), ("start", 1), ("notify", 3, ["保洁服务合同复印件"])]),  # paused for 补正
    (5, "contract", 0, "冯志强", "13955111234", "村集体林地流转合同鉴证", [("accept", 0), ("start", 1)]),
    (3, "cert", 1, "陈秀英", "18655112345", "开具集体资产权属证明", [("accept", 0)]),
    (2, "claim", 2, "褚会计", "13605513456", "11月办公用品报账",
     [("notify", 0, ["支出审批单（大额支出附“四议两公开”会议记录）"])]),
    (1, "audit", 0, "卫监督", "13705514567", "民主理财小组查阅三季度凭证", [("accept", 0)]),
    (1, "dibao", 1, "韩桂芝", "13955116789", "申请最低生活保障", [("accept", 0)]),
    (0, "cert", 0, "何秀梅", "15955117890", "开具本人在村集体经济组织成员身份证明", []),
    (0, "subsidy", None, "蒋老汉", "13805515678", "查询种粮补贴到账情况", []),
    (0, "claim", 0, "张报账", "13705513456", "11月村干部误工补贴报账", []),
]


def _stamp(session, case, day: date, seen: set[int]) -> None:
    """Date the case's new events on the simulated day (the services stamp them now)."""
    for e in session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)):
        if e.id not in seen:
            seen.add(e.id)
            e.at = datetime.combine(day, time(9 + len(seen) % 8, 10 * (len(seen) % 6)))


def _step(session, case, step, day: date, people, windows) -> None:
    """Apply one demo step on its day."""
    action, arg = step[0], step[2] if len(step) > 2 else None
    clerk, handler = people
    if action == "accept":
        service.accept(session, case, clerk, today=day)
    elif action == "start":
        service.start(session, case, handler)
    elif action == "notify":
        service.notify_missing(session, case, clerk, arg, today=day)
    elif action == "materials":
        service.record_materials(session, case, clerk, {m.id: (True, True) for m in case.checklist
                                                        if not m.not_applicable})  # not-applicable ones stay
    elif action == "transfer":
        service.transfer(session, case, handler, windows[arg], "需核对资产台账")
    elif action == "complete":
        service.complete(session, case, handler, *arg)
        case.finished_at = datetime.combine(day, time(16, 30))
    elif action == "reject":
        service.reject(session, case, clerk, arg)
        case.finished_at = datetime.combine(day, time(10, 40))


def _workday(day: date, today: date) -> date:
    """The first working day on or after `day` (the hall is closed on holidays), never after today."""
    while day < today and not is_working_day(day):
        day += timedelta(days=1)
    return day


# Conditional materials (视情形提交) the clerk found not applicable, by the case's subject: no disabled or seriously
# ill member in the household; a certificate about a person, not a collective matter.
EXCUSED = {"申请最低生活保障": {"残疾证、病历等证明"},
           "开具本人在村集体经济组织成员身份证明": {"村委会推荐意见（需证明集体事项时）"}}


def _brought(item, missing: list[str], excused: set[str]) -> dict[str, Mark]:
    """The checklist as brought: everything except what the first notice lists (missing, or original unseen) and
    the conditional materials not applicable to the case."""
    return {m.name: Mark(not_applicable=True) if m.name in excused and m.conditional else
            Mark(received=m.name not in missing,
                 original_seen=f"{m.name}（须核验原件）" not in missing and m.name not in missing)
            for m in item.materials}


def load(session, township, villages, users, today) -> None:
    """The default catalogue with window phones, and the demo township's cases in the caller's transaction."""
    ensure_default_catalogue(session, township)
    windows = {w.code: w for w in windows_of(session, township.id)}
    for code, phone in PHONES.items():
        if code in windows and not windows[code].phone:
            windows[code].phone = phone
    people = (users["chuangkou"], users["kuaiji"])
    seen: set[int] = set()
    for ago, code, village, name, phone, subject, steps in CASES:
        received, item = _workday(today - timedelta(days=ago), today), item_by_code(session, township.id, code)
        case = service.intake(session, township=township, item=item, actor=people[0], applicant_name=name,
                              applicant_phone=phone, subject=subject, today=received,
                              village_id=villages[village].id if village is not None else None,
                              materials=_brought(item, steps[0][2] if steps and steps[0][0] == "notify" else [],
                                                 EXCUSED.get(subject, set())))
        _stamp(session, case, received, seen)
        for step in steps:
            day = min(add_working_days(received, step[1]), today)
            _step(session, case, step, day, people, windows)
            _stamp(session, case, day, seen)
    session.flush()
