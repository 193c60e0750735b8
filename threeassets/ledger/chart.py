"""Chart of accounts: the 2023 standard chart as data, sub-accounts, the account tree."""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources

from sqlalchemy import exists, insert, select
from sqlalchemy.orm import Session

from threeassets.core.audit import record
from threeassets.ledger.models import Account, VoucherLine
from threeassets.ledger.openings.models import OpeningBalance
from threeassets.ledger.rules import LedgerError
from threeassets.orgs.models import township_of

CATEGORY_LABELS = {"asset": "资产类", "liability": "负债类", "equity": "所有者权益类", "cost": "成本类",
                   "income": "损益类（收入）", "expense": "损益类（支出）"}
SUB_CODE_RE = re.compile(r"^\d{2,4}$")


@lru_cache(maxsize=1)
def standard_chart() -> list[dict]:
    """The 2023 chart of accounts shipped as package data (code, name, category, normal_side, and the mnemonic
    `mnemonic(name)` gives, worked out once so creating villages needs no pinyin dictionary)."""
    text = resources.files("threeassets.ledger").joinpath("data/chart_2023.csv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


@lru_cache(maxsize=8192)  # pure, and a village's chart repeats the same names: new villages come in by the thousand
def path_mnemonic(full_name: str) -> str:
    """Pinyin initials of a full account name, untruncated (银行存款—农商银行基本户 → yhcknsyhjbh)."""
    # Imported here: its dictionaries take ~0.15 s to load, which reports and other commands never need.
    from pypinyin import Style, lazy_pinyin
    return "".join(lazy_pinyin(full_name, style=Style.FIRST_LETTER, errors="ignore")).lower()


def mnemonic(name: str) -> str:
    """Pinyin initials for typing accounts quickly (银行存款 → yhck)."""
    return path_mnemonic(name)[:32]


def install_chart(session: Session, village_id: int) -> None:
    """Give a new village the standard first-level accounts (one executemany)."""
    rows = [{"village_id": village_id, "code": r["code"], "name": r["name"], "category": r["category"],
             "normal_side": r["normal_side"], "level": 1, "is_leaf": True, "mnemonic": r["mnemonic"],
             "full_name": r["name"]} for r in standard_chart()]
    session.execute(insert(Account), rows)


def has_entries(session: Session, account_id: int) -> bool:
    """Whether any voucher line (draft or posted) or opening balance uses the account."""
    return bool(session.scalar(select(exists().where(VoucherLine.account_id == account_id)))) or bool(
        session.scalar(select(exists().where(OpeningBalance.account_id == account_id))))


class SubAccountRefused(LedgerError):
    """A sub-account of a batch cannot be added; `index` is its place in the batch."""

    def __init__(self, message: str, index: int):
        super().__init__(message)
        self.index = index


def _check_child(parent: Account, suffix: str, name: str, taken: list[str]) -> str:
    """The new code, or LedgerError: 2–4 digits, a name, not taken, no code below the parent a prefix of another."""
    if not SUB_CODE_RE.match(suffix):
        raise LedgerError("明细科目编码应为2至4位数字")
    if not name or len(name) > 60:
        raise LedgerError("请填写科目名称（不超过60字）")
    code = parent.code + suffix
    if code in taken:
        raise LedgerError(f"科目编码 {code} 已存在")
    # Codes below the parent must not be prefixes of each other (10201 vs 1020101 under 102): reports and
    # code lookup find children by prefix.
    for other in taken:
        if len(other) > len(parent.code) and (other.startswith(code) or code.startswith(other)):
            raise LedgerError(f"科目编码 {code} 与已有科目 {other} 编码重叠，同级明细科目编码位数应一致")
    return code


def add_sub_accounts(session: Session, *, village_id: int, parent: Account, children: list[tuple[str, str]],
                     actor) -> list[Account]:
    """Add 明细科目 (suffix, name) under one account: code = parent code + 2–4 digits; a used leaf cannot get
    children. One query for the codes already there and one flush for the batch; each is audited. A refused child
    raises SubAccountRefused naming its place, and nothing of the batch is added."""
    if parent.village_id != village_id:
        raise LedgerError("上级科目不属于本村")
    taken = list(session.scalars(select(Account.code).where(Account.village_id == village_id,
                                                            Account.code.startswith(parent.code))))
    out = []
    for i, (suffix, name) in enumerate(children):
        suffix, name = suffix.strip(), name.strip()
        try:
            code = _check_child(parent, suffix, name, taken)
        except LedgerError as exc:
            raise SubAccountRefused(str(exc), i) from None
        taken.append(code)
        out.append(Account(village_id=village_id, code=code, name=name, category=parent.category,
                           normal_side=parent.normal_side, parent_id=parent.id, level=parent.level + 1,
                           is_leaf=True, mnemonic=mnemonic(name), full_name=f"{parent.full_name}—{name}"))
    if out and parent.is_leaf and has_entries(session, parent.id):
        raise SubAccountRefused(f"科目 {parent.code} 已有凭证分录，不能再增设下级科目；请先新增科目后调账", 0)
    if not out:
        return out
    parent.is_leaf = False
    session.add_all(out)
    session.flush()
    township_id = township_of(session, village_id)
    for account in out:
        record(session, "account.create", actor=actor, township_id=township_id, village_id=village_id, obj=account,
               detail={"code": account.code, "name": account.name})
    return out


def add_sub_account(session: Session, *, village_id: int, parent: Account, suffix: str, name: str,
                    actor) -> Account:
    """Add one 明细科目 under any account (add_sub_accounts with one child)."""
    try:
        [account] = add_sub_accounts(session, village_id=village_id, parent=parent, children=[(suffix, name)],
                                     actor=actor)
    except SubAccountRefused as exc:
        raise LedgerError(str(exc)) from None
    return account


def delete_account(session: Session, *, account: Account, actor) -> None:
    """Delete a sub-account that has no entries and no children; first-level accounts stay."""
    if account.parent_id is None:
        raise LedgerError("一级科目由会计制度规定，不能删除")
    if not account.is_leaf:
        raise LedgerError("请先删除下级科目")
    if has_entries(session, account.id):
        raise LedgerError(f"科目 {account.code} 已有凭证分录，不能删除")
    parent_id, village_id = account.parent_id, account.village_id
    record(session, "account.delete", actor=actor, township_id=township_of(session, village_id),
           village_id=village_id, obj=account, detail={"code": account.code, "name": account.name})
    session.delete(account)
    session.flush()
    still = session.scalar(select(exists().where(Account.parent_id == parent_id)))
    if not still:
        session.get(Account, parent_id).is_leaf = True


def rename_account(session: Session, *, account: Account, name: str, actor) -> None:
    """Rename a sub-account (first-level names follow the standard)."""
    name = name.strip()
    if account.parent_id is None:
        raise LedgerError("一级科目名称由会计制度规定，不能修改")
    if not name or len(name) > 60:
        raise LedgerError("请填写科目名称（不超过60字）")
    old = account.name
    account.name = name
    account.mnemonic = mnemonic(name)
    account.full_name = account.full_name.rsplit("—", 1)[0] + "—" + name
    record(session, "account.rename", actor=actor, township_id=township_of(session, account.village_id),
           village_id=account.village_id, obj=account,
           detail={"before": old, "after": name})


def accounts_of(session: Session, village_id: int) -> list[Account]:
    """All accounts of a village in code order."""
    return list(session.scalars(select(Account).where(Account.village_id == village_id).order_by(Account.code)))


def subtree_ids(session: Session, village_id: int, root_id: int) -> list[int]:
    """An account and its descendants by parent links (a code prefix may also match a sibling's child)."""
    children: dict[int | None, list[int]] = {}
    for aid, pid in session.execute(select(Account.id, Account.parent_id).where(Account.village_id == village_id)):
        children.setdefault(pid, []).append(aid)
    ids, stack = [], [root_id]
    while stack:
        ids.append(stack.pop())
        stack.extend(children.get(ids[-1], []))
    return ids


def leaf_map(session: Session, village_id: int) -> dict[str, Account]:
    """Leaf accounts of a village by code (the only ones a voucher line may use)."""
    q = select(Account).where(Account.village_id == village_id, Account.is_leaf.is_(True))
    return {a.code: a for a in session.scalars(q)}
