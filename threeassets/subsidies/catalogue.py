"""The township's policy catalogue: the starter policies, and adding, editing and retiring a policy (the agency
head's work, audited). Never commits."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from threeassets.core.audit import record
from threeassets.subsidies.models import Policy
from threeassets.subsidies.starter import default_policies


def ensure_default_policies(session: Session, township, actor=None) -> int:
    """Give a township the starter policies it lacks (by code); returns how many were added."""
    have = set(session.scalars(select(Policy.code).where(Policy.township_id == township.id)))
    added = [p for p in default_policies() if p["code"] not in have]
    for p in added:
        session.add(Policy(township_id=township.id, **p))
    session.flush()
    if added:
        record(session, "subsidy.policy_defaults", actor=actor, township_id=township.id,
               detail={"说明": "载入惠农政策目录", "政策": [p["name"] for p in added]})
    return len(added)
