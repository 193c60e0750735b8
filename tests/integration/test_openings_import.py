"""`threeassets import opening-balances`: the contract read from GBK, BOM and XLSX files; a file is all or nothing
and names file, line, column and reason; the figures equal an independent sum of the file."""
from __future__ import annotations

import io
from decimal import Decimal as D

import pytest
from openpyxl import Workbook

from threeassets.core.csvio import ImportError_, read_table
from threeassets.core.db import transaction
from threeassets.ledger.openings import service as openings
from threeassets.ledger.openings.importer import COLUMNS, import_openings
from threeassets.reports.service import trial_balance

HEADER = ",".join(COLUMNS)
GOOD = [
    "A1,2026-07,101,,1000.00,,200,50",
    "A1,2026-07,112001,张三,300,,,",
    "A1,2026-07,211,,,800,,",
    "A1,2026-07,301,,,500,,",
    "A1,2026-07,501,,,,,150",
    "A2,2026-01,102,,2000,,,",
    "A2,2026-01,301,,,2000,,",
]


def run(session, text: str, encoding="utf-8", name="openings.csv"):
    table = read_table(text.encode(encoding), name, COLUMNS)
    with transaction(session):
        return import_openings(session, table)


def expected(rows):
    """The opening net of each village and account, summed straight from the file's lines."""
    out = {}
    for line in rows:
        org, _start, code, _name, *amounts = line.split(",")
        yd, yc, td, tc = (D(a or "0") for a in amounts)
        out[(org, code)] = yd - yc + td - tc
    return out


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_the_file_becomes_each_villages_openings(session, world, encoding):
    assert run(session, "\n".join([HEADER, *GOOD]) + "\n", encoding) == {"villages": 2, "rows": 7}
    want = expected(GOOD)
    for village, start in ((world.a1, 202607), (world.a2, 202601)):
        assert openings.start_of(session, village.id).start_ym == start
        rows = {r.code: r for r in trial_balance(session, [village.id], start, start)}
        for (org, code), net in want.items():
            if org == village.code:
                assert rows[code].opening == net, code
    assert openings.start_of(session, world.a1.id).balanced  # 1000 + 300 = 800 + 500; 200 = 50 + 150


def test_an_xlsx_file_reads_the_same(session, world):
    wb = Workbook()
    ws = wb.active
    ws.append(COLUMNS)
    for line in GOOD:
        ws.append([c if i < 4 else (float(c) if c else None) for i, c in enumerate(line.split(","))])
    buf = io.BytesIO()
    wb.save(buf)
    table = read_table(buf.getvalue(), "openings.xlsx", COLUMNS)
    with transaction(session):
        import_openings(session, table)
    assert openings.figures_of(session, world.a1.id)["101"].ytd_debit == D("200")


def test_a_bad_file_names_line_column_and_reason_and_writes_nothing(session, world):
    bad = [
        "A1,2026-07,101,,1000.00,,200,50",
        "A1,2026-08,211,,,800,,",  # another start for the same village
        "ZZ,2026-07,101,,1,,,",  # no such village
        "A2,2026-13,101,,1,,,",  # not a month
        "A2,2026-01,101,,abc,,,",  # not an amount
    ]
    with pytest.raises(ImportError_) as refused:
        run(session, "\n".join([HEADER, *bad]) + "\n")
    errors = {(line, col): why for _f, line, col, why in refused.value.errors}
    assert "第2行为 2026-07" in errors[(3, "start_period")]
    assert "ZZ" in errors[(4, "org_code")]
    assert "不是年月" in errors[(5, "start_period")]
    assert "不是有效金额" in errors[(6, "year_opening_debit")]
    session.rollback()
    assert openings.start_of(session, world.a1.id) is None and openings.start_of(session, world.a2.id) is None


def test_a_service_refusal_in_the_second_village_undoes_the_first(session, world):
    rows = ["A1,2026-01,101,,5,,,", "A1,2026-01,301,,,5,,", "A2,2026-01,999,,1,,,"]
    with pytest.raises(ImportError_) as refused:
        run(session, "\n".join([HEADER, *rows]) + "\n")
    (_f, line, col, why), = refused.value.errors
    assert (line, col) == (4, "account_code") and "999" in why and why.startswith("A2")
    session.rollback()
    assert openings.start_of(session, world.a1.id) is None
