"""Use cases of a disclosure notice: generate, regenerate, submit, sign off, send back, publish, archive, correct.

Services never commit (the route or command wraps one transaction) and audit every move. A notice that was
published keeps the PDF bytes and SHA-256 stored at publication for ever: a guard on the mapped attributes
refuses any later change to them, so no code path can re-render or edit it.
"""
from __future__ import annotations

import hashlib
import json
import secrets
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from threeassets.core.audit import record
from threeassets.core.errors import IllegalMove, RuleError
from threeassets.core.pdf import check_text
from threeassets.core.public import required
from threeassets.core.tenancy import get_owned
from threeassets.core.workflow import refuse
from threeassets.disclosure import rules
from threeassets.disclosure.models import Disclosure
from threeassets.disclosure.rules import Action, NoticeFacts, State
from threeassets.ledger.openings.service import start_of

LAYOUTS = {"a4": "A4 竖版", "a3": "A3 横版"}
# Printed across a preview (kept short: it is a diagonal watermark on every page)
STATUS_NOTES = {State.DRAFT: "草稿 不得张贴", State.SUBMITTED: "送审稿 不得张贴", State.SIGNED_OFF: "待公布 不得张贴"}
FROZEN = ("pdf", "sha256", "content", "period", "version", "layout", "village_id", "verify_code", "published_on")


def _refuse_change_after_publication(target, value, oldvalue, _initiator):
    """Attribute guard: a notice that carries a publication hash never changes what it published."""
    if target.sha256 is not None and value != oldvalue:
        raise IllegalMove("已公布的公开榜不能修改；如有错误请办理更正（生成新版本）")
    return value


for _name in FROZEN:
    event.listen(getattr(Disclosure, _name), "set", _refuse_change_after_publication, retval=True)


def _audit(session: Session, action: str, notice: Disclosure, village, actor, **detail) -> None:
    """One audit row of a notice move, with its period, version and state."""
    record(session, f"disclosure.{action}", actor=actor, township_id=village.township_id, village_id=village.id,
           obj=notice, detail={"period": notice.period, "version": notice.version, "status": notice.status,
                               **detail})


def _move(notice: Disclosure, action: Action) -> None:
    """Apply a transition of the state machine (IllegalMove when the state does not allow it)."""
    notice.status = rules.next_state(notice.status, action)


def facts_of(notice: Disclosure, today: date | None = None, pending_version: int | None = None) -> NoticeFacts:
    """What the notice rules need to know about a notice today (the version of its period still being prepared,
    which only correcting asks about, is the caller's query: open_notice or pending_versions)."""
    return NoticeFacts(notice.status, today or date.today(), notice.display_until, notice.superseded_by_id is not None,
                       pending_version)


def _check(notice: Disclosure, action: Action, actor, **facts) -> None:
    """Refuse (IllegalMove) what the notice rules do not let this actor do now, in their words."""
    refuse(rules.notice_refusal(facts_of(notice, **facts), action, getattr(actor, "id", None)))


def check_layout(layout: str | None) -> str:
    """a4 or a3 (a4 when none is given)."""
    layout = (layout or "a4").lower()
    if layout not in LAYOUTS:
        raise RuleError("版式应为 A4 或 A3", fields={"layout": "版式不对"})
    return layout


# Frozen: printed in the QR code of paper notices: 22 of [A-Za-z0-9_-] (tests/unit/test_frozen_formats.py).
def new_verify_code() -> str:
    """A random, unguessable code for the QR address (22 URL-safe characters, 128 bits)."""
    return secrets.token_urlsafe(16)


# Frozen: the QR address on paper notices left on village boards, which cannot follow a change (test_frozen_formats).
def verify_url(base: str, code: str) -> str:
    """The public address a notice's QR code points at."""
    return f"{base.rstrip('/')}/verify/{code}"


