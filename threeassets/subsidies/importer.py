"""The three imports of the subsidy side, each all-or-nothing with every problem named by file, line, column and
reason (docs/import-formats.md): a village's households (农户), a batch's list (补贴名单) and the bank's payment
result file (发放结果). Columns may be headed by their code names or by the Chinese headers villages and banks use.
Never commits; each import writes its audit row."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from threeassets.core.audit import record
from threeassets.core.csvio import ImportError_, Table
from threeassets.core.masking import mask_id
from threeassets.core.money import MAX_AMOUNT
from threeassets.core.parse import too_long
from threeassets.core.periods import PeriodError, parse_day
from threeassets.core.workflow import refuse
from threeassets.orgs.models import Village
from threeassets.subsidies import rules
from threeassets.subsidies.models import Batch, BatchRow, Household, Payment, Policy
from threeassets.subsidies.rules import (
    HOUSEHOLD_ALIASES,
    HOUSEHOLD_REQUIRED,
    PAYMENT_ALIASES,
    ROW_ALIASES,
    BankLine,
    ListRow,
    check_id,
    clean_digits,
    last4,
    parse_decimal,
    parse_household,
)
from threeassets.subsidies.service import facts_of, lock

MAX_ERRORS = 200
NOTE_MAX, REFERENCE_MAX = 200, 60  # BatchRow.note, Payment.reference
HOUSEHOLD_LABELS = {"group": "组", "number": "户号", "head_name": "户主姓名", "id_number": "身份证号",
                    "members": "家庭人口", "land_area": "承包地面积（亩）", "card_last4": "一卡通后四位",
                    "note": "备注"}


def columns(table: Table, aliases: dict[str, str], required: list[str], *, one_of: list[str] | None = None) -> Table:
    """The table with its rows keyed by code names (Chinese headers read through `aliases`); refused with a line
    per missing column."""
    mapping = rules.header_map(aliases, table.header)
    have = set(mapping.values())
    missing = [c for c in required if c not in have]
    if one_of and not have & set(one_of):
        missing.append("或".join(one_of))
    if missing:
        raise ImportError_([(table.name, 1, c, "缺少此列") for c in missing])
    rows = [(ln, {mapping[k]: v for k, v in row.items() if k in mapping}) for ln, row in table.rows]
    return Table(table.name, [mapping.get(h, h) for h in table.header], rows)


def _refuse(table: Table, errors: list) -> None:
    if not table.rows:
        errors.append((table.name, 2, "-", "文件没有数据行"))
    if errors:
        raise ImportError_(sorted(errors, key=lambda e: e[1])[:MAX_ERRORS])


# --- households ----------------------------------------------------------------------------------------------


def _taken_ids(session: Session, township_id: int, ids: list[str]) -> dict[str, tuple[str, str]]:
    """ID → (village name, household number) of the township's households already holding one of these IDs."""
    q = (select(Household.id_number, Village.name, Household.number).join(Village, Village.id == Household.village_id)
         .where(Household.township_id == township_id, Household.id_number.in_(ids)))
    return {i: (v, n) for i, v, n in session.execute(q)}


def _check_households(session: Session, table: Table, village: Village) -> list[tuple[int, rules.HouseholdInput]]:
    parsed, errors = [], []
    for lineno, row in table.rows:
        h, problems = parse_household(row)
        errors += [(table.name, lineno, k, why) for k, why in problems.items()]
        if h is not None:
            parsed.append((lineno, h))
    taken = _taken_ids(session, village.township_id, [h.id_number for _ln, h in parsed])
    numbers = set(session.scalars(select(Household.number).where(Household.village_id == village.id)))
    seen_ids: dict[str, int] = {}
    seen_numbers: dict[str, int] = {}
    for lineno, h in parsed:
        if h.id_number in taken:
            village_name, number = taken[h.id_number]
            errors.append((table.name, lineno, "id_number",
                           f"身份证号已登记在{village_name}（户号 {number}），不能重复登记"))
        elif h.id_number in seen_ids:
            errors.append((table.name, lineno, "id_number", f"与第 {seen_ids[h.id_number]} 行身份证号重复"))
        if h.number in numbers:
            errors.append((table.name, lineno, "number", f"本村已有户号 {h.number}"))
        elif h.number in seen_numbers:
            errors.append((table.name, lineno, "number", f"与第 {seen_numbers[h.number]} 行户号重复"))
        seen_ids.setdefault(h.id_number, lineno)
        seen_numbers.setdefault(h.number, lineno)
    _refuse(table, errors)
    return parsed


