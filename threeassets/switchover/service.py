"""Switch-over use cases: a township's mapping, the preview of a village's 2024 opening balances, and saving them
as the village's opening balances of 2024-01 under the 2023 chart. Never commits. (Villages switched by an earlier
release have an opening voucher instead: opening_voucher finds it.)"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, exists, insert, select
from sqlalchemy.orm import Session

from threeassets.core.audit import AuditEvent, record
from threeassets.core.csvio import ImportError_, Table
from threeassets.core.errors import RuleError
from threeassets.core.workflow import refuse
from threeassets.ledger import posting
from threeassets.ledger.chart import add_sub_account, has_entries, standard_chart
from threeassets.ledger.models import Account, Period, Voucher
from threeassets.ledger.openings.models import OpeningStart
from threeassets.ledger.openings.rules import OpeningFigures, totals
from threeassets.ledger.openings.service import (
    OpeningRow,
    OpeningsInvalid,
    add_adjustment,
    figures_of,
    save_openings,
    start_of,
)
from threeassets.ledger.posting import open_period
from threeassets.ledger.rules import OPENING_VOUCHER, VoucherStatus
from threeassets.orgs.models import Township, Village
from threeassets.switchover.models import ChartMapping
from threeassets.switchover.plan import Plan, plan_switch
from threeassets.switchover.rules import (
    FIRST,
    OPENING_YM,
    AdjustedLine,
    MappingRow,
    OldLine,
    SwitchFacts,
    TypedAdjustment,
    adjusted_openings,
    adjustments_problems,
    chart_2004,
    check_mapping,
    default_mapping,
    no_balance_codes,
    parse_tb,
    switch_refusal,
)


class SwitchError(Exception):
    """The switch cannot be made; `messages` are shown to the user as they are."""

    def __init__(self, messages: list[str]):
        super().__init__("；".join(messages))
        self.messages = messages


class AdjustmentsInvalid(SwitchError):
    """A stock-take adjustment typed on the preview cannot be applied; `problems` are row → field → reason."""

    def __init__(self, problems: dict[int, dict[str, str]]):
        super().__init__([f"第{n + 1}笔调整：{why}" for n, fields in sorted(problems.items())
                          for why in fields.values()])
        self.problems = problems


def chart_2023() -> dict[str, dict]:
    """The 2023 chart's first-level accounts by code (name, category, normal side)."""
    return {r["code"]: r for r in standard_chart()}


def mapping_rows(session: Session, township_id: int) -> tuple[list[MappingRow], bool]:
    """The township's mapping rows in code order, or the defaults while it has saved none; (rows, is_default)."""
    saved = list(session.scalars(select(ChartMapping).where(ChartMapping.township_id == township_id)
                                 .order_by(ChartMapping.old_code)))
    if not saved:
        return list(default_mapping()), True
    return [MappingRow(m.old_code, m.new_code, m.note) for m in saved], False


def mapping_of(session: Session, township_id: int) -> dict[str, str]:
    """old code → new code ('' for deliberately unmapped) as the switch applies it."""
    return {r.old_code: r.new_code for r in mapping_rows(session, township_id)[0]}


def save_mapping(session: Session, *, township: Township, rows: list[MappingRow], actor) -> int:
    """Replace the township's mapping (every row, so later default changes never alter it silently)."""
    problems = check_mapping(rows, chart_2023())
    if problems:
        raise SwitchError(problems)
    before = mapping_of(session, township.id)
    session.execute(delete(ChartMapping).where(ChartMapping.township_id == township.id))
    session.execute(insert(ChartMapping), [{"township_id": township.id, "old_code": r.old_code,
                                            "new_code": r.new_code, "note": r.note} for r in rows])
    after = {r.old_code: r.new_code for r in rows}
    changed = {code: [before.get(code), new] for code, new in sorted(after.items()) if before.get(code) != new}
    record(session, "switchover.mapping", actor=actor, township_id=township.id, obj=township,
           detail={"rows": len(rows), "changed": changed})
    return len(rows)


def reset_mapping(session: Session, *, township: Township, actor) -> None:
    """Go back to the default mapping (the township's saved rows are removed, and audited)."""
    removed = session.execute(delete(ChartMapping).where(ChartMapping.township_id == township.id)).rowcount
    record(session, "switchover.mapping_reset", actor=actor, township_id=township.id, obj=township,
           detail={"removed": removed})


def opening_voucher(session: Session, village_id: int) -> Voucher | None:
    """The village's switch-over opening voucher, if one was made."""
    return session.scalar(select(Voucher).where(Voucher.village_id == village_id, Voucher.kind == OPENING_VOUCHER)
                          .order_by(Voucher.id).limit(1))


def switched_openings(session: Session, village_id: int) -> OpeningFigures | None:
    """The totals of the 2024-01 opening balances a switch-over saved, None if the village was not switched so."""
    start = start_of(session, village_id)
    if start is None or start.start_ym != OPENING_YM or not session.scalar(select(exists().where(
            AuditEvent.village_id == village_id, AuditEvent.action == "switchover.post"))):
        return None
    return totals(figures_of(session, village_id).values())


