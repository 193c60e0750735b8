"""The kiosk's use cases: a township's 党务/政务 notices (write, publish, withdraw, their files) and what the
public may read of them. Services never commit; every change writes its audit row in the caller's transaction."""
from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from threeassets.attachments.rules import check_upload, safe_name
from threeassets.core.audit import record
from threeassets.core.errors import RuleError
from threeassets.core.workflow import refuse
from threeassets.kiosk import rules
from threeassets.kiosk.models import KioskNotice, KioskNoticeFile

MAX_FILES = 10  # per notice


def _audit(session: Session, action: str, notice: KioskNotice, actor, **detail) -> None:
    """One audit row of a notice change, its facts in words a reader of the log understands."""
    record(session, f"kiosk.{action}", actor=actor, township_id=notice.township_id, obj=notice,
           detail={"类别": rules.KINDS.get(notice.kind, notice.kind), "标题": notice.title,
                   "日期": notice.notice_date, "状态": rules.STATES.get(notice.status, notice.status), **detail})


def get_notice(session: Session, township_id: int, notice_id: int) -> KioskNotice | None:
    """A township's notice by id (another township's reads as missing)."""
    return session.scalar(select(KioskNotice).where(KioskNotice.id == notice_id,
                                                    KioskNotice.township_id == township_id))


def published_in(year: int) -> tuple:
    """WHERE terms: first published in the year (withdrawn since or not). The annual report counts these, and
    the staff list filters by them (?year=YYYY)."""
    return KioskNotice.published_at >= datetime(year, 1, 1), KioskNotice.published_at < datetime(year + 1, 1, 1)


def notices_of(session: Session, township_id: int, kind: str | None = None,
               status: str | None = None, year: int | None = None) -> list[KioskNotice]:
    """A township's notices, newest first, optionally of one kind and state, or published in a year."""
    q = select(KioskNotice).where(KioskNotice.township_id == township_id)
    if year:
        q = q.where(*published_in(year))
    if kind in rules.KINDS:
        q = q.where(KioskNotice.kind == kind)
    if status in rules.STATES:
        q = q.where(KioskNotice.status == status)
    return list(session.scalars(q.order_by(KioskNotice.notice_date.desc(), KioskNotice.id.desc())))


def create(session: Session, township_id: int, data: rules.NoticeInput, *, actor) -> KioskNotice:
    """A new draft notice (RuleError naming the fields when the input is refused)."""
    kind, title, day, body = rules.check_notice(data)
    notice = KioskNotice(township_id=township_id, kind=kind, title=title, notice_date=day, body=body,
                         status="draft", created_by_id=getattr(actor, "id", None))
    session.add(notice)
    session.flush()
    _audit(session, "create", notice, actor)
    return notice


def update(session: Session, notice: KioskNotice, data: rules.NoticeInput, *, actor) -> KioskNotice:
    """Change a draft's kind, title, date or text."""
    refuse(rules.notice_refusal(notice.status, "edit"))
    kind, title, day, body = rules.check_notice(data)
    before = {"标题": notice.title, "日期": notice.notice_date, "正文字数": len(notice.body)}
    notice.kind, notice.title, notice.notice_date, notice.body = kind, title, day, body
    session.flush()
    _audit(session, "update", notice, actor, 修改前=before, 正文字数=len(body))
    return notice


def _move(session: Session, notice: KioskNotice, action: str, actor) -> KioskNotice:
    """Apply a state move of the notice's workflow and audit it."""
    before = notice.status
    notice.status = rules.NOTICE_FLOW.next(notice.status, action)
    if action == "publish":
        notice.published_at, notice.withdrawn_at = datetime.now().replace(microsecond=0), None
    elif action == "withdraw":
        notice.withdrawn_at = datetime.now().replace(microsecond=0)
    session.flush()
    _audit(session, action, notice, actor, 原状态=rules.STATES.get(before, before))
    return notice


