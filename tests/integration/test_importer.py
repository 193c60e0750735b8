"""Voucher import: the encodings and formats offices save, drafts or posted, numbering and the chain."""
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from tests.integration.conftest import audit_count, snapshot
from threeassets.core.csvio import ImportError_, read_table
from threeassets.core.db import transaction
from threeassets.ledger import service
from threeassets.ledger.chain import verify
from threeassets.ledger.importer import COLUMNS, import_vouchers
from threeassets.ledger.models import Voucher, VoucherCounter
from threeassets.reports.service import trial_balance

D = Decimal
HEADER = ",".join(COLUMNS)
GOOD = [
    "A1,2024-05-03,V1,购买办公用品,513,350.00,",
    "A1,2024-05-03,V1,购买办公用品,101,,350.00",
    "A2,2024-05-04,V2,收到补助,102,\"1,200.50\",",
    "A2,2024-05-04,V2,收到补助,503,,1200.5",
]


def csv_bytes(rows, encoding="utf-8", header=HEADER) -> bytes:
    """A CSV file as Excel writes it (CRLF line ends)."""
    return ("\r\n".join([header, *rows]) + "\r\n").encode(encoding)


def run(session, data: bytes, name="凭证.csv", post=False, actor=None):
    """Read and import a file in one transaction, as the CLI does."""
    table = read_table(data, name, COLUMNS)
    with transaction(session):
        return import_vouchers(session, table, post=post, actor=actor)


def by_ref(session) -> dict[str, Voucher]:
    """Imported vouchers by their file reference."""
    return {v.source_ref: v for v in session.scalars(select(Voucher).where(Voucher.source_ref.is_not(None)))}


