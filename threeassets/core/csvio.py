"""Reading import files as Chinese offices save them (CSV in UTF-8, UTF-8 with BOM or GBK/GB18030, or XLSX), and
writing CSV exports with every cell through the formula guard.

Every read keeps within Limits before and while doing the work: the file's size, then for an XLSX the number of
parts and their declared uncompressed size (read from the ZIP's directory, before openpyxl opens it: a few
hundred KB can declare gigabytes), then the lines (counted while streaming, the header aside), the columns
and the time spent reading. A file past a limit is refused with the limit named, as a line of the error list.
Python's zipfile never inflates an entry past the size its directory declares (a lying entry ends in a CRC
error, read here as a damaged workbook), so the declared total bounds what openpyxl can unpack.
"""
from __future__ import annotations

import csv
import io
import re
import time
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path

ENCODINGS = ("utf-8-sig", "gb18030")  # gb18030 is a superset of GBK and GB2312
# A spreadsheet reads a cell that starts with one of these as a formula (=HYPERLINK(…), +cmd|…, -2+3, @SUM(…));
# tab and carriage return hide such a start from a reader's eye.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")  # -12.50 as the export contracts print amounts: data, not a formula


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would read this text as a formula (a plain number such as -12.50 is not one)."""
    return text.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(text)


def csv_cell(value) -> str:
    """A cell of a CSV export: None is empty, a date ISO, text that would be read as a formula gets a leading
    apostrophe (OWASP's advice: Excel and LibreOffice then show it as text), anything else as str() gives it."""
    text = "" if value is None else str(value)
    return "'" + text if formula_like(text) else text


def csv_text(header: list[str], rows: Iterable[Iterable], *, lineterminator: str = "\n") -> str:
    """The one way a CSV export is written: a header line, then the rows, every cell through csv_cell."""
    buf = io.StringIO()
    minimal = csv.writer(buf, lineterminator=lineterminator)
    # the writer quotes a field holding its own line end only; a row with a carriage return is quoted whole, so
    # no reader takes that return for the end of the row
    quoted = csv.writer(buf, lineterminator=lineterminator, quoting=csv.QUOTE_ALL)
    for row in [header, *rows]:
        cells = [csv_cell(v) for v in row]
        (quoted if any("\r" in c for c in cells) else minimal).writerow(cells)
    return buf.getvalue()
MB = 1024 * 1024


class ImportError_(Exception):
    """An import file was refused; `errors` lists (file, line, column, reason)."""

    def __init__(self, errors: list[tuple[str, int, str, str]]):
        self.errors = errors
        first = errors[0]
        more = f"（另有{len(errors) - 1}处错误）" if len(errors) > 1 else ""
        super().__init__(f"{first[0]} 第{first[1]}行 {first[2]}列：{first[3]}{more}")

    def lines(self, limit: int = 50) -> list[str]:
        """Each error as 'file:line: column: reason'."""
        return [f"{f}:{ln}: {col}: {why}" for f, ln, col, why in self.errors[:limit]]


@dataclass(frozen=True)
class Limits:
    """What one import file may hold. The defaults suit the registers (a township's cards, resources,
    contracts or budgets); the voucher import and the switch-over's trial balance set their own."""

    rows: int = 20_000  # lines after the header, blank ones included
    bytes: int = 8 * MB  # the file as uploaded or read from disk
    unpacked: int = 64 * MB  # XLSX: the declared uncompressed size of all its parts
    entries: int = 200  # XLSX: parts in the ZIP (a workbook saved by Excel or WPS has about a dozen)
    columns: int = 100
    seconds: float = 60.0  # reading the file (openpyxl is the slow part: a few ten thousand rows a second)

    def summary(self, size: int | None = None) -> str:
        """The limits as a clerk reads them on an import page (size: a smaller size limit of the request)."""
        return (f"文件不超过 {size_text(min(size or self.bytes, self.bytes))}、表头之下不超过 {self.rows:,} 行"
                f"（XLSX 解压后不超过 {size_text(self.unpacked)}）")


DEFAULT_LIMITS = Limits()


def size_text(n: int) -> str:
    """Bytes as a clerk reads a limit: '16 MB', '4 KB'."""
    return f"{n / MB:g} MB" if n >= MB else f"{n / 1024:g} KB"


def _size(n: int) -> str:
    """A file's size as a clerk reads it: '17.2 MB', '5.9 KB'."""
    return f"{n / MB:.1f} MB" if n >= MB else f"{n / 1024:.1f} KB"


def _refuse(name: str, why: str, line: int = 1, column: str = "-"):
    raise ImportError_([(name, line, column, why)]) from None


@dataclass
class Table:
    """A header and data rows (each row a dict) with the file line each came from."""

    name: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]


def decode(data: bytes, name: str) -> str:
    """Decode bytes trying UTF-8 (with or without BOM), then GB18030; refuse anything else."""
    for enc in ENCODINGS:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ImportError_([(name, 1, "-", "文件编码无法识别：请保存为 UTF-8 或 GBK 编码的 CSV")])


def is_xlsx(data: bytes) -> bool:
    """Whether the bytes are a ZIP (an XLSX workbook, or something pretending to be one)."""
    return data[:4] == b"PK\x03\x04"


def check_size(data: bytes, name: str, limits: Limits) -> None:
    """Refuse a file larger than the import allows."""
    if len(data) > limits.bytes:
        _refuse(name, f"文件大小 {_size(len(data))}，超过本导入 {size_text(limits.bytes)} 的上限，未读取")


