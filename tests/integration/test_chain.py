"""The per-village hash chain: intact books verify; edits and deletions behind the app's back are named."""
from datetime import date

import pytest
from sqlalchemy import select, text

from tests.integration.conftest import account
from threeassets.core.db import transaction
from threeassets.ledger.chain import verify
from threeassets.ledger.models import ChainHead, Voucher

SPEC = (("买种子", "511", "300.00", ""), ("买种子", "102", "", "300.00"))


@pytest.fixture
def chained(world, post_voucher):
    """Three posted vouchers in a1 (two months) and two in a2."""
    a1 = [post_voucher(world.a1, date(2024, 5, d), SPEC) for d in (3, 10)]
    a1.append(post_voucher(world.a1, date(2024, 6, 1), SPEC))
    a2 = [post_voucher(world.a2, date(2024, 5, d), SPEC) for d in (4, 5)]
    return a1, a2


def tamper(session, sql: str, **params) -> None:
    """Run a statement and commit it."""
    with transaction(session):
        session.execute(text(sql), params)
    session.expire_all()


def test_intact_chain_verifies(session, world, chained):
    a1, a2 = chained
    assert verify(session) == ([], 5)
    assert verify(session, "A1") == ([], 3)
    assert verify(session, "B1") == ([], 0)
    assert [v.chain_seq for v in a1] == [1, 2, 3]
    assert a1[0].prev_hash == "" and a1[1].prev_hash == a1[0].hash and a1[2].prev_hash == a1[1].hash
    assert a2[0].prev_hash == ""  # each village has its own chain
    head = session.get(ChainHead, world.a1.id)
    assert (head.seq, head.last_hash) == (3, a1[2].hash)


def test_unknown_village(session, chained):
    problems, n = verify(session, "ZZ")
    assert n == 0 and "ZZ" in problems[0]


@pytest.mark.parametrize("sql", [
    "UPDATE voucher_line SET debit = debit + 1 WHERE voucher_id = :vid AND line_no = 1",
    "UPDATE voucher_line SET credit = 29999 WHERE voucher_id = :vid AND line_no = 2",
    "UPDATE voucher_line SET summary = '买化肥' WHERE voucher_id = :vid AND line_no = 1",
    "UPDATE voucher_line SET account_id = :other WHERE voucher_id = :vid AND line_no = 1",
], ids=["debit", "credit", "summary", "account"])
def test_tampered_line_is_named(session, world, chained, unguard, sql):
    a1, _a2 = chained
    target = a1[1]
    unguard("voucher_line")
    tamper(session, sql, vid=target.id, other=account(session, world.a1, "513").id)
    problems, _n = verify(session)
    assert len(problems) == 1  # a2 is untouched
    assert "内容被改动" in problems[0] and "A1" in problems[0]
    assert "2024-05 记-0002" in problems[0] and f"id {target.id}" in problems[0]
    assert verify(session, "A2") == ([], 2)


@pytest.mark.parametrize("sql", [
    "UPDATE voucher SET voucher_date = :day WHERE id = :vid",
    "UPDATE voucher SET number = 7 WHERE id = :vid",
], ids=["date", "number"])
def test_tampered_header_is_named(session, chained, unguard, sql):
    a1, _a2 = chained
    unguard("voucher")
    tamper(session, sql, vid=a1[0].id, day=date(2024, 5, 4))
    problems, _n = verify(session, "A1")
    assert len(problems) == 1 and f"id {a1[0].id}" in problems[0] and "内容被改动" in problems[0]


def test_rehashed_voucher_breaks_the_next_link(session, chained, unguard):
    a1, _a2 = chained
    unguard("voucher")
    tamper(session, "UPDATE voucher SET hash = :h WHERE id = :vid", h="0" * 64, vid=a1[0].id)
    problems, _n = verify(session, "A1")
    assert f"id {a1[0].id}" in problems[0]


def delete_voucher(session, vid: int) -> None:
    """Delete a posted voucher and its lines, as someone with database access could."""
    with transaction(session):
        session.execute(text("DELETE FROM voucher_line WHERE voucher_id = :vid"), {"vid": vid})
        session.execute(text("DELETE FROM voucher WHERE id = :vid"), {"vid": vid})
    session.expire_all()


def test_deleting_the_last_posted_voucher_is_detected_by_the_head(session, chained, unguard):
    a1, _a2 = chained
    last_id = a1[2].id
    unguard("voucher_line", "voucher")
    delete_voucher(session, last_id)
    assert session.scalar(select(Voucher.id).where(Voucher.id == last_id)) is None
    problems, n = verify(session, "A1")
    assert n == 2
    assert len(problems) == 1 and "链尾不符" in problems[0] and "A1" in problems[0]


def test_deleting_a_middle_voucher_breaks_the_chain(session, chained, unguard):
    a1, _a2 = chained
    middle_id, next_id = a1[1].id, a1[2].id
    unguard("voucher_line", "voucher")
    delete_voucher(session, middle_id)
    problems, _n = verify(session, "A1")
    assert len(problems) == 1 and "链断裂" in problems[0]
    assert f"id {next_id}" in problems[0]  # the voucher after the gap is named


def test_drafts_do_not_affect_the_chain(session, world, chained, draft):
    draft(world.a1, date(2024, 5, 20), SPEC)
    assert verify(session) == ([], 5)


def test_deleting_every_posted_voucher_is_detected(session, world, chained, unguard):
    a1, _a2 = chained
    ids = [v.id for v in a1]
    unguard("voucher_line", "voucher")
    for vid in reversed(ids):
        delete_voucher(session, vid)
    problems, n = verify(session, "A1")
    assert n == 0  # nothing left to check but the head, which still remembers three links
    assert len(problems) == 1 and "链尾不符" in problems[0]


def test_deleting_the_only_posted_voucher_is_detected(session, world, post_voucher, unguard):
    only = post_voucher(world.b1, date(2024, 5, 3), SPEC).id
    unguard("voucher_line", "voucher")
    delete_voucher(session, only)
    problems, _n = verify(session, "B1")
    assert len(problems) == 1 and "B1" in problems[0]
