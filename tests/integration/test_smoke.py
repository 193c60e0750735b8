"""A first end-to-end check of the fixtures: post a voucher and see it in the trial balance."""
from datetime import date
from decimal import Decimal

from threeassets.reports.service import trial_balance


def test_posted_voucher_reaches_trial_balance(session, world, post_voucher):
    v = post_voucher(world.a1, date(2024, 5, 3), [("买文具", "513", "12.34", ""), ("买文具", "101", "", "12.34")])
    assert v.number == 1 and v.status == "posted"
    rows = {r.code: r for r in trial_balance(session, [world.a1.id], 202405, 202405)}
    assert rows["513"].debit == Decimal("12.34")
    assert rows["101"].credit == Decimal("12.34")
    assert rows["101"].cells()[5] == Decimal("12.34")
