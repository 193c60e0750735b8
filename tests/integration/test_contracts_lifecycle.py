"""Contract lifecycle: drafts, activation rules, subject statuses, end, termination, renewal; bad input writes
nothing (row and audit counts unchanged)."""
from datetime import date
from decimal import Decimal as D

import pytest

from tests.integration.contract_helpers import FULL_DECISION, TODAY, active, asset, counts, draft, form, resource
from threeassets.contracts import service
from threeassets.contracts.models import Contract, Installment
from threeassets.core.db import transaction
from threeassets.core.errors import IllegalMove, RuleError
from threeassets.resources.models import Resource


def _refused(session, world, fn, match):
    """Run fn in a transaction, expect a RuleError matching `match`, and prove nothing was written."""
    before = counts(session)
    with pytest.raises(RuleError, match=match) as err, transaction(session):
        fn()
    assert counts(session) == before
    return err.value


def test_draft_has_a_generated_schedule_and_decision_record(session, world):
    res = resource(session, world)
    c = draft(session, world, [(f"resource:{res.id}", "12.50")])
    assert c.status == "draft" and c.decision_id is not None
    assert [(i.due_on, i.amount) for i in c.installments] == [(date(2024 + k, 1, 1), D("10000.00")) for k in range(5)]
    assert c.subjects[0].area_mu == D("12.50")
    assert session.get(Resource, res.id).status == "unlet"  # a draft holds nothing


def test_activation_lets_the_subjects_and_end_gives_them_back(session, world):
    res, card = resource(session, world), asset(session, world.a1)
    c = active(session, world, [(f"resource:{res.id}", ""), (f"asset:{card.id}", "")])
    assert c.status == "active"
    assert session.get(Resource, res.id).status == "let"
    from threeassets.assets.models import Asset
    assert session.get(Asset, card.id).status == "leased"
    with pytest.raises(RuleError, match="未到期"), transaction(session):
        service.end(session, village=world.a1, contract=c, on=date(2028, 12, 30), actor=None)
    with transaction(session):
        service.end(session, village=world.a1, contract=c, on=date(2028, 12, 31), actor=None)
    assert c.status == "ended"
    assert session.get(Resource, res.id).status == "unlet" and session.get(Asset, card.id).status == "in_use"


def test_termination_cancels_future_installments_and_releases(session, world):
    res = resource(session, world)
    c = active(session, world, [(f"resource:{res.id}", "")])
    with transaction(session):
        n = service.terminate(session, village=world.a1, contract=c, on=date(2025, 6, 30), reason="承包方弃耕",
                              actor=world.user("head"))
    assert n == 3  # 2026, 2027, 2028 cancelled; 2024 and 2025 remain owed
    assert [i.status for i in c.installments] == ["scheduled", "scheduled", "cancelled", "cancelled", "cancelled"]
    assert c.status == "terminated" and "承包方弃耕" in c.note
    assert session.get(Resource, res.id).status == "unlet"
    _refused(session, world, lambda: service.terminate(session, village=world.a1, contract=c, on=TODAY, reason="x",
                                                       actor=None), "不能解除")


def test_terminate_needs_a_reason(session, world):
    res = resource(session, world)
    c = active(session, world, [(f"resource:{res.id}", "")])
    _refused(session, world, lambda: service.terminate(session, village=world.a1, contract=c, on=TODAY, reason=" ",
                                                       actor=None), "解除原因")


def test_bad_check_digit_is_refused_naming_the_field(session, world):
    res = resource(session, world)
    err = _refused(session, world, lambda: service.create_draft(
        session, village=world.a1, data=form(party_id_no="340121198005121235"), refs=[(f"resource:{res.id}", "")],
        actor=None, today=TODAY), "校验位")
    assert "party_id_no" in err.fields and "对方证件号码" in str(err)
    err = _refused(session, world, lambda: service.create_draft(
        session, village=world.a1, data=form(party_type="org", party_id_no="93340100MA2N0DEM0K"),
        refs=[(f"resource:{res.id}", "")], actor=None, today=TODAY), "统一社会信用代码")
    assert "party_id_no" in err.fields


def test_end_before_start_and_negative_let_area_are_refused(session, world):
    res = resource(session, world)
    ref = [(f"resource:{res.id}", "")]
    err = _refused(session, world, lambda: service.create_draft(
        session, village=world.a1, data=form(ends_on="2023-12-31"), refs=ref, actor=None, today=TODAY), "终止日期")
    assert "ends_on" in err.fields
    _refused(session, world, lambda: service.create_draft(
        session, village=world.a1, data=form(), refs=[(f"resource:{res.id}", "-2")], actor=None, today=TODAY),
        "面积")
    _refused(session, world, lambda: service.create_draft(
        session, village=world.a1, data=form(), refs=[(f"resource:{res.id}", "31")], actor=None, today=TODAY),
        "超过")


