"""Bulk voucher import (DESIGN §4 contract): validate everything in plain Python, then executemany.

No ORM object per line: a 500k-line year must load within a few times a raw sqlite3 executemany.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from threeassets.core.audit import record
from threeassets.core.csvio import ImportError_, Table
from threeassets.ledger.models import Account, Period, Voucher
from threeassets.ledger.posting import add_turnover, lock_chain, take_numbers
from threeassets.ledger.rules import SUMMARY_MAX, chain_hash, chain_payload, ym_label
from threeassets.orgs.models import Village

COLUMNS = ["org_code", "date", "voucher_ref", "summary", "account_code", "debit", "credit"]
AMOUNT_RE = re.compile(r"^(\d{1,12})(?:\.(\d{1,2}))?$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_ERRORS = 200


@dataclass
class _Voucher:
    """A voucher being assembled from file lines."""

    village: Village
    ref: str
    day: date
    first_line: int
    lines: list[tuple[int, str, int, int, int]] = field(default_factory=list)  # (account_id, summary, d, c, line)


def _fen(text: str) -> int | None:
    """'1234.5' → 123450 fen; '' → 0; anything else (negative, 3 decimals, junk) → None."""
    text = text.replace(",", "")
    if not text:
        return 0
    m = AMOUNT_RE.match(text)
    if not m:
        return None
    return int(m.group(1)) * 100 + int((m.group(2) or "0").ljust(2, "0"))


class _Collector:
    """Collects errors up to a limit, then stops the import."""

    def __init__(self, name: str):
        self.name, self.errors = name, []

    def add(self, line: int, col: str, why: str) -> None:
        """Note an error; past MAX_ERRORS, give up with what we have."""
        self.errors.append((self.name, line, col, why))
        if len(self.errors) >= MAX_ERRORS:
            raise ImportError_(self.errors)


def _lookups(session: Session, codes: set[str]):
    """Villages by code, their leaf/non-leaf accounts, closed periods and already-imported refs."""
    villages = {v.code: v for v in session.scalars(select(Village).where(Village.code.in_(codes)))} if codes else {}
    ids = [v.id for v in villages.values()]
    accounts: dict[int, dict[str, tuple[int, bool]]] = defaultdict(dict)
    closed, refs = set(), defaultdict(set)
    if ids:
        for vid, code, aid, leaf in session.execute(
                select(Account.village_id, Account.code, Account.id, Account.is_leaf)
                .where(Account.village_id.in_(ids))):
            accounts[vid][code] = (aid, leaf)
        closed = set(session.execute(select(Period.village_id, Period.ym).where(
            Period.village_id.in_(ids), Period.status != "open")).all())
        for vid, ref in session.execute(select(Voucher.village_id, Voucher.source_ref).where(
                Voucher.village_id.in_(ids), Voucher.source_ref.is_not(None))):
            refs[vid].add(ref)
    return villages, accounts, closed, refs


def _parse_row(row: dict, lineno: int, ctx, err: _Collector):
    """Validate one file line; returns (village, day, account_id, debit, credit) or None after noting errors."""
    villages, accounts, _closed, _refs = ctx
    village = villages.get(row["org_code"])
    if village is None:
        err.add(lineno, "org_code", f"单位编码 {row['org_code'] or '（空）'} 不存在，请先导入组织")
    day = None
    if not DATE_RE.match(row["date"]):
        err.add(lineno, "date", f"日期“{row['date']}”应为 YYYY-MM-DD")
    else:
        try:
            day = date.fromisoformat(row["date"])
        except ValueError:
            err.add(lineno, "date", f"日期“{row['date']}”不存在")
    if not row["voucher_ref"]:
        err.add(lineno, "voucher_ref", "凭证编号不能为空")
    elif len(row["voucher_ref"]) > 64:
        err.add(lineno, "voucher_ref", "凭证编号过长（最多64字）")
    if not row["summary"]:
        err.add(lineno, "summary", "摘要不能为空")
    elif len(row["summary"]) > SUMMARY_MAX:
        err.add(lineno, "summary", f"摘要最多{SUMMARY_MAX}字")
    acct = None
    if village is not None:
        acct = accounts[village.id].get(row["account_code"])
        if acct is None:
            err.add(lineno, "account_code", f"科目 {row['account_code'] or '（空）'} 在 {village.code} 不存在")
        elif not acct[1]:
            err.add(lineno, "account_code", f"科目 {row['account_code']} 不是末级科目")
    d, c = _fen(row["debit"]), _fen(row["credit"])
    for col, v in (("debit", d), ("credit", c)):
        if v is None:
            err.add(lineno, col, f"金额“{row[col]}”无效：须为非负数，最多两位小数")
    if d is not None and c is not None:
        if d and c:
            err.add(lineno, "credit", "一行只能有借方或贷方之一")
        elif not d and not c:
            err.add(lineno, "debit", "借方和贷方都为空或为零")
    if village is None or day is None or acct is None or d is None or c is None:
        return None
    return village, day, acct[0], d, c


def _assemble(table: Table, ctx, err: _Collector) -> list[_Voucher]:
    """Group valid lines into vouchers and check each voucher as a whole."""
    vouchers: dict[tuple[str, str], _Voucher] = {}
    _v, _a, closed, refs = ctx
    for lineno, row in table.rows:
        parsed = _parse_row(row, lineno, ctx, err)
        if parsed is None:
            continue
        village, day, account_id, d, c = parsed
        key = (village.code, row["voucher_ref"])
        v = vouchers.get(key)
        if v is None:
            v = vouchers[key] = _Voucher(village, row["voucher_ref"], day, lineno)
            if row["voucher_ref"] in refs[village.id]:
                err.add(lineno, "voucher_ref", f"凭证 {row['voucher_ref']} 已导入过")
            if (village.id, day.year * 100 + day.month) in closed:
                err.add(lineno, "date", f"{village.code} 的期间 {ym_label(day.year * 100 + day.month)} 已结账")
        elif v.day != day:
            err.add(lineno, "date", f"同一凭证 {v.ref} 的日期不一致（第{v.first_line}行为 {v.day}）")
        v.lines.append((account_id, row["summary"], d, c, lineno))
    for v in vouchers.values():
        debit, credit = sum(ln[2] for ln in v.lines), sum(ln[3] for ln in v.lines)
        if len(v.lines) < 2:
            err.add(v.first_line, "voucher_ref", f"凭证 {v.ref} 只有一行分录")
        if debit != credit:
            err.add(v.first_line, "debit", f"凭证 {v.ref} 借贷不平衡：借 {debit / 100:.2f}，贷 {credit / 100:.2f}")
    return list(vouchers.values())


def _driver_sql(session: Session, sql: str) -> str:
    """Adapt '?' placeholders to the driver's paramstyle."""
    return sql if session.bind.dialect.paramstyle == "qmark" else sql.replace("?", "%s")


