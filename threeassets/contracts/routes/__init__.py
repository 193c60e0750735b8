"""The contracts' pages: a village's contracts and their lifecycle (contracts.py), the money they move (money.py:
receipts, deposits, the due-run), the lists of what is owed or ending (lists.py: the village's and the township's
receivables and expiring contracts) and the import (imports.py). The blueprints are made here; each module adds
its views to them."""
from __future__ import annotations

from datetime import date

from flask import Blueprint
from flask_wtf import FlaskForm

from threeassets.contracts import rules
from threeassets.contracts.models import Contract
from threeassets.contracts.schedule import FREQUENCY_LABELS
from threeassets.core.db import db
from threeassets.core.periods import read_day
from threeassets.core.tenancy import get_owned

bp = Blueprint("contracts", __name__, url_prefix="/v/<int:village_id>/contracts")
township_bp = Blueprint("contracts_township", __name__, url_prefix="/t/<int:township_id>/contracts")
BLUEPRINTS = (bp, township_bp)


def ctx(**kw) -> dict:
    """Names every contracts template uses."""
    return {"KINDS": rules.KINDS, "AWARD_METHODS": rules.AWARD_METHODS, "PARTY_TYPES": rules.PARTY_TYPES,
            "STATUS": rules.STATUS_LABELS, "INST_STATUS": rules.INSTALLMENT_LABELS, "METHODS": rules.METHODS,
            "FREQUENCIES": FREQUENCY_LABELS, "form": FlaskForm(), "today": date.today(), **kw}


def typed_day(form, name: str = "on", what: str = "日期") -> tuple[date | None, dict[str, str]]:
    """A date a person typed in the form, or None with the field's problem (never a silent default)."""
    on, why = read_day(form.get(name), what)
    return on, ({name: why} if why else {} if on is not None else {name: f"请填写{what}"})


def load(village_id: int, contract_id: int) -> Contract:
    """The village's contract or 404."""
    return get_owned(db.session, Contract, contract_id, village_id)


from threeassets.contracts.routes import contracts, imports, lists, money  # noqa: E402, F401  (their views join the blueprints)
