"""Access rows of the subsidy side: the policy catalogue (township), households (village), the lists with their
notice and payment (township) and a village's own lists."""
from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from tests.subsidy_helpers import person_id
from tests.web.access_base import EVERYONE, HEADS, PREPARERS, READERS, TOWNSHIP_READERS, T, V, import_job, r

POLICY_READERS = EVERYONE  # the window clerk answers 惠农补贴咨询 from the catalogue (village users: 404 on /t/)


def _household(session, _world, village, ctx) -> int:
    """A household of the village; returns its id."""
    from threeassets.core.db import transaction
    from threeassets.subsidies.models import Household
    ctx["serial"] += 1
    number = person_id(500 + ctx["serial"])
    with transaction(session):
        h = Household(township_id=village.township_id, village_id=village.id, number=f"H{ctx['serial']}",
                      head_name="王建国", id_number=number, id_last4=number[-4:], members=3,
                      land_area=Decimal("5.20"))
        session.add(h)
    hid = h.id
    session.expunge_all()
    return hid


def _batch(state: str):
    """A NEEDS function: a list of the village's township in `state`, with one row of a household of the village
    (a noticing list's period is over, so it may be ended)."""
    def make(session, world, village, ctx) -> int:
        from sqlalchemy import select

        from threeassets.core.db import transaction
        from threeassets.subsidies.models import Batch, BatchRow, Policy
        hid = _household(session, world, village, ctx)
        with transaction(session):
            policy = session.scalar(select(Policy).where(Policy.township_id == village.township_id,
                                                         Policy.code == "SL01"))
            b = Batch(township_id=village.township_id, policy_id=policy.id, year=date.today().year,
                      name=f"第{ctx['serial']}批", state=state)
            if state != "draft":
                b.notice_days, b.notice_from, b.notice_to = 7, date(2024, 1, 1), date(2024, 1, 7)
            session.add(b)
            session.flush()
            session.add(BatchRow(township_id=village.township_id, batch_id=b.id, village_id=village.id,
                                 household_id=hid, quantity=Decimal("3"), rate=Decimal("600"),
                                 amount=Decimal("1800.00")))
        bid = b.id
        session.expunge_all()
        return bid
    return make


def _policy_id(session, ctx, code: str = "SL01") -> int:
    from sqlalchemy import select

    from threeassets.subsidies.models import Policy
    return session.scalar(select(Policy.id).where(Policy.township_id == ctx["ta"], Policy.code == code))


def _policy(session, _world, village, ctx) -> int:
    """A county policy of the village's township; returns its id."""
    from threeassets.core.db import transaction
    from threeassets.subsidies.models import Policy
    ctx["serial"] += 1
    with transaction(session):
        p = Policy(township_id=village.township_id, code=f"P{ctx['serial']:03d}", level="county", department="财政",
                   name="县级示范补贴", year_from=2024)
        session.add(p)
    pid = p.id
    session.expunge_all()
    return pid


NEEDS = {"household": _household, "policy": _policy, "subsidy_draft": _batch("draft"),
         "subsidy_noticing": _batch("noticing"), "subsidy_ended": _batch("notice_ended"),
         "subsidy_paid": _batch("paid"), "households_import": import_job("import.households"),
         "subsidy_list_import": import_job("import.subsidy_list", T)}


def _policy_form(ctx):
    ctx["serial"] += 1
    return {"code": f"X{ctx['serial']:03d}", "level": "county", "department": "农业农村", "name": "县级示范补贴",
            "basis": "以当地文件为准", "year_from": "2024", "unit": "mu", "rate": "20", "service_item": "subsidy"}


def _retire(_ctx):
    return {"year_to": str(date.today().year)}


def _households_file(ctx):
    ctx["serial"] += 1
    body = f"组,户号,户主姓名,身份证号\n一组,F{ctx['serial']},李秀英,{person_id(800 + ctx['serial'])}\n"
    return {"file": (io.BytesIO(body.encode("gb18030")), "农户.csv")}


