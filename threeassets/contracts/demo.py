"""Demo data of the contracts feature: per village a land contract with an overdue installment, a fishpond
lease to a cooperative expiring soon, a forest contract with an installment due soon, and a draft.

Past months are closed in the demo, so every voucher (accruals, a partial receipt, a deposit) is dated today;
installments that fell due before this month are shown as paid outside the system (they predate it).
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from stdnum.cn import ric, uscc

from threeassets.contracts import books, service
from threeassets.core.periods import add_months_to
from threeassets.resources.models import Resource

PEOPLE = [("张三", "19650302", "王庄组"), ("李四", "19720815", "李家湾"), ("赵六", "19800512", "后洼组"),
          ("孙七", "19881120", "河湾组")]


def person_id(birth: str, seq: int) -> str:
    """A valid demo resident ID (Changfeng county, Anhui) with the check digit computed by stdnum."""
    body = f"340121{birth}{seq:03d}"
    number = body + ric.calc_check_digit(body + "0")
    assert ric.is_valid(number), number
    return number


def credit_code(village_no: int) -> str:
    """A valid demo 统一社会信用代码 of a farmers' cooperative (登记管理部门 9, 类别 3)."""
    body = f"93340121MA2N{village_no:02d}YC"[:16] + "8"
    number = body + uscc.calc_check_digit(body)
    assert uscc.is_valid(number), number
    return number


def _decision(on: date) -> dict[str, str]:
    """A complete 四议两公开 record ending before the contract is signed."""
    d = {"proposal_on": on - timedelta(days=30), "committees_on": on - timedelta(days=27),
         "members_on": on - timedelta(days=24), "resolution_on": on - timedelta(days=20),
         "notice_from": on - timedelta(days=19), "notice_to": on - timedelta(days=12),
         "result_notice_on": on - timedelta(days=2)}
    out = {f"d_{k}": v.isoformat() for k, v in d.items()}
    out.update(d_attendees="42", d_votes_for="38", d_votes_against="2", d_votes_abstain="2")
    return out


def _specs(today: date, n: int) -> list[dict]:
    """The village's demo contracts as form data (dates relative to today)."""
    land_start = add_months_to(today - timedelta(days=40), -24)
    pond_start = add_months_to(today + timedelta(days=60), -36) + timedelta(days=1)
    forest_start = add_months_to(today + timedelta(days=16), -3)
    p = PEOPLE[n % len(PEOPLE):] + PEOPLE[:n % len(PEOPLE)]  # other people in each village
    return [
        dict(code=f"HT-{land_start.year}-01", title="村东一组耕地承包合同", kind="contracting", party_type="person",
             party_name=p[0][0], party_id_no=person_id(p[0][1], 11 + n), party_address=p[0][2],
             party_phone="13905510001", award_method="negotiation", signed_on=land_start - timedelta(days=5),
             starts_on=land_start, ends_on=add_months_to(land_start, 60) - timedelta(days=1),
             total_price="60000.00", deposit="0", frequency="yearly", ref="GD-001", area=""),
        dict(code=f"HT-{pond_start.year}-02", title="南塘鱼塘租赁合同", kind="lease", party_type="org",
             party_name="绿源水产专业合作社", party_id_no=credit_code(n + 1), party_address="村南",
             party_phone="0551-66880012", award_method="bidding", signed_on=pond_start - timedelta(days=10),
             starts_on=pond_start, ends_on=today + timedelta(days=60), total_price="36000.00", deposit="3000.00",
             frequency="half_yearly", ref="SM-001", area=""),
        dict(code=f"HT-{forest_start.year}-03", title="后山集体林承包合同", kind="contracting", party_type="person",
             party_name=p[1][0], party_id_no=person_id(p[1][1], 21 + n), party_address=p[1][2],
             party_phone="13705510002", award_method="auction", signed_on=forest_start - timedelta(days=7),
             starts_on=forest_start, ends_on=add_months_to(forest_start, 36) - timedelta(days=1),
             total_price="54000.00", deposit="2000.00", frequency="quarterly", ref="LD-001", area="100.00"),
        dict(code=f"HT-{today.year}-04", title="村北果园承包合同（待决议）", kind="contracting", party_type="person",
             party_name=p[2][0], party_id_no=person_id(p[2][1], 31 + n), party_address=p[2][2],
             party_phone="", award_method="negotiation", signed_on=today, starts_on=today + timedelta(days=30),
             ends_on=add_months_to(today + timedelta(days=30), 120) - timedelta(days=1), total_price="90000.00",
             deposit="5000.00", frequency="yearly", ref="YD-001", area=""),
    ]


def _create(session, village, spec: dict, actor, today: date, activate: bool):
    """Create one demo contract (with a full decision record when it is to take effect)."""
    ref, area = spec.pop("ref"), spec.pop("area")
    rid = session.scalar(select(Resource.id).where(Resource.village_id == village.id, Resource.code == ref))
    data = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in spec.items()}
    if activate:
        data.update(_decision(spec["signed_on"]))
    c = service.create_draft(session, village=village, data=data, refs=[(f"resource:{rid}", area)], actor=actor,
                             today=today)
    if activate:
        service.activate(session, village=village, contract=c, actor=actor)
    return c


def load(session, township, villages, users, today) -> None:
    """Add the contracts, settle pre-system installments, run today's accruals, a partial receipt and a deposit."""
    actor, month_start = users["kuaiji"], today.replace(day=1)
    for n, village in enumerate(villages):
        specs = _specs(today, n)
        made = [_create(session, village, s, actor, today, activate=i < 3) for i, s in enumerate(specs)]
        for c in made[:3]:
            for inst in c.installments:
                if inst.due_on < month_start and inst.due_on < today - timedelta(days=40):
                    inst.status, inst.received = "paid", inst.amount  # collected before the books were kept here
        books.accrue_due(session, village=village, on=today, actor=actor)
        land, _pond, forest = made[:3]
        overdue = next(i for i in land.installments if i.status == "due")
        books.receive(session, village=village, contract=land, inst=overdue, on=today,
                      amount=(overdue.amount / 3).quantize(Decimal("0.01")), method="bank", actor=actor)
        books.receive_deposit(session, village=village, contract=forest, on=today, amount=forest.deposit,
                              method="bank", actor=actor)