def switch_facts(session: Session, village_id: int) -> SwitchFacts:
    """What the switch-over rules need to know about a village: its opening balances (or the opening voucher of
    an earlier release), postings in or before 2024-01, closed months from 2024-01 on."""
    posted = exists().where(Voucher.village_id == village_id, Voucher.status == VoucherStatus.POSTED,
                            Voucher.ym <= OPENING_YM)
    closed = exists().where(Period.village_id == village_id, Period.status != "open", Period.ym >= OPENING_YM)
    switched = opening_voucher(session, village_id) is not None or start_of(session, village_id) is not None
    return SwitchFacts(switched, bool(session.scalar(select(posted))),
                       bool(session.scalar(select(closed))))


def refusal(session: Session, village_id: int) -> str | None:
    """Why the village cannot be switched (switchover.rules.switch_refusal), None when it may be."""
    return switch_refusal(switch_facts(session, village_id))


@dataclass
class Preview:
    """What the switch would do: the plan, the sub-accounts it creates, and what stops it; the stock-take
    adjustments typed with it, what is wrong with them, and the openings they give."""

    lines: list[OldLine]
    plan: Plan
    creates: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # from the village's existing chart
    notes: dict[str, str] = field(default_factory=dict)  # old code → why the mapping row says so
    refusal: str | None = None
    adjustments: list[TypedAdjustment] = field(default_factory=list)
    adjustment_problems: dict[int, dict[str, str]] = field(default_factory=dict)  # row → field → reason
    leaves: dict[str, str] = field(default_factory=dict)  # code → name: the chart's leaves after the switch
    opening: list[AdjustedLine] = field(default_factory=list)  # converted, adjustments (the valid ones), adjusted

    @property
    def ready(self) -> bool:
        """Whether the trial balance can be switched (the adjustments aside)."""
        return not (self.plan.unmapped or self.plan.errors or self.problems or self.refusal)

    def choices(self) -> dict[str, str]:
        """The leaves an adjustment may name (offered as the account fields' list): no income, expense or
        本年收益."""
        closed = no_balance_codes(chart_2023())
        return {c: n for c, n in self.leaves.items() if c[:FIRST] not in closed}

    def name(self, code: str) -> str:
        """An opening line's account name."""
        planned = self.plan.accounts.get(code)
        return planned.name if planned is not None else self.leaves.get(code, "")


def _existing(session: Session, village_id: int) -> dict[str, Account]:
    """The village's accounts by code."""
    return {a.code: a for a in session.scalars(select(Account).where(Account.village_id == village_id))}


def _leaves_after(existing: dict[str, Account], plan: Plan, creates: list[str]) -> dict[str, str]:
    """code → name of the leaves of the village's chart once the switch has created its sub-accounts."""
    code_of = {a.id: a.code for a in existing.values()}
    parent = {c: code_of.get(a.parent_id) for c, a in existing.items()}
    parent |= {c: plan.accounts[c].parent for c in creates}
    names = {c: a.name for c, a in existing.items()} | {c: plan.accounts[c].name for c in creates}
    parents = set(parent.values())
    return {c: n for c, n in sorted(names.items()) if c not in parents}


def _chart_problems(session: Session, existing: dict[str, Account], plan: Plan) -> tuple[list[str], list[str]]:
    """(codes to create, problems) against the village's chart: names, parents and leaves must agree."""
    code_of = {a.id: a.code for a in existing.values()}
    children: dict[str | None, list[str]] = {}
    for a in existing.values():
        children.setdefault(code_of.get(a.parent_id), []).append(a.code)
    creates, problems = [], []
    for code, p in sorted(plan.accounts.items()):
        a = existing.get(code)
        if a is not None:
            if p.parent is not None and (a.name != p.name or code_of.get(a.parent_id) != p.parent):
                problems.append(f"本村已有科目 {code} {a.name}，与转换后的 {p.name}（上级 {p.parent}）不一致")
            elif p.leaf and p.net and not a.is_leaf:
                problems.append(f"本村科目 {code} {a.name} 已设下级科目，余额不能直接记入：请在余额表中列示其明细")
            continue
        if p.parent is None:
            problems.append(f"本村缺少一级科目 {code} {p.name}，请先补齐会计科目")
            continue
        creates.append(code)
        parent = existing.get(p.parent)
        if parent is not None and parent.is_leaf and has_entries(session, parent.id):
            problems.append(f"本村科目 {parent.code} 已有凭证分录，不能增设下级科目 {code}")
        problems.extend(f"新科目 {code} 与本村已有科目 {other} 编码重叠（同级明细科目编码位数应一致）"
                        for other in children.get(p.parent, []) if other.startswith(code) or code.startswith(other))
    return creates, problems


