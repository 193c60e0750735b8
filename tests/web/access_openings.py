"""Access table rows of the opening balances pages (期初余额). test_access.py puts them first: the openings of a
village are saved before its first voucher (a start after a posted voucher, or in a closed month, is refused)."""
from __future__ import annotations

import io

from tests.web.access_base import PREPARERS, READERS, V, import_job, r


def _grid(_ctx):
    return {"start_period": "2000-01", "yd-101": "100", "yc-301": "100"}


def _file(_ctx):
    body = ("org_code,start_period,account_code,account_name,year_opening_debit,year_opening_credit,ytd_debit,"
            "ytd_credit\nA1,2000-01,101,,100,,,\nA1,2000-01,301,,,100,,\n")
    return {"file": (io.BytesIO(body.encode()), "openings.csv")}


def _adjust(_ctx):
    return {"kind": "asset_found", "debit": "101", "credit": "301", "amount": "5", "reason": "盘盈现金"}


NEEDS = {"openings_import": import_job("import.openings")}

ROUTES = [
    r("ledger.openings", "GET", READERS, V),
    r("ledger.openings_save", "POST", PREPARERS, V, data=_grid),
    r("ledger.openings_template", "GET", READERS, V),
    r("ledger.openings_import", "POST", PREPARERS, V, data=_file),
    r("ledger.openings_adjust", "POST", PREPARERS, V, data=_adjust),
    r("ledger.openings_job", "GET", PREPARERS, V, "openings_import", "job_id"),
    r("ledger.openings_job_status", "GET", PREPARERS, V, "openings_import", "job_id"),
]
