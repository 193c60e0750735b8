"""The county's figures (SQLite and PostgreSQL): the county's totals are the sum of its townships, a township's the
sum of its villages, and each figure equals an independent query over the raw rows (voucher lines rather than the
stored balances and turnover, every register row read and filtered here)."""
from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from threeassets.assets.models import Asset
from threeassets.claims.models import Claim, ClaimLine
from threeassets.closing.service import close_period
from threeassets.contracts.models import Contract, Installment
from threeassets.core.db import transaction
from threeassets.core.periods import ym_of
from threeassets.county import rules
from threeassets.county.queries import overview, township_figures, township_overview, village_figures
from threeassets.disclosure.models import Disclosure
from threeassets.ledger.models import Account, Period, Voucher, VoucherLine
from threeassets.orgs.models import Village
from threeassets.resources.models import Resource
from threeassets.windows.models import Case, ServiceItem

AS_OF = date(2024, 6, 20)  # the window of flows: 2023-06 … 2024-05
D = Decimal


@pytest.fixture
def county(session, world, post_voucher, sub_account):
    """Books in a1, a2 and b1 (a1 with closed months, one of them late), registers, claims, notices and cases."""
    for v in (world.a1, world.b1):
        for parent, suffix, name in [("112", "01", "张三"), ("113", "01", "一组"), ("113", "02", "二组"),
                                     ("211", "01", "施工队")]:
            sub_account(v, parent, suffix, name)
    books = {
        world.a1: [(date(2024, 1, 5), "101", "301", "9000.00"), (date(2024, 1, 20), "102", "501", "25000.00"),
                   (date(2024, 2, 3), "11201", "501", "800.00"), (date(2024, 2, 9), "11301", "101", "300.00"),
                   (date(2024, 3, 1), "101", "11302", "120.00"), (date(2024, 4, 2), "513", "21101", "640.00"),
                   (date(2024, 5, 6), "513", "212", "1500.00"), (date(2024, 6, 30), "101", "501", "77.00"),
                   (date(2024, 7, 2), "101", "501", "999.00")],  # July: after the month shown
        world.a2: [(date(2024, 3, 8), "101", "301", "50.00"), (date(2024, 4, 8), "102", "503", "800.00")],
        world.b1: [(date(2024, 1, 9), "101", "301", "7777.00"), (date(2024, 2, 9), "11302", "101", "10.00"),
                   (date(2024, 2, 10), "21101", "102", "5.00")],
    }
    for village, rows in books.items():
        for day, dr, cr, amount in rows:
            post_voucher(village, day, (("摘要", dr, amount, ""), ("摘要", cr, "", amount)))
    actor = world.user("accountant")
    with transaction(session):
        for ym in (202401, 202402, 202403):  # a1: stored balances for the first months
            close_period(session, world.a1, ym, actor)
        close_period(session, world.b1, 202401, actor)
    with transaction(session):
        closed_on = {(world.a1.id, 202401): datetime(2024, 2, 10, 18), (world.a1.id, 202402): datetime(2024, 3, 4),
                     (world.a1.id, 202403): datetime(2024, 4, 11, 9), (world.b1.id, 202401): datetime(2024, 2, 1)}
        for p in session.scalars(select(Period).where(Period.status == "closed")):
            p.closed_at = closed_on[(p.village_id, p.ym)]
        _registers(session, world)
    return world


