"""The public read API of the subsidy side, for the kiosk and any other login-free page: plain frozen dataclasses,
never an ORM object, never a whole ID or card number.

Stable names and signatures (the kiosk builds on them):

* `policies(session, township_id, *, level=None, department=None, keyword=None, year=None) -> list[PolicyCard]`
* `policy(session, township_id, policy_id) -> PolicyCard | None`
* `departments(session, township_id) -> list[str]`
* `published_lists(session, village_id) -> list[PublicList]` (batches whose notice has started; no rows)
* `public_list(session, village_id, batch_id) -> PublicList | None` (with its masked rows)
* `household_payments(session, township_id, head_name, id_last4) -> list[PublicPayment] | None`

`household_payments` answers None when no household has that name and those last four ID digits: the caller
must answer "none" and "wrong digits" alike (and throttle the lookups).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from threeassets.core.db import fen
from threeassets.core.masking import mask_id
from threeassets.core.money import from_fen
from threeassets.core.pagination import any_contains, search_word
from threeassets.orgs.models import Village
from threeassets.orgs.settings import get_settings
from threeassets.subsidies.models import Batch, BatchRow, Household, Policy
from threeassets.subsidies.rules import (
    BATCH_STATE_LABELS,
    LEVEL_LABELS,
    POLICY_STATUS_LABELS,
    PUBLISHED_STATES,
    UNIT_LABELS,
    applies_in,
    clean_digits,
    kept,
    kept_years,
    quantity_unit,
    same_name,
)

PUBLISHED = PUBLISHED_STATES  # a batch's list is public once its notice has started


@dataclass(frozen=True)
class PolicyCard:
    """A policy as the public reads it."""

    id: int
    code: str
    level: str  # 中央 / 省 / 市 / 县
    department: str
    name: str
    basis: str
    basis_date: date | None
    eligibility: str
    standard: str
    rate: Decimal | None
    unit: str  # 元/亩 …
    year_from: int
    year_to: int | None
    years: str  # 2016年起 / 2021—2025年
    payment: str
    service_item: str  # the window item code that answers questions
    summary: str
    full_text: str
    status: str  # 执行中 / 已停止


@dataclass(frozen=True)
class PublicRow:
    """One household on a published list: the ID masked, never whole."""

    group: str
    number: str
    head_name: str
    id_masked: str
    quantity: Decimal
    rate: Decimal
    amount: Decimal
    paid_amount: Decimal | None
    paid_on: date | None


@dataclass(frozen=True)
class PublicList:
    """A batch's list for one village, as posted on the notice board (rows only from public_list)."""

    batch_id: int
    policy_id: int
    policy_name: str
    year: int
    name: str
    state: str  # 公示中 / 公示期满 / 已发放
    village_name: str
    notice_from: date | None
    notice_to: date | None
    households: int
    total: Decimal
    supervision_phone: str
    rows: tuple[PublicRow, ...] = ()
    rate_unit: str = ""  # 元/亩 …: the policy's standard
    quantity_unit: str = ""  # 亩 …: what the quantity counts


@dataclass(frozen=True)
class PublicPayment:
    """What one household was put on a published list for, and what it was paid."""

    policy_name: str
    year: int
    batch_name: str
    village_name: str
    state: str
    amount: Decimal
    paid_amount: Decimal | None
    paid_on: date | None


def years_text(year_from: int, year_to: int | None) -> str:
    """The years a policy applies, as a villager reads them."""
    if year_to is None:
        return f"{year_from}年起"
    return f"{year_from}年" if year_to == year_from else f"{year_from}—{year_to}年"


def card_of(p: Policy) -> PolicyCard:
    """A policy row as its public card."""
    return PolicyCard(p.id, p.code, LEVEL_LABELS.get(p.level, p.level), p.department, p.name, p.basis, p.basis_date,
                      p.eligibility, p.standard, p.rate, UNIT_LABELS.get(p.unit, p.unit), p.year_from, p.year_to,
                      years_text(p.year_from, p.year_to), p.payment, p.service_item, p.summary, p.full_text,
                      POLICY_STATUS_LABELS.get(p.status, p.status))


def _shown(this_year: int):
    """The catalogue's rows, `rules.kept` in SQL: policies that applied in one of the last three years (started
    by this year, not ended before the first of them), active or retired."""
    first, last = kept_years(this_year)
    return and_(Policy.year_from <= last, or_(Policy.year_to.is_(None), Policy.year_to >= first))


def _level_code(level: str | None) -> str | None:
    """A level given as its code (central) or label (中央)."""
    if not level:
        return None
    return level if level in LEVEL_LABELS else {v: k for k, v in LEVEL_LABELS.items()}.get(level, "?")


def policy_query(township_id: int, *, level=None, department=None, keyword=None, year=None, today=None):
    """The select of a township's catalogue with the public filters (staff pages add their own)."""
    this_year = (today or date.today()).year
    q = select(Policy).where(Policy.township_id == township_id, _shown(this_year))
    if code := _level_code(level):
        q = q.where(Policy.level == code)
    if department:
        q = q.where(Policy.department == department)
    if year:
        q = q.where(Policy.year_from <= year, or_(Policy.year_to.is_(None), Policy.year_to >= year))
    if word := search_word(keyword):
        q = q.where(any_contains((Policy.name, Policy.department, Policy.summary, Policy.initials), word))
    return q.order_by(Policy.level, Policy.department, Policy.code)


