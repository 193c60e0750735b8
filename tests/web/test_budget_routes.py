"""Budget pages: the grid saves and re-shows problems, reports download, the township import stays in its township."""
import io
from datetime import date
from decimal import Decimal as D

from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.web.conftest import import_job, tbody
from threeassets.budgets.models import Budget


def _budgets(session, village) -> dict[int, D]:
    session.rollback()
    return dict(session.execute(select(Budget.account_id, Budget.amount).where(Budget.village_id == village.id)).all())


def test_grid_saves_and_shows_the_figures(as_user, world, session):
    c = as_user("accountant")
    resp = c.post(f"/v/{world.a1.id}/budgets", data={"year": "2024", "amount-501": "12,000", "note-501": "发包",
                                                     "amount-513": "", "extra-code-0": "151",
                                                     "extra-amount-0": "5000.5"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("year=2024")
    assert sorted(_budgets(session, world.a1).values()) == [D("5000.50"), D("12000.00")]
    page = c.get(f"/v/{world.a1.id}/budgets?year=2024").get_data(as_text=True)
    assert 'value="12,000.00"' in page and 'value="发包"' in page and "固定资产" in tbody(page)
    assert 'src="/static/js/budgets.js"' in page


def test_three_decimals_are_marked_and_nothing_is_saved(as_user, world, session):
    c = as_user("accountant")
    resp = c.post(f"/v/{world.a1.id}/budgets", data={"year": "2024", "amount-501": "1.005", "amount-513": "30"})
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "金额最多两位小数" in page and 'value="1.005"' in page and 'value="30"' in page
    assert _budgets(session, world.a1) == {}


def test_unknown_or_nested_codes_are_refused(as_user, world, session):
    c = as_user("accountant")
    resp = c.post(f"/v/{world.a1.id}/budgets", data={"year": "2024", "extra-code-0": "999", "extra-amount-0": "1"})
    assert resp.status_code == 422 and "科目 999 不存在" in resp.get_data(as_text=True)
    assert _budgets(session, world.a1) == {}
    resp = c.post(f"/v/{world.a1.id}/budgets", data={"year": "2024", "amount-513": "abc", "extra-code-0": "999",
                                                     "extra-amount-0": "1"})
    page = resp.get_data(as_text=True)  # a bad cell and the chart's refusal in one answer
    assert resp.status_code == 422 and "请改正标红的单元格" in page and "科目 999 不存在" in page


def test_bad_year_is_refused(as_user, world, session):
    c = as_user("accountant")
    assert c.post(f"/v/{world.a1.id}/budgets", data={"year": "1888", "amount-501": "1"}).status_code == 302
    assert _budgets(session, world.a1) == {}
    assert "已显示本年" in c.get(f"/v/{world.a1.id}/budgets?year=abcd", follow_redirects=True).get_data(as_text=True)


def test_readers_see_the_grid_without_inputs_enabled(as_user, world):
    page = as_user("board").get(f"/v/{world.a1.id}/budgets").get_data(as_text=True)
    assert "disabled" in page and "保存预算" not in page


def test_report_page_and_downloads(as_user, world, records):
    records.voucher(world.a1, "posted", day=date(2024, 5, 10), debit="513", credit="101", amount="150.00")
    c = as_user("accountant")
    c.post(f"/v/{world.a1.id}/budgets", data={"year": "2024", "amount-513": "600"})
    page = c.get(f"/v/{world.a1.id}/budgets/report?year=2024&to=2024-06").get_data(as_text=True)
    assert "25.0%" in page and "实际数截至 2024-06" in page
    records.voucher(world.a1, "posted", day=date(2024, 5, 11), debit="511", credit="101", amount="80.00")
    page = c.get(f"/v/{world.a1.id}/budgets/report?year=2024&to=2024-06").get_data(as_text=True)
    row = page.split('data-code="511"', 1)[1].split("</tr>", 1)[0]  # spent without a budget: red, said so
    assert '<td class="text-end text-danger" title="该支出科目未列预算">无预算支出</td>' in row
    assert "无预算支出" not in page.split('data-code="513"', 1)[1].split("</tr>", 1)[0]
    csv_text = c.get(f"/v/{world.a1.id}/budgets/report?year=2024&to=2024-06&format=csv").data.decode("utf-8-sig")
    assert csv_text.splitlines()[0] == "account_code,account_name,budget,actual,variance,executed_pct"
    assert "513,管理费用,600.00,150.00,-450.00,25.0" in csv_text.splitlines()
    wb = load_workbook(io.BytesIO(c.get(f"/v/{world.a1.id}/budgets/report?year=2024&format=xlsx").data))
    values = [[cell for cell in row] for row in wb.active.iter_rows(values_only=True)]
    assert ["513", "管理费用", 600, 150, -450, 25] in [list(r[:6]) for r in values]
    assert any(r[0] == "支出合计" for r in values)


def test_report_month_outside_the_year_falls_back(as_user, world):
    page = as_user("accountant").get(f"/v/{world.a1.id}/budgets/report?year=2023&to=2024-02").get_data(as_text=True)
    assert "截止期间应在预算年度内" in page and "实际数截至 2023-12" in page


def test_township_report_consolidates(as_user, world):
    c = as_user("accountant")
    c.post(f"/v/{world.a1.id}/budgets", data={"year": "2024", "amount-513": "600"})
    c.post(f"/v/{world.a2.id}/budgets", data={"year": "2024", "amount-513": "400"})
    page = c.get(f"/t/{world.township_a.id}/budgets?year=2024").get_data(as_text=True)
    assert "1,000.00" in tbody(page) and "预算执行情况（汇总）" in page


HEADER = "org_code,year,account_code,amount\n"


def _upload(client, township_id, text, encoding="utf-8", name="b.csv"):
    return client.post(f"/t/{township_id}/budgets/import", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(text.encode(encoding)), name)})


def test_import_gbk_file(as_user, world, session):
    client = as_user("accountant")
    resp = _upload(client, world.township_a.id, HEADER + "A1,2024,501,8000\nA2,2024,514,300\n", "gbk")
    state, page = import_job(client, resp)
    assert state["status"] == "done" and "导入完成：2 个村，2 份年度预算，2 行" in page
    assert sorted(_budgets(session, world.a1).values()) == [D("8000.00")]


def test_import_of_another_townships_village_writes_nothing(as_user, world, session):
    client = as_user("accountant")
    state, page = import_job(client, _upload(client, world.township_a.id, HEADER + "A1,2024,501,8000\nB1,2024,501,1\n"))
    assert state["status"] == "failed" and "B1 不属于本乡镇" in page
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Budget)) == 0


def test_import_errors_name_line_and_column(as_user, world):
    client = as_user("accountant")
    _state, page = import_job(client, _upload(client, world.township_a.id, HEADER + "A1,2024,501,1.005\n"))
    assert "<td>2</td><td>amount</td><td>金额最多两位小数</td>" in page


def test_import_refuses_other_files(as_user, world):
    resp = _upload(as_user("accountant"), world.township_a.id, HEADER, name="b.txt")
    assert resp.status_code == 422


def test_template_downloads(as_user, world):
    resp = as_user("head").get(f"/t/{world.township_a.id}/budgets/import/template.csv")
    assert resp.data.decode("utf-8-sig").startswith("org_code,year,account_code,amount,note\nA1,")