def _registers(session, world) -> None:
    """Cards, parcels, contracts with installments, claims, notices and hall cases in the three villages."""
    for n, (village, cost, dep, status, on) in enumerate([
            (world.a1, "100000.00", "20000.00", "in_use", date(2020, 1, 1)),
            (world.a1, "5000.00", "5000.00", "disposed", date(2019, 1, 1)),
            (world.a1, "7000.00", "0.00", "in_use", date(2024, 7, 1)),  # acquired after the day shown
            (world.a2, "30000.00", "1000.50", "leased", date(2023, 3, 1)),
            (world.b1, "880.00", "10.00", "idle", date(2022, 3, 1))]):
        session.add(Asset(village_id=village.id, code=f"ZC-{n}", name="资产", category="房屋及建筑物",
                          acquired_on=on, original_cost=D(cost), accumulated_depreciation=D(dep),
                          useful_life_months=120, status=status))
    for n, (village, area) in enumerate([(world.a1, "30.50"), (world.a1, "12.25"), (world.b1, "100.00")]):
        session.add(Resource(village_id=village.id, code=f"GD-{n}", name="地块", rtype="耕地", area_mu=D(area)))
    ends = [(world.a1, AS_OF + timedelta(days=30), "active"), (world.a1, AS_OF + timedelta(days=90), "active"),
            (world.a1, AS_OF + timedelta(days=91), "active"), (world.a2, AS_OF - timedelta(days=1), "active"),
            (world.b1, AS_OF + timedelta(days=10), "terminated"), (world.b1, AS_OF, "active")]
    for n, (village, end, status) in enumerate(ends):
        c = Contract(village_id=village.id, code=f"HT-{n}", title="承包", kind="contracting", party_type="person",
                     party_name="张三", party_id_no="340121198005121234", award_method="negotiation",
                     signed_on=date(2023, 1, 1), starts_on=date(2023, 1, 1), ends_on=end, total_price=D("900.00"),
                     status=status)
        session.add(c)
        session.flush()
        for seq, (due, amount, received, st) in enumerate([
                (AS_OF - timedelta(days=40), "300.00", "100.00", "partial"), (AS_OF, "300.00", "0.00", "due"),
                (AS_OF - timedelta(days=5), "300.00", "300.00", "paid")], start=1):
            session.add(Installment(village_id=village.id, contract_id=c.id, seq=seq, due_on=due, amount=D(amount),
                                    received=D(received), status=st))
    for village, lines, status, on in [
            (world.a1, [("vat", "900.00"), ("none", "100.00")], "accepted", date(2024, 3, 1)),
            (world.a1, [("receipt", "50.00")], "submitted", date(2024, 3, 2)),  # not accepted: not counted
            (world.b1, [("vat", "1000.00"), ("receipt", "40.00")], "accepted", date(2024, 4, 1))]:
        claim = Claim(village_id=village.id, payee="李四", occurred_on=on, status=status,
                      total=sum((D(a) for _i, a in lines), D(0)))
        session.add(claim)
        session.flush()
        for seq, (invoice, amount) in enumerate(lines, start=1):
            session.add(ClaimLine(village_id=village.id, claim_id=claim.id, seq=seq, purpose="办公", amount=D(amount),
                                  invoice=invoice))
    notices = [(world.a1, "2024-01", date(2024, 2, 8), date(2024, 2, 22), None),   # on time, 15 days
               (world.a1, "2024-02", date(2024, 3, 12), date(2024, 3, 30), None),  # late
               (world.a1, "2024-03", date(2024, 4, 5), date(2024, 4, 12), None),   # a display of 8 days
               (world.b1, "2024-Q1", date(2024, 4, 9), date(2024, 4, 30), datetime(2024, 4, 15))]  # taken down
    for n, (village, period, posted, until, archived) in enumerate(notices):
        session.add(Disclosure(village_id=village.id, period=period, status="archived" if archived else "published",
                               verify_code=f"code-{n}", published_on=posted, display_until=until,
                               archived_at=archived))
    item = session.scalar(select(ServiceItem).where(ServiceItem.township_id == world.township_a.id))
    for n, (village, state, due, finished) in enumerate([
            (world.a1, "done", date(2024, 3, 10), datetime(2024, 3, 9, 15)),
            (world.a1, "done", date(2024, 3, 10), datetime(2024, 3, 12, 15)),
            (None, "rejected", None, datetime(2024, 4, 1, 9)),
            (world.a2, "done", date(2024, 5, 10), datetime(2024, 5, 10, 16)),
            (world.a2, "done", date(2022, 5, 10), datetime(2022, 5, 10, 16))]):  # before the window
        session.add(Case(township_id=world.township_a.id, village_id=village and village.id, number=f"TA-{n}",
                         item_id=item.id, window_id=item.window_id, applicant_name="王五",
                         applicant_phone="13800000000",
                         state=state, owner_id=world.user("clerk").id, accepted_on=date(2024, 3, 1), due_on=due,
                         finished_at=finished))