def import_households(session: Session, table: Table, village: Village, actor=None) -> dict[str, int]:
    """Register the file's households in the village; all or nothing. The same ID twice (in the file or already
    in the township) is refused; a whole card number is kept as its last four digits only."""
    table = columns(table, HOUSEHOLD_ALIASES, HOUSEHOLD_REQUIRED)
    parsed = _check_households(session, table, village)
    for _ln, h in parsed:
        session.add(Household(township_id=village.township_id, village_id=village.id, group_name=h.group_name,
                              number=h.number, head_name=h.head_name, id_number=h.id_number,
                              id_last4=h.id_number[-4:], members=h.members, land_area=h.land_area,
                              card_last4=h.card_last4, note=h.note))
    session.flush()
    record(session, "subsidy.household_import", actor=actor, township_id=village.township_id, village_id=village.id,
           detail={"说明": "导入农户", "文件": table.name, "户数": len(parsed)})
    return {"households": len(parsed)}


# --- a batch's list ------------------------------------------------------------------------------------------


@dataclass
class _Lookup:
    """The township's households by ID, and by (village code, household number)."""

    by_id: dict[str, Household]
    by_number: dict[tuple[str, str], Household]
    village_codes: dict[int, str]


def _lookup(session: Session, township_id: int) -> _Lookup:
    villages = {vid: code for vid, code in session.execute(select(Village.id, Village.code)
                                                           .where(Village.township_id == township_id))}
    households = list(session.scalars(select(Household).where(Household.township_id == township_id)))
    return _Lookup({h.id_number: h for h in households},
                   {(villages[h.village_id], h.number): h for h in households}, villages)


def _household_of(row: dict, look: _Lookup) -> tuple[Household | None, tuple[str, str] | None]:
    """The row's household by its ID, or by village code and household number; or (None, (column, why))."""
    if (row.get("id_number") or "").strip():
        number, why = check_id(row["id_number"])
        if why:
            return None, ("id_number", why)
        found = look.by_id.get(number)
        return (found, None) if found else (None, ("id_number", "本镇农户中没有此身份证号，请先导入农户"))
    code, number = (row.get("org_code") or "").strip(), clean_digits(row.get("number")) or (row.get("number") or "")
    if not code or not number:
        return None, ("id_number", "请填写身份证号，或填写村编码和户号")
    found = look.by_number.get((code, number.strip()))
    return (found, None) if found else (None, ("number", f"村 {code} 没有户号 {number.strip()}"))


def _amounts(row: dict, policy: Policy) -> tuple[tuple[Decimal, Decimal, Decimal] | None, list[tuple[str, str]]]:
    """(quantity, rate, amount) of a row, the rate defaulting to the policy's and the amount to quantity × rate;
    a typed amount must equal quantity × rate to the fen."""
    problems = []
    quantity, why = parse_decimal(row.get("quantity"), "数量")
    if why:
        problems.append(("quantity", why))
    rate, why = parse_decimal(row.get("rate"), "标准", required=policy.rate is None)
    if why:
        problems.append(("rate", why))
    rate = rate if rate is not None else policy.rate
    amount, why = parse_decimal(row.get("amount"), "金额", required=False)
    if why:
        problems.append(("amount", why))
    if problems:
        return None, problems
    if amount is None:
        amount = rules.expected_amount(quantity, rate, policy.unit)
    elif why := rules.amount_problem(quantity, rate, amount, policy.unit):
        return None, [("amount", why)]
    if amount > MAX_AMOUNT:  # quantity × rate of two large figures: more than an amount column holds
        return None, [("amount", f"金额（数量×标准 = {amount:,.2f}）超过上限 {MAX_AMOUNT:,.2f} 元，请核对数量和标准")]
    return (quantity, rate, amount), []


