"""Pure rules of opening balances (期初余额): the arithmetic of one account's figures, the 试算平衡 of a village's
set, the checks of one typed row, and where the figures sit in the monthly turnover. No database here.

A village starts in a month S of year Y. For each leaf account it brings
  年初余额  the balance on 1 January of Y (on the debit or the credit side), and
  累计借方 / 累计贷方  the turnover of January to the month before S (both zero when S is January).
期初余额 (the balance on the first day of S) = 年初余额 + 累计借方 − 累计贷方, on the account's own side.

In the books the figures are turnover of months before S, where no voucher may be dated: the 年初余额 is the
turnover of December of Y−1 and the 累计 that of the month before S. Every report that reads balances and turnover
by month then reads them as what they are: a balance at the end of last year, the year's turnover so far.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from threeassets.core.money import fmt, to_fen
from threeassets.core.parse import too_long
from threeassets.core.periods import prev_ym, ym_label

ZERO = Decimal(0)
FIELDS = ("year_debit", "year_credit", "ytd_debit", "ytd_credit")
FIELD_LABELS = {"year_debit": "年初余额（借）", "year_credit": "年初余额（贷）", "ytd_debit": "累计借方",
                "ytd_credit": "累计贷方"}


@dataclass(frozen=True)
class OpeningFigures:
    """One leaf account's opening figures, in yuan."""

    year_debit: Decimal = ZERO
    year_credit: Decimal = ZERO
    ytd_debit: Decimal = ZERO
    ytd_credit: Decimal = ZERO

    @property
    def year_net(self) -> Decimal:
        """The 年初余额 as a net debit balance."""
        return self.year_debit - self.year_credit

    @property
    def opening_net(self) -> Decimal:
        """The 期初余额 (first day of the start month) as a net debit balance."""
        return self.year_net + self.ytd_debit - self.ytd_credit

    @property
    def is_zero(self) -> bool:
        return not (self.year_debit or self.year_credit or self.ytd_debit or self.ytd_credit)

    def __add__(self, other: OpeningFigures) -> OpeningFigures:
        return OpeningFigures(*(getattr(self, f) + getattr(other, f) for f in FIELDS))


def on_side(net: Decimal) -> tuple[str, Decimal]:
    """A net debit balance as a clerk reads it, as 用友 prints 方向 and 余额: ('借'|'贷'|'平', amount ≥ 0)."""
    if net == 0:
        return "平", ZERO
    return ("借", net) if net > 0 else ("贷", -net)


def carrier_months(start_ym: int) -> tuple[int, int | None]:
    """The months whose turnover holds the figures: (December of the year before, the month before the start);
    the second is None when the start is January (there is no turnover so far)."""
    year = start_ym // 100
    return (year - 1) * 100 + 12, (prev_ym(start_ym) if start_ym % 100 != 1 else None)


def row_problems(figures: OpeningFigures, start_ym: int) -> dict[str, str]:
    """Field → reason for one account's figures."""
    problems: dict[str, str] = {}
    for field in FIELDS:
        if getattr(figures, field) < 0:
            problems[field] = f"{FIELD_LABELS[field]}不能为负数；余额在另一方向请填在另一列"
    if figures.year_debit and figures.year_credit:
        problems["year_credit"] = "年初余额只填借方或贷方其中一列"
    if start_ym % 100 == 1:
        for field in ("ytd_debit", "ytd_credit"):
            if getattr(figures, field):
                problems[field] = f"建账月份为 {ym_label(start_ym)}，年初即期初，不填本年累计发生额"
    return problems


def totals(rows: Iterable[OpeningFigures]) -> OpeningFigures:
    """The sums of every column (leaf accounts only: parents are roll-ups)."""
    total = OpeningFigures()
    for row in rows:
        total = total + row
    return total


def balance_problems(rows: Iterable[OpeningFigures]) -> list[str]:
    """试算平衡: the 年初余额 and the 累计 each balance; the reasons, or [] when they do."""
    t = totals(rows)
    problems = []
    if t.year_debit != t.year_credit:
        problems.append(f"年初余额不平衡：借方合计 {fmt(t.year_debit)}，贷方合计 {fmt(t.year_credit)}，"
                        f"差额 {fmt(abs(t.year_debit - t.year_credit))}")
    if t.ytd_debit != t.ytd_credit:
        problems.append(f"本年累计发生额不平衡：借方合计 {fmt(t.ytd_debit)}，贷方合计 {fmt(t.ytd_credit)}，"
                        f"差额 {fmt(abs(t.ytd_debit - t.ytd_credit))}")
    return problems