def preview(session: Session, village: Village, table: Table,
            adjustments: list[TypedAdjustment] | tuple = ()) -> Preview:
    """Check a trial balance (ImportError_ for bad files) and the adjustments typed with it, and show what the
    switch would do; writes nothing."""
    lines = parse_tb(table)
    rows = mapping_rows(session, village.township_id)[0]
    plan = plan_switch(lines, {r.old_code: r.new_code for r in rows}, chart_2023())
    result = Preview(lines, plan, refusal=refusal(session, village.id), notes={r.old_code: r.note for r in rows},
                     adjustments=list(adjustments))
    if not plan.unmapped and not plan.errors:
        existing = _existing(session, village.id)
        result.creates, result.problems = _chart_problems(session, existing, plan)
        result.leaves = _leaves_after(existing, plan, result.creates)
    if result.ready:
        _adjust(result)
    return result


def _adjust(result: Preview) -> None:
    """Check the typed adjustments against the chart after the switch and apply the valid ones to the converted
    balances (the preview's three columns)."""
    result.adjustment_problems = adjustments_problems(result.adjustments, result.leaves, no_balance_codes(chart_2023()))
    valid = [r for n, r in enumerate(result.adjustments) if n not in result.adjustment_problems]
    result.opening = adjusted_openings({p.code: p.net for p in result.plan.accounts.values() if p.leaf}, valid)


def _create_accounts(session: Session, village: Village, plan: Plan, codes: list[str], actor) -> dict[str, Account]:
    """Create the needed sub-accounts, parents first; returns the village's accounts by code."""
    accounts = {a.code: a for a in session.scalars(select(Account).where(Account.village_id == village.id))}
    for code in codes:  # sorted: a parent's code sorts before its children's
        p = plan.accounts[code]
        parent = accounts[p.parent]
        try:
            accounts[code] = add_sub_account(session, village_id=village.id, parent=parent,
                                             suffix=code[len(parent.code):], name=p.name, actor=actor)
        except RuleError as exc:
            raise SwitchError([f"增设科目 {code} {p.name} 失败：{exc}"]) from None
    return accounts


def _save_openings(session: Session, village: Village, plan: Plan, actor) -> OpeningStart:
    """The converted balances as the village's opening balances of 2024-01 (财会〔2023〕20号: the converted balances
    are the opening balances of 2024-01-01), saved through the one path every opening takes."""
    rows = [OpeningRow(code, OpeningFigures(year_debit=d, year_credit=c))
            for code, _summary, d, c in plan.opening_lines()]
    return save_openings(session, village=village, start_ym=OPENING_YM, rows=rows, actor=actor)


def _refuse_unless_clean(result: Preview, table: Table) -> None:
    """Raise why the previewed switch cannot be made: the switch-over rules, the file, the chart, an adjustment."""
    refuse(result.refusal)
    if result.plan.unmapped:
        raise SwitchError(["以下原科目没有对应的新科目，请先在科目对应关系中设置："]
                          + [f"{ln.code} {ln.name}" for ln in result.plan.unmapped])
    if result.plan.errors:
        raise ImportError_([(table.name, line, col, why) for line, col, why in result.plan.errors][:200])
    if result.problems:
        raise SwitchError(result.problems)
    if result.adjustment_problems:
        raise AdjustmentsInvalid(result.adjustment_problems)


def _apply_adjustments(session: Session, village: Village, rows: list[TypedAdjustment], actor) -> None:
    """Each stock-take adjustment through the one path (openings.service.add_adjustment: sealed, audited)."""
    for n, row in enumerate(rows):
        try:
            add_adjustment(session, village=village, kind=row.kind, debit_code=row.debit, credit_code=row.credit,
                           amount=row.amount, reason=row.reason, actor=actor)
        except OpeningsInvalid as exc:
            raise AdjustmentsInvalid({n: {col: why for _w, col, why in exc.problems}}) from None


def switch_over(session: Session, *, village: Village, table: Table, actor,
                adjustments: list[TypedAdjustment] | tuple = ()) -> OpeningStart:
    """Create the sub-accounts, save the converted balances as the 2024-01 opening balances and apply the
    stock-take adjustments, all in the caller's transaction; refuses (writing nothing) unless the preview,
    adjustments included, is clean."""
    try:
        open_period(session, village.id, OPENING_YM)  # the period first, then the chain: the order posters lock in
    except RuleError as exc:
        raise SwitchError([str(exc)]) from None
    posting.lock_chain(session, village.id)  # one switch per village at a time: the refusal below sees the other
    result = preview(session, village, table, adjustments)
    _refuse_unless_clean(result, table)
    _create_accounts(session, village, result.plan, result.creates, actor)
    try:
        start = _save_openings(session, village, result.plan, actor)
    except OpeningsInvalid as exc:
        raise SwitchError([why for _w, _c, why in exc.problems]) from None
    _apply_adjustments(session, village, result.adjustments, actor)
    debit, credit = result.plan.totals()
    record(session, "switchover.post", actor=actor, township_id=village.township_id, village_id=village.id,
           obj=start, detail={"file": table.name, "rows": len(result.lines), "accounts_created": len(result.creates),
                              "accounts": len(result.plan.opening_lines()), "debit": debit, "credit": credit,
                              "adjustments": len(result.adjustments),
                              "mapping": {old: new for old, new in sorted(result.plan.targets.items())
                                          if len(old) == 3}})
    return start


def old_name(code: str) -> str:
    """The 2004 chart's name of a first-level code ('' when it is not one)."""
    return chart_2004().get(code, "")