def check_zip(data: bytes, name: str, limits: Limits) -> None:
    """Refuse an XLSX whose ZIP directory declares too many parts or too much to unpack, before any is read."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        _refuse(name, "XLSX 文件已损坏或不是 Excel 工作簿，无法读取")
    if len(infos) > limits.entries:
        _refuse(name, f"XLSX 文件内含 {len(infos)} 个部件，超过 {limits.entries} 个的上限，未读取")
    unpacked = sum(i.file_size for i in infos)
    if unpacked > limits.unpacked:
        _refuse(name, f"XLSX 文件解压后有 {unpacked / MB:,.0f} MB，超过本导入 {size_text(limits.unpacked)} 的上限"
                      "（可能是压缩炸弹），未读取")


def _too_many_rows(name: str, limits: Limits):
    _refuse(name, f"文件超过 {limits.rows:,} 行的上限（表头之下，空行也计入），请分成几个文件导入",
            line=limits.rows + 2)


def _xlsx_rows(data: bytes, name: str, limits: Limits, progress: Callable[[int], None] | None) -> list[list[str]]:
    """Rows of the first sheet of an XLSX as strings, streamed: at most limits.rows lines after the header,
    limits.columns columns (a sheet may declare 16,384 and openpyxl would pad every row to them) and
    limits.seconds of reading."""
    from openpyxl import load_workbook

    deadline = time.monotonic() + limits.seconds
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        out = []
        width = limits.columns + 1  # one column past the limit, to see a value there
        for n, row in enumerate(wb.worksheets[0].iter_rows(max_col=width, values_only=True), start=1):
            if n > limits.rows + 1:
                _too_many_rows(name, limits)
            if n % 1000 == 0:
                if time.monotonic() > deadline:
                    _refuse(name, f"读取超过 {limits.seconds:g} 秒的上限（读到第 {n} 行），请减少行数或另存为 CSV",
                            line=n)
                if progress is not None:
                    progress(n)
            cells = ["" if v is None else (v.isoformat()[:10] if hasattr(v, "isoformat") else str(v)) for v in row]
            if len(cells) == width and cells[-1]:
                _refuse(name, f"列数超过 {limits.columns} 列的上限", line=n)
            while cells and not cells[-1]:
                cells.pop()
            out.append(cells)
    finally:
        wb.close()
    wide = max(map(len, out), default=0)  # every row as wide as the sheet's widest, as openpyxl pads them
    return [cells if len(cells) == wide else cells + [""] * (wide - len(cells)) for cells in out]


def _csv_rows(data: bytes, name: str, limits: Limits) -> list[list[str]]:
    """Rows of a CSV, streamed up to one line past the limit (islice stops the C reader there)."""
    text = decode(data, name)
    try:
        raw = list(islice(csv.reader(io.StringIO(text, newline="")), limits.rows + 2))
    except csv.Error as exc:
        raise ImportError_([(name, 1, "-", f"CSV 格式错误：{exc}")]) from None
    if len(raw) > limits.rows + 1:
        _too_many_rows(name, limits)
    if raw and len(raw[0]) > limits.columns:
        _refuse(name, f"表头有 {len(raw[0])} 列，超过 {limits.columns} 列的上限")
    return raw


def read_rows(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS,
              progress: Callable[[int], None] | None = None) -> list[list[str]]:
    """The raw rows of a CSV or XLSX file (header first), within the limits."""
    check_size(data, name, limits)
    if not is_xlsx(data):
        return _csv_rows(data, name, limits)
    check_zip(data, name, limits)
    try:
        return _xlsx_rows(data, name, limits, progress)
    except ImportError_:
        raise
    except Exception:  # zipfile, openpyxl and XML parsers raise many types for a damaged workbook
        raise ImportError_([(name, 1, "-", "XLSX 文件已损坏或不是 Excel 工作簿，无法读取")]) from None


def read_table(data: bytes, name: str, required: list[str], limits: Limits = DEFAULT_LIMITS,
               progress: Callable[[int], None] | None = None) -> Table:
    """Parse CSV or XLSX bytes into a Table, within the limits, checking the header has every required column."""
    raw = read_rows(data, name, limits, progress)
    if not raw:
        raise ImportError_([(name, 1, "-", "文件为空")])
    header = [h.strip().lower() for h in raw[0]]
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportError_([(name, 1, c, "缺少此列") for c in missing])
    _refuse_nul(raw, header, name)
    rows = []
    for lineno, values in enumerate(raw[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header):
            raise ImportError_([(name, lineno, "-", f"列数({len(values)})多于表头({len(header)})")])
        rows.append((lineno, {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(header)}))
    return Table(name, header, rows)


NUL_REASON = "含有非法字符（NUL，空字符），请删除后再导入"


def _refuse_nul(raw: list[list[str]], header: list[str], name: str) -> None:
    """Refuse a file with a NUL character in any cell, naming each (up to 20): no field takes one, and PostgreSQL
    refuses it in any text (the import would fail at the database with no line named). One scan of the whole
    text first; the cells are looked at only when it finds one."""
    if "\x00" not in "".join(chain.from_iterable(raw)):
        return
    found = [(name, lineno, header[i] if i < len(header) else "-", NUL_REASON)
             for lineno, values in enumerate(raw, start=1) for i, v in enumerate(values) if "\x00" in v]
    raise ImportError_(found[:20])


def read_file(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """An import file's bytes from disk: refused before reading when larger than the limit."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > limits.bytes:
            _refuse(p.name, f"文件大小 {_size(size)}，超过本导入 {size_text(limits.bytes)} 的上限，未读取")
        return p.read_bytes()
    except OSError as exc:
        raise ImportError_([(p.name, 0, "-", f"无法读取文件：{exc.strerror}")]) from None


def read_path(path: str | Path, required: list[str], limits: Limits = DEFAULT_LIMITS) -> Table:
    """Read an import file from disk."""
    return read_table(read_file(path, limits), Path(path).name, required, limits)
