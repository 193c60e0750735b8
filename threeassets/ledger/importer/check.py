"""Reading and checking a voucher import: CSV rows or a Table → vouchers, lines and turnover, or errors
by file, line, column and reason. One pass; a clean line costs a few look-ups (see importer/__init__.py)."""
from __future__ import annotations

import codecs
import csv
import gc
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from operator import itemgetter
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from threeassets.core.csvio import ENCODINGS, MB, ImportError_, Limits, Table, is_xlsx, read_file, read_table
from threeassets.core.money import from_fen, to_fen
from threeassets.core.periods import PeriodError, parse_day
from threeassets.ledger.bulk_posting import V_BODY, V_COUNT, V_CREDIT, V_DAY, V_DEBIT, V_FIRST, V_ID, V_REF
from threeassets.ledger.models import Account, Period, Voucher
from threeassets.ledger.openings.models import OpeningStart
from threeassets.ledger.rules import (
    MAX_LINES,
    SUMMARY_MAX,
    LockedMonths,
    account_problem,
    amount_problem,
    balance_problems,
    count_problem,
    line_problems,
)
from threeassets.orgs.models import Village

COLUMNS = ["org_code", "date", "voucher_ref", "summary", "account_code", "debit", "credit"]
AMOUNT_RE = re.compile(r"^(\d{1,12})(?:\.(\d{1,2}))?$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_ERRORS = 200
REF_MAX = 64
COLUMN_OF = {"summary": "summary", "account": "account_code"}  # a rule's field → this file's column
L_SQL = "INSERT INTO voucher_line (village_id, voucher_id, line_no, summary, account_id, debit, credit) VALUES "
STREAM_LINES = 5_000  # lines handed to the writer at a time while the file is still being checked
BATCH_ROWS = 20_000  # rows of a streamed CSV read at a time (each batch's new villages are looked up at once)
SCAN_CHUNK = 4 * MB
# A voucher file: a 100-village township's year is about 500,000 lines (bench/), in some 30 MB of CSV. From the
# browser the request limit (MAX_CONTENT_LENGTH) comes first, and the whole upload is held while it is checked.
LIMITS = Limits(rows=600_000, bytes=64 * MB, unpacked=512 * MB, seconds=300)
# The command line streams a CSV and keeps only a few hundred bytes per voucher: a 1,000-village township's year
# (about 5,000,000 lines, 320 MB) fits. XLSX is still read whole by openpyxl, capped by the reading time.
CLI_LIMITS = Limits(rows=6_000_000, bytes=512 * MB, unpacked=512 * MB, seconds=300)


@dataclass
class LineFile:
    """A voucher CSV on disk, read a batch of rows at a time as csv.reader leaves them (blank ones included).

    read_vouchers has checked what can be checked without parsing: the size, the encoding, the header and that
    the file has no more physical lines than the limit allows. Values are not stripped: a clean value passes
    the fast checks as is, and a row that does not goes through the slow path, which strips it first, as csvio
    would have. A problem only parsing finds (broken quoting, a line wider than the header) is worded by csvio
    from the whole file, exactly as if the file had been read that way (only then is the whole file read).
    """

    name: str
    path: Path
    encoding: str
    positions: tuple[int, ...]  # index of each of COLUMNS in a row
    width: int  # columns of the header
    lines: int = 0  # physical lines of the file, the header included (at least its rows)

    def batches(self, size: int | None = None):
        """(line numbers, rows) a batch at a time (BATCH_ROWS); every row is at least as wide as the header."""
        width, size = self.width, size or BATCH_ROWS
        with open(self.path, encoding=self.encoding, newline="") as f:
            reader = csv.reader(f)
            first = 2
            try:
                next(reader)  # the header
                while rows := list(islice(reader, size)):
                    if max(map(len, rows)) > width and any(len(r) > width and "".join(r).strip() for r in rows):
                        self._refuse()  # csvio's words for a line wider than the header
                    if min(map(len, rows)) < width:
                        rows = [r if len(r) >= width else r + [""] * (width - len(r)) for r in rows]
                    yield range(first, first + len(rows)), rows
                    first += len(rows)
            except csv.Error:
                self._refuse()

    def _refuse(self):
        """Let csvio read the whole file and word its problem (it finds the same one the stream met)."""
        read_table(read_file(self.path, CLI_LIMITS), self.name, COLUMNS, CLI_LIMITS)
        raise ImportError_([(self.name, 1, "-", "CSV 格式错误")])  # not reached: csvio refuses what csv.reader does


@contextmanager
def _bulk():
    """No cyclic GC while hundreds of thousands of rows are built: they hold no cycles, and every collection
    would walk all of them again (that alone doubles the time of a large import)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _scan(path: Path) -> tuple[str | None, int, bool]:
    """The encoding csvio would pick for the whole file (None: neither decodes it), its physical lines and
    whether it holds a NUL byte (a NUL character in UTF-8 and GBK alike), read a chunk at a time (nothing of the
    file is kept)."""
    for encoding in ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        lines = 0
        last = b""
        nul = False
        try:
            with open(path, "rb") as f:
                while chunk := f.read(SCAN_CHUNK):
                    decoder.decode(chunk)
                    lines += chunk.count(b"\n")
                    nul = nul or b"\x00" in chunk
                    last = chunk
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding, lines + (1 if last and not last.endswith(b"\n") else 0), nul
    return None, 0, False


def read_vouchers(path: str | Path) -> LineFile | Table:
    """A voucher file from the command line, within CLI_LIMITS. A CSV is streamed (LineFile: its rows are read
    while they are imported, a batch at a time); XLSX, and any CSV the stream does not fit (undecodable, no
    header or a missing column, more physical lines than the limit allows, a NUL character), are read by csvio,
    which words the problem the same way for every import."""
    p = Path(path)
    try:
        size = p.stat().st_size
        with open(p, "rb") as f:
            head = f.read(4)
    except OSError:
        size, head = None, b""
    if size is None or size > CLI_LIMITS.bytes or is_xlsx(head):
        return read_table(read_file(p, CLI_LIMITS), p.name, COLUMNS, CLI_LIMITS)
    encoding, lines, nul = _scan(p)
    header = None
    if encoding is not None and lines <= CLI_LIMITS.rows + 1 and not nul:  # csvio names each NUL's line
        try:
            with open(p, encoding=encoding, newline="") as f:
                header = [h.strip().lower() for h in next(csv.reader(f), [])]
        except csv.Error:
            header = None
    if not header or any(c not in header for c in COLUMNS) or len(header) > CLI_LIMITS.columns:
        return read_table(read_file(p, CLI_LIMITS), p.name, COLUMNS, CLI_LIMITS)
    pos = {h: i for i, h in enumerate(header)}  # a repeated column: the last one wins, as in csvio
    return LineFile(p.name, p, encoding, tuple(pos[c] for c in COLUMNS), len(header), lines)


def _fen_slow(text: str) -> int | None:
    """'1,234.5' → 123450 fen; '' → 0; anything else (negative, 3 decimals, junk) → None."""
    text = text.replace(",", "")
    if not text:
        return 0
    m = AMOUNT_RE.match(text)
    if not m:
        return None
    return int(m.group(1)) * 100 + int((m.group(2) or "0").ljust(2, "0"))


def _fen(text: str) -> int | None:
    """_fen_slow with a shortcut for the plain '1234.56' or '1234' a spreadsheet writes."""
    whole, dot, frac = text.partition(".")
    if whole.isdecimal() and len(whole) <= 12:
        if len(frac) == 2 and frac.isdecimal():
            return int(whole + frac)
        if not dot:
            return int(whole) * 100
    return _fen_slow(text)


def _day(text: str) -> tuple[date, str, int, int] | None:
    """A date → (date, ISO text, yyyymm, ordinal): 'YYYY-MM-DD' on the fast path, else any form people write
    (2026/10/5, 2026年10月5日, full-width); anything else None (the slow path says why)."""
    try:
        d = date.fromisoformat(text) if DATE_RE.match(text) else parse_day(text)
    except (ValueError, PeriodError):
        return None
    if d is None:
        return None
    return d, d.isoformat(), d.year * 100 + d.month, d.toordinal()


def _day_problem(text: str) -> str:
    """Why a date cell does not read as a date."""
    if not text:
        return "日期不能为空"
    try:
        parse_day(text)
    except PeriodError as exc:
        return str(exc)
    return f"日期“{text}”不存在"


class _Collector:
    """Collects errors up to a limit, then stops the import."""

    def __init__(self, name: str):
        self.name, self.errors = name, []

    def add(self, line: int, col: str, why: str) -> None:
        """Note an error; past MAX_ERRORS, give up with what we have."""
        self.errors.append((self.name, line, col, why))
        if len(self.errors) >= MAX_ERRORS:
            raise ImportError_(self.errors)


@dataclass(slots=True)
class _Org:
    """A village named in the file, with what validation needs as plain values."""

    id: int
    code: str
    township_id: int
    accounts: dict[str, tuple[int, bool]] = field(default_factory=dict)  # code → (account id, leaf)
    refs: set[str] = field(default_factory=set)  # voucher_refs imported before
    vouchers: dict[str, list] = field(default_factory=dict)  # voucher_ref → voucher being assembled


def _lookups(session: Session, codes: set[str], post: bool = False) -> tuple[dict[str, _Org], LockedMonths]:
    """The file's villages by code with their accounts and earlier refs; the (village id, ym) months locked
    (closed, before the village's start with opening balances, or unbalanced openings when posting)."""
    orgs: dict[str, _Org] = {}
    if codes:
        q = select(Village.code, Village.id, Village.township_id).where(Village.code.in_(codes))
        orgs = {code: _Org(vid, code, tid) for code, vid, tid in session.execute(q)}
    by_id = {o.id: o for o in orgs.values()}
    closed = LockedMonths(())
    if by_id:
        for vid, code, aid, leaf in session.execute(
                select(Account.village_id, Account.code, Account.id, Account.is_leaf)
                .where(Account.village_id.in_(by_id))):
            by_id[vid].accounts[code] = (aid, leaf)
        starts = {vid: (ym, ok) for vid, ym, ok in session.execute(select(
            OpeningStart.village_id, OpeningStart.start_ym, OpeningStart.balanced).where(
            OpeningStart.village_id.in_(by_id)))}
        closed = LockedMonths(session.execute(select(Period.village_id, Period.ym, Period.status).where(
            Period.village_id.in_(by_id))), starts, post)
        for vid, ref in session.execute(select(Voucher.village_id, Voucher.source_ref).where(
                Voucher.village_id.in_(by_id), Voucher.source_ref.is_not(None))):
            by_id[vid].refs.add(ref)
    return orgs, closed


def _parse_row(lineno: int, fields: list[str], orgs: dict[str, _Org], err: _Collector):
    """The slow path: note every problem of one (stripped) line; returns (org, day, account id, code, debit,
    credit) or None."""
    org_code, day_text, ref, summary, account_code, debit, credit = fields
    org = orgs.get(org_code)
    if org is None:
        err.add(lineno, "org_code", f"单位编码 {org_code or '（空）'} 不存在，请先导入组织")
    day = _day(day_text)
    if day is None:
        err.add(lineno, "date", _day_problem(day_text))
    if not ref:
        err.add(lineno, "voucher_ref", "凭证编号不能为空")
    elif len(ref) > REF_MAX:
        err.add(lineno, "voucher_ref", f"凭证编号过长（最多{REF_MAX}字）")
    d, why_d = amount_problem(debit)
    c, why_c = amount_problem(credit)
    problems = {"debit": why_d, "credit": why_c} | line_problems(summary, account_code, d, c)
    acct = org.accounts.get(account_code) if org is not None else None
    if org is not None and account_code and "account" not in problems:
        problems["account"] = account_problem(account_code, acct is not None, acct is not None and acct[1])
    for fld, why in problems.items():  # the reasons the entry form gives, in this file's columns
        if why:
            err.add(lineno, COLUMN_OF.get(fld, fld) if fld != "amount" else ("credit" if d and c else "debit"), why)
    if org is None or day is None or acct is None or d is None or c is None:
        return None  # not a line the voucher can count (its reasons are noted): the rest is still checked
    return org, day, acct[0], account_code, to_fen(d), to_fen(c)


@dataclass
class _Assembled:
    """What one pass over the file gives: the villages it names, its vouchers in file order (compact: see
    bulk_posting), how many lines went to the writer and the turnover of the file, fen per (village id,
    account id, ym)."""

    orgs: dict[str, _Org]
    vouchers: list[list]
    lines: int
    turnover: dict[tuple[int, int, int], list[int]]


def _merge_lookups(orgs: dict[str, _Org], closed: LockedMonths, found: tuple[dict[str, _Org], LockedMonths]) -> None:
    """Add the villages of a later batch (and their locked months) to those already looked up."""
    more, locked = found
    orgs.update(more)
    closed.merge(locked)


def _assemble(batches, positions: tuple[int, ...], skip_blank: bool, lookup, err: _Collector, new_id, writer,
              progress=None) -> _Assembled:
    """Check every line, group lines into vouchers and hand their rows to the writer, in one pass over batches
    of (line numbers, rows); then check each voucher as a whole. lookup(codes) gives the villages (and their
    locked months) of the codes a batch names first; new_id() the id of each new voucher. While no error has
    been seen, lines go to the writer every STREAM_LINES; after one, they are only checked (the file will be
    refused). Only the vouchers stay in memory, each with the text its lines add to the hash chain. Every
    STREAM_LINES lines, progress (if given) is told how many lines are done.

    A line whose raw values pass the cheap tests is taken as is; any other line is stripped and goes through
    _parse_row, which words its errors (or accepts it, e.g. a value with surrounding spaces).
    """
    orgs: dict[str, _Org] = {}
    closed = LockedMonths(())
    seen: set[str] = set()  # raw org codes looked up already
    vouchers: list[list] = []
    lines: list[tuple] = []
    turnover: dict[tuple[int, int, int], list[int]] = {}
    get = itemgetter(*positions)
    code_of = itemgetter(positions[0])
    days: dict[str, tuple | bool] = {}
    summary_max, ref_max = SUMMARY_MAX, REF_MAX
    written = reported = 0
    for linenos, rows in batches:
        if new := set(map(code_of, rows)) - seen:
            seen |= new
            if wanted := {c.strip() for c in new} - orgs.keys():
                writer.pause()  # the look-up needs the connection
                _merge_lookups(orgs, closed, lookup(wanted))
        for lineno, row in zip(linenos, rows, strict=True):
            org_code, day_text, ref, summary, code, debit, credit = get(row)
            org = orgs.get(org_code)
            acct = org.accounts.get(code) if org is not None else None
            day = days.get(day_text)
            if day is None:
                day = days[day_text] = _day(day_text) or False
            ref, summary = ref.strip(), summary.strip()
            d = _fen(debit) if debit else 0
            c = _fen(credit) if credit else 0
            if (acct is None or not acct[1] or not day or d is None or c is None or (d and c) or not (d or c)
                    or not ref or len(ref) > ref_max or not summary or len(summary) > summary_max):
                if skip_blank and not "".join(row).strip():
                    continue
                fields = [f.strip() for f in (org_code, day_text, ref, summary, code, debit, credit)]
                parsed = _parse_row(lineno, fields, orgs, err)
                if parsed is None:
                    continue
                org, day, aid, code, d, c = parsed
            else:
                aid = acct[0]
            v = org.vouchers.get(ref)
            if v is None:
                if len(lines) >= STREAM_LINES:
                    if not err.errors:
                        writer.add(L_SQL, lines)
                    written += len(lines)
                    lines = []
                    if progress is not None and written - reported >= STREAM_LINES:
                        reported = written
                        progress(reported)
                v = org.vouchers[ref] = [org, ref, day, lineno, "", 0, 0, new_id(), 0]
                vouchers.append(v)
                if ref in org.refs:
                    err.add(lineno, "voucher_ref", f"凭证 {ref} 已导入过")
                if (org.id, day[2]) in closed:
                    err.add(lineno, "date", closed.why(org.code, (org.id, day[2])))
            elif v[V_DAY] is not day and v[V_DAY][0] != day[0]:
                err.add(lineno, "date", f"同一凭证 {ref} 的日期不一致（第{v[V_FIRST]}行为 {v[V_DAY][1]}）")
            n = v[V_COUNT] = v[V_COUNT] + 1
            text = f"{code}|{summary}|{d}|{c}"  # the line as the hash chain takes it (bulk_posting._link)
            v[V_BODY] = text if n == 1 else f"{v[V_BODY]}\n{text}"
            lines.append((org.id, v[V_ID], n, summary, aid, d, c))
            v[V_DEBIT] += d
            v[V_CREDIT] += c
            key = (org.id, aid, v[V_DAY][2])
            t = turnover.get(key)
            if t is None:
                turnover[key] = [d, c]
            else:
                t[0] += d
                t[1] += c
    if lines and not err.errors:
        writer.add(L_SQL, lines)
    written += len(lines)
    for v in vouchers:
        n = v[V_COUNT]
        if n < 2 or n > MAX_LINES or v[V_DEBIT] != v[V_CREDIT]:  # cheap test first; the rules word the reason
            if why := count_problem(n):
                err.add(v[V_FIRST], "voucher_ref", f"{why}（凭证 {v[V_REF]}）")
            for why in balance_problems(from_fen(v[V_DEBIT]), from_fen(v[V_CREDIT])):
                err.add(v[V_FIRST], "debit", f"{why}（凭证 {v[V_REF]}）")
    return _Assembled(orgs, vouchers, written, turnover)
