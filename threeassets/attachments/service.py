"""Store and list attachments; the caller's transaction commits them with the row they document."""
from __future__ import annotations

import hashlib

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from threeassets.attachments.models import Attachment
from threeassets.attachments.rules import check_upload, safe_name
from threeassets.core import audit
from threeassets.orgs.models import township_of


def store(session: Session, *, village_id: int, owner_type: str, owner_id: int, filename: str, data: bytes,
          actor=None, note: str = "") -> Attachment:
    """Check and add one file for a row of a village (RuleError if refused); never commits."""
    ctype = check_upload(filename, data)
    att = Attachment(village_id=village_id, owner_type=owner_type, owner_id=owner_id, filename=safe_name(filename),
                     content_type=ctype, size=len(data), sha256=hashlib.sha256(data).hexdigest(), note=note,
                     data=data, uploaded_by_id=getattr(actor, "id", None))
    session.add(att)
    session.flush()
    audit.record(session, "attachment.add", actor=actor, township_id=township_of(session, village_id),
                 village_id=village_id, obj=att,
                 detail={"owner": f"{owner_type}:{owner_id}", "file": att.filename, "sha256": att.sha256})
    return att


def store_uploads(session: Session, files, **owner) -> list[Attachment]:
    """Store every non-empty werkzeug FileStorage of a form (all or none: the first refusal raises)."""
    out = []
    for f in files:
        if f and f.filename:
            out.append(store(session, filename=f.filename, data=f.read(), **owner))
    return out


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
