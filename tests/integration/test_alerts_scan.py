"""The alert scan on real rows: raise, idempotent re-scan, update, resolve, re-raise, acknowledge; settings."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.integration.conftest import audit_count
from threeassets.alerts import service
from threeassets.alerts.models import Alert, AlertScan
from threeassets.assets.models import Asset
from threeassets.contracts.models import Contract, Installment
from threeassets.core.audit import AuditEvent
from threeassets.core.db import transaction
from threeassets.core.errors import IllegalMove, RuleError
from threeassets.ledger import service as ledger
from threeassets.orgs.models import TownshipSettings

D = Decimal
DAY = date(2024, 5, 20)


def scan(session, *villages, on=DAY):
    """Scan villages in one transaction; returns the ScanResult."""
    with transaction(session):
        return service.scan(session, list(villages), on)


def alerts(session, village=None, rule=None) -> list[Alert]:
    """Stored alerts (fresh read), optionally of a village and rule."""
    session.expire_all()
    q = select(Alert).order_by(Alert.id)
    if village is not None:
        q = q.where(Alert.village_id == village.id)
    if rule:
        q = q.where(Alert.rule == rule)
    return list(session.scalars(q))


def add_contract(session, village, code="HT-001", ends_on=date(2024, 7, 1), status="active") -> Contract:
    with transaction(session):
        c = Contract(village_id=village.id, code=code, title="东坝鱼塘承包", kind="contracting", party_type="person",
                     party_name="张三", party_id_no="110101199003070016", award_method="bidding",
                     signed_on=date(2021, 6, 1), starts_on=date(2021, 7, 1), ends_on=ends_on,
                     total_price=D("30000.00"), status=status)
        session.add(c)
    return c


def add_installment(session, contract, due_on, amount="5000.00", received="0.00", status="due", seq=1):
    with transaction(session):
        i = Installment(village_id=contract.village_id, contract_id=contract.id, seq=seq, due_on=due_on,
                        amount=D(amount), received=D(received), status=status)
        session.add(i)
    return i


def set_threshold(session, township, amount="5000.00", days=90):
    with transaction(session):
        session.merge(TownshipSettings(township_id=township.id, large_cash_threshold=D(amount),
                                       contract_expiry_days=days, disclosure_group_threshold=D("0.00"),
                                       decision_rules="", supervision_phone=""))


def test_nothing_to_find_still_records_the_scan(session, world):
    res = scan(session, world.a1, world.a2)
    assert (res.villages, res.raised, res.open) == (2, 0, 0)
    marks = session.scalars(select(AlertScan).order_by(AlertScan.village_id)).all()
    assert [(m.village_id, m.as_of) for m in marks] == [(world.a1.id, DAY), (world.a2.id, DAY)]
    assert audit_count(session, "alerts.scan") == 0  # nothing changed: no audit noise from a daily cron


def test_contract_expiry_raise_rescan_resolve(session, world):
    c = add_contract(session, world.a1, ends_on=date(2024, 8, 18))  # 90 days after DAY: the last lead day
    add_contract(session, world.a1, code="HT-002", ends_on=date(2024, 8, 19))  # 91 days: not yet
    add_contract(session, world.a1, code="HT-003", ends_on=date(2024, 6, 1), status="draft")  # not active
    res = scan(session, world.a1)
    [a] = alerts(session, world.a1)
    assert (res.raised, a.rule, a.object_id, a.severity) == (1, "contract_expiring", c.id, "warning")
    assert a.township_id == world.township_a.id and "还有 90 天" in a.message
    assert audit_count(session, "alerts.scan") == 1
    again = scan(session, world.a1)
    assert (again.raised, again.resolved, again.reopened) == (0, 0, 0)
    assert [x.id for x in alerts(session, world.a1)] == [a.id] and audit_count(session, "alerts.scan") == 1
    later = scan(session, world.a1, on=date(2024, 7, 25))  # HT-002 comes into range; HT-001's message moves
    first = next(x for x in alerts(session) if x.object_id == c.id)
    assert later.raised == 1 and first.id == a.id and "还有 24 天" in first.message and first.severity == "danger"
    with transaction(session):
        session.get(Contract, c.id).status = "ended"
    assert scan(session, world.a1, on=date(2024, 7, 25)).resolved == 1
    assert session.get(Alert, a.id).resolved_at is not None


def test_installment_overdue_today_vs_yesterday(session, world):
    c = add_contract(session, world.a1, ends_on=date(2026, 6, 30))
    today = add_installment(session, c, DAY, seq=1)
    yesterday = add_installment(session, c, date(2024, 5, 19), "5000.00", "1000.00", "partial", seq=2)
    add_installment(session, c, date(2024, 1, 1), status="cancelled", seq=3)
    add_installment(session, c, date(2024, 1, 1), received="5000.00", status="paid", seq=4)
    scan(session, world.a1)
    [a] = alerts(session, rule="installment_overdue")
    assert a.object_id == yesterday.id and "逾期 1 天" in a.message and "欠 4,000.00 元" in a.message
    scan(session, world.a1, on=date(2024, 5, 21))
    overdue = {x.object_id: x.message for x in alerts(session, rule="installment_overdue")}
    assert set(overdue) == {today.id, yesterday.id} and "逾期 2 天" in overdue[yesterday.id]


def test_paid_resolves_and_unpaid_again_reraises_with_acknowledgement_cleared(session, world):
    c = add_contract(session, world.a1, ends_on=date(2026, 6, 30))
    inst = add_installment(session, c, date(2024, 4, 30))
    scan(session, world.a1)
    [a] = alerts(session)
    with transaction(session):
        service.acknowledge(session, session.get(Alert, a.id), actor=world.user("accountant"), note="已电话催收")
    assert service.open_count(session, township_id=world.township_a.id) == 0
    with transaction(session):
        row = session.get(Installment, inst.id)
        row.received, row.status = D("5000.00"), "paid"
    assert scan(session, world.a1).resolved == 1
    [a] = alerts(session)
    assert a.resolved_at is not None and a.note == "已电话催收"  # resolved keeps its history on the row
    with transaction(session):  # the receipt was reversed: the debt is back
        row = session.get(Installment, inst.id)
        row.received, row.status = D("0.00"), "due"
    res = scan(session, world.a1)
    [b] = alerts(session)
    assert (res.reopened, res.raised, b.id) == (1, 0, a.id)
    assert b.resolved_at is None and b.acknowledged_at is None and b.note is None
    assert service.open_count(session, village_ids=[world.a1.id]) == 1
    last = session.scalars(select(AuditEvent).where(AuditEvent.action == "alerts.scan")
                           .order_by(AuditEvent.id.desc())).first()
    assert json.loads(last.detail)["reopened"] == {str(a.id): "已电话催收"}  # the earlier note is kept


def test_acknowledge_rules_and_audit(session, world):
    add_installment(session, add_contract(session, world.a1, ends_on=date(2026, 6, 30)), date(2024, 4, 30))
    scan(session, world.a1)
    [a] = alerts(session)
    with pytest.raises(RuleError), transaction(session):
        service.acknowledge(session, session.get(Alert, a.id), actor=world.user("head"), note="  ")
    assert alerts(session)[0].acknowledged_at is None
    with transaction(session):
        service.acknowledge(session, session.get(Alert, a.id), actor=world.user("head"), note="已约定六月底前付清")
    assert audit_count(session, "alerts.acknowledge") == 1
    [a] = alerts(session)
    assert a.acknowledged_by_id == world.user("head").id and a.note == "已约定六月底前付清"
    with pytest.raises(IllegalMove), transaction(session):
        service.acknowledge(session, session.get(Alert, a.id), actor=world.user("head"), note="again")
    scan(session, world.a1)  # still true: stays acknowledged, not re-opened
    assert alerts(session)[0].acknowledged_at is not None
    counts = service.counts_by_rule(session, township_id=world.township_a.id, state="acknowledged")
    assert counts["installment_overdue"] == 1 and counts["large_cash"] == 0


def fund(post_voucher, village, amount: str) -> None:
    """Cash drawn from the bank at the start of May: payments in cash must have cash to pay from (else 现金赤字)."""
    post_voucher(village, date(2024, 5, 1), [("提取现金", "101", amount, ""), ("提取现金", "102", "", amount)])


def test_large_cash_at_threshold_per_line_and_reversal(session, world, post_voucher):
    set_threshold(session, world.township_a, "5000.00")
    fund(post_voucher, world.a1, "20000.00")
    fund(post_voucher, world.a2, "100.00")
    big = post_voucher(world.a1, date(2024, 5, 6), [("付工钱", "513", "9999.99", ""),
                                                    ("付工钱", "101", "", "5000.00"),
                                                    ("付工钱", "101", "", "4999.99")])
    post_voucher(world.a1, date(2024, 5, 7), [("存现", "102", "6000.00", ""), ("存现", "101", "", "6000.00")])
    post_voucher(world.a2, date(2024, 5, 7), [("付款", "513", "100.00", ""), ("付款", "101", "", "100.00")])
    with transaction(session):  # a draft is not a payment yet
        ledger.save_draft(session, village=world.a1, actor=world.user("accountant"), voucher_date=DAY,
                          attachments=0, lines=_lines(("草稿", "513", "8000", ""), ("草稿", "101", "", "8000")))
    scan(session, world.a1, world.a2)
    found = alerts(session, rule="large_cash")  # the 5,000.00 line of the wages; not 4,999.99, not the deposit
    assert len(found) == 1 and {a.village_id for a in found} == {world.a1.id}
    first = found[0]
    assert first.key == f"202405-{big.number:04d}" and first.object_type == "voucher_line"
    with transaction(session):
        v = ledger.reverse(session, voucher=session.get(type(big), big.id), village=world.a1,
                           actor=world.user("accountant"), on=DAY)
        ledger.review(session, voucher=v, village=world.a1, actor=world.user("reviewer"))
        ledger.post(session, voucher=v, village=world.a1, actor=world.user("accountant2"))
    scan(session, world.a1)
    assert [a.resolved_at is not None for a in alerts(session, rule="large_cash")] == [True]
    assert service.open_count(session, village_ids=[world.a1.id]) == 0


def _lines(*spec):
    from tests.conftest import lines
    return lines(*spec)


def test_threshold_and_scan_date_decide(session, world, post_voucher):
    fund(post_voucher, world.a1, "6000.00")
    post_voucher(world.a1, date(2024, 5, 6), [("付款", "513", "6000.00", ""), ("付款", "101", "", "6000.00")])
    scan(session, world.a1, on=date(2024, 5, 5))  # before the payment
    assert alerts(session) == []
    scan(session, world.a1)
    assert len(alerts(session, rule="large_cash")) == 1
    set_threshold(session, world.township_a, "6000.01")
    assert scan(session, world.a1).resolved == 1
    set_threshold(session, world.township_b, "1.00")  # another township's settings change nothing here
    assert scan(session, world.a1).raised == 0


def test_cash_sub_accounts_count(session, world, post_voucher, records=None):
    from threeassets.ledger import chart
    from threeassets.ledger.models import Account
    with transaction(session):
        parent = session.scalar(select(Account).where(Account.village_id == world.a1.id, Account.code == "101"))
        chart.add_sub_account(session, village_id=world.a1.id, parent=parent, suffix="01", name="村部现金",
                              actor=None)
    post_voucher(world.a1, date(2024, 5, 6), [("付款", "513", "7000.00", ""), ("付款", "10101", "", "7000.00")])
    scan(session, world.a1)
    [a] = alerts(session, rule="large_cash")
    assert "村部现金" in a.message


def test_asset_cards_vs_books(session, world, post_voucher):
    with transaction(session):
        session.add(Asset(village_id=world.a1.id, code="F001", name="村部办公楼", category="房屋及建筑物",
                          acquired_on=date(2020, 3, 10), original_cost=D("100000.00"), useful_life_months=240,
                          salvage_rate=D("5.00"), accumulated_depreciation=D("0.00")))
    scan(session, world.a1)
    [a] = alerts(session, rule="assets_mismatch")
    assert (a.key, a.object_type, a.object_id) == ("151", "village", world.a1.id)
    assert "卡片 100,000.00 元" in a.message and "账簿（151）0.00 元" in a.message
    post_voucher(world.a1, date(2024, 5, 3), [("期初固定资产", "151", "100000.00", ""),
                                              ("期初", "301", "", "100000.00")])
    assert scan(session, world.a1).resolved == 1


def test_listing_filters_and_scope(session, world, post_voucher):
    fund(post_voucher, world.a1, "6000.00")
    fund(post_voucher, world.b1, "6000.00")
    post_voucher(world.a1, date(2024, 5, 6), [("付款", "513", "6000.00", ""), ("付款", "101", "", "6000.00")])
    post_voucher(world.b1, date(2024, 5, 6), [("付款", "513", "6000.00", ""), ("付款", "101", "", "6000.00")])
    add_installment(session, add_contract(session, world.a2, ends_on=date(2026, 6, 30)), date(2024, 1, 1))
    scan(session, world.a1, world.a2, world.b1)
    rows = session.scalars(service.listing(township_id=world.township_a.id)).all()
    assert [a.village_id for a in rows] == [world.a2.id, world.a1.id]  # severe (long overdue) first
    assert session.scalars(service.listing(village_ids=[world.a1.id], rule="installment_overdue")).all() == []
    assert len(session.scalars(service.listing(township_id=world.township_a.id, q="付款")).all()) == 1
    assert service.open_count(session, township_id=world.township_b.id) == 1
    assert service.counts_by_rule(session, township_id=world.township_a.id) == {
        "cash_deficit": 0, "contract_expiring": 0, "installment_overdue": 1, "assets_mismatch": 0, "large_cash": 1,
        "subsidy_unnoticed": 0, "subsidy_mismatch": 0}


def test_stale_and_last_scan(session, world):
    from datetime import timedelta
    assert service.last_scan(session, [world.a1.id]) is None
    assert service.stale(session, [world.a1, world.a2], timedelta(minutes=60), DAY) == [world.a1, world.a2]
    scan(session, world.a1)
    assert service.stale(session, [world.a1, world.a2], timedelta(minutes=60), DAY) == [world.a2]
    assert service.stale(session, [world.a1], timedelta(minutes=60), date(2024, 5, 21)) == [world.a1]
    assert service.stale(session, [world.a1], timedelta(0), DAY) == [world.a1]
    assert service.last_scan(session, [world.a1.id, world.a2.id]) is None
    assert service.last_scan(session, [world.a1.id]) is not None


def test_scan_writes_nothing_when_a_rule_fails(session, world, monkeypatch):
    add_contract(session, world.a1, ends_on=date(2024, 6, 1))

    def boom(*_a, **_k):
        raise RuntimeError("reconciliation failed")
    monkeypatch.setattr("threeassets.alerts.facts.differences", boom)
    with pytest.raises(RuntimeError):
        scan(session, world.a1)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Alert)) == 0
    assert session.scalar(select(func.count()).select_from(AlertScan)) == 0
