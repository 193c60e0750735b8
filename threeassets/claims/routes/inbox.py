"""The township window's claim pages: the inbox of the villages' submitted claims, and 接件 (a claim becomes a case)."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from threeassets.auth.access import township_view, village_view
from threeassets.claims import service
from threeassets.claims.models import Claim
from threeassets.claims.routes import (
    LABELS,
    actions_of,
    bp,
    case_url,
    filtered,
    page_size,
    township_bp,
    visible_claim,
)
from threeassets.core.db import db, transaction
from threeassets.core.errors import RuleError
from threeassets.core.pagination import paginate
from threeassets.core.params import arg_page
from threeassets.core.parse import to_id
from threeassets.orgs.models import Village


@bp.post("/<int:claim_id>/receive")
@village_view("cases.handle")
def receive(village_id: int, claim_id: int):
    """接件: open a window case for a submitted claim (the village accountant is the applicant); a draft is
    missing here."""
    claim = visible_claim(village_id, claim_id)
    back = request.form.get("back") == "inbox"
    try:
        with transaction(db.session):
            case = service.receive(db.session, claim=claim, actor=current_user)
    except RuleError as exc:
        flash(str(exc), "danger")
        return redirect(url_for("claims_township.inbox", township_id=g.village.township_id) if back
                        else url_for(".show", village_id=village_id, claim_id=claim_id))
    flash(f"已接件：报账单 {claim.number} → 办件 {case.number}，请核对纸质材料", "success")
    return redirect(case_url(case) or url_for(".show", village_id=village_id, claim_id=claim_id))


@township_bp.get("/claims")
@township_view("claims.read")
def inbox(township_id: int):
    """待接收报账: claims of the township's villages, submitted ones first by default."""
    args = request.args.to_dict()
    args.setdefault("status", "submitted")
    q = (select(Claim).join(Village, Village.id == Claim.village_id)
         .where(Village.township_id == township_id, Claim.status != "draft")  # drafts stay in the village
         .options(selectinload(Claim.lines)))
    if (village := to_id(args.get("village"))) is not None:
        q = q.where(Claim.village_id == village)
    q = filtered(q, args).order_by(Claim.submitted_at.is_(None), Claim.submitted_at, Claim.id)
    page = paginate(db.session, q, arg_page(), page_size())
    villages = {v.id: v for v in g.township.villages}
    return render_template("claims/inbox.html", page=page, args=args, villages=villages, L=LABELS,
                           actions=actions_of(page.items))
