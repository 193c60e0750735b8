"""The asset register's pages of a village: the cards (cards.py: list, export, card page, add/edit, attachments,
import), their changes (changes.py: transfer, revaluation, disposal and its approval) and the register against
the books (books.py: the month's depreciation run, the reconciliation). The blueprint is made here; each module
adds its views to it."""
from __future__ import annotations

from flask import Blueprint

from threeassets.assets.rules import (
    CATEGORIES,
    CHANGE_STATUS_LABELS,
    KIND_LABELS,
    METHOD_LABELS,
    PURPOSE_LABELS,
    STATUS_LABELS,
)

bp = Blueprint("assets", __name__, url_prefix="/v/<int:village_id>/assets")
BLUEPRINTS = (bp,)
FUNDING = {"existing": "按现有账面余额登记（不生成凭证）", "bank": "新购入，银行存款支付（生成凭证 借151 贷102）",
           "cash": "新购入，库存现金支付（生成凭证 借151 贷101）"}
# The labels every register template names things with (passed as L).
LABELS = {"STATUS": STATUS_LABELS, "PURPOSE": PURPOSE_LABELS, "KIND": KIND_LABELS, "METHOD": METHOD_LABELS,
          "CHANGE": CHANGE_STATUS_LABELS, "CATEGORIES": CATEGORIES, "FUNDING": FUNDING}


from threeassets.assets.routes import books, cards, changes  # noqa: E402, F401  (their views join the blueprint)
