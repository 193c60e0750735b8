"""The annual report's texts: read, save, finalise and reopen, each audited in the caller's transaction (never
commits). The figures are not stored: they are counted afresh (figures.py) whenever the report is shown."""
from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from threeassets.annualreport import rules
from threeassets.annualreport.compose import OTHER_DEFAULT, Texts
from threeassets.annualreport.models import AnnualReport, scope_key
from threeassets.core.audit import record
from threeassets.core.errors import RuleError


def find(session: Session, township_id: int | None, year: int) -> AnnualReport | None:
    """The stored texts of a township's (or the county's, None) report of a year."""
    return session.scalar(select(AnnualReport).where(AnnualReport.scope == scope_key(township_id),
                                                     AnnualReport.year == year))


def texts_of(row: AnnualReport | None) -> Texts:
    """The texts to compose with (the defaults when nothing was written)."""
    if row is None:
        return Texts()
    return Texts(row.overview, row.problems, row.plans, row.other or OTHER_DEFAULT, json.loads(row.review or "{}"))


def _row(session: Session, township_id: int | None, year: int) -> AnnualReport:
    row = find(session, township_id, year)
    if row is None:
        row = AnnualReport(scope=scope_key(township_id), township_id=township_id, year=year, overview="",
                           problems="", plans="", other=OTHER_DEFAULT, review="{}", status="draft")
        session.add(row)
    return row


def save(session: Session, township_id: int | None, year: int, form: dict[str, str], *, actor) -> AnnualReport:
    """Store the typed texts and review figures (a finalised report refuses: reopen it first)."""
    rules.check_year(year)
    row = _row(session, township_id, year)
    if row.status == "final":
        raise RuleError("报告已定稿，如需修改请先撤回定稿")
    overview, problems, plans, other = rules.check_texts(form.get("overview", ""), form.get("problems", ""),
                                                         form.get("plans", ""), form.get("other", ""))
    review = rules.review_figures(form)
    changed = [name for name, value in (("overview", overview), ("problems", problems), ("plans", plans),
                                        ("other", other)) if getattr(row, name) != value]
    row.overview, row.problems, row.plans, row.other = overview, problems, plans, other
    row.review = json.dumps(review, sort_keys=True)
    row.updated_by_id, row.updated_at = actor.id, datetime.now()
    session.flush()
    record(session, "annual_report.save", actor=actor, township_id=township_id, obj=row,
           detail={"year": year, "changed": changed})
    return row


def finalise(session: Session, township_id: int | None, year: int, *, actor) -> AnnualReport:
    """定稿: the report prints without its draft marks; problems and plans must be written."""
    rules.check_year(year)
    row = _row(session, township_id, year)
    refusal = rules.finalise_refusal(row.status, row.problems, row.plans)
    if refusal is not None:
        raise refusal
    row.status, row.finalised_by_id, row.finalised_at = "final", actor.id, datetime.now()
    session.flush()
    record(session, "annual_report.finalise", actor=actor, township_id=township_id, obj=row, detail={"year": year})
    return row


def reopen(session: Session, township_id: int | None, year: int, *, actor) -> AnnualReport:
    """撤回定稿: back to a draft that may be edited."""
    row = find(session, township_id, year)
    if row is None or row.status != "final":
        raise RuleError("报告尚未定稿")
    row.status, row.finalised_by_id, row.finalised_at = "draft", None, None
    record(session, "annual_report.reopen", actor=actor, township_id=township_id, obj=row, detail={"year": year})
    return row