def test_overlapping_contract_on_the_same_subject_is_refused(session, world):
    res = resource(session, world)
    active(session, world, [(f"resource:{res.id}", "10")])
    ref = [(f"resource:{res.id}", "5")]  # another part of the same parcel: still refused (areas not tracked)
    err = _refused(session, world, lambda: service.create_draft(
        session, village=world.a1, data=form(code="HT-2", starts_on="2028-12-31", ends_on="2030-12-31"), refs=ref,
        actor=None, today=TODAY), "期限重叠")
    assert "HT-1" in str(err)
    c = draft(session, world, ref, code="HT-3", starts_on="2029-01-01", ends_on="2030-12-31")  # after: fine
    assert c.status == "draft"


def test_overlap_is_checked_again_at_activation(session, world):
    res = resource(session, world)
    ref = [(f"resource:{res.id}", "")]
    first = draft(session, world, ref)
    second = draft(session, world, ref, code="HT-2")  # drafts do not hold the parcel
    with transaction(session):
        service.activate(session, village=world.a1, contract=first, actor=None)
    _refused(session, world, lambda: service.activate(session, village=world.a1, contract=second, actor=None),
             "期限重叠")
    assert session.get(Contract, second.id).status == "draft"


def test_activation_without_required_decision_steps_is_refused(session, world):
    res = resource(session, world)
    c = draft(session, world, [(f"resource:{res.id}", "")], d_members_on="", d_result_notice_on="")
    err = _refused(session, world, lambda: service.activate(session, village=world.a1, contract=c, actor=None),
                   "四议两公开")
    assert "党员大会审议" in str(err) and "实施结果公开" in str(err)
    # a small contract needs fewer steps (default rules: under 10,000 only the resolution and its notice)
    blank = ("d_proposal_on", "d_committees_on", "d_members_on", "d_result_notice_on")
    small = draft(session, world, [(f"resource:{res.id}", "")], code="HT-9", total_price="8000.00",
                  starts_on="2029-01-01", ends_on="2029-12-31", **{k: "" for k in blank})
    with transaction(session):
        service.activate(session, village=world.a1, contract=small, actor=None)
    assert small.status == "active"


def test_no_decision_record_at_all_is_refused(session, world):
    res = resource(session, world)
    c = draft(session, world, [(f"resource:{res.id}", "")], **{k: "" for k in FULL_DECISION})
    assert c.decision_id is None
    _refused(session, world, lambda: service.activate(session, village=world.a1, contract=c, actor=None),
             "村民（代表）会议决议")


def test_inconsistent_decision_record_is_refused(session, world):
    res = resource(session, world)
    _refused(session, world, lambda: service.create_draft(
        session, village=world.a1, data=form(d_votes_for="10"), refs=[(f"resource:{res.id}", "")], actor=None,
        today=TODAY), "未通过")


def test_an_impossible_decision_date_is_named_as_such(session, world):
    res = resource(session, world)
    err = _refused(session, world, lambda: service.create_draft(
        session, village=world.a1, data=form(d_members_on="2024-02-30"), refs=[(f"resource:{res.id}", "")],
        actor=None, today=TODAY), "2024年2月没有30日")
    assert "2024年2月没有30日" in err.fields["d_members_on"]


def test_schedule_can_be_edited_before_activation_only(session, world):
    res = resource(session, world)
    c = draft(session, world, [(f"resource:{res.id}", "")])
    rows = [(date(2024, 1, 1), D("20000.00")), (date(2026, 1, 1), D("30000.00"))]
    with transaction(session):
        service.save_schedule(session, village=world.a1, contract=c, rows=rows, actor=None)
    assert [(i.seq, i.due_on, i.amount) for i in c.installments] == [(1, *rows[0]), (2, *rows[1])]
    _refused(session, world, lambda: service.save_schedule(
        session, village=world.a1, contract=c, rows=[(date(2024, 1, 1), D("49999.99"))], actor=None), "不等")
    with transaction(session):
        service.activate(session, village=world.a1, contract=c, actor=None)
    with pytest.raises(IllegalMove), transaction(session):
        service.save_schedule(session, village=world.a1, contract=c, rows=rows, actor=None)


