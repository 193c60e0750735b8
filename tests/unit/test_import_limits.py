"""Import files within their limits (core.csvio): size, rows, columns, an XLSX's parts and unpacked size, reading
time. Hostile files — a zip bomb, a ZIP that lies about its sizes, a sheet declaring a million rows, an XML
entity bomb — are refused with the limit named, before the work and without hanging."""
from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest

from threeassets.core.csvio import MB, ImportError_, Limits, read_path, read_rows, read_table
from threeassets.ledger.importer import CLI_LIMITS as VOUCHER_CLI_LIMITS
from threeassets.ledger.importer import LIMITS as VOUCHER_LIMITS
from threeassets.switchover.rules import TB_LIMITS

SMALL = Limits(rows=10, bytes=4096, unpacked=64 * 1024, entries=20, columns=8, seconds=60)


def _refusal(data: bytes, name: str = "f.csv", limits: Limits = SMALL, required=()) -> tuple:
    with pytest.raises(ImportError_) as exc:
        read_table(data, name, list(required), limits)
    assert len(exc.value.errors) == 1
    return exc.value.errors[0]


def _xlsx(rows: list[list], cells: dict | None = None) -> bytes:
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for (r, c), value in (cells or {}).items():
        ws.cell(row=r, column=c, value=value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _zip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _bomb(declared: int) -> bytes:
    """A ZIP whose one part, the first sheet, really unpacks to `declared` bytes of spaces: one deflated
    megabyte repeated (each copy starts from a reset state, so they chain), about 1,000:1."""
    chunk = b" " * MB
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    n = declared // MB
    body = block * n + deflate.flush()
    crc = 0
    for _ in range(n):
        crc = zlib.crc32(chunk, crc)
    name = b"xl/worksheets/sheet1.xml"
    sizes = (crc, len(body), n * MB, len(name))
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, *sizes, 0) + name
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, *sizes, 0, 0, 0, 0, 0, 0) + name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local) + len(body), 0)
    return local + body + central + end


def test_a_csv_at_the_row_limit_is_read_and_one_more_is_refused():
    body = "a,b\n" + "1,2\n" * SMALL.rows
    assert len(read_table(body.encode(), "f.csv", ["a"], SMALL).rows) == SMALL.rows
    name, line, col, why = _refusal((body + "1,2\n").encode())
    assert (name, line, col) == ("f.csv", SMALL.rows + 2, "-")
    assert "超过 10 行的上限" in why and "分成几个文件" in why


def test_blank_lines_count_toward_the_row_limit():
    assert "超过 10 行的上限" in _refusal(("a\n" + "\n" * 11).encode())[3]


def test_an_oversized_file_is_refused_before_it_is_read():
    name, line, _col, why = _refusal(b"a\n" + b"1\n" * 3000)
    assert line == 1 and "超过本导入 4 KB 的上限" in why


def test_too_many_columns_in_a_csv_header():
    assert "超过 8 列的上限" in _refusal((",".join("abcdefghij") + "\n").encode())[3]


def test_a_zip_bomb_is_refused_from_its_directory():
    bomb = _bomb(256 * MB)
    assert len(bomb) < 300 * 1024  # a few hundred KB that would unpack to 256 MB
    with zipfile.ZipFile(io.BytesIO(bomb)).open("xl/worksheets/sheet1.xml") as part:
        assert part.read(8 * MB) == b" " * 8 * MB  # a real one: it does unpack
    name, line, col, why = _refusal(bomb, "bomb.xlsx", Limits())
    assert (name, line, col) == ("bomb.xlsx", 1, "-")
    assert "解压后有 256 MB" in why and "超过本导入 64 MB 的上限" in why and "压缩炸弹" in why


def test_a_gigabyte_bomb_is_refused_even_by_the_voucher_import():
    assert "超过本导入 512 MB 的上限" in _refusal(_bomb(1024 * MB), "bomb.xlsx", VOUCHER_LIMITS)[3]


def test_too_many_parts_in_a_zip():
    parts = {f"xl/media/p{i}.xml": b"<x/>" for i in range(25)}
    assert "内含 25 个部件，超过 20 个的上限" in _refusal(_zip(parts), "many.xlsx")[3]


def test_a_zip_that_lies_about_its_sizes_is_a_damaged_workbook():
    """The directory says the sheet unpacks to 100 bytes; zipfile stops there and the CRC fails."""
    data = bytearray(_xlsx([["a", "b"]] + [[f"x{i}", i] for i in range(2000)]))
    sheet = b"xl/worksheets/sheet1.xml"
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(sheet.decode())
    central = data.rindex(b"PK\x01\x02", 0, data.index(sheet, data.index(b"PK\x01\x02")) + 1)
    struct.pack_into("<I", data, central + 24, 100)  # central directory: uncompressed size
    struct.pack_into("<I", data, info.header_offset + 22, 100)  # local header: uncompressed size
    assert "XLSX 文件已损坏" in _refusal(bytes(data), "lies.xlsx", Limits())[3]


