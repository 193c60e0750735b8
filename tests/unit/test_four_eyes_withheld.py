"""Why a page offers no 审核 or 记账 a role would hold (ledger.rules.four_eyes_withheld): said only when the
voucher's state allows the step, the role holds it, and the person prepared or edited the voucher."""
import pytest

from threeassets.ledger.rules import FOUR_EYES, VoucherFacts, four_eyes_withheld

ME, OTHER = 1, 2
BOTH = {"voucher.review", "voucher.post", "voucher.prepare"}


@pytest.mark.parametrize(("status", "prepared_by", "permissions", "said"), [
    ("reviewed", {ME}, BOTH, [FOUR_EYES["post"]]),  # mine, reviewed by another: I may not post it
    ("draft", {ME}, BOTH, [FOUR_EYES["review"]]),
    ("reviewed", {OTHER}, BOTH, []),  # not mine: the button is there, nothing to say
    ("reviewed", {ME}, {"voucher.prepare"}, []),  # my role does not post: not a four-eyes matter
    ("posted", {ME}, BOTH, []),  # nothing more to do to it
])
def test_four_eyes_withheld(status, prepared_by, permissions, said):
    facts = VoucherFacts(status, frozenset(prepared_by))
    assert four_eyes_withheld(facts, ME, permissions) == said