def test_renewal_carries_subjects_and_marks_the_old_contract_renewed(session, world):
    res = resource(session, world)
    old = active(session, world, [(f"resource:{res.id}", "")])
    values = service.renewal_values(old)
    assert values["starts_on"] == "2029-01-01" and values["party_name"] == "张三"
    _refused(session, world, lambda: service.create_draft(
        session, village=world.a1, data=form(code="HT-2", starts_on="2028-06-01", ends_on="2033-12-31"),
        refs=[(f"resource:{res.id}", "")], actor=None, today=TODAY, renews=old), "之后开始")
    with transaction(session):
        new = service.create_draft(session, village=world.a1, data=form(code="HT-2", starts_on="2029-01-01",
                                                                         ends_on="2033-12-31"),
                                   refs=[(f"resource:{res.id}", "")], actor=None, today=TODAY, renews=old)
        service.activate(session, village=world.a1, contract=new, actor=None)
    assert old.status == "renewed" and new.renews_id == old.id
    assert session.get(Resource, res.id).status == "let"


def test_a_contract_is_renewed_once(session, world):
    res = resource(session, world)
    old = active(session, world, [(f"resource:{res.id}", "")])
    def renew(code):
        return service.create_draft(session, village=world.a1, refs=[(f"resource:{res.id}", "")], actor=None,
                                    data=form(code=code, starts_on="2029-01-01", ends_on="2033-12-31"),
                                    today=TODAY, renews=old)
    with transaction(session):
        renew("HT-2")
    err = _refused(session, world, lambda: renew("HT-3"), "^该合同已有续签合同，不能重复续签$")
    assert isinstance(err, IllegalMove)


def test_a_draft_holding_a_deposit_is_not_deleted(session, world):
    from threeassets.contracts import books
    res = resource(session, world)
    c = draft(session, world, [(f"resource:{res.id}", "")])
    with transaction(session):
        books.receive_deposit(session, village=world.a1, contract=c, on=date(2024, 5, 3), amount=D("500.00"),
                              method="bank", actor=None)
    err = _refused(session, world, lambda: service.delete_draft(session, village=world.a1, contract=c, actor=None),
                   "^已收履约保证金的合同不能删除，请先退还保证金$")
    assert isinstance(err, IllegalMove)


def test_ending_one_contract_keeps_a_subject_another_active_contract_holds(session, world):
    res = resource(session, world)
    old = active(session, world, [(f"resource:{res.id}", "")], ends_on="2024-12-31", total_price="10000.00")
    new = active(session, world, [(f"resource:{res.id}", "")], code="HT-2", starts_on="2025-01-01")
    with transaction(session):
        service.end(session, village=world.a1, contract=old, on=date(2025, 1, 2), actor=None)
    assert session.get(Resource, res.id).status == "let" and new.status == "active"


def test_disposed_assets_and_other_villages_subjects_are_refused(session, world):
    card = asset(session, world.a1, status="disposed")
    other = resource(session, world, world.a2, code="X-1")
    _refused(session, world, lambda: service.create_draft(
        session, village=world.a1, data=form(), refs=[(f"asset:{card.id}", "")], actor=None, today=TODAY), "已处置")
    _refused(session, world, lambda: service.create_draft(
        session, village=world.a1, data=form(), refs=[(f"resource:{other.id}", "")], actor=None, today=TODAY),
        "不属于本村")
    _refused(session, world, lambda: service.create_draft(
        session, village=world.a1, data=form(), refs=[], actor=None, today=TODAY), "至少选择")


def test_delete_draft_and_duplicate_code(session, world):
    res = resource(session, world)
    c = draft(session, world, [(f"resource:{res.id}", "")])
    _refused(session, world, lambda: service.create_draft(
        session, village=world.a1, data=form(), refs=[(f"resource:{res.id}", "")], actor=None, today=TODAY),
        "已存在")
    with transaction(session):
        service.delete_draft(session, village=world.a1, contract=c, actor=None)
    assert counts(session)["contract"] == 0 and counts(session)["installment"] == 0


def test_update_draft_regenerates_schedule_when_price_changes(session, world):
    res = resource(session, world)
    c = draft(session, world, [(f"resource:{res.id}", "")])
    with transaction(session):
        service.update_draft(session, village=world.a1, contract=c, data=form(total_price="10000.01",
                                                                              frequency="half_yearly"),
                             refs=[(f"resource:{res.id}", "")], actor=None, today=TODAY)
    amounts = [i.amount for i in session.get(Contract, c.id).installments]
    assert len(amounts) == 10 and sum(amounts) == D("10000.01") and amounts[-1] == D("1000.01")
    assert session.query(Installment).count() == 10