def _reveal(_ctx):
    return {"reason": "核对银行信息"}


def _new_batch(ctx):
    from threeassets.core.db import db
    ctx["serial"] += 1
    return {"policy_id": str(_policy_id(db.session, ctx)), "year": str(date.today().year), "name": f"新{ctx['serial']}"}


def _list_file(_ctx):
    body = "身份证号,数量,标准,金额\n110105194912310021,1,600,600\n"
    return {"file": (io.BytesIO(body.encode()), "名单.csv")}


def _payments_file(_ctx):
    body = "户名,身份证号,发放金额,发放日期,状态\n王建国,0021,600,2024-10-15,成功\n"
    return {"file": (io.BytesIO(body.encode()), "发放结果.csv")}


def _objection(_ctx):
    return {"raised_by": "张三", "raised_on": date.today().isoformat(), "content": "面积有误", "outcome": "已核实"}


def _withdraw(_ctx):
    return {"reason": "更正名单"}


ROUTES = [
    r("policies.index", "GET", POLICY_READERS, T),
    r("policies.show", "GET", POLICY_READERS, T, "policy", "policy_id"),
    r("policies.new", "GET", HEADS, T),
    r("policies.create", "POST", HEADS, T, data=_policy_form),
    r("policies.edit", "GET", HEADS, T, "policy", "policy_id"),
    r("policies.update", "POST", HEADS, T, "policy", "policy_id", _policy_form),
    r("policies.retire", "POST", HEADS, T, "policy", "policy_id", _retire),
    r("households.index", "GET", READERS, V),
    r("households.show", "GET", READERS, V, "household", "household_id"),
    r("households.reveal", "POST", PREPARERS, V, "household", "household_id", _reveal),
    r("households.import_form", "GET", PREPARERS, V),
    r("households.import_file", "POST", PREPARERS, V, data=_households_file),
    r("households.import_job", "GET", PREPARERS, V, "households_import", "job_id"),
    r("households.import_job_status", "GET", PREPARERS, V, "households_import", "job_id"),
    r("households.template", "GET", PREPARERS, V),
    r("subsidies.index", "GET", TOWNSHIP_READERS, T),
    r("subsidies.totals", "GET", TOWNSHIP_READERS, T),
    r("subsidies.new", "GET", PREPARERS, T),
    r("subsidies.create", "POST", PREPARERS, T, data=_new_batch),
    r("subsidies.show", "GET", TOWNSHIP_READERS, T, "subsidy_paid", "batch_id"),
    r("subsidies.start_notice", "POST", PREPARERS, T, "subsidy_draft", "batch_id"),
    r("subsidies.withdraw", "POST", PREPARERS, T, "subsidy_noticing", "batch_id", _withdraw),
    r("subsidies.end_notice", "POST", PREPARERS, T, "subsidy_noticing", "batch_id"),
    r("subsidies.delete", "POST", PREPARERS, T, "subsidy_draft", "batch_id"),
    r("subsidies.objection", "POST", PREPARERS, T, "subsidy_noticing", "batch_id", _objection),
    r("subsidies.differences", "GET", TOWNSHIP_READERS, T, "subsidy_paid", "batch_id"),
    r("subsidies.template_list", "GET", PREPARERS, T),
    r("subsidies.template_payments", "GET", PREPARERS, T),
    r("subsidies.import_list", "POST", PREPARERS, T, "subsidy_draft", "batch_id", _list_file),
    r("subsidies.import_payments", "POST", PREPARERS, T, "subsidy_ended", "batch_id", _payments_file),
    r("subsidies.import_job", "GET", PREPARERS, T, "subsidy_list_import", "job_id"),
    r("subsidies.import_job_status", "GET", PREPARERS, T, "subsidy_list_import", "job_id"),
    r("subsidies_village.index", "GET", READERS, V),
    r("subsidies_village.show", "GET", READERS, V, "subsidy_noticing", "batch_id"),
    r("subsidies_village.notice", "GET", READERS, V, "subsidy_noticing", "batch_id"),
]
