"""督办看板: the township's open cases and deadlines, and a month's statistics, on screen and in XLSX (counted by
the oversight service, claims/oversight.py)."""
from __future__ import annotations

from datetime import date

from flask import Response, flash, g, render_template, request

from threeassets.auth.access import township_view
from threeassets.claims import export, oversight
from threeassets.claims.routes import case_url, township_bp
from threeassets.core.db import db
from threeassets.core.errors import RuleError
from threeassets.core.periods import parse_ym, ym_label
from threeassets.ledger.rules import LedgerError
from threeassets.windows.rules import SATISFACTION, STATE_LABELS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _month(today: date) -> str:
    """The month from ?month=YYYY-MM (default this month); a bad value flashes and falls back."""
    text = (request.args.get("month") or "").strip()
    default = f"{today:%Y-%m}"
    if not text:
        return default
    try:
        ym = parse_ym(text)
        if not 200001 <= ym <= 210012:
            raise LedgerError(text)
    except RuleError:
        flash(f"月份“{text}”无效，已显示本月", "warning")
        return default
    return ym_label(ym)


def _board(today: date) -> dict:
    """Everything the board shows for g.township."""
    tid = g.township.id
    month = _month(today)
    return {"today": today, "month": month, "soon_limit": oversight.soon_limit(today),
            "by_window": oversight.open_by(db.session, tid, today, "window"),
            "by_item": oversight.open_by(db.session, tid, today, "item"),
            "by_owner": oversight.open_by(db.session, tid, today, "owner"),
            "open_cases": oversight.open_cases(db.session, tid),
            "stats": oversight.month_stats(db.session, tid, month)}


@township_bp.get("/oversight")
@township_view("cases.oversee")
def oversight_board(township_id: int):
    """督办看板: open cases by window, item and clerk; overdue and due soon; the month's statistics."""
    return render_template("claims/oversight.html", **_board(date.today()), STATE_LABELS=STATE_LABELS,
                           SATISFACTION=SATISFACTION, case_url=case_url,
                           flag=oversight.flag, FLAGS=oversight.FLAG_LABELS)


@township_bp.get("/oversight.xlsx")
@township_view("cases.oversee")
def oversight_xlsx(township_id: int):
    """The board and the month's statistics as an Excel workbook (one sheet each)."""
    board = _board(date.today())
    data = export.board_xlsx(g.township.name, board)
    name = f"oversight-{g.township.code}-{board['month']}.xlsx"
    return Response(data, mimetype=XLSX, headers={"Content-Disposition": f"attachment; filename={name}"})
