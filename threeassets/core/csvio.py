"""Reading import files as Chinese offices save them (CSV in UTF-8, UTF-8 with BOM or GBK/GB18030, or XLSX), and
writing CSV exports with every cell through the formula guard."""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
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


def _xlsx_rows(data: bytes) -> list[list[str]]:
    """Rows of the first sheet of an XLSX as strings."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    out = []
    for row in wb.worksheets[0].iter_rows(values_only=True):
        out.append(["" if v is None else (v.isoformat()[:10] if hasattr(v, "isoformat") else str(v))
                    for v in row])
    return out


def read_table(data: bytes, name: str, required: list[str]) -> Table:
    """Parse CSV or XLSX bytes into a Table, checking the header has every required column."""
    if data[:4] == b"PK\x03\x04":
        try:
            raw = _xlsx_rows(data)
        except Exception:  # zipfile, openpyxl and XML parsers raise many types for a damaged workbook
            raise ImportError_([(name, 1, "-", "XLSX 文件已损坏或不是 Excel 工作簿，无法读取")]) from None
    else:
        text = decode(data, name)
        try:
            raw = list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as exc:
            raise ImportError_([(name, 1, "-", f"CSV 格式错误：{exc}")]) from None
    if not raw:
        raise ImportError_([(name, 1, "-", "文件为空")])
    header = [h.strip().lower() for h in raw[0]]
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportError_([(name, 1, c, "缺少此列") for c in missing])
    rows = []
    for lineno, values in enumerate(raw[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header):
            raise ImportError_([(name, lineno, "-", f"列数({len(values)})多于表头({len(header)})")])
        rows.append((lineno, {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(header)}))
    return Table(name, header, rows)


def read_path(path: str | Path, required: list[str]) -> Table:
    """Read an import file from disk."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ImportError_([(p.name, 0, "-", f"无法读取文件：{exc.strerror}")]) from None
    return read_table(data, p.name, required)
