"""Statement and book pages: figures on the page, the CSV contract, XLSX and PDF downloads, township
consolidation, bad input, and accounts outside the journal's root."""
import csv
import io
import re
from datetime import date

import pytest

MAY = date(2024, 5, 10)
AMOUNT = re.compile(r"^-?\d+\.\d{2}$")


@pytest.fixture
def books(records, world):
    """a1: a subsidy of 1,000 into the bank, 100 of office costs paid in cash; a2: 50 of rent; b1: 7 of rent."""
    records.voucher(world.a1, "posted", day=MAY, summary="补助到账", amount="1000.00", debit="102", credit="503")
    records.voucher(world.a1, "posted", day=date(2024, 5, 12), summary="买文具", amount="100.00", debit="513",
                    credit="101")
    records.voucher(world.a2, "posted", day=MAY, summary="租金", amount="50.00", debit="101", credit="501")
    records.voucher(world.b1, "posted", day=MAY, summary="租金", amount="7.00", debit="101", credit="501")
    return world


def csv_rows(resp) -> list[dict]:
    """The rows of a CSV download (BOM stripped)."""
    assert resp.status_code == 200
    text = resp.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def by_item(rows, column: str) -> dict[str, str]:
    """item → a column of a statement CSV."""
    return {r["item"]: r[column] for r in rows}


def test_balance_sheet_page_and_csv(as_user, books):
    c = as_user("accountant")
    base = f"/v/{books.a1.id}/statements/balance-sheet?period=2024-05"
    page = c.get(base).get_data(as_text=True)
    assert "资产负债表" in page and "甲一村" in page and "会农01表" in page
    assert "900.00" in page  # 货币资金 = 1,000 - 100
    resp = c.get(base + "&format=csv")
    assert resp.headers["Content-Disposition"].startswith("attachment; filename=balance-sheet-A1-202405.csv")
    rows = csv_rows(resp)
    assert list(rows[0]) == ["row_no", "item", "opening", "closing"]
    assert all(AMOUNT.match(r["opening"]) and AMOUNT.match(r["closing"]) for r in rows)
    closing = by_item(rows, "closing")
    assert closing["货币资金"] == closing["资产总计"] == closing["负债和所有者权益总计"] == "900.00"
    assert closing["未分配收益"] == "900.00"


def test_income_statement_csv_and_page(as_user, books):
    c = as_user("vacct")  # the village's own accountant reads its statements
    base = f"/v/{books.a1.id}/statements/income-statement?period=2024-05"
    assert "收益及收益分配表" in c.get(base).get_data(as_text=True)
    rows = csv_rows(c.get(base + "&format=csv"))
    assert list(rows[0]) == ["row_no", "item", "current", "year_to_date"]
    assert by_item(rows, "current")["本年收益"] == by_item(rows, "year_to_date")["本年收益"] == "900.00"
    assert by_item(rows, "year_to_date")["补助收入"] == "1000.00"


def test_xlsx_and_pdf_downloads(as_user, books):
    from openpyxl import load_workbook
    c = as_user("accountant")
    for path in ("balance-sheet?period=2024-05", "income-statement?period=2024-05",
                 "general-ledger?period=2024-05", "income-expense?period=2024-05",
                 "cash-journal?from=2024-05&to=2024-05"):
        xlsx = c.get(f"/v/{books.a1.id}/statements/{path}&format=xlsx")
        assert xlsx.status_code == 200, path
        ws = load_workbook(io.BytesIO(xlsx.data)).active
        assert ws["A1"].value in ("资产负债表", "收益及收益分配表", "总账", "收支明细表", "现金日记账")
        pdf = c.get(f"/v/{books.a1.id}/statements/{path}&format=pdf")
        assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
        assert b"FontFile2" in pdf.data  # the CJK TrueType font is embedded


