"""The county's pages through the client: the supervisor's home, the table and its links, the drill-down to a
village's books, who gets 403/404, the day parameter, and the XLSX (content, the formula guard)."""
from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from threeassets.core.db import transaction
from threeassets.orgs.models import Village


def test_supervisor_lands_on_the_county_and_other_roles_do_not(as_user, world):
    resp = as_user("supervisor").get("/")
    assert resp.status_code == 302 and resp.headers["Location"] == "/county"
    for user in ("admin", "head", "accountant", "reviewer"):
        resp = as_user(user).get("/")
        assert resp.status_code == 200 and "选择要处理的村" in resp.get_data(as_text=True), user
    assert as_user("vacct").get("/").headers["Location"] == f"/v/{world.a1.id}/dashboard"


def test_county_table_lists_every_township_with_totals_and_links(as_user, world, records):
    records.voucher(world.a1, "posted")  # 办公费 paid in cash: the county's cash goes down
    page = as_user("supervisor").get("/county").get_data(as_text=True)
    for town in (world.township_a, world.township_b):
        assert f'href="/county/t/{town.id}?day=' in page and town.name in page
    assert "合计" in page and "监管预警" in page and 'class="chart chart-hbar"' in page
    assert 'role="region"' in page and 'tabindex="0"' in page  # the wide table scrolls, by keyboard too
    assert re.search(r'<a class="menu-link active" href="/county"', page)


def test_drill_down_reaches_a_village_and_its_voucher(as_user, world, records):
    voucher = records.voucher(world.a1, "posted")
    c = as_user("supervisor")
    page = c.get(f"/county/t/{world.township_a.id}").get_data(as_text=True)
    assert f'href="/v/{world.a1.id}/dashboard">{world.a1.name}' in page
    assert world.b1.name not in page.split("监管预警")[0]  # only this township's villages in the table
    assert c.get(f"/v/{world.a1.id}/dashboard").status_code == 200
    vouchers = c.get(f"/v/{world.a1.id}/vouchers").get_data(as_text=True)
    assert f"/v/{world.a1.id}/vouchers/{voucher.id}" in vouchers
    assert c.get(f"/v/{world.a1.id}/vouchers/{voucher.id}").status_code == 200


@pytest.mark.parametrize("user", ["head", "accountant", "reviewer", "clerk", "vacct", "board"])
def test_township_and_village_users_are_kept_out(as_user, world, user):
    c = as_user(user)
    assert c.get("/county").status_code == 403
    assert c.get("/county/export.xlsx").status_code == 403
    own = c.get(f"/county/t/{world.township_a.id}").status_code
    assert own == (404 if user in ("vacct", "board") else 403)
    assert c.get(f"/county/t/{world.township_b.id}").status_code == 404
    assert c.get(f"/county/t/{world.township_b.id}/export.xlsx").status_code == 404


def test_missing_township_is_404(as_user, world):
    assert as_user("supervisor").get("/county/t/999999").status_code == 404


def test_bad_day_warns_and_shows_today(as_user, world):
    page = as_user("supervisor").get("/county?day=2024-13-40").get_data(as_text=True)
    assert "不是日期" in page and f'value="{date.today().isoformat()}"' in page
    page = as_user("supervisor").get("/county?day=2024-06-20").get_data(as_text=True)
    assert "截至 2024-06-20" in page and "2023-06—2024-05" in page


def _sheet_rows(data: bytes, name: str) -> list[tuple]:
    return list(load_workbook(io.BytesIO(data))[name].iter_rows(values_only=True))


def test_county_xlsx_has_a_row_per_township_and_the_totals(as_user, world, records, session):
    records.voucher(world.a1, "posted")
    resp = as_user("supervisor").get("/county/export.xlsx?day=2024-06-20")
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    rows = _sheet_rows(resp.data, "汇总")
    header = rows.index(next(r for r in rows if r and r[0] == "编码"))
    body = rows[header + 1:]
    assert [r[0] for r in body] == [world.township_a.code, world.township_b.code, None]
    assert body[-1][1] == "合计"
    cash = header and rows[header].index("库存现金")
    assert Decimal(str(body[-1][cash])) == sum(Decimal(str(r[cash])) for r in body[:-1])
    assert body[0][2] == 2 and body[1][2] == 1  # villages per township


def test_township_xlsx_guards_formula_like_names(as_user, world, session):
    with transaction(session):
        session.get(Village, world.a2.id).name = "=HYPERLINK(\"http://x\")"
    resp = as_user("admin").get(f"/county/t/{world.township_a.id}/export.xlsx")
    book = load_workbook(io.BytesIO(resp.data))
    cells = [c for row in book["汇总"].iter_rows() for c in row if c.value == "=HYPERLINK(\"http://x\")"]
    assert len(cells) == 1 and cells[0].data_type == "s" and cells[0].quotePrefix
    names = [r[1] for r in _sheet_rows(resp.data, "汇总")]
    assert world.a1.name in names and world.b1.name not in names
