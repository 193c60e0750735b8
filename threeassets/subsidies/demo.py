"""Demo data of the subsidy side: households of the three demo villages (one head's name with a character outside
the basic plane), a county policy beside the starter catalogue, and three lists: 耕地地力保护补贴 paid with a
difference (one household paid less, one not paid), 大中型水库移民后期扶持 paid as noticed but with the bank's
file dated on the notice's last day (so the alert of a list paid before its notice ran out has something to
show), and 实际种粮农民一次性补贴 on notice now. Everything goes through the importers and services, so the audit
log reads as if clerks had done it."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from stdnum.cn import ric

from threeassets.core.csvio import csv_text, read_table
from threeassets.subsidies import importer, service
from threeassets.subsidies.models import Batch, BatchRow, Household, Policy
from threeassets.subsidies.rules import PolicyInput

# group, head, birth date, members, land (mu), card tail; per village the list is cut to its first n rows
HOUSEHOLDS = [
    ("一组", "王建国", "19580312", 4, "8.62", "3021"), ("一组", "李秀英", "19620705", 3, "6.35", "4410"),
    ("一组", "张德明", "19551120", 5, "10.18", "5526"), ("一组", "刘长海", "19700214", 4, "7.40", "6031"),
    ("二组", "赵永福", "19661009", 6, "12.05", "7108"), ("二组", "陈桂兰", "19491223", 2, "3.20", "8215"),
    ("二组", "吉𠮷祥", "19750518", 4, "6.88", "9322"), ("二组", "孙大海", "19680827", 3, "5.60", "1437"),
    ("三组", "周红旗", "19720403", 5, "9.35", "2548"), ("三组", "吴新华", "19590916", 3, "4.75", "3659"),
    ("三组", "郑春生", "19640130", 4, "7.92", "4760"), ("三组", "刘䶮", "19810621", 3, "5.15", "5871"),
]
COUNT = (12, 9, 8)  # households of 东风村, 红旗村, 新华村
REGIONS = ("340121", "340121", "340121")  # 长丰县, as the contracts demo
NY_RATE = Decimal("112.50")  # the province's 耕地地力保护补贴 per mu in the demo
GRAIN_RATE = Decimal("15.60")


def _id(village_no: int, n: int, birth: str) -> str:
    body = f"{REGIONS[village_no]}{birth}{(village_no * 40 + n) % 1000:03d}"
    number = body + ric.calc_check_digit(body + "0")
    assert ric.is_valid(number), number
    return number


def _households(session, villages, actor) -> dict[int, list[Household]]:
    """Each village's households, imported from a file as the village keeps it."""
    out = {}
    header = ["组", "户号", "户主姓名", "身份证号", "家庭人口", "承包地面积（亩）", "一卡通后四位"]
    for vn, village in enumerate(villages):
        rows = [[g, f"{n + 1:03d}", name, _id(vn, n, birth), members, land, card]
                for n, (g, name, birth, members, land, card) in enumerate(HOUSEHOLDS[:COUNT[vn]])]
        table = read_table(csv_text(header, rows).encode("gb18030"), f"{village.name}农户花名册.csv", [])
        importer.import_households(session, table, village, actor=actor)
        out[village.id] = list(session.query(Household).filter_by(village_id=village.id).order_by(Household.number))
    return out


def _policy(session, township, code: str) -> Policy:
    return session.query(Policy).filter_by(township_id=township.id, code=code).one()


def _list(session, batch, rows, actor) -> None:
    table = read_table(csv_text(["身份证号", "数量", "标准", "金额"], rows).encode("utf-8"), "补贴名单.csv", [])
    importer.import_rows(session, table, batch, actor=actor)


def _paid(session, township, batch, households, actor, today, started: int, short: Household | None,
          early: bool = False) -> None:
    """Notice `started` days ago, end it after the period, then the bank's file (one household paid 100 less
    and the last not paid when `short` is given; the bank dated it on the notice's last day when `early`)."""
    service.start_notice(session, batch, actor, today - timedelta(days=started))
    service.end_notice(session, batch, actor, today - timedelta(days=started - 8))
    rows = []
    paid_on = batch.notice_to if early else today - timedelta(days=started - 12)
    amounts = {r.household_id: r.amount for r in session.query(BatchRow).filter_by(batch_id=batch.id)}
    for h in households[:-1] if short else households:
        amount = amounts[h.id] - (Decimal("100.00") if h is short else 0)
        rows.append([h.head_name, h.id_number[-4:], h.card_last4, f"{amount:.2f}", paid_on.isoformat(), "成功",
                     f"NS{batch.id:02d}{h.id:05d}"])
    table = read_table(csv_text(["户名", "身份证号", "卡号后四位", "发放金额", "发放日期", "状态", "流水号"], rows)
                       .encode("utf-8"), "农商银行代发结果.csv", [])
    importer.import_payments(session, table, batch, actor=actor, today=today - timedelta(days=started - 13))


def _county_policy(session, township, head, year: int) -> None:
    data = PolicyInput(code="X01", level="county", department="农业农村", name="县级优质稻订单种植补贴",
                       basis="县农业农村局、县财政局年度实施方案（以当地文件为准）", basis_date=None,
                       eligibility="与县内粮食企业签订优质稻订单并按订单交售的种植户。",
                       standard="按订单面积每亩补贴30元。", rate=Decimal("30.00"), unit="mu", year_from=year - 1,
                       year_to=year + 1, payment="订单交售核实后，年底前通过“一卡通”发放。", service_item="subsidy",
                       summary="鼓励发展优质稻订单农业。", full_text="")
    service.save_policy(session, township, head, policy=None, data=data)


def load(session, township, villages, users, today) -> None:
    """Households, a county policy and three lists (two paid, one on notice)."""
    clerk, head = users["kuaiji"], users["zhuren"]
    _county_policy(session, township, head, today.year)
    households = _households(session, villages, clerk)
    everyone = [h for v in villages for h in households[v.id]]
    ny = service.create_batch(session, township, clerk, policy_id=_policy(session, township, "NY01").id,
                              year=today.year, name="第一批")
    _list(session, ny, [[h.id_number, f"{h.land_area:.2f}", f"{NY_RATE:.2f}", ""] for h in everyone], clerk)
    _paid(session, township, ny, everyone, clerk, today, 60, short=everyone[1])
    sl = service.create_batch(session, township, clerk, policy_id=_policy(session, township, "SL01").id,
                              year=today.year, name="上半年")
    movers = [h for v in villages[:2] for h in households[v.id][:5]]
    _list(session, sl, [[h.id_number, h.members, "300.00", ""] for h in movers], clerk)  # half a year of 600
    _paid(session, township, sl, movers, clerk, today, 45, short=None, early=True)  # the bank paid a day early
    grain = service.create_batch(session, township, clerk, policy_id=_policy(session, township, "LS01").id,
                                 year=today.year, name="第一批")
    _list(session, grain, [[h.id_number, f"{h.land_area:.2f}", f"{GRAIN_RATE:.2f}", ""] for h in everyone], clerk)
    service.start_notice(session, grain, clerk, today - timedelta(days=2))

    service.add_objection(session, grain, clerk, service.ObjectionInput(
        "孙大海", (today - timedelta(days=1)).isoformat(), "实际种粮面积比名单多0.4亩（流转了邻户的地）",
        "已转村里核实流转合同，待复核", villages[0].id), today)
    assert session.query(Batch).filter_by(township_id=township.id).count() == 3