def _allocate_ids(session: Session, n: int) -> list[int]:
    """Reserve n voucher ids: from the sequence on PostgreSQL, above MAX(id) under SQLite's write lock."""
    if session.bind.dialect.name == "postgresql":
        q = text("SELECT nextval(pg_get_serial_sequence('voucher', 'id')) FROM generate_series(1, :n)")
        return list(session.scalars(q, {"n": n}))
    first = (session.scalar(select(func.max(Voucher.id))) or 0) + 1
    return list(range(first, first + n))


def _numbering(session: Session, vouchers: list[_Voucher], post: bool) -> dict[int, int]:
    """For posting: gapless numbers per village-month in date order (index in list → number)."""
    numbers: dict[int, int] = {}
    if not post:
        return numbers
    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, v in enumerate(vouchers):
        groups[(v.village.id, v.day.year * 100 + v.day.month)].append(i)
    for (vid, ym), idxs in sorted(groups.items()):
        first = take_numbers(session, vid, ym, len(idxs))
        for k, i in enumerate(idxs):
            numbers[i] = first + k
    return numbers


def _open_periods(session: Session, vouchers: list[_Voucher]) -> None:
    """Open every period the file touches (periods open on first use)."""
    keys = {(v.village.id, v.day.year * 100 + v.day.month) for v in vouchers}
    have = set(session.execute(select(Period.village_id, Period.ym).where(
        Period.village_id.in_({k[0] for k in keys}))).all())
    new = [{"village_id": vid, "ym": ym, "status": "open"} for vid, ym in sorted(keys - have)]
    if new:
        session.execute(Period.__table__.insert(), new)


