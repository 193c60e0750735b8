"""Property tests over random balanced vouchers: closing, reopening and re-closing never change a trial balance
(stored balances are only a shortcut), and a year close leaves the books as the standard wants them."""
from datetime import date
from decimal import Decimal
from itertools import count

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.conftest import lines
from tests.integration.test_closing import close, reopen
from threeassets.closing.models import PeriodBalance
from threeassets.closing.yearend import close_year
from threeassets.core.db import transaction
from threeassets.ledger import service
from threeassets.ledger.models import Account
from threeassets.orgs.service import upsert_village
from threeassets.reports.service import tb_totals, trial_balance

D = Decimal
CODES = ["101", "102", "112", "211", "301", "311", "501", "503", "511", "513", "514"]
SERIAL = count(1)
PROPERTY = settings(max_examples=10, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

voucher = st.tuples(st.integers(1, 12), st.integers(1, 28), st.sampled_from(CODES), st.sampled_from(CODES),
                    st.integers(1, 5_000_000)).filter(lambda v: v[2] != v[3])


def new_village(session, world):
    """A fresh village of township A for one example (examples share the test's database)."""
    with transaction(session):
        return upsert_village(session, world.township_a, f"P{next(SERIAL)}", "随机村")


def post_all(session, world, village, vouchers, last_month: int = 12) -> None:
    """Post each (month, day, debit code, credit code, fen) voucher of 2024 dated up to last_month."""
    for month, day, dr, cr, fen in sorted(vouchers):
        if month > last_month:
            continue
        amount = f"{D(fen).scaleb(-2):.2f}"
        with transaction(session):
            v = service.save_draft(session, village=village, actor=world.user("accountant"),
                                   voucher_date=date(2024, month, day), attachments=0,
                                   lines=lines(("随机", dr, amount, ""), ("随机", cr, "", amount)))
            service.review(session, voucher=v, village=village, actor=world.user("reviewer"))
            service.post(session, voucher=v, village=village, actor=world.user("accountant2"))


def all_ranges(session, ids) -> dict:
    """Trial balances of every single month of 2024 and of every month to 2025-01, as comparable tuples."""
    months = [202400 + m for m in range(1, 13)] + [202501]
    return {(s, e): [(r.code, r.opening, r.debit, r.credit) for r in trial_balance(session, ids, s, e)]
            for s in months for e in {s, months[-1]}}


def stored_rows(session, village) -> set:
    """Every stored balance of a village."""
    q = select(PeriodBalance.ym, PeriodBalance.account_id, PeriodBalance.balance).where(
        PeriodBalance.village_id == village.id)
    return set(session.execute(q).all())


@PROPERTY
@given(st.lists(voucher, min_size=1, max_size=10), st.lists(voucher, max_size=4), st.integers(1, 11),
       st.integers(1, 11), st.integers(1, 11))
def test_close_reopen_reclose_never_change_the_trial_balance(session, world, va_vouchers, vb_vouchers, upto, again,
                                                             other):
    va, vb = new_village(session, world), new_village(session, world)
    post_all(session, world, va, va_vouchers)
    post_all(session, world, vb, vb_vouchers)
    ids = [va.id, vb.id]
    before = all_ranges(session, ids)
    for month in range(1, upto + 1):
        close(session, va, 202400 + month)
    for month in range(1, other + 1):
        close(session, vb, 202400 + month)
    assert all_ranges(session, ids) == before
    kept = stored_rows(session, va)
    again = min(again, upto)
    reopen(session, va, 202400 + again, world.user("head"))
    assert all_ranges(session, ids) == before
    close(session, va, 202400 + again)
    assert stored_rows(session, va) == kept
    assert all_ranges(session, ids) == before


@PROPERTY
@given(st.lists(voucher, min_size=1, max_size=12))
def test_year_close_leaves_the_books_as_the_standard_wants(session, world, vouchers):
    village = new_village(session, world)
    post_all(session, world, village, vouchers)
    for month in range(1, 12):
        close(session, village, 202400 + month)
    before = {r.code: r.closing for r in trial_balance(session, [village.id], 202401, 202412)}
    categories = dict(session.execute(select(Account.code, Account.category)
                                      .where(Account.village_id == village.id, Account.level == 1)).all())
    net = -sum((v for c, v in before.items() if categories.get(c) in ("income", "expense")), D(0))
    with transaction(session):
        result = close_year(session, village, 2024, None)
    assert result.net_result == net
    after = {r.code: r.closing for r in trial_balance(session, [village.id], 202401, 202412, include_zero=True)}
    for code, category in categories.items():
        if category in ("income", "expense") or code == "321":
            assert after[code] == 0, code
        elif code == "322":
            assert after[code] == before.get(code, 0) - net + before.get("321", 0)
        else:
            assert after[code] == before.get(code, 0), code
    nxt = trial_balance(session, [village.id], 202501, 202501, include_zero=True)
    assert {r.code: r.opening for r in nxt if r.opening} == {c: v for c, v in after.items() if v}
    totals = tb_totals(trial_balance(session, [village.id], 202401, 202412))
    assert totals[2] == totals[3] and totals[4] == totals[5]