def _sum(rows) -> rules.Figures:
    return rules.total(r.figures for r in rows)


def _as_dict(f: rules.Figures) -> dict:
    return {x.name: getattr(f, x.name) for x in fields(f)}


def test_county_is_the_sum_of_its_townships_and_they_of_their_villages(session, county):
    data = overview(session, [county.township_a.id, county.township_b.id], AS_OF)
    assert [r.id for r in data.rows] == [county.township_a.id, county.township_b.id]
    assert _as_dict(data.totals) == _as_dict(_sum(data.rows))
    for row in data.rows:
        villages = village_figures(session, row.id, AS_OF)
        assert _as_dict(row.figures) == _as_dict(_sum(villages)), row.name
    assert _as_dict(data.totals) == _as_dict(_sum(township_figures(session, [county.township_a.id,
                                                                              county.township_b.id], AS_OF)))
    # the drill-down's totals are the township's own row
    drill = township_overview(session, county.township_a, AS_OF)
    assert _as_dict(drill.totals) == _as_dict(data.rows[0].figures)


def _line_balances(session, township_id: int, end: int) -> dict[str, Decimal]:
    """Cash, bank, receivables, payables of a township from the posted voucher lines (no turnover, no stored
    balances), 113 split leaf by leaf."""
    q = (select(Account.id, Account.code, VoucherLine.debit, VoucherLine.credit)
         .join(VoucherLine, (VoucherLine.account_id == Account.id) & (VoucherLine.village_id == Account.village_id))
         .join(Voucher, (Voucher.id == VoucherLine.voucher_id) & (Voucher.village_id == VoucherLine.village_id))
         .join(Village, Village.id == Account.village_id)
         .where(Village.township_id == township_id, Voucher.status == "posted", Voucher.ym <= end))
    nets: dict[tuple[int, str], Decimal] = {}
    for aid, code, debit, credit in session.execute(q):
        nets[(aid, code)] = nets.get((aid, code), D(0)) + debit - credit
    out = dict.fromkeys(("cash", "bank", "receivables", "payables"), D(0))
    for (_aid, code), net in nets.items():
        root = code[:3]
        if root == "101":
            out["cash"] += net
        elif root == "102":
            out["bank"] += net
        elif root == "112" or (root == "113" and net > 0):
            out["receivables"] += net
        elif root in ("211", "212", "213") or (root == "113" and net < 0):
            out["payables"] -= net
    return out


def test_figures_equal_independent_queries(session, county):
    rows = {r.id: r.figures for r in township_figures(session, [county.township_a.id, county.township_b.id], AS_OF)}
    end = AS_OF + timedelta(days=rules.EXPIRY_DAYS)
    for town in (county.township_a, county.township_b):
        f = rows[town.id]
        ids = set(session.scalars(select(Village.id).where(Village.township_id == town.id)))
        money = _line_balances(session, town.id, ym_of(AS_OF))
        assert (f.cash, f.bank, f.receivables, f.payables) == (money["cash"], money["bank"], money["receivables"],
                                                               money["payables"])
        cards = [a for a in session.scalars(select(Asset)) if a.village_id in ids and a.status != "disposed"
                 and a.acquired_on <= AS_OF]
        assert (f.assets, f.assets_cost, f.assets_net) == (
            len(cards), sum((a.original_cost for a in cards), D(0)),
            sum((a.original_cost - a.accumulated_depreciation for a in cards), D(0)))
        parcels = [r for r in session.scalars(select(Resource)) if r.village_id in ids]
        assert (f.resources, f.resources_area) == (len(parcels), sum((r.area_mu for r in parcels), D(0)))
        contracts = [c for c in session.scalars(select(Contract)) if c.village_id in ids]
        assert f.expiring == sum(1 for c in contracts if c.status == "active" and AS_OF <= c.ends_on <= end)
        late = [i for i in session.scalars(select(Installment)) if i.village_id in ids and i.due_on < AS_OF
                and i.status not in ("paid", "cancelled") and i.received < i.amount]
        assert (f.overdue, f.overdue_amount) == (len(late), sum((i.amount - i.received for i in late), D(0)))
        cases = [c for c in session.scalars(select(Case)) if c.township_id == town.id and c.finished_at
                 and datetime(2023, 6, 1) <= c.finished_at < datetime(2024, 6, 1)]
        done = [c for c in cases if c.state == "done"]
        assert (f.cases_done, f.cases_rejected, f.cases_on_time) == (
            len(done), sum(1 for c in cases if c.state == "rejected"),
            sum(1 for c in done if c.finished_at.date() <= c.due_on))
    assert rows[county.township_a.id].cash != 0 and rows[county.township_b.id].payables != 0  # the books are read