def data_of(notice: Disclosure) -> dict:
    """The notice's stored content with the sign-off and publication as they stand now."""
    data = json.loads(notice.content or "{}")
    if notice.signoff_on is not None:
        day = notice.signoff_on.isoformat()
        data["signoff"] = {"names": notice.signoff_names or "", "on": day, "date": day,
                           "remarks": notice.remarks or ""}
    else:
        data["signoff"] = None
    data["published_on"] = notice.published_on.isoformat() if notice.published_on else None
    data["display_until"] = notice.display_until.isoformat() if notice.display_until else None
    return data


# (label, path in the notice data) of the figures the notice page shows beside the PDF
KEY_FIGURES = [("期初货币资金", ("cash", "opening")), ("本期收入合计", ("income", "total")),
               ("本期支出合计", ("expense", "total")), ("收支相抵", ("net", "amount")),
               ("期末货币资金", ("cash", "closing")), ("债权（应收）合计", ("debts", "receivable", "total")),
               ("债务（应付）合计", ("debts", "payable", "total")), ("固定资产净值", ("assets", "net"))]


def key_figures(data: dict) -> list[tuple[str, Decimal]]:
    """The notice's headline amounts (those present in its data) as (label, Decimal)."""
    out = []
    for label, path in KEY_FIGURES:
        value = data
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if value not in (None, ""):
            out.append((label, Decimal(str(value))))
    return out


def _fill(session: Session, notice: Disclosure, village, other: str) -> None:
    """Build the notice's content from the books and registers now, with the 其他事项 text; refused (MissingGlyph)
    when it holds a character no installed font can print, so no draft is made that could not be published."""
    from threeassets.disclosure.content import build_notice
    from threeassets.disclosure.pdf import check_notice
    data = build_notice(session, village, notice.period)
    data["other"] = other
    check_notice(data)
    notice.content = json.dumps(data, ensure_ascii=False)
    notice.generated_at = datetime.now().replace(microsecond=0)


def other_of(notice: Disclosure) -> str:
    """The 其他事项 text stored in a notice's content."""
    return json.loads(notice.content or "{}").get("other") or ""


def open_notice(session: Session, village_id: int, period: str) -> Disclosure | None:
    """The version of a village's period still being prepared (draft, submitted or signed off), if any."""
    return session.scalar(select(Disclosure).where(
        Disclosure.village_id == village_id, Disclosure.period == period,
        Disclosure.status.in_([s.value for s in rules.OPEN_STATES])))


def pending_versions(session: Session, village_id: int) -> dict[str, int]:
    """Period → the version of it still being prepared (draft, submitted or signed off), for a village's notices."""
    return dict(session.execute(select(Disclosure.period, Disclosure.version).where(
        Disclosure.village_id == village_id, Disclosure.status.in_([s.value for s in rules.OPEN_STATES]))).all())


def latest(session: Session, village_id: int, period: str) -> Disclosure | None:
    """The highest version of a village's period."""
    return session.scalar(select(Disclosure).where(Disclosure.village_id == village_id, Disclosure.period == period)
                          .order_by(Disclosure.version.desc()).limit(1))


def generate(session: Session, *, village, period: str, actor, layout: str = "a4", other: str | None = None,
             today: date | None = None) -> Disclosure:
    """生成公开榜: a new draft for the period, or the period's draft regenerated; refused once it left the agency."""
    p = rules.parse_period(period)
    rules.check_period_started(p.start, today or date.today())
    start = start_of(session, village.id)
    rules.check_after_start(p.start_ym, p.end_ym, start.start_ym if start else None)
    layout = check_layout(layout)
    existing = open_notice(session, village.id, p.text)
    if existing is not None:
        if not rules.NOTICE_FLOW.allows(existing.status, "regenerate"):
            raise IllegalMove(f"{p.label}的公开榜（第{existing.version}版）{rules.STATUS_LABELS[existing.status]}，"
                              "不能重新生成；如需修改请先撤回")
        return regenerate(session, notice=existing, village=village, actor=actor, other=other, layout=layout)
    last = latest(session, village.id, p.text)
    if last is not None:
        raise IllegalMove(f"{p.label}的公开榜已公布（第{last.version}版），不能重新生成；"
                          "如有错误请在该公开榜上办理更正")
    notice = Disclosure(village_id=village.id, period=p.text, version=1, status=State.DRAFT, layout=layout,
                        verify_code=new_verify_code(), created_by_id=getattr(actor, "id", None))
    _fill(session, notice, village, rules.check_other(other))
    session.add(notice)
    session.flush()
    _audit(session, "generate", notice, village, actor, layout=layout)
    return notice