def test_a_sheet_reaching_row_a_million_stops_at_the_row_limit():
    data = _xlsx([["a"]], {(1_048_576, 1): "x"})
    assert len(data) < 20_000
    name, line, _col, why = _refusal(data, "far.xlsx", Limits())
    assert line == Limits().rows + 2 and "超过 20,000 行的上限" in why


def test_a_sheet_declaring_sixteen_thousand_columns_is_read_at_its_real_width():
    data = _xlsx([["a", "b"], ["1", "2"]], {(3, 16_384): None})
    rows = read_rows(data, "wide.xlsx", Limits())
    assert rows[:2] == [["a", "b"], ["1", "2"]]


def test_a_value_past_the_column_limit_is_refused():
    data = _xlsx([["a", "b"]], {(2, 9): "far"})
    name, line, _col, why = _refusal(data, "wide.xlsx", Limits(columns=8))
    assert line == 2 and "列数超过 8 列的上限" in why


def test_reading_time_is_capped():
    data = _xlsx([["a"]] + [[i] for i in range(1500)])
    why = _refusal(data, "slow.xlsx", Limits(seconds=0))[3]
    assert "读取超过 0 秒的上限（读到第 1000 行）" in why


def test_an_xml_entity_bomb_is_refused():
    laughs = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "' + "a" * 100 + '">'
              + "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("abcdefgh", "bcdefghi", strict=True))
              + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
              '<row r="1"><c r="A1" t="inlineStr"><is><t>&i;</t></is></c></row></sheetData></worksheet>')
    data = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_xlsx([["a"]]))) as src, zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            body = laughs.encode() if item.filename == "xl/worksheets/sheet1.xml" else src.read(item)
            out.writestr(item.filename, body)
    assert "XLSX 文件已损坏" in _refusal(data.getvalue(), "laughs.xlsx", Limits())[3]


def test_reading_reports_progress_while_streaming_an_xlsx():
    seen = []
    read_rows(_xlsx([["a"]] + [[i] for i in range(2500)]), "p.xlsx", Limits(), progress=seen.append)
    assert seen == [1000, 2000]


def test_each_import_has_its_limits():
    assert (VOUCHER_LIMITS.rows, VOUCHER_LIMITS.bytes) == (600_000, 64 * MB)
    assert (VOUCHER_CLI_LIMITS.rows, VOUCHER_CLI_LIMITS.bytes) == (6_000_000, 512 * MB)  # streamed from disk
    assert (TB_LIMITS.rows, TB_LIMITS.bytes) == (5_000, 2 * MB)
    assert Limits().summary(16 * MB) == "文件不超过 8 MB、表头之下不超过 20,000 行（XLSX 解压后不超过 64 MB）"
    assert VOUCHER_LIMITS.summary(16 * MB).startswith("文件不超过 16 MB、表头之下不超过 600,000 行")


def test_a_file_on_disk_is_measured_before_it_is_read(tmp_path):
    big = tmp_path / "big.csv"
    big.write_bytes(b"a\n" * 3000)
    with pytest.raises(ImportError_) as exc:
        read_path(big, ["a"], SMALL)
    assert exc.value.errors == [("big.csv", 1, "-", "文件大小 5.9 KB，超过本导入 4 KB 的上限，未读取")]


def test_the_command_line_voucher_reader_keeps_to_its_limits(tmp_path, monkeypatch):
    from threeassets.ledger.importer import LineFile, check, read_vouchers
    monkeypatch.setattr(check, "CLI_LIMITS", Limits(rows=10))
    path = tmp_path / "v.csv"
    header = ",".join(check.COLUMNS) + "\n"
    path.write_text(header + "A1,2024-05-01,V1,x,513,1,\n" * 10, encoding="utf-8")
    assert isinstance(read_vouchers(path), LineFile)  # at the limit: the fast path
    path.write_text(header + "A1,2024-05-01,V1,x,513,1,\n" * 11, encoding="utf-8")
    with pytest.raises(ImportError_) as exc:
        read_vouchers(path)
    assert exc.value.errors[0][1] == 12 and "超过 10 行的上限" in exc.value.errors[0][3]
    path.write_bytes(_bomb(64 * MB))
    monkeypatch.setattr(check, "CLI_LIMITS", Limits(unpacked=16 * MB))
    assert "压缩炸弹" in pytest.raises(ImportError_, read_vouchers, path).value.errors[0][3]


def test_a_nul_character_is_refused_by_line_and_column():
    data = "org_code,summary\nA1,好\nA1,坏\x00字\n\x00A2,也坏\n".encode()
    with pytest.raises(ImportError_) as exc:
        read_table(data, "f.csv", ["org_code", "summary"], SMALL)
    reason = "含有非法字符（NUL，空字符），请删除后再导入"
    assert exc.value.errors == [("f.csv", 3, "summary", reason), ("f.csv", 4, "org_code", reason)]
    assert read_table("org_code,summary\nA1,好\n".encode("gbk"), "f.csv", ["org_code"], SMALL).rows == [
        (2, {"org_code": "A1", "summary": "好"})]