def _check_rows(table: Table, policy: Policy, look: _Lookup) -> list[tuple[int, Household, tuple, str]]:
    out, errors, seen = [], [], {}
    for lineno, row in table.rows:
        household, miss = _household_of(row, look)
        if miss:
            errors.append((table.name, lineno, *miss))
        values, problems = _amounts(row, policy)
        errors += [(table.name, lineno, col, why) for col, why in problems]
        if household is not None and household.id in seen:
            errors.append((table.name, lineno, "id_number", f"与第 {seen[household.id]} 行是同一户，不能重复列入"))
        elif household is not None and values is not None:
            name = (row.get("head_name") or "").strip()
            if name and not rules.same_name(name, household.head_name):
                errors.append((table.name, lineno, "head_name", f"户主姓名“{name}”与登记的“{household.head_name}”不符"))
            note = (row.get("note") or "").strip()
            if why := too_long(note, NOTE_MAX, "备注"):
                errors.append((table.name, lineno, "note", why))
            out.append((lineno, household, values, note))
        if household is not None:
            seen.setdefault(household.id, lineno)
    _refuse(table, errors)
    return out


def import_rows(session: Session, table: Table, batch: Batch, actor=None, today: date | None = None) -> dict:
    """Replace a draft batch's list with the file's rows; all or nothing. Each row names its household by ID or
    by village code and household number; quantity × rate is checked to the fen (ROUND_HALF_UP). The batch is
    locked first, so a notice started meanwhile refuses the import."""
    batch = lock(session, batch)
    refuse(rules.batch_refusal(facts_of(session, batch, today), "edit"))
    table = columns(table, ROW_ALIASES, ["quantity"], one_of=["id_number", "number"])
    policy = session.get(Policy, batch.policy_id)
    parsed = _check_rows(table, policy, _lookup(session, batch.township_id))
    for old in session.scalars(select(BatchRow).where(BatchRow.batch_id == batch.id)):
        session.delete(old)
    session.flush()
    for lineno, h, (quantity, rate, amount), note in parsed:
        session.add(BatchRow(township_id=batch.township_id, batch_id=batch.id, village_id=h.village_id,
                             household_id=h.id, line=lineno, quantity=quantity, rate=rate, amount=amount, note=note))
    session.flush()
    total = sum((v[2] for _l, _h, v, _n in parsed), Decimal("0.00"))
    record(session, "subsidy.list_import", actor=actor, township_id=batch.township_id, obj=batch,
           detail={"说明": "导入补贴名单", "名单": f"{batch.year}年{policy.name}{batch.name}", "文件": table.name,
                   "户数": len(parsed), "合计金额": f"{total:.2f}"})
    return {"rows": len(parsed), "total": f"{total:.2f}"}


# --- the bank's payment file ---------------------------------------------------------------------------------


