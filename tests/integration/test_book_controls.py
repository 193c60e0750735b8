"""The township's book controls on the real books: cash on hand in credit and future dates are warned about or
refused as the township sets; history imports never refuse and list the months; the alert scan finds them."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import lines
from threeassets.core.db import transaction
from threeassets.core.errors import RuleError
from threeassets.ledger import service
from threeassets.ledger.models import Voucher
from threeassets.ledger.rules import VoucherInvalid
from threeassets.orgs.settings import get_settings

DAY = date(2024, 5, 10)
CASH_IN = (("提取备用金", "101", "500", ""), ("提取备用金", "102", "", "500"))
CASH_OUT = (("付误工补贴", "514", "800", ""), ("付误工补贴", "101", "", "800"))


def _control(session, world, **values):
    with transaction(session):
        row = get_settings(session, world.township_a.id)
        for name, value in values.items():
            setattr(row, name, value)
        session.add(row)


def _reviewed(session, world, spec, day=DAY):
    with transaction(session):
        v = service.save_draft(session, village=world.a1, actor=world.user("accountant"), voucher_date=day,
                               attachments=0, lines=lines(*spec))
        service.review(session, voucher=v, village=world.a1, actor=world.user("reviewer"))
    return v


def _post(session, world, voucher):
    with transaction(session):
        return service.post(session, voucher=voucher, village=world.a1, actor=world.user("accountant2"))


def test_cash_in_credit_is_posted_and_said_by_default(session, world, post_voucher):
    post_voucher(world.a1, DAY, CASH_IN)
    v = _reviewed(session, world, CASH_OUT)
    assert _post(session, world, v) == 2
    assert service.cash_on_hand(session, world.a1.id, 202405) == -300
    assert service.warnings(session, v, world.a1, today=DAY) == [
        "库存现金出现贷方余额 300.00 元（现金赤字），请核对本月现金收支"]
    assert service.cash_deficit_months(session, world.a1.id) == [(202405, -300)]


def test_where_the_township_refuses_a_cash_deficit_nothing_is_posted_and_no_number_is_used(session, world,
                                                                                          post_voucher):
    _control(session, world, cash_deficit="refuse")
    post_voucher(world.a1, DAY, CASH_IN)
    v = _reviewed(session, world, CASH_OUT)
    with pytest.raises(RuleError, match="现金赤字"):
        _post(session, world, v)
    session.refresh(v)
    assert v.status == "reviewed" and v.number is None
    assert service.cash_on_hand(session, world.a1.id, 202405) == 500
    smaller = _reviewed(session, world, (("付误工补贴", "514", "200", ""), ("付误工补贴", "101", "", "200")))
    assert _post(session, world, smaller) == 2  # gapless: the refused posting took no number


def test_a_future_date_is_said_by_default_and_refused_where_the_township_says(session, world):
    tomorrow = date.today() + timedelta(days=1)
    v = _reviewed(session, world, CASH_IN, day=tomorrow)
    assert service.warnings(session, v, world.a1)[0].startswith(f"凭证日期 {tomorrow.isoformat()} 晚于今天")
    _control(session, world, future_dates="refuse")
    with pytest.raises(RuleError, match="晚于今天"):
        _post(session, world, v)
    with pytest.raises(VoucherInvalid, match="本镇设置为禁止"), transaction(session):
        service.save_draft(session, village=world.a1, actor=world.user("accountant"), voucher_date=tomorrow,
                           attachments=0, lines=lines(*CASH_IN))
    assert session.query(Voucher).count() == 1


def test_history_imports_never_refuse_and_list_the_months_in_credit(session, world):
    from threeassets.core.csvio import Table
    from threeassets.ledger.importer import COLUMNS, import_vouchers
    _control(session, world, cash_deficit="refuse", future_dates="refuse")
    rows = [{"org_code": "A1", "date": "2024-03-05", "voucher_ref": "H1", "summary": "付工资", "account_code": "514",
             "debit": "100", "credit": ""},
            {"org_code": "A1", "date": "2024-03-05", "voucher_ref": "H1", "summary": "付工资", "account_code": "101",
             "debit": "", "credit": "100"}]
    with transaction(session):
        stats = import_vouchers(session, Table("old.csv", COLUMNS, list(enumerate(rows, start=2))), post=True)
    assert stats["vouchers"] == 1 and stats["cash_deficits"] == {"甲一村": ["2024-03"]}


def test_the_alert_scan_raises_a_cash_deficit_alert(session, world, post_voucher):
    from threeassets.alerts import service as alerts
    from threeassets.alerts.models import Alert
    post_voucher(world.a1, DAY, CASH_OUT)
    with transaction(session):
        alerts.scan(session, [world.a1], date(2024, 5, 31))
    found = session.query(Alert).filter_by(village_id=world.a1.id, rule="cash_deficit").all()
    assert [a.key for a in found] == ["202405"] and "现金赤字" in found[0].message