def roll_up(leaves: Mapping[str, OpeningFigures], parent_of: Mapping[str, str | None]) -> dict[str, OpeningFigures]:
    """Every account's figures, parents as the sums of their descendants: code → figures."""
    out: dict[str, OpeningFigures] = {}
    for code, figures in leaves.items():
        at: str | None = code
        while at is not None:
            out[at] = out.get(at, OpeningFigures()) + figures
            at = parent_of.get(at)
    return out


def turnover_of(figures: OpeningFigures, start_ym: int) -> list[tuple[int, Decimal, Decimal]]:
    """The (month, debit, credit) turnover that carries one account's figures into the books; months without
    an amount are left out. The 年初余额 is one net amount on December of the year before."""
    year_month, ytd_month = carrier_months(start_ym)
    out = []
    net = figures.year_net
    if net:
        out.append((year_month, max(net, ZERO), max(-net, ZERO)))
    if ytd_month is not None and (figures.ytd_debit or figures.ytd_credit):
        out.append((ytd_month, figures.ytd_debit, figures.ytd_credit))
    return out


def before_start_problem(voucher_ym: int, start_ym: int | None) -> str | None:
    """Why a voucher of this month cannot be entered in a village that started at start_ym."""
    if start_ym is not None and voucher_ym < start_ym:
        return f"本村于 {ym_label(start_ym)} 建账，此前的业务已计入期初余额，不能录入 {ym_label(voucher_ym)} 的凭证"
    return None


# Frozen: stored seals are re-checked from this text by verify; a change would report every village's openings
# as altered.
def seal_text(start_ym: int, rows: Iterable[tuple[str, OpeningFigures]]) -> str:
    """Canonical text of a village's opening figures: the start, then code|fen|fen|fen|fen per non-zero account,
    in code order."""
    body = [f"{code}|" + "|".join(str(to_fen(getattr(f, field))) for field in FIELDS)
            for code, f in sorted(rows, key=lambda r: r[0]) if not f.is_zero]
    return "\n".join([f"opening|{start_ym}", *body])


def seal_of(start_ym: int, rows: Iterable[tuple[str, OpeningFigures]]) -> str:
    """The SHA-256 seal of the figures (hex)."""
    return hashlib.sha256(seal_text(start_ym, rows).encode("utf-8")).hexdigest()


# 清产核资 adjustments of the opening balances (财会〔2023〕20号's step 3), by kind.
ADJUSTMENT_KINDS = {"asset_found": "盘盈资产入账", "liability": "补记未入账负债", "bio_back": "生物资产转回",
                    "other": "其他调整"}
REASON_MAX = 200


def adjustment_problems(kind: str, debit_code: str, credit_code: str, amount: Decimal | None,
                        reason: str) -> dict[str, str]:
    """Field → reason for a typed adjustment (accounts are checked against the chart by the service)."""
    problems = {}
    if kind not in ADJUSTMENT_KINDS:
        problems["kind"] = "请选择调整类型"
    if not debit_code:
        problems["debit"] = "请填写借方科目"
    if not credit_code:
        problems["credit"] = "请填写贷方科目"
    if debit_code and debit_code == credit_code:
        problems["credit"] = "借贷科目不能相同"
    if amount is None or amount <= 0:
        problems["amount"] = "金额应大于零"
    if not reason.strip():
        problems["reason"] = "请写明调整原因（如盘盈资产的名称、数量和依据）"
    elif why := too_long(reason.strip(), REASON_MAX, "原因"):
        problems["reason"] = why
    return problems


def adjusted(figures: OpeningFigures, net_change: Decimal) -> OpeningFigures:
    """An account's figures with its 年初余额 moved by net_change (a net debit amount), kept on one side."""
    net = figures.year_net + net_change
    return OpeningFigures(max(net, ZERO), max(-net, ZERO), figures.ytd_debit, figures.ytd_credit)