def _bank_line(lineno: int, row: dict) -> tuple[BankLine | None, list[tuple[str, str]]]:
    problems = []
    name = (row.get("holder_name") or "").strip()
    if not name:
        problems.append(("holder_name", "请填写户名"))
    elif why := too_long(name, 50, "户名"):
        problems.append(("holder_name", why))
    id_text = clean_digits(row.get("id_number"))
    card = last4(row.get("card_last4"))
    if not id_text and not card:
        problems.append(("id_number", "请填写身份证号（或其后四位）或卡号后四位"))
    elif len(id_text) > 18:  # an ID has 18 characters; a longer cell is some other number
        problems.append(("id_number", f"身份证号不超过18位（现为{len(id_text)}位）"))
    amount, why = parse_decimal(row.get("amount"), "金额")
    if why:
        problems.append(("amount", why))
    paid_on = None
    if (row.get("paid_on") or "").strip():
        try:
            paid_on = parse_day(row["paid_on"], "发放日期")
        except PeriodError as exc:
            problems.append(("paid_on", str(exc)))
    ok = rules.read_status(row.get("status"))
    if ok is None:
        problems.append(("status", "状态应为 成功 或 失败"))
    elif ok and paid_on is None and not any(col == "paid_on" for col, _why in problems):
        # the disclosure notice's section and the alerts read a payment by the bank's date
        problems.append(("paid_on", "请填写发放日期：发放成功的行须有银行的发放日期"))
    reference = (row.get("reference") or "").strip()
    if why := too_long(reference, REFERENCE_MAX, "银行流水号"):
        problems.append(("reference", why))
    if problems:
        return None, problems
    return BankLine(lineno, name, id_text, card, amount, paid_on, ok, reference), []


def _list_rows(session: Session, batch: Batch) -> list[tuple[BatchRow, Household]]:
    q = (select(BatchRow, Household).join(Household, Household.id == BatchRow.household_id)
         .where(BatchRow.batch_id == batch.id).order_by(BatchRow.line, BatchRow.id))
    return list(session.execute(q))


def _store_payments(session: Session, batch: Batch, lines: list[BankLine], listed, matching) -> None:
    rows = {r.id: r for r, _h in listed}
    for line in lines:
        outcome, row_id = matching.outcomes[line.line]
        row = rows.get(row_id)
        if row is not None and outcome in ("matched", "amount_differs"):
            row.paid_amount, row.paid_on = line.amount, line.paid_on
        id_shown = mask_id(line.id_text) if len(line.id_text) >= 8 else line.id_text[-4:]
        session.add(Payment(township_id=batch.township_id, batch_id=batch.id,
                            village_id=row.village_id if row else None, row_id=row_id, line=line.line,
                            holder_name=line.holder_name, id_masked=id_shown, card_last4=line.card_last4,
                            amount=line.amount, paid_on=line.paid_on, succeeded=line.succeeded,
                            reference=line.reference, outcome=outcome))


def import_payments(session: Session, table: Table, batch: Batch, actor=None, today: date | None = None) -> dict:
    """Record the bank's result file of a batch whose notice period is over: each line matched to the noticed
    list (name plus ID or card digits), the batch becomes 已发放, and the mismatches are kept for the list of
    differences. The file's whole IDs are never stored (masked). The batch is locked first, so a second file of
    the same list waits and is then refused."""
    today = today or date.today()
    batch = lock(session, batch)
    refuse(rules.batch_refusal(facts_of(session, batch, today), "pay"))
    table = columns(table, PAYMENT_ALIASES, ["holder_name", "amount"], one_of=["id_number", "card_last4"])
    lines, errors = [], []
    for lineno, row in table.rows:
        line, problems = _bank_line(lineno, row)
        errors += [(table.name, lineno, col, why) for col, why in problems]
        if line is not None:
            lines.append(line)
    _refuse(table, errors)
    listed = _list_rows(session, batch)
    matching = rules.match_payments([ListRow(r.id, h.head_name, h.id_number, h.card_last4, r.amount)
                                     for r, h in listed], lines)
    _store_payments(session, batch, lines, listed, matching)
    batch.state = rules.BATCH_FLOW.next(batch.state, "pay")
    batch.paid_on, batch.payment_file = today, table.name[-200:]
    session.flush()
    paid = sum((ln.amount for ln in lines if ln.succeeded), Decimal("0.00"))
    record(session, "subsidy.payments", actor=actor, township_id=batch.township_id, obj=batch,
           detail={"说明": "导入发放结果", "文件": table.name, "行数": len(lines), "发放合计": f"{paid:.2f}",
                   "不符": matching.mismatches()})
    return {"lines": len(lines), "paid": f"{paid:.2f}", "mismatches": matching.mismatches()}
