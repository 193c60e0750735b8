"""legacy openings: a switch-over's posted opening voucher (kind = opening, earlier releases) becomes the village's
opening balances: its net per account is the 年初余额 of its year, its turnover moves from January to the December
before (where openings are carried), and an audit row records the seal. The voucher stays in the chain, untouched;
reports and verify read it through the openings (docs/openings.md).

Revision ID: 0009_legacy_openings
Revises: 0008_openings
Create Date: 2026-12-06 07:40:00.000000
"""
import json
from collections import defaultdict
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = '0009_legacy_openings'
down_revision = '0008_openings'
branch_labels = None
depends_on = None


def _seal(start_ym: int, nets: dict[str, int]) -> str:
    """openings.rules.seal_of for figures that are year openings only (fen)."""
    from decimal import Decimal

    from threeassets.ledger.openings.rules import OpeningFigures, seal_of
    rows = [(code, OpeningFigures(year_debit=Decimal(max(n, 0)) / 100, year_credit=Decimal(max(-n, 0)) / 100))
            for code, n in nets.items()]
    return seal_of(start_ym, rows)


def upgrade() -> None:
    conn = op.get_bind()
    vouchers = conn.execute(sa.text(
        "SELECT v.id, v.village_id, v.ym, v.number, vi.township_id FROM voucher v JOIN village vi ON vi.id = v.village_id "
        "WHERE v.kind = 'opening' AND v.status = 'posted' AND v.ym % 100 = 1 "
        "AND NOT EXISTS (SELECT 1 FROM opening_start s WHERE s.village_id = v.village_id) ORDER BY v.id")).all()
    done: set[int] = set()
    for vid, village_id, ym, number, township_id in vouchers:
        if village_id in done:  # one opening per village: a second opening voucher stays a voucher
            continue
        done.add(village_id)
        lines = conn.execute(sa.text(
            "SELECT l.account_id, a.code, l.debit, l.credit FROM voucher_line l JOIN account a ON a.id = l.account_id "
            "WHERE l.voucher_id = :v"), {"v": vid}).all()
        nets: dict[int, int] = defaultdict(int)
        codes: dict[int, str] = {}
        moved: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for account_id, code, debit, credit in lines:
            nets[account_id] += debit - credit
            codes[account_id] = code
            moved[account_id][0] += debit
            moved[account_id][1] += credit
        carrier = (ym // 100 - 1) * 100 + 12
        for account_id, (debit, credit) in moved.items():
            conn.execute(sa.text("UPDATE account_turnover SET debit = debit - :d, credit = credit - :c "
                                 "WHERE village_id = :v AND account_id = :a AND ym = :ym"),
                         {"d": debit, "c": credit, "v": village_id, "a": account_id, "ym": ym})
        conn.execute(sa.text("DELETE FROM account_turnover WHERE village_id = :v AND ym = :ym AND debit = 0 "
                             "AND credit = 0"), {"v": village_id, "ym": ym})
        for account_id, net in nets.items():
            if net:
                conn.execute(sa.text(
                    "INSERT INTO opening_balance (village_id, account_id, year_debit, year_credit, ytd_debit, "
                    "ytd_credit) VALUES (:v, :a, :d, :c, 0, 0)"),
                    {"v": village_id, "a": account_id, "d": max(net, 0), "c": max(-net, 0)})
                conn.execute(sa.text(
                    "INSERT INTO account_turnover (village_id, account_id, ym, debit, credit) "
                    "VALUES (:v, :a, :ym, :d, :c)"),
                    {"v": village_id, "a": account_id, "ym": carrier, "d": max(net, 0), "c": max(-net, 0)})
        seal = _seal(ym, {codes[a]: n for a, n in nets.items() if n})
        now = datetime.now().replace(microsecond=0)
        conn.execute(sa.text("INSERT INTO opening_start (village_id, start_ym, balanced, seal, updated_at) "
                             "VALUES (:v, :ym, :b, :s, :t)"), {"v": village_id, "ym": ym, "b": True, "s": seal,
                                                              "t": now})
        detail = {"start": f"{ym // 100:04d}-{ym % 100:02d}", "seal": seal, "balanced": True,
                  "accounts": sum(1 for n in nets.values() if n), "from_voucher": vid, "number": number}
        conn.execute(sa.text(
            "INSERT INTO audit_event (at, actor_name, township_id, village_id, action, object_type, object_id, "
            "detail) VALUES (:at, 'system', :t, :v, 'opening.save', 'OpeningStart', :v, :d)"),
            {"at": now, "t": township_id, "v": village_id, "d": json.dumps(detail, ensure_ascii=False)})


def downgrade() -> None:
    """Data stays as converted: the openings and the moved turnover describe the same books."""
