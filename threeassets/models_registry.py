"""Imports every model so Base.metadata is complete (Alembic, tests)."""
from threeassets.auth.models import User  # noqa: F401
from threeassets.budgets.models import Budget  # noqa: F401
from threeassets.closing.models import PeriodBalance  # noqa: F401
from threeassets.core.audit import AuditEvent  # noqa: F401
from threeassets.ledger.models import (  # noqa: F401
    Account,
    AccountTurnover,
    ChainHead,
    Period,
    Voucher,
    VoucherCounter,
    VoucherLine,
)
from threeassets.orgs.models import Township, Village  # noqa: F401
from threeassets.switchover.models import ChartMapping  # noqa: F401
