"""Voucher import refusals: every bad file names file, line, column and reason, and writes nothing."""
import pytest
from sqlalchemy import text

from tests.integration.conftest import snapshot
from tests.integration.test_importer import GOOD, HEADER, csv_bytes, run
from threeassets.core.csvio import ImportError_, read_table
from threeassets.core.db import transaction
from threeassets.ledger.importer import COLUMNS, import_vouchers

NAME = "凭证.csv"


def pair(debit_row: str, credit_row: str = "A1,2024-05-03,V9,对方,101,,5") -> list[str]:
    """A voucher of two lines whose first line is under test (the file's line 2)."""
    return [debit_row, credit_row]


CASES = [
    ("unknown org", pair("ZZ,2024-05-03,V9,x,513,5,", "ZZ,2024-05-03,V9,x,101,,5"), 2, "org_code", "ZZ 不存在"),
    ("blank org", pair(",2024-05-03,V9,x,513,5,"), 2, "org_code", "（空）"),
    ("not a date", pair("A1,2024年5月,V9,x,513,5,"), 2, "date", "不是日期"),
    ("impossible date", pair("A1,2024-02-30,V9,x,513,5,", "A1,2024-02-30,V9,x,101,,5"), 2, "date", "不存在"),
    ("three decimals", pair("A1,2024-05-03,V9,x,513,5.001,"), 2, "debit", "最多两位小数"),
    ("negative", pair("A1,2024-05-03,V9,x,513,-5,"), 2, "debit", "金额不能为负数"),
    ("junk amount", pair("A1,2024-05-03,V9,x,513,五元,"), 2, "debit", "五元"),
    ("both sides", pair("A1,2024-05-03,V9,x,513,5,5"), 2, "credit", "借方或贷方之一"),
    ("no amount", pair("A1,2024-05-03,V9,x,513,,"), 2, "debit", "请填写借方或贷方金额"),
    ("unknown account", pair("A1,2024-05-03,V9,x,999,5,"), 2, "account_code", "科目“999”不存在"),
    ("blank summary", pair("A1,2024-05-03,V9,,513,5,"), 2, "summary", "请填写摘要"),
    ("blank ref", ["A1,2024-05-03,,x,513,5,", "A1,2024-05-03,,x,101,,5"], 2, "voucher_ref", "不能为空"),
    ("unbalanced", pair("A1,2024-05-03,V9,x,513,5.01,"), 2, "debit", "借贷不平衡"),
    ("single line", ["A1,2024-05-03,V9,x,513,5,"], 2, "voucher_ref", "凭证至少需要两行分录（凭证 V9）"),
    ("two dates", pair("A1,2024-05-03,V9,x,513,5,", "A1,2024-05-04,V9,x,101,,5"), 3, "date", "日期不一致"),
]


def import_errors(session, data: bytes, name: str = NAME) -> list[tuple]:
    """The errors of a refused import, after checking that nothing was written."""
    before = snapshot(session)
    with pytest.raises(ImportError_) as exc:
        run(session, data, name=name)
    assert snapshot(session) == before
    return exc.value.errors


