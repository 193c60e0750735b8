"""Applying a 2004 → 2023 mapping to a trial balance (pure): which 2023 accounts are needed, what each opens
with, which old accounts have no mapping, and every reason the switch cannot be made as it stands."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from threeassets.ledger.rules import split_balance
from threeassets.switchover.rules import (
    FIRST,
    OPENING_SUMMARY,
    PL_CATEGORIES,
    RESULT_CODE,
    SUFFIX_RE,
    ZERO,
    OldLine,
    file_leaves,
    target_problem,
)


@dataclass
class Planned:
    """An account of the village's 2023 chart the switch uses: its name, parent and opening balance (net debit)."""

    code: str
    name: str
    parent: str | None
    sources: list[OldLine] = field(default_factory=list)
    net: Decimal = ZERO
    leaf: bool = True


@dataclass
class Plan:
    """The result of mapping a trial balance: planned accounts, each old row's target, the unmapped, the errors."""

    accounts: dict[str, Planned] = field(default_factory=dict)
    targets: dict[str, str] = field(default_factory=dict)  # old code → new code
    unmapped: list[OldLine] = field(default_factory=list)
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (line, column, reason)

    def opening_lines(self) -> list[tuple[str, str, Decimal, Decimal]]:
        """(code, summary, debit, credit) of the opening voucher: every non-zero leaf, in code order."""
        return [(p.code, OPENING_SUMMARY, *split_balance(p.net)) for _c, p in sorted(self.accounts.items())
                if p.leaf and p.net]

    def totals(self) -> tuple[Decimal, Decimal]:
        """Debit and credit totals of the opening voucher."""
        lines = self.opening_lines()
        return sum((ln[2] for ln in lines), ZERO), sum((ln[3] for ln in lines), ZERO)


def mapped_prefix(code: str, mapping: dict[str, str]) -> str | None:
    """The longest mapped old code that is a prefix of (or equal to) the code."""
    for n in range(len(code), FIRST - 1, -1):
        if code[:n] in mapping:
            return code[:n]
    return None


def _place(line: OldLine, codes: set[str], mapping: dict[str, str], chart: dict[str, dict]):
    """(new code, new parent, new name) of an old row, or a reason it cannot be placed."""
    m = mapped_prefix(line.code, mapping)
    target = mapping[m]
    new_code = target + line.code[len(m):]
    if line.code == m:
        if len(target) == FIRST:
            return new_code, None, chart[target]["name"]
        return new_code, target[:FIRST], line.name
    above = [line.code[:n] for n in range(len(line.code) - 1, len(m) - 1, -1) if line.code[:n] in codes]
    parent_old = above[0] if above else m
    if parent_old not in codes and len(target) > FIRST:
        return f"明细科目 {line.code} 无法转换：请在余额表中列示其上级科目 {m}"
    parent = target + parent_old[len(m):]
    if not SUFFIX_RE.match(new_code[len(parent):]):
        return f"明细科目 {line.code} 无法转换：其上级科目未列示，或本级编码不是2至4位数字"
    return new_code, parent, line.name


def _add(plan: Plan, line: OldLine, code: str, parent: str | None, name: str) -> None:
    """Record that an old row opens (part of) a new account; different names on one new code are refused."""
    planned = plan.accounts.get(code)
    if planned is None:
        planned = plan.accounts[code] = Planned(code, name, parent)
    elif planned.name != name or planned.parent != parent:
        others = "、".join(s.code for s in planned.sources)
        plan.errors.append((line.line, "account_code",
                            f"{line.code} {line.name} 与 {others} {planned.name} 都转入新科目 {code}，"
                            "名称不同：请调整科目对应关系"))
        return
    planned.sources.append(line)
    plan.targets[line.code] = code


def _complete(plan: Plan, leaves: set[str], chart: dict[str, dict]) -> None:
    """Add implied first-level parents, mark parents, sum leaf balances; refuse balances on parents."""
    for p in list(plan.accounts.values()):
        if p.parent is not None and p.parent not in plan.accounts:
            plan.accounts[p.parent] = Planned(p.parent, chart[p.parent]["name"], None)
    for p in plan.accounts.values():
        if p.parent is not None:
            plan.accounts[p.parent].leaf = False
    for p in plan.accounts.values():
        p.net = sum((s.net for s in p.sources if s.code in leaves), ZERO)
        if not p.leaf and p.net:
            lines = "、".join(s.code for s in p.sources if s.code in leaves and s.net)
            plan.errors.append((p.sources[0].line, "account_code",
                                f"新科目 {p.code} 已有下级科目，不能同时承接 {lines} 的余额：请调整科目对应关系"))


def _refuse_results(plan: Plan, chart: dict[str, dict]) -> None:
    """Income, expense and 本年收益 must be zero: the 2023 year is closed in the old books before switching."""
    for p in plan.accounts.values():
        first = p.code[:FIRST]
        if p.leaf and p.net and (chart[first]["category"] in PL_CATEGORIES or first == RESULT_CODE):
            for s in p.sources:
                if s.net:
                    plan.errors.append((s.line, "debit_balance" if s.net > 0 else "credit_balance",
                                        f"{s.code} {s.name} 转入 {p.code} {p.name}，2023年末应无余额："
                                        "请先在原账完成2023年终结账和收益分配"))


def _refuse_overlaps(plan: Plan) -> None:
    """Sibling codes must not prefix each other (10201 vs 1020101 under 102): code lookups go by prefix."""
    codes = sorted(plan.accounts)
    for i, a in enumerate(codes):
        for b in codes[i + 1:]:
            if not b.startswith(a):
                break  # codes starting with `a` follow it directly in sorted order
            pa, pb = plan.accounts[a], plan.accounts[b]
            if pa.parent is not None and pa.parent == pb.parent:
                plan.errors.append((pb.sources[0].line, "account_code",
                                    f"新科目 {a} 与 {b} 编码重叠（同级明细科目编码位数应一致）"))


def plan_switch(lines: list[OldLine], mapping: dict[str, str], chart_2023: dict[str, dict]) -> Plan:
    """Map every row of a checked trial balance: sub-accounts keep their suffix and name under the mapped parent."""
    plan = Plan()
    codes = {ln.code for ln in lines}
    usable = {old: new for old, new in mapping.items() if new}
    for line in lines:
        m = mapped_prefix(line.code, mapping)
        if m is None or not mapping[m]:
            plan.unmapped.append(line)
            continue
        if why := target_problem(usable[m], chart_2023):
            plan.errors.append((line.line, "account_code", f"科目对应关系有误：{why}"))
            continue
        placed = _place(line, codes, usable, chart_2023)
        if isinstance(placed, str):
            plan.errors.append((line.line, "account_code", placed))
            continue
        _add(plan, line, *placed)
    if plan.unmapped or plan.errors:
        return plan
    _complete(plan, {ln.code for ln in file_leaves(lines)}, chart_2023)
    _refuse_results(plan, chart_2023)
    _refuse_overlaps(plan)
    if not plan.errors and not plan.opening_lines():
        plan.errors.append((lines[-1].line, "-", "余额表没有非零余额，无需建账"))
    return plan
