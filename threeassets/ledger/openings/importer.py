"""Import opening balances from `org_code,start_period,account_code,account_name,year_opening_debit,
year_opening_credit,ytd_debit,ytd_credit` (CSV in UTF-8, UTF-8 with BOM or GBK, or XLSX). Each village in the file
gets the whole set its rows give (save_openings); the file is all-or-nothing, every error named by file, line,
column and reason."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from threeassets.core.csvio import MB, ImportError_, Limits, Table
from threeassets.core.money import AmountError, parse_amount
from threeassets.core.periods import PeriodError, parse_ym, ym_label
from threeassets.ledger.openings.rules import ZERO, OpeningFigures
from threeassets.ledger.openings.service import OpeningRow, OpeningsInvalid, save_openings
from threeassets.orgs.models import Village

# Frozen: the import contract (docs/openings.md, the template, the command's help).
# The command takes a whole city's openings in one file (2,000 villages of 100 accounts); a village's page uploads
# its own with the default limits.
CLI_LIMITS = Limits(rows=200_000, bytes=32 * MB, unpacked=256 * MB, seconds=120)
COLUMNS = ["org_code", "start_period", "account_code", "account_name", "year_opening_debit", "year_opening_credit",
           "ytd_debit", "ytd_credit"]
AMOUNT_COLUMNS = {"year_opening_debit": "year_debit", "year_opening_credit": "year_credit",
                  "ytd_debit": "ytd_debit", "ytd_credit": "ytd_credit"}
COLUMN_LABELS = {"org_code": "村代码", "start_period": "建账月份（YYYY-MM）", "account_code": "科目编码",
                 "account_name": "科目名称（新增明细科目时填写）", "year_opening_debit": "年初余额借方",
                 "year_opening_credit": "年初余额贷方", "ytd_debit": "本年累计借方（1月建账不填）",
                 "ytd_credit": "本年累计贷方（1月建账不填）"}
# The service's field names back to this file's columns, for the error list.
COLUMN_OF = {v: k for k, v in AMOUNT_COLUMNS.items()} | {"account_code": "account_code",
                                                         "account_name": "account_name",
                                                         "start_period": "start_period", "balance": "-"}


def _row(table: Table, lineno: int, row: dict, errors: list) -> OpeningRow | None:
    amounts = {}
    for column, field in AMOUNT_COLUMNS.items():
        try:
            amounts[field] = parse_amount(row.get(column)) or ZERO
        except AmountError as exc:
            errors.append((table.name, lineno, column, str(exc)))
    code = (row.get("account_code") or "").strip()
    if not code:
        errors.append((table.name, lineno, "account_code", "请填写科目编码"))
    if len(amounts) < len(AMOUNT_COLUMNS) or not code:
        return None
    return OpeningRow(code, OpeningFigures(**amounts), name=(row.get("account_name") or "").strip(), where=lineno)


def import_openings(session: Session, table: Table, actor=None, only: str | None = None) -> dict[str, int]:
    """Save every village's opening balances from the file, all or nothing; only: the one village code a
    village's own page accepts."""
    errors: list[tuple[str, int, str, str]] = []
    codes = {(row.get("org_code") or "").strip() for _ln, row in table.rows}
    villages = {v.code: v for v in session.scalars(select(Village).where(Village.code.in_(codes)))}
    groups: dict[str, list[OpeningRow]] = defaultdict(list)
    starts: dict[str, tuple[int, int]] = {}  # org → (start ym, the line that set it)
    for lineno, row in table.rows:
        org = (row.get("org_code") or "").strip()
        if only is not None and org != only:
            errors.append((table.name, lineno, "org_code",
                           f"本页只能导入本村（{only}）的期初余额，此行为 {org or '（空）'}"))
            continue
        if org not in villages:
            errors.append((table.name, lineno, "org_code", f"村代码 {org or '（空）'} 不存在"))
            continue
        try:
            ym = parse_ym(row.get("start_period") or "")
        except PeriodError as exc:
            errors.append((table.name, lineno, "start_period", str(exc)))
            continue
        first = starts.setdefault(org, (ym, lineno))
        if first[0] != ym:
            errors.append((table.name, lineno, "start_period",
                           f"同一村的建账月份应一致：第{first[1]}行为 {ym_label(first[0])}"))
        if (checked := _row(table, lineno, row, errors)) is not None:
            groups[org].append(checked)
    if not table.rows:
        errors.append((table.name, 2, "-", "文件没有数据行"))
    for org, rows in sorted(groups.items()):
        if errors:
            break
        try:
            save_openings(session, village=villages[org], start_ym=starts[org][0], rows=rows, actor=actor)
        except OpeningsInvalid as exc:
            first_line = starts[org][1]
            errors += [(table.name, where if isinstance(where, int) else first_line, COLUMN_OF.get(col, col),
                        f"{org}：{why}") for where, col, why in exc.problems]
    if errors:
        raise ImportError_(sorted(errors, key=lambda e: e[1])[:200])
    return {"villages": len(groups), "rows": sum(len(r) for r in groups.values())}
