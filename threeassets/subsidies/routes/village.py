"""A village's own subsidy lists: the lists it has households on (with its part's totals), one list's rows of
the village (IDs masked), its objections and differences, and the notice to print for its board."""
from __future__ import annotations

from datetime import date

from flask import Response, abort, current_app, g, render_template
from sqlalchemy import func, select

from threeassets.auth.access import village_view
from threeassets.core.db import db
from threeassets.core.masking import mask_id
from threeassets.core.pagination import paginate
from threeassets.core.params import arg_page
from threeassets.subsidies import service
from threeassets.subsidies.models import Batch, BatchRow, Policy
from threeassets.subsidies.pdf import notice_pdf
from threeassets.subsidies.routes import attachment, ctx, village_bp
from threeassets.subsidies.rules import notice_printable


def _batch(village_id: int, batch_id: int) -> Batch:
    """A list of the village's township holding households of the village, or 404."""
    batch = db.session.get(Batch, batch_id)
    if batch is None or batch.township_id != g.village.township_id:
        abort(404)
    has = db.session.scalar(select(func.count(BatchRow.id)).where(BatchRow.batch_id == batch.id,
                                                                  BatchRow.village_id == village_id))
    if not has:
        abort(404)
    return batch


@village_bp.get("")
@village_view("subsidies.read")
def index(village_id: int):
    """本村补贴发放: the lists the village has households on, and its totals per policy (published lists)."""
    return render_template("subsidies/village.html", **ctx(
        batches=service.village_batches(db.session, village_id),
        by_policy=service.totals_by_policy(db.session, g.village.township_id, village_id=village_id)))


@village_bp.get("/<int:batch_id>")
@village_view("subsidies.read")
def show(village_id: int, batch_id: int):
    """The village's rows of a list (IDs masked), its objections and differences."""
    batch = _batch(village_id, batch_id)
    page = paginate(db.session, service.rows_query(batch.id, village_id), arg_page(),
                    current_app.config.get("PAGE_SIZE", 50), scalars=False)
    part = next((t for t in service.totals_by_village(db.session, [batch.id]) if t.key == village_id), None)
    return render_template("subsidies/village_batch.html", **ctx(
        batch=batch, policy=db.session.get(Policy, batch.policy_id), page=page, part=part, mask_id=mask_id,
        objections=service.objections(db.session, batch.id, village_id),
        differences=service.differences(db.session, batch, village_id)))


@village_bp.get("/<int:batch_id>/notice.pdf")
@village_view("subsidies.read")
def notice(village_id: int, batch_id: int):
    """The A4 公示 of the village's part of a list, for its notice board (IDs masked, total in 大写): only once the
    list's notice has started — a draft answers 404, never a paper that looks official."""
    batch = _batch(village_id, batch_id)
    if not notice_printable(batch.state):
        abort(404)
    data = service.notice_data(db.session, batch, g.village, date.today())
    name = attachment(f"公示-{g.village.code}-{batch.year}-{batch.id}.pdf")["Content-Disposition"]
    return Response(notice_pdf(data), mimetype="application/pdf",
                    headers={"Content-Disposition": name.replace("attachment", "inline", 1)})
