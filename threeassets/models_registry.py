"""Imports every model so Base.metadata is complete (Alembic, tests)."""
from threeassets.alerts.models import Alert  # noqa: F401
from threeassets.assets.models import Asset, AssetChange  # noqa: F401
from threeassets.attachments.models import Attachment  # noqa: F401
from threeassets.auth.models import LoginSession, User  # noqa: F401
from threeassets.budgets.models import Budget  # noqa: F401
from threeassets.claims.models import Claim, ClaimLine  # noqa: F401
from threeassets.closing.models import PeriodBalance  # noqa: F401
from threeassets.contracts.models import Contract, ContractSubject, Installment, Receipt  # noqa: F401
from threeassets.core.audit import AuditEvent  # noqa: F401
from threeassets.core.jobs import Job  # noqa: F401
from threeassets.core.throttle import Throttle  # noqa: F401
from threeassets.decisions.models import DecisionRecord  # noqa: F401
from threeassets.disclosure.models import Disclosure  # noqa: F401
from threeassets.inforequests.models import InfoRequest, InfoRequestCounter, InfoRequestEvent  # noqa: F401
from threeassets.kiosk.models import KioskCount, KioskNotice, KioskNoticeFile  # noqa: F401
from threeassets.ledger.models import (  # noqa: F401
    Account,
    AccountTurnover,
    ChainHead,
    Period,
    Voucher,
    VoucherCounter,
    VoucherLine,
)
from threeassets.ledger.openings.models import OpeningAdjustment, OpeningBalance, OpeningStart  # noqa: F401
from threeassets.orgs.models import (  # noqa: F401
    Township,
    TownshipSettings,  # noqa: F401
    Village,
)
from threeassets.resources.models import Resource  # noqa: F401
from threeassets.subsidies.models import Batch, BatchRow, Household, Objection, Payment, Policy  # noqa: F401
from threeassets.switchover.models import ChartMapping  # noqa: F401
from threeassets.windows.models import (  # noqa: F401
    Case,
    CaseEvent,
    HolidayDay,
    HolidayYear,
    Material,
    ServiceItem,
    Window,
)
