"""The 月结/年结 page: what each role sees, closing and its refusals flashed, reopening with a reason, year close,
and another village's books left alone."""
from datetime import date

from sqlalchemy import select

from tests.web.conftest import count, tbody
from threeassets.closing.models import PeriodBalance
from threeassets.ledger.models import Period, Voucher

APRIL, MAY = date(2024, 4, 10), date(2024, 5, 10)


def page(client, village, year=2024) -> str:
    """The closing page of a year, as text."""
    resp = client.get(f"/v/{village.id}/closing?year={year}")
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def status(session, village, ym):
    """A period's status, read fresh."""
    session.rollback()
    return session.scalar(select(Period.status).where(Period.village_id == village.id, Period.ym == ym))


def row(html: str, label: str) -> str:
    """The table row of one month."""
    return tbody(html).split(f'data-period="{label}"', 1)[1].split("</tr>", 1)[0]


def test_page_lists_the_year_with_counts_and_the_next_month_to_close(as_user, world, records):
    records.voucher(world.a1, "posted", APRIL)
    records.voucher(world.a1, "draft", MAY)
    records.voucher(world.a1, "reviewed", MAY)
    html = page(as_user("accountant"), world.a1)
    assert tbody(html).count("data-period=") == 12
    april, may = row(html, "2024-04"), row(html, "2024-05")
    assert "未结账" in april and ">结账</button>" in april
    assert "未结账" in may and ">结账</button>" not in may  # months close in order
    assert "status=draft" in may and "status=reviewed" in may
    assert "无业务" in row(html, "2024-01") and "反结账" not in tbody(html)
    assert ">年结</button>" not in html  # April and May are still open


def test_close_from_the_page_and_see_it_locked(as_user, world, records, session):
    records.voucher(world.a1, "posted", APRIL)
    client = as_user("accountant")
    resp = client.post(f"/v/{world.a1.id}/closing/close", data={"period": "2024-04"}, follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert "2024-04 已结账，保存了 2 个科目的期末余额" in html
    assert "已结账" in row(html, "2024-04") and "accountant" in row(html, "2024-04")
    assert status(session, world.a1, 202404) == "closed"
    assert ">年结</button>" in html  # nothing else is open in 2024


def test_refusal_is_flashed_and_nothing_changes(as_user, world, records, session):
    records.voucher(world.a1, "reviewed", APRIL)
    client = as_user("accountant")
    resp = client.post(f"/v/{world.a1.id}/closing/close", data={"period": "2024-04"}, follow_redirects=True)
    assert "2024-04 不能结账：有 1 张凭证已审核未记账" in resp.get_data(as_text=True)
    assert status(session, world.a1, 202404) == "open"
    assert count(session, PeriodBalance) == 0


def test_bad_period_is_flashed(as_user, world):
    resp = as_user("accountant").post(f"/v/{world.a1.id}/closing/close", data={"period": "2024/13"},
                                      follow_redirects=True)
    assert "不是年月" in resp.get_data(as_text=True)


def test_reopen_needs_a_reason_and_the_head(as_user, world, records, session):
    records.voucher(world.a1, "posted", APRIL)
    as_user("accountant").post(f"/v/{world.a1.id}/closing/close", data={"period": "2024-04"})
    client = as_user("head")
    assert "反结账原因" in row(page(client, world.a1), "2024-04")
    resp = client.post(f"/v/{world.a1.id}/closing/reopen", data={"period": "2024-04", "reason": " "},
                       follow_redirects=True)
    assert "请填写反结账原因" in resp.get_data(as_text=True)
    assert status(session, world.a1, 202404) == "closed"
    resp = client.post(f"/v/{world.a1.id}/closing/reopen", data={"period": "2024-04", "reason": "补录电费"},
                       follow_redirects=True)
    assert "2024-04 已反结账" in resp.get_data(as_text=True)
    assert status(session, world.a1, 202404) == "open"


def test_year_close_from_the_page(as_user, world, records, session):
    records.voucher(world.a1, "posted", date(2024, 12, 5))
    resp = as_user("head").post(f"/v/{world.a1.id}/closing/year", data={"year": "2024"}, follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert "2024 年已年结：生成并记账凭证 记-0002、记-0003，本年收益 -100.00" in html
    assert "已结账" in row(html, "2024-12")
    assert status(session, world.a1, 202501) == "open"
    assert count(session, Voucher, kind="year_close") == 1


def test_another_villages_month_is_404_and_untouched(as_user, world, records, session):
    records.voucher(world.b1, "posted", APRIL)
    client = as_user("head")
    assert client.post(f"/v/{world.b1.id}/closing/close", data={"period": "2024-04"}).status_code == 404
    assert client.post(f"/v/{world.b1.id}/closing/year", data={"year": "2024"}).status_code == 404
    assert client.get(f"/v/{world.b1.id}/closing").status_code == 404
    assert status(session, world.b1, 202404) == "open"


def test_village_users_see_the_status_without_buttons(as_user, world, records):
    records.voucher(world.a1, "posted", APRIL)
    html = page(as_user("vacct"), world.a1)
    assert "未结账" in row(html, "2024-04")
    assert "<button" not in tbody(html)


class _Nov20(date):
    """Today is 2024-11-20 for the closing page and service."""

    @classmethod
    def today(cls):
        return cls(2024, 11, 20)


def test_the_current_month_closes_from_its_last_day(as_user, world, records, session, monkeypatch):
    for module in ("threeassets.closing.routes", "threeassets.closing.service"):
        monkeypatch.setattr(f"{module}.date", _Nov20)
    records.voucher(world.a1, "posted", date(2024, 11, 5))
    client = as_user("accountant")
    november = row(page(client, world.a1), "2024-11")
    assert ">结账</button>" not in november and "11 月 30 日起可结账" in november
    resp = client.post(f"/v/{world.a1.id}/closing/close", data={"period": "2024-11"}, follow_redirects=True)
    assert "2024-11 不能结账：2024-11 尚未结束，11 月 30 日起可结账" in resp.get_data(as_text=True)
    assert status(session, world.a1, 202411) == "open"