def _write(session: Session, vouchers: list[_Voucher], post: bool, codes: dict[int, str], actor_id) -> None:
    """Insert vouchers and lines with executemany; when posting, chain them and add turnover."""
    vouchers.sort(key=lambda v: (v.village.id, v.day, v.first_line))
    ids = _allocate_ids(session, len(vouchers))
    numbers = _numbering(session, vouchers, post)
    now = datetime.now()
    vrows, lrows = [], []
    turnover: dict[int, dict] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    heads = {}
    for i, v in enumerate(vouchers):
        vid, ym = v.village.id, v.day.year * 100 + v.day.month
        total = sum(ln[2] for ln in v.lines)
        number = numbers.get(i)
        prev = digest = seq = None
        if post:
            head = heads.get(vid) or heads.setdefault(vid, lock_chain(session, vid))
            payload = chain_payload(v.village.code, ym, number, v.day, None,
                                    [(codes[a], s, d, c) for a, s, d, c, _ in v.lines])
            prev, digest = head.last_hash, chain_hash(head.last_hash, payload)
            seq = head.seq = head.seq + 1
            head.last_hash = digest
            for a, _s, d, c, _ in v.lines:
                t = turnover[vid][(a, ym)]
                t[0] += d
                t[1] += c
        vrows.append((ids[i], vid, ym, v.day, number, "posted" if post else "draft", 0, total, actor_id,
                      now, now if post else None, v.ref, seq, prev, digest))
        lrows.extend((vid, ids[i], n, s, a, d, c) for n, (a, s, d, c, _) in enumerate(v.lines, start=1))
    conn = session.connection()
    conn.exec_driver_sql(_driver_sql(session, (
        "INSERT INTO voucher (id, village_id, ym, voucher_date, number, status, attachments, total, "
        "preparer_id, created_at, posted_at, source_ref, chain_seq, prev_hash, hash) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")), vrows)
    conn.exec_driver_sql(_driver_sql(session, (
        "INSERT INTO voucher_line (village_id, voucher_id, line_no, summary, account_id, debit, credit) "
        "VALUES (?,?,?,?,?,?,?)")), lrows)
    session.flush()
    from decimal import Decimal
    for vid, totals in turnover.items():
        add_turnover(session, vid, {k: [Decimal(d).scaleb(-2), Decimal(c).scaleb(-2)] for k, (d, c) in totals.items()})


def import_vouchers(session: Session, table: Table, *, post: bool = False, actor=None) -> dict[str, int]:
    """Import a voucher file all-or-nothing; with post=True they are numbered, chained and posted."""
    err = _Collector(table.name)
    ctx = _lookups(session, {r["org_code"] for _, r in table.rows})
    vouchers = _assemble(table, ctx, err)
    if err.errors:
        raise ImportError_(err.errors)
    if not vouchers:
        raise ImportError_([(table.name, 2, "-", "文件中没有凭证")])
    codes = {aid: code for acc in ctx[1].values() for code, (aid, _leaf) in acc.items()}
    _open_periods(session, vouchers)
    _write(session, vouchers, post, codes, getattr(actor, "id", None))
    per_village: dict[Village, int] = defaultdict(int)
    for v in vouchers:
        per_village[v.village] += 1
    for village, count in per_village.items():
        record(session, "voucher.import", actor=actor, township_id=village.township_id, village_id=village.id,
               detail={"file": table.name, "vouchers": count, "posted": post})
    return {"vouchers": len(vouchers), "lines": sum(len(v.lines) for v in vouchers), "villages": len(per_village)}