def publish(session: Session, notice: KioskNotice, *, actor) -> KioskNotice:
    """Show a draft on the kiosk (its text and its files' names are checked again: the rules may have grown since
    they were saved)."""
    rules.check_notice(rules.NoticeInput(notice.kind, notice.title, notice.notice_date.isoformat(), notice.body))
    for f in notice.files:
        try:
            rules.check_file_name(f.filename)
        except RuleError as exc:
            raise RuleError("公告未发布：" + exc.fields["file"], fields=exc.fields) from None
    return _move(session, notice, "publish", actor)


def withdraw(session: Session, notice: KioskNotice, *, actor) -> KioskNotice:
    """Take a published notice off the kiosk (its page and files answer 404 from now on)."""
    return _move(session, notice, "withdraw", actor)


def redraft(session: Session, notice: KioskNotice, *, actor) -> KioskNotice:
    """Bring a withdrawn notice back to draft, to correct and publish it again."""
    return _move(session, notice, "redraft", actor)


def delete(session: Session, notice: KioskNotice, *, actor) -> None:
    """Delete a draft that was never meant to be shown (its files with it); the audit row keeps its facts."""
    refuse(rules.notice_refusal(notice.status, "delete"))
    _audit(session, "delete", notice, actor, 附件=[f.filename for f in notice.files])
    session.delete(notice)
    session.flush()


def add_file(session: Session, notice: KioskNotice, filename: str, data: bytes, *, actor) -> KioskNoticeFile:
    """Attach a JPG, PNG or PDF to a draft (the attachments' checks: real type, size, name; and the name, shown on
    the kiosk, holds no ID, mobile or bank number)."""
    refuse(rules.notice_refusal(notice.status, "attach"))
    if len(notice.files) >= MAX_FILES:
        raise RuleError(f"每条公告最多{MAX_FILES}个附件")
    ctype = check_upload(filename, data)
    name = rules.check_file_name(safe_name(filename))
    row = KioskNoticeFile(township_id=notice.township_id, filename=name, content_type=ctype,
                          size=len(data), sha256=hashlib.sha256(data).hexdigest(), data=data,
                          uploaded_by_id=getattr(actor, "id", None))
    notice.files.append(row)
    session.flush()
    _audit(session, "attach", notice, actor, 附件=row.filename, 大小=row.size, sha256=row.sha256)
    return row


def remove_file(session: Session, notice: KioskNotice, file_id: int, *, actor) -> None:
    """Remove a file of a draft (missing or another notice's: LookupError)."""
    refuse(rules.notice_refusal(notice.status, "detach"))
    row = next((f for f in notice.files if f.id == file_id), None)
    if row is None:
        raise LookupError(file_id)
    notice.files.remove(row)
    session.flush()
    _audit(session, "detach", notice, actor, 附件=row.filename)


def get_file(session: Session, notice: KioskNotice, file_id: int) -> KioskNoticeFile | None:
    """A notice's file by id, or None."""
    return session.scalar(select(KioskNoticeFile).where(KioskNoticeFile.id == file_id,
                                                        KioskNoticeFile.notice_id == notice.id))


# ---------------------------------------------------------------- what the public reads

def published(session: Session, township_id: int, kind: str) -> list[KioskNotice]:
    """The township's published notices of a kind, newest first."""
    return notices_of(session, township_id, kind, "published")


def published_notice(session: Session, township_id: int, notice_id: int) -> KioskNotice | None:
    """A published notice of the township, else None (a draft or a withdrawn one is missing to the public)."""
    notice = get_notice(session, township_id, notice_id)
    return notice if notice is not None and notice.status == "published" else None


def published_file(session: Session, township_id: int, notice_id: int, file_id: int) -> KioskNoticeFile | None:
    """A file of a published notice of the township, else None."""
    notice = published_notice(session, township_id, notice_id)
    return get_file(session, notice, file_id) if notice is not None else None