def regenerate(session: Session, *, notice: Disclosure, village, actor, other: str | None = None,
               layout: str | None = None) -> Disclosure:
    """Rebuild a draft from the books as they are now; other=None keeps its 其他事项 text."""
    _check(notice, Action.REGENERATE, actor)
    _move(notice, Action.REGENERATE)
    text = other_of(notice) if other is None else rules.check_other(other)
    if layout is not None:
        notice.layout = check_layout(layout)
    _fill(session, notice, village, text)
    _audit(session, "regenerate", notice, village, actor, layout=notice.layout)
    return notice


def submit(session: Session, *, notice: Disclosure, village, actor) -> None:
    """Hand the draft to the village's 民主理财小组 for review."""
    _check(notice, Action.SUBMIT, actor)
    _move(notice, Action.SUBMIT)
    notice.submitted_at = datetime.now().replace(microsecond=0)
    notice.remarks = None
    _audit(session, "submit", notice, village, actor)


def _clear_signoff(notice: Disclosure) -> None:
    """Forget a sign-off (the audit log keeps it)."""
    notice.signoff_names = notice.signoff_on = notice.signoff_by_id = None


def withdraw(session: Session, *, notice: Disclosure, village, actor) -> None:
    """The agency takes a submitted or signed-off notice back to draft (a sign-off given is void)."""
    _check(notice, Action.WITHDRAW, actor)
    _move(notice, Action.WITHDRAW)
    _clear_signoff(notice)
    notice.remarks = None
    _audit(session, "withdraw", notice, village, actor)


def _check_board(actor, village) -> None:
    """Only a 民主理财小组 member of the notice's own village signs or sends back (routes check it first)."""
    refuse(rules.signer_refusal(getattr(actor, "role", None), getattr(actor, "village_id", None), village.id))


def sign_off(session: Session, *, notice: Disclosure, village, actor, names: str, on: date | None,
             remarks: str = "", today: date | None = None) -> None:
    """民主理财小组签字: the members' names, the date and their remarks."""
    _check_board(actor, village)
    _check(notice, Action.SIGN_OFF, actor)
    submitted = notice.submitted_at.date() if notice.submitted_at else None
    joined = rules.check_signoff(names, on, submitted, today or date.today())
    check_text(joined, "民主理财小组成员签字")  # printed on the notice: a name no font has could not be published
    text = rules.check_remarks(remarks, required=False)
    _move(notice, Action.SIGN_OFF)
    notice.signoff_names, notice.signoff_on, notice.signoff_by_id = joined, on, actor.id
    notice.remarks = text or None
    _audit(session, "sign_off", notice, village, actor, names=joined, on=on, remarks=text)


def send_back(session: Session, *, notice: Disclosure, village, actor, remarks: str) -> None:
    """The 民主理财小组 returns the notice to the agency with what must change."""
    _check_board(actor, village)
    _check(notice, Action.SEND_BACK, actor)
    text = rules.check_remarks(remarks, required=True)
    _move(notice, Action.SEND_BACK)
    _clear_signoff(notice)
    notice.remarks = text
    _audit(session, "send_back", notice, village, actor, remarks=text)


