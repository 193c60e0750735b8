"""Use cases for townships and villages, including the orgs import. Never commits."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from stdnum.cn import uscc

from threeassets.core import hooks
from threeassets.core.audit import record
from threeassets.core.csvio import ImportError_, Table
from threeassets.orgs.models import Township, Village

USCC_CHARS = set("0123456789ABCDEFGHJKLMNPQRTUWXY")  # GB 32100: digits and capitals except I, O, S, V, Z
ORG_COLUMNS = ["township_code", "township_name", "village_code", "village_name"]


class OrgError(Exception):
    """A township/village request that cannot be done; message shown as is."""


def check_credit_code(code: str | None) -> str | None:
    """Validate an optional 统一社会信用代码 with python-stdnum; returns the compact form."""
    if not code or not code.strip():
        return None
    number = uscc.compact(code)
    # Not uscc.validate(): it wants eight leading digits, but collective economic organisations
    # are registered by agriculture departments with codes starting N1/N2/N3 (GB 32100 allows letters there).
    if not (len(number) == 18 and all(c in USCC_CHARS for c in number) and number[2:8].isdigit()
            and number[-1] == uscc.calc_check_digit(number)):
        raise OrgError(f"统一社会信用代码“{code}”校验未通过")
    return number


def upsert_township(session: Session, code: str, name: str, actor=None) -> Township:
    """Create a township or rename it."""
    t = session.scalar(select(Township).where(Township.code == code))
    if t is None:
        t = Township(code=code, name=name)
        session.add(t)
        session.flush()
        record(session, "township.create", actor=actor, township_id=t.id, obj=t, detail={"code": code, "name": name})
        hooks.township_created.send(t, session=session, actor=actor)  # e.g. the hall's default catalogue
    elif t.name != name:
        record(session, "township.rename", actor=actor, township_id=t.id, obj=t,
               detail={"before": t.name, "after": name})
        t.name = name
    return t


def upsert_village(session: Session, township: Township, code: str, name: str, credit_code: str | None = None,
                   actor=None) -> Village:
    """Create a village (with the standard chart) or rename it; a village never changes township."""
    cc = check_credit_code(credit_code)
    v = session.scalar(select(Village).where(Village.code == code))
    if v is None:
        v = Village(township_id=township.id, code=code, name=name, credit_code=cc)
        session.add(v)
        session.flush()
        hooks.village_created.send(v, session=session, actor=actor)  # e.g. the standard chart of accounts
        record(session, "village.create", actor=actor, township_id=township.id, village_id=v.id, obj=v,
               detail={"code": code, "name": name})
        return v
    if v.township_id != township.id:
        raise OrgError(f"村 {code} 已属于其他乡镇，不能改变所属乡镇")
    if v.name != name or (cc and v.credit_code != cc):
        record(session, "village.update", actor=actor, township_id=township.id, village_id=v.id, obj=v,
               detail={"before": v.name, "after": name})
        v.name = name
        v.credit_code = cc or v.credit_code
    return v


def _check_org_rows(table: Table) -> list[tuple[str, int, str, str]]:
    """Every problem of an orgs file: blanks, lengths, a village listed under two townships."""
    errors, seen = [], {}
    for lineno, row in table.rows:
        for col in ORG_COLUMNS:
            if not row[col]:
                errors.append((table.name, lineno, col, "不能为空"))
            elif len(row[col]) > (32 if col.endswith("code") else 100):
                errors.append((table.name, lineno, col, "过长"))
        vc = row["village_code"]
        if vc in seen and seen[vc] != row["township_code"]:
            errors.append((table.name, lineno, "village_code", f"村编码 {vc} 在文件中属于两个乡镇"))
        seen[vc] = row["township_code"]
    return errors


def import_orgs(session: Session, table: Table, actor=None) -> tuple[int, int]:
    """Create or rename townships and villages from a table; all-or-nothing. Returns (townships, villages)."""
    errors = _check_org_rows(table)
    if errors:
        raise ImportError_(errors)
    townships = {}
    for lineno, row in table.rows:
        t = townships.get(row["township_code"])
        if t is None:
            t = townships[row["township_code"]] = upsert_township(
                session, row["township_code"], row["township_name"], actor)
        try:
            upsert_village(session, t, row["village_code"], row["village_name"], row.get("credit_code"), actor)
        except Exception as exc:  # OrgError, or a constraint surprise: report it with its line
            raise ImportError_([(table.name, lineno, "village_code", str(exc))]) from None
    return len(townships), len({r["village_code"] for _, r in table.rows})


def check_rows_in_township(session: Session, table: Table, township_id: int, column: str = "org_code") -> None:
    """Refuse a file naming villages outside the township (an upload must stay within the uploader's scope)."""
    own = set(session.scalars(select(Village.code).where(Village.township_id == township_id)))
    errors = [(table.name, lineno, column, f"村 {row[column]} 不属于本乡镇或不存在")
              for lineno, row in table.rows if row.get(column) not in own]
    if errors:
        raise ImportError_(errors[:200])
