"""Store and list attachments; the caller's transaction commits them with the row they document."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from threeassets.attachments.models import Attachment
from threeassets.attachments.rules import check_upload, safe_name, upload_refusals
from threeassets.core import audit
from threeassets.core.errors import RuleError
from threeassets.core.parse import too_long
from threeassets.orgs.models import township_of

NOTE_MAX = 200  # Attachment.note
HOLD_FOR = timedelta(hours=24)  # how long a file chosen on a form that came back waits for its resubmission


def _checked(*, village_id: int, owner_type: str, owner_id: int, filename: str, data: bytes, actor,
             note: str = "") -> Attachment:
    """A new row for one file, its type sniffed (RuleError if refused, or if its note is too long)."""
    if why := too_long(note, NOTE_MAX, "附件说明"):
        raise RuleError(why, fields={"note": why})
    ctype = check_upload(filename, data)
    return Attachment(village_id=village_id, owner_type=owner_type, owner_id=owner_id, filename=safe_name(filename),
                      content_type=ctype, size=len(data), sha256=hashlib.sha256(data).hexdigest(), note=note,
                      data=data, uploaded_by_id=getattr(actor, "id", None))


def _audit_add(session: Session, att: Attachment, actor) -> None:
    """The audit row of a file joining its record."""
    audit.record(session, "attachment.add", actor=actor, township_id=township_of(session, att.village_id),
                 village_id=att.village_id, obj=att,
                 detail={"owner": f"{att.owner_type}:{att.owner_id}", "file": att.filename, "sha256": att.sha256})


def store(session: Session, *, village_id: int, owner_type: str, owner_id: int, filename: str, data: bytes,
          actor=None, note: str = "") -> Attachment:
    """Check and add one file for a row of a village (RuleError if refused); never commits."""
    att = _checked(village_id=village_id, owner_type=owner_type, owner_id=owner_id, filename=filename, data=data,
                   actor=actor, note=note)
    session.add(att)
    session.flush()
    _audit_add(session, att, actor)
    return att


def _refuse_any(files: list[tuple[str, bytes]], field: str, note: str = "") -> None:
    """All or none: RuleError naming every refused file of one upload (at `field`) and a note too long (at "note")
    at once."""
    refused, long_note = upload_refusals(files), too_long(note, NOTE_MAX, "附件说明")
    fields = ({field: "；".join(refused)} if refused else {}) | ({"note": long_note} if long_note else {})
    if fields:
        raise RuleError("；".join(fields.values()), fields=fields)


def store_uploads(session: Session, files, field: str = "files", **owner) -> list[Attachment]:
    """Store every non-empty werkzeug FileStorage of a form, all or none: every refused file (at `field`) and an
    over-long note are named at once before anything is stored."""
    uploads = [(f.filename, f.read()) for f in files if f and f.filename]
    _refuse_any(uploads, field, owner.get("note", ""))
    return [store(session, filename=name, data=data, **owner) for name, data in uploads]


_OF_OWNER = (select(Attachment).where(Attachment.village_id == bindparam("village"),
                                      Attachment.owner_type == bindparam("owner_type"),
                                      Attachment.owner_id == bindparam("owner")).order_by(Attachment.id))


def for_owner(session: Session, village_id: int, owner_type: str, owner_id: int) -> list[Attachment]:
    """The attachments of one row, oldest first (bytes not loaded); the statement is built once per process."""
    return list(session.scalars(_OF_OWNER, {"village": village_id, "owner_type": owner_type, "owner": owner_id}))


def copy_to(session: Session, att: Attachment, owner_type: str, owner_id: int, actor=None) -> Attachment:
    """Attach the same file to another row of the same village (e.g. a claim's receipt to its voucher)."""
    return store(session, village_id=att.village_id, owner_type=owner_type, owner_id=owner_id,
                 filename=att.filename, data=att.data, actor=actor, note=att.note)


# --- files held for a form that came back ------------------------------------------------------------------------
# A browser cannot refill a file input, so a form refused for another field would lose the files chosen on it. The
# checked files are held instead: rows of the village whose owner is the user (owner_type "<kind>:held", owner_id
# the user's id), one set per user, village and kind, for HOLD_FOR. Nothing opens them (no feature answers
# attachment_owner for a held kind: 404), and they join their record — and the audit log — only when the form is
# saved (adopt). Holding again replaces the set; expired sets of the village are deleted whenever one is held or
# adopted.

def held_type(owner_type: str) -> str:
    """The owner_type of files held for a form of records of `owner_type`."""
    return f"{owner_type}:held"


def _held_of(village_id: int, owner_type: str, user_id: int):
    """The statement of a user's held files of a kind in a village, oldest first."""
    return (select(Attachment).where(Attachment.village_id == village_id,
                                     Attachment.owner_type == held_type(owner_type),
                                     Attachment.owner_id == user_id).order_by(Attachment.id))


def held(session: Session, *, village_id: int, owner_type: str, user_id: int, ids, now: datetime) -> list[Attachment]:
    """Those of `ids` that are files the user holds for a form of this kind in this village, not expired."""
    wanted = set(ids)
    return [a for a in session.scalars(_held_of(village_id, owner_type, user_id))
            if a.id in wanted and a.uploaded_at > now - HOLD_FOR]


def purge_held(session: Session, *, village_id: int, owner_type: str, now: datetime) -> None:
    """Delete the village's held files of this kind whose time is over."""
    session.execute(delete(Attachment).where(Attachment.village_id == village_id,
                                             Attachment.owner_type == held_type(owner_type),
                                             Attachment.uploaded_at <= now - HOLD_FOR))


def hold(session: Session, files: list[tuple[str, bytes]], *, village_id: int, owner_type: str, actor,
         keep: list[Attachment], now: datetime, field: str = "files") -> list[Attachment]:
    """Hold the user's files for the next submission of a form: those kept from before and the new `files`
    (checked as store_uploads checks them: RuleError at `field` naming every refused one, nothing held); the
    user's other held files of the kind in the village go, and so do the village's expired ones. Not audited:
    nothing owns them yet."""
    _refuse_any(files, field)
    purge_held(session, village_id=village_id, owner_type=owner_type, now=now)
    kept = {a.id for a in keep}
    for att in session.scalars(_held_of(village_id, owner_type, actor.id)):
        if att.id not in kept:
            session.delete(att)
    new = [_checked(village_id=village_id, owner_type=held_type(owner_type), owner_id=actor.id, filename=name,
                    data=data, actor=actor) for name, data in files]
    for att in new:
        att.uploaded_at = now
    session.add_all(new)
    session.flush()
    return [*keep, *new]


def adopt(session: Session, files: list[Attachment], *, owner_type: str, owner_id: int, actor,
          now: datetime) -> None:
    """Give held files to the record their form saved (each audited as an upload to it); the village's expired
    held files are deleted."""
    for att in files:
        if att.owner_type != held_type(owner_type) or att.owner_id != actor.id:
            raise ValueError("not a file this user holds for this kind of record")
        att.owner_type, att.owner_id = owner_type, owner_id
    session.flush()
    for att in files:
        _audit_add(session, att, actor)
    if files:
        purge_held(session, village_id=files[0].village_id, owner_type=owner_type, now=now)
