"""Bulk voucher import (DESIGN §4 contract): validate everything in plain Python, then executemany.

No ORM object per line: a 500k-line year must load within a few times a raw sqlite3 executemany (see bench/).
The command line hands over the CSV rows as csv.reader left them (read_vouchers); a web upload or XLSX comes
as a csvio Table. A line whose values pass a few dict look-ups and string tests is taken as is; only a line
that does not goes through the slow path that strips it and words each error. Numbers, chain heads and
turnover are read and written once per import, not once per voucher.
"""
from __future__ import annotations

import csv
import gc
import io
import re
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from threeassets.core.audit import record
from threeassets.core.csvio import ImportError_, Table, decode, read_table
from threeassets.ledger.models import Account, Period, Voucher
from threeassets.ledger.posting import add_turnover_fen, insert_for, lock_chains, save_chains, take_numbers_bulk
from threeassets.ledger.rules import SUMMARY_MAX, chain_hash, chain_payload, ym_label
from threeassets.orgs.models import Village

COLUMNS = ["org_code", "date", "voucher_ref", "summary", "account_code", "debit", "credit"]
AMOUNT_RE = re.compile(r"^(\d{1,12})(?:\.(\d{1,2}))?$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_ERRORS = 200
REF_MAX = 64
WRITE_CHUNK = 20_000  # vouchers per executemany batch (bounds memory; lines follow their vouchers)


@dataclass
class LineFile:
    """A voucher CSV as csv.reader left it: data rows (blank ones included) and where each column sits.

    Row i is file line i + 2. Values are not stripped yet: a clean value passes the fast checks as is, and a
    row that does not goes through the slow path, which strips it first, as csvio would have.
    """

    name: str
    rows: list[list[str]]
    positions: tuple[int, ...]  # index of each of COLUMNS in a row


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


def read_vouchers(path: str | Path) -> LineFile | Table:
    """Read a voucher CSV for import without a dict per row; XLSX and any CSV the fast path does not fit (too
    many cells in a row, broken quoting, missing columns) are read by csvio, which words the problem the same
    way for every import."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ImportError_([(p.name, 0, "-", f"无法读取文件：{exc.strerror}")]) from None
    if data[:4] == b"PK\x03\x04":
        return read_table(data, p.name, COLUMNS)
    with _bulk():
        try:
            rows = list(csv.reader(io.StringIO(decode(data, p.name), newline="")))
        except csv.Error:
            rows = None
        header = [h.strip().lower() for h in rows[0]] if rows else []
        if not header or any(c not in header for c in COLUMNS):
            return read_table(data, p.name, COLUMNS)
        width, rows = len(header), rows[1:]
        if rows and max(map(len, rows)) > width:
            return read_table(data, p.name, COLUMNS)
        if rows and min(map(len, rows)) < width:
            rows = [r if len(r) == width else r + [""] * (width - len(r)) for r in rows]
    pos = {h: i for i, h in enumerate(header)}  # a repeated column: the last one wins, as in csvio
    return LineFile(p.name, rows, tuple(pos[c] for c in COLUMNS))


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
    """_fen_slow with a shortcut for the plain '1234.56' / '1234' / '' a spreadsheet writes."""
    if not text:
        return 0
    whole, dot, frac = text.partition(".")
    if 0 < len(whole) <= 12 and whole.isdecimal():
        if not dot:
            return int(whole) * 100
        if 0 < len(frac) <= 2 and frac.isdecimal():
            return int(whole) * 100 + int(frac) * (10 if len(frac) == 1 else 1)
    return _fen_slow(text)


def _day(text: str) -> tuple[date, str, int] | None:
    """A valid 'YYYY-MM-DD' → (date, ISO text, yyyymm); anything else None (the slow path words why)."""
    if not DATE_RE.match(text):
        return None
    try:
        d = date.fromisoformat(text)
    except ValueError:
        return None
    return d, d.isoformat(), d.year * 100 + d.month


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


def _lookups(session: Session, codes: set[str]) -> tuple[dict[str, _Org], set[tuple[int, int]]]:
    """The file's villages by code with their accounts and earlier refs; closed (village id, ym) periods."""
    orgs: dict[str, _Org] = {}
    if codes:
        q = select(Village.code, Village.id, Village.township_id).where(Village.code.in_(codes))
        orgs = {code: _Org(vid, code, tid) for code, vid, tid in session.execute(q)}
    by_id = {o.id: o for o in orgs.values()}
    closed = set()
    if by_id:
        for vid, code, aid, leaf in session.execute(
                select(Account.village_id, Account.code, Account.id, Account.is_leaf)
                .where(Account.village_id.in_(by_id))):
            by_id[vid].accounts[code] = (aid, leaf)
        closed = set(session.execute(select(Period.village_id, Period.ym).where(
            Period.village_id.in_(by_id), Period.status != "open")).all())
        for vid, ref in session.execute(select(Voucher.village_id, Voucher.source_ref).where(
                Voucher.village_id.in_(by_id), Voucher.source_ref.is_not(None))):
            by_id[vid].refs.add(ref)
    return orgs, closed


def _parse_row(lineno: int, fields: list[str], orgs: dict[str, _Org], err: _Collector):
    """The slow path: note every problem of one (stripped) line; returns (org, day, code, debit, credit) or None."""
    org_code, day_text, ref, summary, account_code, debit, credit = fields
    org = orgs.get(org_code)
    if org is None:
        err.add(lineno, "org_code", f"单位编码 {org_code or '（空）'} 不存在，请先导入组织")
    day = None
    if not DATE_RE.match(day_text):
        err.add(lineno, "date", f"日期“{day_text}”应为 YYYY-MM-DD")
    else:
        day = _day(day_text)
        if day is None:
            err.add(lineno, "date", f"日期“{day_text}”不存在")
    if not ref:
        err.add(lineno, "voucher_ref", "凭证编号不能为空")
    elif len(ref) > REF_MAX:
        err.add(lineno, "voucher_ref", f"凭证编号过长（最多{REF_MAX}字）")
    if not summary:
        err.add(lineno, "summary", "摘要不能为空")
    elif len(summary) > SUMMARY_MAX:
        err.add(lineno, "summary", f"摘要最多{SUMMARY_MAX}字")
    acct = None
    if org is not None:
        acct = org.accounts.get(account_code)
        if acct is None:
            err.add(lineno, "account_code", f"科目 {account_code or '（空）'} 在 {org.code} 不存在")
        elif not acct[1]:
            err.add(lineno, "account_code", f"科目 {account_code} 不是末级科目")
    d, c = _fen(debit), _fen(credit)
    for col, raw, v in (("debit", debit, d), ("credit", credit, c)):
        if v is None:
            err.add(lineno, col, f"金额“{raw}”无效：须为非负数，最多两位小数")
    if d is not None and c is not None:
        if d and c:
            err.add(lineno, "credit", "一行只能有借方或贷方之一")
        elif not d and not c:
            err.add(lineno, "debit", "借方和贷方都为空或为零")
    if org is None or day is None or acct is None or d is None or c is None:
        return None
    return org, day, account_code, d, c


# A voucher being assembled is a list (cheaper than an object at 200k vouchers):
# [org, voucher_ref, day (date, ISO text, yyyymm), first file line, lines, debit total, credit total]
# and each line is (account code, summary, debit fen, credit fen), the order the hash chain hashes.
V_ORG, V_REF, V_DAY, V_FIRST, V_LINES, V_DEBIT, V_CREDIT = range(7)


def _assemble(rows, linenos, positions: tuple[int, ...], skip_blank: bool, orgs: dict[str, _Org],
              closed: set[tuple[int, int]], err: _Collector) -> list[list]:
    """Check every line and group lines into vouchers (file order); then check each voucher as a whole.

    A line whose raw values pass the cheap tests is taken as is; any other line is stripped and goes through
    _parse_row, which words its errors (or accepts it, e.g. a value with surrounding spaces).
    """
    vouchers: list[list] = []
    get = itemgetter(*positions)
    days: dict[str, tuple | bool] = {}
    summary_max, ref_max = SUMMARY_MAX, REF_MAX
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
            org, day, code, d, c = parsed
        v = org.vouchers.get(ref)
        if v is None:
            v = org.vouchers[ref] = [org, ref, day, lineno, [], 0, 0]
            vouchers.append(v)
            if ref in org.refs:
                err.add(lineno, "voucher_ref", f"凭证 {ref} 已导入过")
            if (org.id, day[2]) in closed:
                err.add(lineno, "date", f"{org.code} 的期间 {ym_label(day[2])} 已结账")
        elif v[V_DAY] is not day and v[V_DAY][0] != day[0]:
            err.add(lineno, "date", f"同一凭证 {ref} 的日期不一致（第{v[V_FIRST]}行为 {v[V_DAY][1]}）")
        v[V_LINES].append((code, summary, d, c))
        v[V_DEBIT] += d
        v[V_CREDIT] += c
    for v in vouchers:
        if len(v[V_LINES]) < 2:
            err.add(v[V_FIRST], "voucher_ref", f"凭证 {v[V_REF]} 只有一行分录")
        if v[V_DEBIT] != v[V_CREDIT]:
            err.add(v[V_FIRST], "debit",
                    f"凭证 {v[V_REF]} 借贷不平衡：借 {v[V_DEBIT] / 100:.2f}，贷 {v[V_CREDIT] / 100:.2f}")
    return vouchers


def _allocate_ids(session: Session, n: int) -> list[int]:
    """Reserve n voucher ids: from the sequence on PostgreSQL, above MAX(id) under SQLite's write lock."""
    if session.bind.dialect.name == "postgresql":
        q = text("SELECT nextval(pg_get_serial_sequence('voucher', 'id')) FROM generate_series(1, :n)")
        return list(session.scalars(q, {"n": n}))
    first = (session.scalar(select(func.max(Voucher.id))) or 0) + 1
    return list(range(first, first + n))


def _open_periods(session: Session, vouchers: list[list]) -> None:
    """Open every period the file touches (periods open on first use; a racing opener's row is kept)."""
    keys = sorted({(v[V_ORG].id, v[V_DAY][2]) for v in vouchers})
    session.execute(insert_for(session)(Period.__table__).on_conflict_do_nothing(),
                    [{"village_id": vid, "ym": ym, "status": "open"} for vid, ym in keys])


@contextmanager
def _sqlite_bulk_load(conn, new_lines: int):
    """SQLite only, inside the import's one transaction: keep dirty pages in memory until commit instead of
    spilling them to the WAL again and again, and, when the import at least doubles the lines table, drop
    the secondary indexes of voucher and voucher_line and build them again afterwards (a sorted build is
    cheaper than 700k scattered inserts). The DDL is part of the transaction: a failed import rolls it back
    with everything else, and the unique chain index is checked when it is rebuilt."""
    if conn.dialect.name != "sqlite":
        yield
        return
    cache_size = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql("PRAGMA cache_spill=OFF")
    conn.exec_driver_sql(f"PRAGMA cache_size=-{max(64_000, new_lines // 2)}")  # KiB; ~200 bytes a line
    indexes = []
    if new_lines >= (conn.exec_driver_sql("SELECT max(id) FROM voucher_line").scalar() or 0):
        indexes = conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN ('voucher', 'voucher_line') ORDER BY name").all()
        for name, _sql in indexes:
            conn.exec_driver_sql(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        for _name, sql in indexes:
            conn.exec_driver_sql(sql)
        conn.exec_driver_sql(f"PRAGMA cache_size={cache_size}")
        conn.exec_driver_sql("PRAGMA cache_spill=ON")


V_SQL = ("INSERT INTO voucher (id, village_id, ym, voucher_date, number, status, attachments, total, "
         "preparer_id, created_at, posted_at, source_ref, chain_seq, prev_hash, hash) "
         "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
L_SQL = ("INSERT INTO voucher_line (village_id, voucher_id, line_no, summary, account_id, debit, credit) "
         "VALUES (?,?,?,?,?,?,?)")


def _write(session: Session, vouchers: list[list], post: bool, actor_id) -> None:
    """Insert vouchers and lines with executemany; when posting, number them, chain them, add turnover."""
    vouchers.sort(key=lambda v: (v[V_ORG].id, v[V_DAY][0], v[V_FIRST]))
    ids = _allocate_ids(session, len(vouchers))
    conn = session.connection()
    sqlite = conn.dialect.name == "sqlite"
    v_sql, l_sql = (V_SQL, L_SQL) if conn.dialect.paramstyle == "qmark" else (
        V_SQL.replace("?", "%s"), L_SQL.replace("?", "%s"))
    now = datetime.now()
    # SQLite keeps dates as text: hand it the text SQLAlchemy would write rather than date objects.
    stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else now
    status, posted_at = ("posted", stamp) if post else ("draft", None)
    heads, nxt, turnover = {}, {}, {}
    if post:
        counts: dict[tuple[int, int], int] = defaultdict(int)
        for v in vouchers:
            counts[(v[V_ORG].id, v[V_DAY][2])] += 1
        heads = lock_chains(session, {vid for vid, _ym in counts})  # chain heads first, as post_voucher does
        nxt = take_numbers_bulk(session, counts)
    with _sqlite_bulk_load(conn, sum(len(v[V_LINES]) for v in vouchers)):
        for start in range(0, len(vouchers), WRITE_CHUNK):
            vrows, lrows = [], []
            for i in range(start, min(start + WRITE_CHUNK, len(vouchers))):
                org, ref, (day, iso, ym), _first, lines, total, _credit = vouchers[i]
                vid, voucher_id, accounts = org.id, ids[i], org.accounts
                number = seq = prev = digest = None
                if post:
                    number = nxt[(vid, ym)]
                    nxt[(vid, ym)] = number + 1
                    head = heads[vid]
                    prev = head[1]
                    digest = head[1] = chain_hash(prev, chain_payload(org.code, ym, number, day, None, lines))
                    seq = head[0] = head[0] + 1
                vrows.append((voucher_id, vid, ym, iso if sqlite else day, number, status, 0, total, actor_id,
                              stamp, posted_at, ref, seq, prev, digest))
                for n, (code, summary, d, c) in enumerate(lines, start=1):
                    aid = accounts[code][0]
                    lrows.append((vid, voucher_id, n, summary, aid, d, c))
                    if post:
                        t = turnover.get((vid, aid, ym))
                        if t is None:
                            turnover[(vid, aid, ym)] = [d, c]
                        else:
                            t[0] += d
                            t[1] += c
            conn.exec_driver_sql(v_sql, vrows)
            conn.exec_driver_sql(l_sql, lrows)
    if post:
        save_chains(session, heads)
        add_turnover_fen(session, turnover)


def import_vouchers(session: Session, table: Table | LineFile, *, post: bool = False, actor=None) -> dict[str, int]:
    """Import a voucher file all-or-nothing; with post=True they are numbered, chained and posted."""
    err = _Collector(table.name)
    with _bulk():
        if isinstance(table, LineFile):
            rows, positions, skip_blank = table.rows, table.positions, True
            linenos = range(2, len(rows) + 2)
        else:  # csvio Table (web upload, XLSX, demo): dict rows, already stripped and without blank rows
            rows = [[row.get(c, "") for c in COLUMNS] for _lineno, row in table.rows]
            linenos, positions, skip_blank = [lineno for lineno, _row in table.rows], tuple(range(7)), False
        codes = {c.strip() for c in set(map(itemgetter(positions[0]), rows))}
        orgs, closed = _lookups(session, codes)
        vouchers = _assemble(rows, linenos, positions, skip_blank, orgs, closed, err)
        if err.errors:
            raise ImportError_(err.errors)
        if not vouchers:
            raise ImportError_([(table.name, 2, "-", "文件中没有凭证")])
        _open_periods(session, vouchers)
        _write(session, vouchers, post, getattr(actor, "id", None))
    per_village: dict[int, list] = {}
    for v in vouchers:
        per_village.setdefault(v[V_ORG].id, [v[V_ORG], 0])[1] += 1
    for vid, (org, count) in sorted(per_village.items()):
        record(session, "voucher.import", actor=actor, township_id=org.township_id, village_id=vid,
               detail={"file": table.name, "vouchers": count, "posted": post})
    return {"vouchers": len(vouchers), "lines": sum(len(v[V_LINES]) for v in vouchers),
            "villages": len(per_village)}
