"""Batch production of notices for the command line and the browser: one village's PDF, a township's ZIP.

Per village of the run: no notice yet → a new draft; a draft → regenerated from the books; submitted or signed
off → printed as the oversight group has it (not regenerated under their feet); published → the stored PDF.
"""
from __future__ import annotations

import io
import zipfile

from sqlalchemy import select
from sqlalchemy.orm import Session

from threeassets.core.pdf import MissingGlyph
from threeassets.disclosure import service
from threeassets.disclosure.models import Disclosure
from threeassets.disclosure.rules import NOTICE_FLOW, parse_period, pdf_name
from threeassets.ledger.openings.models import OpeningStart
from threeassets.orgs.models import Village


def notice_for(session: Session, village, period: str, layout: str, actor) -> Disclosure:
    """The notice of a village's period to print, generated or regenerated when it is still a draft."""
    pending = service.open_notice(session, village.id, period)
    if pending is None:
        last = service.latest(session, village.id, period)
        if last is not None:
            return last
        return service.generate(session, village=village, period=period, layout=layout, actor=actor)
    if NOTICE_FLOW.allows(pending.status, "regenerate"):  # a draft: printed as the books stand now
        return service.regenerate(session, notice=pending, village=village, actor=actor, layout=layout)
    return pending


def village_file(session: Session, village, period: str, layout: str, actor, base_url: str) -> tuple[str, bytes]:
    """(<code>-<name>-<period>.pdf, PDF bytes) of one village; a refusal for a character no font has names the
    village (a township's run stops there)."""
    try:
        notice = notice_for(session, village, period, layout, actor)
        session.flush()
        return pdf_name(village.code, village.name, notice.period), service.render(notice, base_url)
    except MissingGlyph as exc:
        raise exc.within(village.name) from None


def township_villages(session: Session, township_id: int, period: str | None = None) -> list[Village]:
    """The township's villages in code order; with a period, those keeping books on the system for it (a village
    that came on later, with opening balances, has no notice for months before its start)."""
    villages = list(session.scalars(select(Village).where(Village.township_id == township_id)
                                    .order_by(Village.code)))
    if period is None:
        return villages
    first = parse_period(period).start_ym
    later = set(session.scalars(select(OpeningStart.village_id).where(
        OpeningStart.village_id.in_([v.id for v in villages]), OpeningStart.start_ym > first)))
    return [v for v in villages if v.id not in later]


def zip_of(files: list[tuple[str, bytes]]) -> bytes:
    """A ZIP of (name, bytes) files (UTF-8 names, so Chinese village names survive)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files:
            zf.writestr(name, data)
    return buf.getvalue()


def zip_name(township_code: str, period: str) -> str:
    """The file name of a township's ZIP."""
    return f"{township_code}-{period}-公开榜.zip"
