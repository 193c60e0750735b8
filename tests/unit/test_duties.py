"""Four-eyes rules that rest on roles rather than on who touched a record: the two sides of each are held by
roles that never overlap, so no single login can do both (a user has exactly one role)."""
from __future__ import annotations

import pytest

from threeassets.auth.rules import PERMISSIONS, Role

# (the side that makes, the side that checks): a claim is submitted by the village and received at the window;
# a notice is prepared and published by the agency and signed by the village's 民主理财小组.
SEPARATED = [
    ("claims.submit", "cases.handle"),
    ("disclosure.prepare", "disclosure.signoff"),
    ("disclosure.publish", "disclosure.signoff"),
]


@pytest.mark.parametrize(("maker", "checker"), SEPARATED)
def test_the_two_sides_of_a_role_based_four_eyes_rule_share_no_role(maker, checker):
    assert PERMISSIONS[maker] and PERMISSIONS[checker]
    assert not PERMISSIONS[maker] & PERMISSIONS[checker]


def test_the_voucher_and_disposal_rules_rest_on_the_person_not_the_role():
    """The head prepares, reviews and posts, and approves disposals: those four-eyes rules must (and do) look
    at who prepared or entered the record (ledger.rules.voucher_refusal, assets.rules.disposal_refusal)."""
    head = Role.AGENCY_HEAD
    for permission in ("voucher.prepare", "voucher.review", "voucher.post", "registers.edit", "disposal.approve"):
        assert head in PERMISSIONS[permission]
