"""Pure installment schedules (收款计划): equal installments over a term, exact to the fen, and their checks."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from threeassets.core.money import from_fen, to_fen
from threeassets.core.periods import add_months_to

CENT = Decimal("0.01")
# Months between installments; "once" is a single installment on the start date.
FREQUENCIES = {"yearly": 12, "half_yearly": 6, "quarterly": 3, "once": 0}
FREQUENCY_LABELS = {"yearly": "按年", "half_yearly": "按半年", "quarterly": "按季", "once": "一次性"}
MAX_INSTALLMENTS = 400


def due_dates(starts_on: date, ends_on: date, frequency: str) -> list[date]:
    """Due dates paid in advance: the start of every period that begins within the term.

    A term that is not a whole number of periods still gets an installment for its last, shorter period.
    Dates are counted from the start each time (never from the previous date), so a 29 Feb or 31st start
    does not drift to the 28th for the rest of the term.
    """
    if frequency not in FREQUENCIES:
        raise ValueError(f"unknown frequency {frequency!r}")
    step = FREQUENCIES[frequency]
    if step == 0:
        return [starts_on]
    out, k = [], 0
    while (d := add_months_to(starts_on, k * step)) <= ends_on:
        out.append(d)
        k += 1
    return out


def equal_split(total: Decimal, n: int) -> list[Decimal]:
    """n equal amounts (whole fen) adding up to total exactly; the remainder goes on the last one."""
    if n < 1:
        raise ValueError("at least one installment")
    fen = to_fen(total)  # refuses sub-fen totals
    base = fen // n
    return [from_fen(a) for a in [base] * (n - 1) + [fen - base * (n - 1)]]


def generate(starts_on: date, ends_on: date, total: Decimal, frequency: str) -> list[tuple[date, Decimal]]:
    """The schedule: (due date, amount) of equal installments of the frequency, summing to total to the fen."""
    dates = due_dates(starts_on, ends_on, frequency)
    return list(zip(dates, equal_split(total, len(dates)), strict=True))


def schedule_problems(rows: list[tuple[date, Decimal]], total: Decimal, ends_on: date) -> list[str]:
    """What is wrong with an edited schedule: empty, non-positive amounts, dates out of order or after the
    term, or a sum that differs from the contract price."""
    if not rows:
        return ["收款计划不能为空"]
    out = []
    if len(rows) > MAX_INSTALLMENTS:
        out.append(f"收款计划最多{MAX_INSTALLMENTS}期")
    if any(amount <= 0 for _d, amount in rows):
        out.append("每期金额必须大于0")
    if any(b[0] < a[0] for a, b in zip(rows, rows[1:], strict=False)):
        out.append("各期到期日应按先后顺序排列")
    if any(d > ends_on for d, _a in rows):
        out.append(f"到期日不能晚于合同终止日 {ends_on}")
    paid = sum((a for _d, a in rows), Decimal("0"))
    if paid != total:
        out.append(f"各期合计 {paid:,.2f} 与合同总价 {total:,.2f} 不等")
    return out