def test_township_pages_consolidate_only_their_villages(as_user, books):
    c = as_user("head")
    rows = csv_rows(c.get(f"/t/{books.township_a.id}/statements/balance-sheet?period=2024-05&format=csv"))
    assert by_item(rows, "closing")["货币资金"] == "950.00"  # a1 900 + a2 50; b1 is another township
    page = c.get(f"/t/{books.township_a.id}/statements/income-statement?period=2024-05").get_data(as_text=True)
    assert "甲镇（汇总）" in page and "950.00" in page
    detail = csv_rows(c.get(f"/t/{books.township_a.id}/statements/income-expense?period=2024-05&format=csv"))
    assert {r["account_name"]: r["year_to_date"] for r in detail if not r["account_code"]}["收支差额"] == "950.00"
    ledger = c.get(f"/t/{books.township_a.id}/statements/general-ledger?period=2024-05").get_data(as_text=True)
    assert "101 库存现金" in ledger and "本年累计" in ledger


def test_bad_period_warns_and_falls_back(as_user, books):
    c = as_user("accountant")
    page = c.get(f"/v/{books.a1.id}/statements/balance-sheet?period=2024-13").get_data(as_text=True)
    assert "不是年月" in page and "资产总计" in page
    page = c.get(f"/v/{books.a1.id}/statements/cash-journal?from=2024-06&to=2024-05").get_data(as_text=True)
    assert "已对调" in page and "本日合计" in page


def test_journals_and_ledger(as_user, books, records):
    c = as_user("accountant")
    cash = c.get(f"/v/{books.a1.id}/statements/cash-journal?from=2024-05&to=2024-05").get_data(as_text=True)
    assert "现金日记账" in cash and "本日合计" in cash and "本月合计" in cash and "买文具" in cash
    bank = csv_rows(c.get(f"/v/{books.a1.id}/statements/bank-journal?from=2024-05&to=2024-05&format=csv"))
    assert list(bank[0]) == ["date", "voucher", "summary", "debit", "credit", "side", "balance"]
    assert [r["summary"] for r in bank] == ["期初余额", "补助到账", "本日合计", "本月合计", "本年累计"]
    assert bank[1]["voucher"] == "记-0001" and bank[-1]["balance"] == "1000.00" and bank[-1]["side"] == "借"
    # 101 is not a bank account: the bank journal does not show it
    assert c.get(f"/v/{books.a1.id}/statements/bank-journal?account=101").status_code == 404
    assert c.get(f"/v/{books.a1.id}/statements/bank-journal?account=999").status_code == 404
    sub = records.sub_account(books.a2, "102", "农商行")  # a2's 102 has no entries yet, so it can get one
    assert c.get(f"/v/{books.a2.id}/statements/bank-journal?account_id={sub.id}").status_code == 200
    assert "请选择科目" in c.get(f"/v/{books.a1.id}/statements/ledger").get_data(as_text=True)
    ledger = c.get(f"/v/{books.a1.id}/statements/ledger?account=513&from=2024-01&to=2024-05")
    assert "明细账" in ledger.get_data(as_text=True) and "本年累计" in ledger.get_data(as_text=True)


def test_general_ledger_links_to_the_account_ledger(as_user, books):
    c = as_user("accountant")
    page = c.get(f"/v/{books.a1.id}/statements/general-ledger?period=2024-05").get_data(as_text=True)
    assert f"/v/{books.a1.id}/statements/ledger?account=513" in page
    rows = csv_rows(c.get(f"/v/{books.a1.id}/statements/general-ledger?period=2024-05&format=csv"))
    assert rows[0].keys() == {"account_code", "account_name", "period", "summary", "debit", "credit", "side",
                              "balance"}
    may = [r for r in rows if r["account_code"] == "102" and r["period"] == "2024-05"]
    assert [(r["summary"], r["debit"], r["side"], r["balance"]) for r in may] == [
        ("本月合计", "1000.00", "借", "1000.00"), ("本年累计", "1000.00", "借", "1000.00")]


def test_menu_lists_the_statements(as_user, books):
    c = as_user("accountant")
    page = c.get(f"/v/{books.a1.id}/statements/balance-sheet").get_data(as_text=True)
    for label in ("总账", "现金日记账", "银行存款日记账", "资产负债表", "收益及收益分配表", "收支明细表"):
        assert f">{label}</a>" in page
    township = c.get(f"/t/{books.township_a.id}/statements/balance-sheet").get_data(as_text=True)
    assert ">全镇资产负债表</a>" in township