def render(notice: Disclosure, base_url: str) -> bytes:
    """The notice's PDF: the stored bytes once published, else rendered now with a note of its state (refused
    without a public address for the QR code)."""
    if notice.sha256 is not None:
        return notice.pdf
    from threeassets.disclosure.pdf import render_notice
    return render_notice(data_of(notice), layout=notice.layout,
                         verify_url=verify_url(required(base_url), notice.verify_code),
                         version=notice.version, status_note=STATUS_NOTES.get(notice.status, ""))


def publish(session: Session, *, notice: Disclosure, village, actor, posted_on: date | None,
            display_until: date | None, base_url: str) -> None:
    """公布: render the PDF once with the sign-off and the posting date, store it and its SHA-256. Refused
    without a public address for its QR code (core/public.py)."""
    _check(notice, Action.PUBLISH, actor)
    rules.check_publication(posted_on, display_until, notice.signoff_on)
    required(base_url)
    notice.published_on, notice.display_until = posted_on, display_until
    notice.published_by_id = getattr(actor, "id", None)
    from threeassets.disclosure.pdf import render_notice
    pdf = render_notice(data_of(notice), layout=notice.layout, verify_url=verify_url(base_url, notice.verify_code),
                        version=notice.version)
    notice.pdf = pdf
    # Frozen: the verify page compares copies with this lowercase hex SHA-256 of exactly the stored PDF bytes.
    notice.sha256 = hashlib.sha256(pdf).hexdigest()
    _move(notice, Action.PUBLISH)
    _audit(session, "publish", notice, village, actor, sha256=notice.sha256, posted_on=posted_on,
           display_until=display_until)
    if notice.supersedes_id is not None:
        old = get_owned(session, Disclosure, notice.supersedes_id, village.id)
        _move(old, Action.SUPERSEDE)
        old.superseded_by_id = notice.id
        old.archived_at = old.archived_at or datetime.now().replace(microsecond=0)
        _audit(session, "supersede", old, village, actor, superseded_by=notice.id, new_version=notice.version)


def archive(session: Session, *, notice: Disclosure, village, actor, today: date | None = None) -> None:
    """撤榜归档 once the display period is over; the notice stays public and verifiable."""
    _check(notice, Action.ARCHIVE, actor, today=today)
    _move(notice, Action.ARCHIVE)
    notice.archived_at = datetime.now().replace(microsecond=0)
    _audit(session, "archive", notice, village, actor)


def correct(session: Session, *, notice: Disclosure, village, actor) -> Disclosure:
    """更正: a new draft version of the same period that will supersede this one when it is published."""
    pending = open_notice(session, village.id, notice.period)
    _check(notice, Action.CORRECT, actor, pending_version=pending.version if pending is not None else None)
    top = session.scalar(select(func.max(Disclosure.version)).where(
        Disclosure.village_id == village.id, Disclosure.period == notice.period))
    new = Disclosure(village_id=village.id, period=notice.period, version=(top or 0) + 1, status=State.DRAFT,
                     layout=notice.layout, verify_code=new_verify_code(), supersedes_id=notice.id,
                     created_by_id=getattr(actor, "id", None))
    _fill(session, new, village, other_of(notice))
    session.add(new)
    session.flush()
    _audit(session, "correct", new, village, actor, supersedes=notice.id, old_version=notice.version)
    return new


# Frozen: every code ever printed must still find its notice: exact match, at most 24 characters (test_frozen_formats).
def published_by_code(session: Session, code: str) -> Disclosure | None:
    """The notice a QR code names, only if it was ever published (drafts and reviews look missing)."""
    if not code or len(code) > 24:
        return None
    return session.scalar(select(Disclosure).where(
        Disclosure.verify_code == code, Disclosure.status.in_([s.value for s in rules.SHOWN_STATES]),
        Disclosure.sha256.is_not(None)))


def matches(notice: Disclosure, data: bytes) -> tuple[bool, str]:
    """Whether an uploaded copy is byte for byte the published PDF: (match, the copy's SHA-256)."""
    digest = hashlib.sha256(data).hexdigest()
    return secrets.compare_digest(digest, notice.sha256 or ""), digest