def check_good_import(session, world, summary="购买办公用品"):
    """The two vouchers of GOOD are in the database as drafts with the right lines."""
    got = by_ref(session)
    assert set(got) == {"V1", "V2"}
    v1, v2 = got["V1"], got["V2"]
    assert (v1.village_id, v1.voucher_date, v1.ym, v1.total, v1.status) == (
        world.a1.id, date(2024, 5, 3), 202405, D("350.00"), "draft")
    assert [(ln.line_no, ln.summary, ln.account.code, ln.debit, ln.credit) for ln in v1.lines] == [
        (1, summary, "513", D("350.00"), D("0")), (2, summary, "101", D("0"), D("350.00"))]
    assert all(ln.account.village_id == world.a1.id for ln in v1.lines)
    assert v2.village_id == world.a2.id and v2.total == D("1200.50")
    assert [ln.account.code for ln in v2.lines] == ["102", "503"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings(session, world, encoding):
    data = csv_bytes(GOOD, encoding)
    if encoding == "utf-8-sig":
        assert data.startswith(b"\xef\xbb\xbf")
    stats = run(session, data)
    assert stats == {"vouchers": 2, "lines": 4, "villages": 2, "cash_deficits": {}}
    check_good_import(session, world)


def test_gb18030_only_characters(session, world):
    rows = [r.replace("购买办公用品", "𠮷村修路") for r in GOOD]
    data = csv_bytes(rows, "gb18030")
    with pytest.raises(UnicodeEncodeError):
        csv_bytes(rows, "gbk")  # the character is beyond GBK
    run(session, data)
    check_good_import(session, world, summary="𠮷村修路")


def xlsx_bytes(rows) -> bytes:
    """An XLSX built with openpyxl: real date cells and numeric amounts, as Excel users type them."""
    wb = Workbook()
    ws = wb.active
    ws.append(COLUMNS)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx(session, world):
    data = xlsx_bytes([
        ["A1", datetime(2024, 5, 3), "V1", "购买办公用品", "513", 350, None],
        ["A1", datetime(2024, 5, 3), "V1", "购买办公用品", 101, None, 350.0],
        ["A2", "2024-05-04", "V2", "收到补助", "102", 1200.5, None],
        [None, None, None, None, None, None, None],
        ["A2", date(2024, 5, 4), "V2", "收到补助", "503", None, "1200.50"],
    ])
    assert data[:4] == b"PK\x03\x04"
    assert run(session, data, name="凭证.xlsx") == {"vouchers": 2, "lines": 4, "villages": 2, "cash_deficits": {}}
    check_good_import(session, world)


def test_drafts_import_and_go_through_review_and_posting(session, world):
    run(session, csv_bytes(GOOD), actor=world.user("accountant"))
    v1 = by_ref(session)["V1"]
    assert v1.status == "draft" and v1.number is None and v1.hash is None
    assert v1.preparer_id == world.user("accountant").id
    assert session.scalar(select(func.count()).select_from(VoucherCounter)) == 0
    assert trial_balance(session, [world.a1.id], 202405, 202405) == []  # drafts are not in the books
    assert audit_count(session, "voucher.import") == 2  # one row per village
    with transaction(session):
        service.review(session, voucher=v1, village=world.a1, actor=world.user("reviewer"))
        assert service.post(session, voucher=v1, village=world.a1, actor=world.user("accountant2")) == 1
    assert verify(session) == ([], 1)


POST_ROWS = [  # deliberately out of date order
    "A1,2024-05-20,R3,第三张,513,30,",
    "A1,2024-05-20,R3,第三张,101,,30",
    "A1,2024-06-02,R4,六月,513,40,",
    "A1,2024-06-02,R4,六月,101,,40",
    "A1,2024-05-03,R1,第一张,513,10,",
    "A1,2024-05-03,R1,第一张,101,,10",
    "A2,2024-05-15,S1,二村,513,7.5,",
    "A2,2024-05-15,S1,二村,101,,7.5",
    "A1,2024-05-11,R2,第二张,513,20,",
    "A1,2024-05-11,R2,第二张,101,,20",
]


def test_posted_import_numbers_by_date_and_keeps_the_chain(session, world, post_voucher):
    before = post_voucher(world.a1, date(2024, 5, 25), (("先记", "513", "1", ""), ("先记", "101", "", "1")))
    assert before.number == 1
    run(session, csv_bytes(POST_ROWS), post=True, actor=world.user("accountant"))
    got = by_ref(session)
    assert {ref: (v.number, v.status) for ref, v in got.items()} == {
        "R1": (2, "posted"), "R2": (3, "posted"), "R3": (4, "posted"), "R4": (1, "posted"), "S1": (1, "posted")}
    assert [got[r].chain_seq for r in ("R1", "R2", "R3", "R4")] == [2, 3, 4, 5]
    assert verify(session) == ([], 6)
    may = {r.code: r for r in trial_balance(session, [world.a1.id], 202405, 202405)}
    assert (may["513"].debit, may["101"].credit) == (D("61.00"), D("61.00"))  # 1 + 10 + 20 + 30
    june = {r.code: r for r in trial_balance(session, [world.a1.id], 202406, 202406)}
    assert (june["513"].opening, june["513"].debit, june["513"].closing) == (D("61.00"), D("40.00"), D("101.00"))
    # posting by hand afterwards continues both the numbers and the chain
    after = post_voucher(world.a1, date(2024, 5, 31), (("后记", "513", "2", ""), ("后记", "101", "", "2")))
    assert after.number == 5
    assert verify(session) == ([], 7)


def test_posted_import_is_immutable(session, world):
    run(session, csv_bytes(GOOD), post=True)
    v1 = by_ref(session)["V1"]
    with pytest.raises(Exception, match="immutable|refused"), transaction(session):
        v1.attachments = 3
        session.flush()


def test_reimport_of_the_same_voucher_ref_refused(session, world):
    run(session, csv_bytes(GOOD))
    before = snapshot(session)
    with pytest.raises(ImportError_) as exc:
        run(session, csv_bytes(GOOD), name="again.csv")
    assert ("again.csv", 2, "voucher_ref") in {e[:3] for e in exc.value.errors}
    assert any("V1" in e[3] and "已导入过" in e[3] for e in exc.value.errors)
    assert snapshot(session) == before


def test_same_ref_in_another_village_is_another_voucher(session, world):
    run(session, csv_bytes(GOOD[:2]))
    run(session, csv_bytes([r.replace("A1,", "A2,") for r in GOOD[:2]]))
    assert session.scalar(select(func.count()).select_from(Voucher).where(Voucher.source_ref == "V1")) == 2


def test_one_bad_voucher_writes_nothing(session, world):
    rows = GOOD + ["A1,2024-05-06,V3,不平,513,10.00,", "A1,2024-05-06,V3,不平,101,,9.99"] + POST_ROWS
    before = snapshot(session)
    for post in (False, True):
        with pytest.raises(ImportError_) as exc:
            run(session, csv_bytes(rows), post=post)
        assert [e[:3] for e in exc.value.errors] == [("凭证.csv", 6, "debit")]
        assert snapshot(session) == before


@pytest.mark.parametrize("typed, fen", [("¥1,200.00", 120000), ("1，200.5", 120050), ("１２３", 12300),
                                        ("5.000", 500), ("+7", 700), (".5", 50)])
def test_amounts_read_as_the_entry_page_reads_them(session, world, typed, fen):
    """A file's amount reads as the same text typed into the entry page (core.money.parse_amount) does."""
    from threeassets.core.money import parse_amount, to_fen
    rows = [f'A1,2024-05-03,V1,购买办公用品,513,"{typed}",', f'A1,2024-05-03,V1,购买办公用品,101,,"{typed}"']
    run(session, csv_bytes(rows), post=True)
    v1 = by_ref(session)["V1"]
    assert [(to_fen(ln.debit), to_fen(ln.credit)) for ln in v1.lines] == [(fen, 0), (0, fen)]
    assert to_fen(parse_amount(typed)) == fen