def test_notes_page_xlsx_and_pdf(as_user, books):
    from openpyxl import load_workbook
    from pypdf import PdfReader
    c = as_user("vacct")
    base = f"/v/{books.a1.id}/statements/notes?period=2024-05"
    page = c.get(base).get_data(as_text=True)
    for heading in ("一、会计政策", "二、应收款项", "三、应付款项", "四、固定资产", "五、生物资产",
                    "六、尚未处理的财产损失", "七、收益分配"):
        assert heading in page
    assert "年限平均法" in page and "900.00" in page  # 本年收益 in the distribution note
    resp = c.get(base + "&format=xlsx")
    assert resp.headers["Content-Disposition"] == "attachment; filename=notes-A1-202405.xlsx"
    wb = load_workbook(io.BytesIO(resp.data))
    assert wb.sheetnames[0] == "一、会计政策" and len(wb.sheetnames) == 7
    values = [r[1] for r in wb["七、收益分配"].iter_rows(min_row=4, values_only=True)]
    assert 900 in values
    pdf = c.get(base + "&format=pdf")
    assert pdf.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "会计报表附注" in text and "甲一村" in text


def test_township_notes_name_each_village(as_user, books, session):
    from tests.conftest import lines
    from tests.integration.test_statements import subs
    from threeassets.core.db import transaction
    from threeassets.ledger import service
    c = as_user("head")
    subs(session, books.a2, "112", "钱七")
    with transaction(session):
        v = service.save_draft(session, village=books.a2, actor=books.user("accountant"), voucher_date=MAY,
                               attachments=0, lines=lines(("借款", "11201", "30", ""), ("借款", "101", "", "30")))
        service.review(session, voucher=v, village=books.a2, actor=books.user("reviewer"))
        service.post(session, voucher=v, village=books.a2, actor=books.user("accountant2"))
    page = c.get(f"/t/{books.township_a.id}/statements/notes?period=2024-05").get_data(as_text=True)
    assert "（汇总）" in page and "个村集体经济组织会计报表的汇总" in page
    assert f"{books.a2.name} · 11201 钱七" in page


def test_notes_with_a_bad_period_fall_back_with_a_warning(as_user, books):
    resp = as_user("accountant").get(f"/v/{books.a1.id}/statements/notes?period=２０２４－１３")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "会计报表附注" in page and "alert-warning" in page


@pytest.mark.parametrize(("path", "formats", "kept"), [
    ("reports/trial-balance", ["xlsx", "pdf", "csv"], {"from", "to"}),  # the page's default months, said
    ("statements/balance-sheet?period=2024-05", ["xlsx", "pdf", "csv"], {"period"}),
    ("statements/notes?period=2024-05", ["xlsx", "pdf"], {"period"}),
    ("budgets/report?year=2024", ["xlsx", "csv"], {"year", "to"}),
])
def test_download_buttons_say_what_each_file_is_for(as_user, books, path, formats, kept):
    """Excel and PDF for people; the CSV, in the export contract's English columns, says it is for other software."""
    from urllib.parse import parse_qs, urlsplit
    html = as_user("accountant").get(f"/v/{books.a1.id}/{path}").get_data(as_text=True)
    button = r'<a class="btn btn-sm btn-outline-secondary text-nowrap" href="([^"]*format=[^"]*)"([^>]*)>([^<]*)</a>'
    links = re.findall(button, html)
    found = {parse_qs(urlsplit(href.replace("&amp;", "&")).query)["format"][0]: (href, attrs, label)
             for href, attrs, label in links}
    assert list(found) == formats
    for href, _attrs, _label in found.values():
        assert kept <= set(parse_qs(urlsplit(href.replace("&amp;", "&")).query))
    if "csv" in found:
        assert found["csv"][2] == "CSV（数据交换）" and "列名为英文" in found["csv"][1]
    assert found["xlsx"][2] == "导出 Excel"
