"""The subsidy side's pages. policies.py: the township's catalogue (惠农政策); households.py: a village's
households (农户); batches.py: the township's lists through notice and payment (补贴发放); village.py: a village's
own lists. The view modules are imported at the bottom so they attach to these blueprints."""
from __future__ import annotations

from flask import Blueprint
from flask_wtf import FlaskForm

from threeassets.subsidies.rules import (
    BATCH_ACTION_LABELS,
    BATCH_STATE_LABELS,
    LEVEL_LABELS,
    OUTCOME_LABELS,
    POLICY_STATUS_LABELS,
    UNIT_LABELS,
    notice_printable,
)

policies_bp = Blueprint("policies", __name__, url_prefix="/t/<int:township_id>/policies")
households_bp = Blueprint("households", __name__, url_prefix="/v/<int:village_id>/households")
batches_bp = Blueprint("subsidies", __name__, url_prefix="/t/<int:township_id>/subsidies")
village_bp = Blueprint("subsidies_village", __name__, url_prefix="/v/<int:village_id>/subsidies")
BLUEPRINTS = (policies_bp, households_bp, batches_bp, village_bp)
LABELS = {"LEVEL": LEVEL_LABELS, "UNIT": UNIT_LABELS, "STATUS": POLICY_STATUS_LABELS, "STATE": BATCH_STATE_LABELS,
          "ACTION": BATCH_ACTION_LABELS, "OUTCOME": OUTCOME_LABELS}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ctx(**kw) -> dict:
    """Names every subsidy template uses."""
    return {"L": LABELS, "form": FlaskForm(), "printable": notice_printable, **kw}


def attachment(name: str) -> dict:
    """The Content-Disposition header of a download named in Chinese."""
    from urllib.parse import quote
    return {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}


from threeassets.subsidies.routes import batches, households, policies, village  # noqa: E402, F401