def test_closes_and_notices_count_by_their_due_days(session, county):
    rows = {r.id: r.figures for r in village_figures(session, county.township_a.id, AS_OF)}
    a1, a2 = rows[county.a1.id], rows[county.a2.id]
    # a1 has books from 2024-01: five months due by 2024-06-20; January (closed on the 10th, the due day) and
    # February on time, March closed on 11 April (late), April and May still open
    assert (a1.closes_due, a1.closes_on_time) == (5, 2)
    assert (a2.closes_due, a2.closes_on_time) == (3, 0)  # a2 from March, nothing closed
    # notices: January on time, February late, March on time but shown 8 days, April and May none
    assert (a1.notices_due, a1.notices_on_time, a1.notices_posted, a1.notices_displayed) == (5, 2, 3, 2)
    b1 = village_figures(session, county.township_b.id, AS_OF)[0].figures
    # b1 posts by quarter: the first quarter's notice (due 10 April) covers January–March on time, but came down
    # after 7 days; April and May wait for the second quarter's (due 10 July)
    assert (b1.notices_due, b1.notices_on_time, b1.notices_posted, b1.notices_displayed) == (3, 3, 3, 0)
    a2_notices = (a2.notices_due, a2.notices_on_time, a2.notices_posted)
    assert a2_notices == (1, 0, 0)  # no notice at all: March counts once its quarter is due, April and May wait


def test_county_alerts_name_what_is_wrong(session, county):
    data = overview(session, [county.township_a.id, county.township_b.id], AS_OF)
    by_rule: dict[str, list] = {}
    for a in data.alerts:
        by_rule.setdefault(a.rule, []).append(a)
    late = by_rule[rules.LATE_CLOSE]
    months = {(a.township_id, a.message.split("：")[1][:7]) for a in late}
    assert months == {(county.township_a.id, m) for m in ("2024-03", "2024-04", "2024-05")} | {
        (county.township_b.id, m) for m in ("2024-02", "2024-03", "2024-04", "2024-05")}
    assert all(a.target == ("township", a.township_id) for a in late)
    cash = {a.village_id for a in by_rule[rules.CASH_OVER_LIMIT]}
    assert cash == {county.a1.id, county.b1.id}  # 8,897 and 7,767 on hand; a2 holds 50
    assert {a.village_id for a in by_rule[rules.WHITE_SLIPS]} == {county.a1.id}  # 10% of a1's; b1's 3.8%
    short = by_rule[rules.SHORT_DISPLAY]
    assert {(a.village_id, a.target[0]) for a in short} == {(county.a1.id, "notice"), (county.b1.id, "notice")}
    assert {a.village_id for a in by_rule[rules.LATE_NOTICE]} >= {county.a1.id, county.a2.id}
    assert [a.severity for a in data.alerts] == sorted((a.severity for a in data.alerts),
                                                       key=rules.SEVERITY_ORDER.get)


def test_no_township_no_rows(session, world):
    assert township_figures(session, [], AS_OF) == []
