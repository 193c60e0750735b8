"""What the public may read of the notices: only those that were published (published or archived, with their
stored PDF). The public pages of this package and the kiosk's 村务公开 read them through these queries."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from threeassets.disclosure import rules
from threeassets.disclosure.models import Disclosure

SHOWN = [s.value for s in rules.SHOWN_STATES]


def published_in(year: int) -> tuple:
    """WHERE terms: published in the year (and still shown: published or archived since). The annual report
    counts these, and the village's list filters by them (?published=YYYY)."""
    return (Disclosure.status.in_(SHOWN), Disclosure.published_on.between(date(year, 1, 1), date(year, 12, 31)))


def published_counts(session: Session, village_ids: list[int] | None = None) -> dict[int, int]:
    """Village id → number of notices ever published (of the given villages, or of all)."""
    q = select(Disclosure.village_id, func.count()).where(Disclosure.status.in_(SHOWN))
    if village_ids is not None:
        q = q.where(Disclosure.village_id.in_(village_ids))
    return dict(session.execute(q.group_by(Disclosure.village_id)).all())


def published_notices(session: Session, village_id: int) -> list[Disclosure]:
    """A village's published notices, newest period first, corrected versions after their correction."""
    return list(session.scalars(select(Disclosure).where(
        Disclosure.village_id == village_id, Disclosure.status.in_(SHOWN), Disclosure.sha256.is_not(None))
        .order_by(Disclosure.period.desc(), Disclosure.version.desc())))


def period_labels(notices) -> dict[str, str]:
    """Period text → its Chinese label (2024年5月, 2024年第二季度)."""
    return {n.period: rules.parse_period(n.period).label for n in notices}


def pdf_name(village, notice: Disclosure) -> str:
    """The file name a published notice's PDF is sent with: village, period and version."""
    return rules.pdf_name(village.code, village.name, notice.period).replace(".pdf", f"-v{notice.version}.pdf")
