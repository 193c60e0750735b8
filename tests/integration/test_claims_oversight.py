"""Oversight statistics from known cases: open cases by window/item/clerk, overdue and due soon, a month's
on-time rate, average working days (May 2024: 1–5 May off, Sunday 28 April and Saturday 11 May worked)."""
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from threeassets.claims import export, oversight
from threeassets.core.db import transaction
from threeassets.windows.catalogue import item_by_code
from threeassets.windows.models import Case

TODAY = date(2024, 5, 20)  # a Monday


@pytest.fixture
def cases(session, world):
    """Cases of township A with hand-picked dates; returns a function making one."""
    serial = iter(range(1, 1000))

    def _case(state, owner="clerk", item="claim", accepted=None, due=None, finished=None, satisfaction=None,
              township=None):
        township = township or world.township_a
        it = item_by_code(session, township.id, item)
        c = Case(township_id=township.id, number=f"T-{next(serial):04d}", item_id=it.id, window_id=it.window_id,
                 applicant_name="申请人", applicant_phone="13800001111", state=state,
                 owner_id=world.user(owner).id, accepted_on=accepted, due_on=due,
                 finished_at=datetime.combine(finished, datetime.min.time().replace(hour=15)) if finished else None,
                 satisfaction=satisfaction, paused_days=0)
        session.add(c)
        return c
    return _case


@pytest.fixture
def known(session, world, cases):
    with transaction(session):
        # finished in May 2024
        cases("done", "clerk", accepted=date(2024, 5, 6), due=date(2024, 5, 11), finished=date(2024, 5, 10),
              satisfaction=5)  # 7, 8, 9, 10 May: 4 working days, on time
        cases("done", "head", accepted=date(2024, 4, 28), due=date(2024, 5, 5), finished=date(2024, 5, 6))
        # 29, 30 April and 6 May: 3 working days, late
        cases("done", "clerk", item="contract", accepted=date(2024, 5, 13), due=date(2024, 5, 20),
              finished=date(2024, 5, 20), satisfaction=4)  # 14–17, 20 May: 5 working days, on its due day
        cases("rejected", "clerk", finished=date(2024, 5, 15))
        # not in May: finished in June, and another township's case
        cases("done", "clerk", accepted=date(2024, 5, 30), due=date(2024, 6, 6), finished=date(2024, 6, 3))
        cases("done", "head_b", accepted=date(2024, 5, 6), due=date(2024, 5, 7), finished=date(2024, 5, 9),
              township=world.township_b)
        # open on 20 May 2024
        cases("accepted", "clerk", accepted=date(2024, 5, 10), due=date(2024, 5, 17))  # overdue
        cases("in_progress", "head", accepted=date(2024, 5, 14), due=date(2024, 5, 21))  # due soon
        cases("accepted", "clerk", item="contract", accepted=date(2024, 5, 16), due=date(2024, 5, 22))  # soon
        cases("accepted", "clerk", accepted=date(2024, 5, 17), due=date(2024, 5, 23))  # 3 days: not soon
        cases("supplement", "clerk")  # waiting for 补正: clock stopped
        cases("intake", "head")


def test_month_statistics(session, world, known):
    stats = oversight.month_stats(session, world.township_a.id, "2024-05")
    t = stats.total
    assert (t.done, t.rejected, t.on_time) == (3, 1, 2)
    assert t.on_time_rate == pytest.approx(2 / 3)
    assert t.avg_days == pytest.approx((4 + 3 + 5) / 3)
    clerks = {r.name: (r.done, r.rejected, r.on_time, r.days_total) for r in stats.clerks}
    assert clerks == {"clerk": (2, 1, 2, 9), "head": (1, 0, 0, 3)}
    windows = {r.name: (r.done, r.on_time) for r in stats.windows}
    assert sum(d for d, _ in windows.values()) == 3 and len(windows) == 2  # claims and contracts windows
    assert stats.satisfaction == {5: 1, 4: 1, None: 1}


def test_empty_month(session, world, known):
    stats = oversight.month_stats(session, world.township_a.id, "2024-03")
    assert stats.total.handled == 0 and stats.total.on_time_rate is None and stats.total.avg_days is None
    assert stats.windows == [] and stats.satisfaction == {}


def test_open_cases_and_deadlines(session, world, known):
    tid = world.township_a.id
    by_owner = {r.name: (r.open, r.waiting, r.soon, r.overdue) for r in oversight.open_by(session, tid, TODAY,
                                                                                           "owner")}
    assert by_owner == {"clerk": (4, 1, 1, 1), "head": (2, 0, 1, 0)}
    by_item = {r.name: (r.open, r.soon, r.overdue) for r in oversight.open_by(session, tid, TODAY, "item")}
    assert by_item == {"村级报账": (5, 1, 1), "合同鉴证备案": (1, 1, 0)}
    assert sum(r.open for r in oversight.open_by(session, tid, TODAY, "window")) == 6
    limit = oversight.soon_limit(TODAY)
    rows = [(c.due_on, c.state, oversight.flag(c, TODAY, limit)) for c, *_ in oversight.open_cases(session, tid)]
    assert rows == [(date(2024, 5, 17), "accepted", "overdue"), (date(2024, 5, 21), "in_progress", "soon"),
                    (date(2024, 5, 22), "accepted", "soon"), (date(2024, 5, 23), "accepted", "on_time"),
                    (None, "supplement", "waiting"), (None, "intake", "intake")]


def test_soon_limit_skips_the_weekend():
    assert oversight.soon_limit(date(2024, 5, 16)) == date(2024, 5, 21)  # Thu → Fri, Mon are the 2 days


def test_xlsx_has_three_sheets(session, world, known):
    tid = world.township_a.id
    board = {"today": TODAY, "soon_limit": oversight.soon_limit(TODAY),
             "by_window": oversight.open_by(session, tid, TODAY, "window"),
             "by_item": oversight.open_by(session, tid, TODAY, "item"),
             "by_owner": oversight.open_by(session, tid, TODAY, "owner"),
             "open_cases": oversight.open_cases(session, tid),
             "stats": oversight.month_stats(session, tid, "2024-05")}
    import io
    wb = load_workbook(io.BytesIO(export.board_xlsx("甲镇", board)))
    assert wb.sheetnames == ["在办情况", "在办件", "月度统计"]
    rows = [row for row in wb["在办件"].iter_rows(min_row=3, values_only=True)]
    assert [r[-1] for r in rows] == ["超期", "临期", "临期", "按期", "补正中（停止计时）", "待受理"]
    total = next(r for r in wb["月度统计"].iter_rows(min_row=3, values_only=True) if r[0] == "全镇")
    assert total[2:8] == (4, 3, 1, 2, pytest.approx(0.6667, abs=1e-4), 4.0)
