"""The access table's vocabulary: role sets (by World usernames), a row type and its builder.

Feature tables live in tests/web/access_<feature>.py: each defines ROUTES (rows), and may define NEEDS
({needs name: fn(session, world, village, ctx) -> record id} for records its routes need) and PUBLIC (endpoints
served without login, tested by the feature itself).
"""
from __future__ import annotations

from dataclasses import dataclass, field

# Roles (by the usernames of the World fixture) that may use a route, written out by hand on purpose.
READERS = {"admin", "supervisor", "head", "accountant", "accountant2", "reviewer", "vacct", "board",
           "head_b", "accountant_b"}
PREPARERS = {"head", "accountant", "accountant2", "head_b", "accountant_b"}
REVIEWERS = {"head", "reviewer", "head_b"}
TOWNSHIP_READERS = {"admin", "supervisor", "head", "accountant", "accountant2", "reviewer", "head_b",
                    "accountant_b"}
MANAGERS = {"admin", "head", "head_b"}
AUDITORS = {"admin", "supervisor", "head", "head_b"}
EVERYONE = {"admin", "supervisor", "head", "accountant", "accountant2", "reviewer", "clerk", "vacct", "board",
            "head_b", "accountant_b"}
# Who can see village a1 / township A / users of township A (the matrix target).
COVER_A1 = EVERYONE - {"head_b", "accountant_b"}
COVER_TA = COVER_A1 - {"vacct", "board"}
USERS = sorted(EVERYONE)
CLERKS = {"clerk"}
CASE_HANDLERS = {"clerk", "head", "accountant", "accountant2", "reviewer", "head_b", "accountant_b"}
HEADS = {"head", "head_b"}
VILLAGE_ACCOUNTANTS = {"vacct"}
BOARDS = {"board"}


@dataclass(frozen=True)
class R:
    """One (endpoint, method): who may use it, how scope is checked, which record it needs, what it posts."""

    endpoint: str
    method: str
    allowed: frozenset
    scope: str  # village | township | user | none
    needs: str | None = None  # draft | reviewed | posted | sub | user
    key: str | None = None  # url_for argument naming the record
    data: object = field(default=None, compare=False)

    @property
    def id(self) -> str:
        return f"{self.method} {self.endpoint}"


def r(endpoint, method, allowed, scope, needs=None, key=None, data=None) -> R:
    return R(endpoint, method, frozenset(allowed), scope, needs, key, data)


V, T, U, N = "village", "township", "user", "none"


def import_job(kind: str, scope: str = V):
    """A NEEDS function: a finished import job of the kind in the village (scope V), its township (T) or none."""
    def make(session, _world, village, _ctx) -> int:
        from threeassets.core.db import transaction
        from threeassets.core.jobs import CountyJob, Job
        with transaction(session):
            values = dict(kind=kind, status="done", total=1, done=1, file_name="导入.csv",
                          result='{"stats": {}, "message": "导入完成"}')
            job = (Job(village_id=village.id if scope == V else None, township_id=village.township_id, **values)
                   if scope in (V, T) else CountyJob(**values))  # no scope: the county's table (jobs.create)
            session.add(job)
        job_id = job.id
        session.expunge_all()
        return job_id
    return make