@pytest.mark.parametrize("rows, line, column, reason", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_row(session, world, rows, line, column, reason):
    errors = import_errors(session, csv_bytes(GOOD + rows))
    # GOOD takes lines 2-5, so the rows under test start at line 6
    hits = [e for e in errors if e[:3] == (NAME, line + 4, column)]
    assert hits, errors
    assert reason in hits[0][3]


def test_non_leaf_account(session, world, sub_account):
    sub_account(world.a1, "102", "01", "农行")
    errors = import_errors(session, csv_bytes(pair("A1,2024-05-03,V9,x,102,5,")))
    assert errors == [(NAME, 2, "account_code", "科目“102”不是末级科目，请选择其下级明细科目")]
    run(session, csv_bytes(pair("A1,2024-05-03,V9,x,10201,5,")))  # its leaf is fine


def test_account_of_another_village(session, world, sub_account):
    sub_account(world.b1, "102", "01", "农商行")
    errors = import_errors(session, csv_bytes(pair("A1,2024-05-03,V9,x,10201,5,")))
    assert errors[0][:3] == (NAME, 2, "account_code") and "不存在" in errors[0][3]


def test_closed_period(session, world, draft):
    with transaction(session):
        session.execute(text("INSERT INTO period (village_id, ym, status) VALUES (:v, 202405, 'closed')"),
                        {"v": world.a1.id})
    errors = import_errors(session, csv_bytes(GOOD))
    assert errors == [(NAME, 2, "date", "A1 的期间 2024-05 已结账")]


def test_every_error_is_reported_not_just_the_first(session, world):
    rows = ["ZZ,2024-05-03,V9,x,513,5,", "A1,2024-13-01,V9,x,513,5,", "A1,2024-05-03,V8,x,513,1.234,"]
    errors = import_errors(session, csv_bytes(rows))
    assert {e[1:3] for e in errors} >= {(2, "org_code"), (3, "date"), (4, "debit")}


def test_message_names_file_line_and_column(session, world):
    with pytest.raises(ImportError_) as exc:
        run(session, csv_bytes(pair("A1,2024-05-03,V9,x,999,5,")), name="五月.csv")
    assert str(exc.value).startswith("五月.csv 第2行 account_code列：")
    assert exc.value.lines()[0].startswith("五月.csv:2: account_code: ")


# ---------------------------------------------------------------- file-level errors (read_table)

def read_errors(data: bytes, name: str = NAME) -> list[tuple]:
    """The errors read_table raises for a file."""
    with pytest.raises(ImportError_) as exc:
        read_table(data, name, COLUMNS)
    return exc.value.errors


def test_more_columns_than_header():
    data = csv_bytes([GOOD[0], GOOD[1] + ",多余"])
    errors = read_errors(data)
    assert [e[:3] for e in errors] == [(NAME, 3, "-")] and "列数(8)多于表头(7)" in errors[0][3]


def test_missing_header_columns():
    header = HEADER.replace(",credit", "").replace("voucher_ref,", "")
    errors = read_errors(csv_bytes([], header=header))
    assert errors == [(NAME, 1, "voucher_ref", "缺少此列"), (NAME, 1, "credit", "缺少此列")]


def test_header_is_case_and_space_insensitive(session, world):
    header = " ORG_CODE ,Date,voucher_ref,summary,account_code,debit,credit"
    assert run(session, csv_bytes(GOOD, header=header))["vouchers"] == 2


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_wrong_encoding(encoding):
    errors = read_errors(csv_bytes(GOOD, encoding))
    assert [e[:3] for e in errors] == [(NAME, 1, "-")] and "编码" in errors[0][3]


def test_utf16_without_bom_is_refused_too():
    # ASCII in UTF-16-LE is valid UTF-8 full of NULs; it must not slip through as a strange header
    errors = read_errors(csv_bytes(GOOD, "utf-16-le"))
    assert errors[0][1] == 1


def test_empty_and_header_only_files(session, world):
    assert read_errors(b"") == [(NAME, 1, "-", "文件为空")]
    table = read_table(csv_bytes([]), NAME, COLUMNS)
    with pytest.raises(ImportError_, match="没有凭证"), transaction(session):
        import_vouchers(session, table)


def test_blank_lines_are_skipped_and_line_numbers_kept(session, world):
    rows = [GOOD[0], ",,,,,,", "", GOOD[1], "A1,2024-05-03,V9,x,999,5,", "A1,2024-05-03,V9,x,101,,5"]
    errors = import_errors(session, csv_bytes(rows))
    assert errors[0][:3] == (NAME, 6, "account_code")


def test_broken_xlsx_is_refused():
    errors = read_errors(b"PK\x03\x04 not really a zip", name="坏.xlsx")
    assert errors[0][0] == "坏.xlsx"


def test_a_month_closed_while_the_file_was_checked_refuses_it(session, world, monkeypatch):
    """PostgreSQL: the periods are read before the chain heads are locked; a month closed in between (a close
    takes the chain head too) is seen once the heads are held, and the posting import is refused as if the month
    had been closed at the start. The close is simulated by reading the periods as they were before it.
    (SQLite reads everything under its write lock: there is no such window.)"""
    if session.bind.dialect.name == "sqlite":
        pytest.skip("no window between the read and the lock on SQLite")
    from threeassets.ledger import importer
    from threeassets.ledger.rules import LockedMonths
    with transaction(session):
        session.execute(text("INSERT INTO period (village_id, ym, status) VALUES (:v, 202405, 'closed')"),
                        {"v": world.a1.id})
    read_before_the_close = importer._lookups
    monkeypatch.setattr(importer, "_lookups",
                        lambda s, codes, *rest: (read_before_the_close(s, codes, *rest)[0], LockedMonths(())))
    before = snapshot(session)
    with pytest.raises(ImportError_) as exc:
        run(session, csv_bytes(GOOD), post=True)
    assert exc.value.errors == [(NAME, 2, "date", "A1 的期间 2024-05 已结账")]
    assert snapshot(session) == before