def policies(session: Session, township_id: int, *, level: str | None = None, department: str | None = None,
             keyword: str | None = None, year: int | None = None, today: date | None = None) -> list[PolicyCard]:
    """The township's policies of the last three years (or of `year`), by level, department or keyword (name,
    department, summary, or the name's pinyin initials)."""
    q = policy_query(township_id, level=level, department=department, keyword=keyword, year=year, today=today)
    return [card_of(p) for p in session.scalars(q)]


def policy(session: Session, township_id: int, policy_id: int, *, today: date | None = None) -> PolicyCard | None:
    """One policy of the township, when it applied within the last three years (`rules.kept`)."""
    this_year = (today or date.today()).year
    p = session.scalar(select(Policy).where(Policy.id == policy_id, Policy.township_id == township_id,
                                            _shown(this_year)))
    return card_of(p) if p is not None and kept(p.year_from, p.year_to, this_year) else None


def departments(session: Session, township_id: int, *, today: date | None = None) -> list[str]:
    """The departments of the policies the public sees, in name order."""
    this_year = (today or date.today()).year
    q = (select(Policy.department).where(Policy.township_id == township_id, _shown(this_year))
         .distinct().order_by(Policy.department))
    return list(session.scalars(q))


def _list_query(village_id: int):
    """Published batches with their village's household count and total (one aggregate query)."""
    return (select(Batch, Policy.name, func.count(BatchRow.id), func.sum(fen(BatchRow.amount)), Policy.unit)
            .join(BatchRow, BatchRow.batch_id == Batch.id).join(Policy, Policy.id == Batch.policy_id)
            .where(BatchRow.village_id == village_id, Batch.state.in_(PUBLISHED))
            .group_by(Batch.id, Batch.township_id, Policy.name, Policy.unit))


def _public_list(batch: Batch, policy_name: str, village: Village, phone: str, count: int, total, unit: str | None,
                 rows: tuple[PublicRow, ...] = ()) -> PublicList:
    rate_unit = UNIT_LABELS.get(unit or "", unit or "")
    return PublicList(batch.id, batch.policy_id, policy_name, batch.year, batch.name,
                      BATCH_STATE_LABELS[batch.state], village.name, batch.notice_from, batch.notice_to, count,
                      from_fen(total), phone, rows, rate_unit, quantity_unit(rate_unit))


def published_lists(session: Session, village_id: int) -> list[PublicList]:
    """The village's lists whose notice has started (never a draft), newest first, without their rows."""
    village = session.get(Village, village_id)
    if village is None:
        return []
    phone = get_settings(session, village.township_id).supervision_phone
    q = _list_query(village_id).order_by(Batch.year.desc(), Batch.notice_from.desc(), Batch.id.desc())
    return [_public_list(b, name, village, phone, n, total, unit) for b, name, n, total, unit in session.execute(q)]


def public_rows(session: Session, village_id: int, batch_id: int) -> tuple[PublicRow, ...]:
    """A batch's rows of one village, by household number, the IDs masked."""
    q = (select(BatchRow, Household).join(Household, Household.id == BatchRow.household_id)
         .where(BatchRow.batch_id == batch_id, BatchRow.village_id == village_id)
         .order_by(Household.number))
    return tuple(PublicRow(h.group_name, h.number, h.head_name, mask_id(h.id_number), r.quantity, r.rate, r.amount,
                           r.paid_amount, r.paid_on) for r, h in session.execute(q))


def public_list(session: Session, village_id: int, batch_id: int) -> PublicList | None:
    """A published batch's list for the village with its masked rows; None for a draft, another township's
    batch or a batch with no household of the village."""
    village = session.get(Village, village_id)
    if village is None:
        return None
    found = session.execute(_list_query(village_id).where(Batch.id == batch_id,
                                                          Batch.township_id == village.township_id)).first()
    if found is None:
        return None
    batch, name, count, total, unit = found
    phone = get_settings(session, village.township_id).supervision_phone
    return _public_list(batch, name, village, phone, count, total, unit, public_rows(session, village_id, batch_id))


def household_payments(session: Session, township_id: int, head_name: str,
                       id_last4: str) -> list[PublicPayment] | None:
    """A household's entries on the township's published lists, found by the head's name (NFKC, spaces ignored)
    and the last four digits of the ID; None when no household matches both."""
    tail = clean_digits(id_last4)
    if len(tail) != 4:
        return None
    found = [h for h in session.scalars(select(Household).where(Household.township_id == township_id,
                                                                 Household.id_last4 == tail))
             if same_name(h.head_name, head_name)]
    if not found:
        return None
    q = (select(BatchRow, Batch, Policy.name, Village.name).join(Batch, Batch.id == BatchRow.batch_id)
         .join(Policy, Policy.id == Batch.policy_id).join(Village, Village.id == BatchRow.village_id)
         .where(BatchRow.household_id.in_([h.id for h in found]), Batch.state.in_(PUBLISHED))
         .order_by(Batch.year.desc(), Batch.id.desc()))
    return [PublicPayment(policy_name, b.year, b.name, village_name, BATCH_STATE_LABELS[b.state], r.amount,
                          r.paid_amount, r.paid_on) for r, b, policy_name, village_name in session.execute(q)]


def applies(card: PolicyCard, year: int) -> bool:
    """Whether a policy card applies in a year."""
    return applies_in(card.year_from, card.year_to, year)
