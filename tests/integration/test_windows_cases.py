"""Case services: intake, one-time notice, acceptance and its due date, 补正 pause, transfer, completion, rejection."""
from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.integration.conftest import audit_count
from threeassets.core.audit import AuditEvent
from threeassets.core.db import transaction
from threeassets.core.errors import IllegalMove, RuleError
from threeassets.windows import rules, service
from threeassets.windows.catalogue import item_by_code, windows_of
from threeassets.windows.models import Case, CaseEvent

D = date.fromisoformat


@pytest.fixture
def hall(session, world):
    """Intake helper: a case of township A received by the clerk (materials: all ticked unless given)."""
    def _intake(code="claim", materials=None, today=None, **kw):
        item = item_by_code(session, world.township_a.id, code)
        args = dict(applicant_name="张三", applicant_phone="13800001234", village_id=world.a1.id) | kw
        with transaction(session):
            return service.intake(session, township=world.township_a, item=item, actor=world.user("clerk"),
                                  materials=materials, today=today, **args)
    return _intake


def events(session, case) -> list[tuple[str, str | None, str]]:
    """(action, from, to) of a case's timeline."""
    rows = session.execute(select(CaseEvent.action, CaseEvent.from_state, CaseEvent.to_state)
                           .where(CaseEvent.case_id == case.id).order_by(CaseEvent.id))
    return [tuple(r) for r in rows]


def test_new_township_has_the_default_catalogue(session, world):
    claim = item_by_code(session, world.township_b.id, "claim")
    assert claim.name == "村级报账" and claim.days_limit == 5
    assert any("农村集体经济组织财务制度" in claim.legal_basis for _ in [0])
    assert [m.seq for m in claim.materials] == list(range(1, len(claim.materials) + 1))
    assert {w.name for w in windows_of(session, world.township_b.id)} >= {"财务代理窗口", "资产资源窗口",
                                                                         "合同管理窗口", "综合受理窗口"}


def test_intake_numbers_cases_per_township_and_day(session, world, hall):
    a = hall(today=D("2026-11-26"))
    b = hall(today=D("2026-11-26"))
    c = hall(today=D("2026-11-27"))
    assert (a.number, b.number, c.number) == ("TA-20261126-0001", "TA-20261126-0002", "TA-20261127-0001")
    assert a.owner_id == a.handler_id == world.user("clerk").id and a.state == "intake"
    assert len(a.checklist) == 4 and all(m.received for m in a.checklist)
    assert events(session, a) == [("intake", None, "intake")]
    assert audit_count(session, "case.intake") == 3


def test_intake_refuses_bad_applicant_and_foreign_village(session, world, hall):
    with pytest.raises(RuleError) as exc:
        hall(applicant_phone="123", applicant_id_no="110105194912310021")
    assert set(exc.value.fields) == {"applicant_phone", "applicant_id_no"}
    with pytest.raises(RuleError, match="不属于本乡镇"):
        hall(village_id=world.b1.id)
    with pytest.raises(RuleError) as exc:  # the applicant and the village at once
        hall(applicant_name="", village_id=world.b1.id)
    assert set(exc.value.fields) == {"applicant_name", "village_id"}
    with pytest.raises(RuleError) as exc:  # a refused mark is named with the applicant's problem
        form = "村级报账单（经办人、民主理财小组、村主任签字）"
        hall(applicant_phone="", materials={form: rules.Mark(not_applicable=True)})
    assert set(exc.value.fields) == {"applicant_phone", "materials"} and "必交材料" in exc.value.fields["materials"]
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Case)) == 0


def test_a_notice_naming_nothing_is_refused(session, world, hall):
    case = hall()  # every material received
    with pytest.raises(RuleError, match="至少要列明一项需补正的材料"), transaction(session):
        service.notify_missing(session, case, world.user("clerk"), ["  "])
    assert case.state == "intake" and not case.missing


def test_one_time_notice_then_acceptance(session, world, hall):
    case = hall(materials={"村级报账单（经办人、民主理财小组、村主任签字）": (True, True)})
    with pytest.raises(RuleError, match="材料不齐全"), transaction(session):
        service.accept(session, case, world.user("clerk"))
    missing = service.missing_of(case)
    assert len(missing) == 3
    with transaction(session):
        service.notify_missing(session, case, world.user("clerk"), missing)
    assert case.state == "supplement" and json.loads(case.missing) == missing and case.paused_on is None
    with transaction(session):
        service.record_materials(session, case, world.user("clerk"),
                                 {m.id: (True, True) for m in case.checklist})
        service.accept(session, case, world.user("clerk"), today=D("2024-09-27"))
    assert case.state == "accepted" and case.accepted_on == D("2024-09-27")
    assert case.due_on == D("2024-10-10")  # 29 Sept (Sunday workday), 30 Sept, 8, 9, 10 Oct
    assert [e[0] for e in events(session, case)] == ["intake", "notify", "materials", "accept"]


def test_every_material_on_a_notice_waits_on_the_checklist_until_it_is_brought(session, world, hall):
    case = hall(code="cert")  # every material received, originals seen
    first = case.checklist[0]
    with transaction(session):  # asked again, and one more typed beside the checklist
        service.notify_missing(session, case, world.user("clerk"), [first.name, "户口簿复印件"])
    assert [m.name for m in case.checklist][-1] == "户口簿复印件"
    assert service.missing_of(case) == [first.name, "户口簿复印件"]  # neither received until brought
    with pytest.raises(RuleError, match="材料不齐全"), transaction(session):
        service.accept(session, case, world.user("clerk"))
    assert case.state == "supplement"
    with transaction(session):
        service.record_materials(session, case, world.user("clerk"), {m.id: (True, True) for m in case.checklist})
        service.accept(session, case, world.user("clerk"))
    assert case.state == "accepted" and service.missing_of(case) == []


def test_pause_during_handling_pushes_the_due_date(session, world, hall):
    clerk = world.user("clerk")
    case = hall()
    with transaction(session):
        service.accept(session, case, clerk, today=D("2024-09-27"))
        service.start(session, case, world.user("accountant"))
        service.notify_missing(session, case, clerk, ["发票原件"], today=D("2024-09-30"))
    assert case.state == "supplement" and case.paused_on == D("2024-09-30")
    with pytest.raises(IllegalMove, match="补正后继续办理"):
        service.accept(session, case, clerk)
    session.rollback()
    with pytest.raises(RuleError, match="发票原件"), transaction(session):  # the notice's material not yet brought
        service.resume(session, case, clerk, today=D("2024-10-09"))
    with transaction(session):
        service.record_materials(session, case, clerk, {m.id: (True, True) for m in case.checklist})
        service.resume(session, case, clerk, today=D("2024-10-09"))
    assert case.state == "in_progress" and case.paused_days == 2 and case.paused_on is None
    assert case.due_on == D("2024-10-12")  # 5 + 2 working days; Saturday 12 Oct is a make-up workday


def test_transfer_keeps_the_first_contact_owner(session, world, hall):
    case = hall()
    other = next(w for w in windows_of(session, world.township_a.id) if w.id != case.window_id)
    with transaction(session):
        service.accept(session, case, world.user("clerk"))
        service.start(session, case, world.user("accountant"))
        service.transfer(session, case, world.user("accountant"), other, "需资产窗口核对")
    assert case.window_id == other.id and case.owner_id == world.user("clerk").id and case.handler_id is None
    assert case.state == "in_progress"
    foreign = windows_of(session, world.township_b.id)[0]
    with pytest.raises(RuleError, match="本乡镇"):
        service.transfer(session, case, world.user("accountant"), foreign)
    session.rollback()
    with pytest.raises(RuleError, match="已在此窗口"):
        service.transfer(session, case, world.user("accountant"), other)


def test_complete_with_satisfaction_and_rate_later(session, world, hall):
    case, case2 = hall(), hall()
    with transaction(session):
        for c in (case, case2):
            service.accept(session, c, world.user("clerk"))
        service.complete(session, case, world.user("clerk"), "已生成凭证草稿", 5)
        service.complete(session, case2, world.user("clerk"), "已办结")
    assert case.state == "done" and case.satisfaction == 5 and case.finished_at is not None
    with transaction(session):
        service.rate(session, case2, world.user("clerk"), 3)
    assert case2.satisfaction == 3
    with pytest.raises(RuleError):
        service.complete(session, hall(), world.user("clerk"), "   ")
    session.rollback()
    with pytest.raises(RuleError, match="满意度"):
        service.rate(session, case2, world.user("clerk"), 6)


def test_a_case_is_rated_once(session, world, hall):
    case = hall(code="cert")
    with transaction(session):
        service.accept(session, case, world.user("clerk"))
        service.complete(session, case, world.user("clerk"), "已出具证明", 4)
    with pytest.raises(IllegalMove, match="^满意度已登记，不能重复评价$"), transaction(session):
        service.rate(session, case, world.user("clerk"), 2)
    session.expire_all()
    assert case.satisfaction == 4 and [e[0] for e in events(session, case)] == ["intake", "accept", "complete"]


def test_reject_needs_a_reason_and_ends_the_case(session, world, hall):
    case = hall()
    with pytest.raises(RuleError, match="理由"):
        service.reject(session, case, world.user("clerk"), " ")
    session.rollback()
    with transaction(session):
        service.reject(session, case, world.user("clerk"), "不属于受理范围")
    assert case.state == "rejected" and case.reject_reason == "不属于受理范围"
    for move in (lambda: service.accept(session, case, world.user("clerk")),
                 lambda: service.notify_missing(session, case, world.user("clerk"), ["x"]),
                 lambda: service.complete(session, case, world.user("clerk"), "x")):
        with pytest.raises(IllegalMove, match="不予受理"):
            move()
        session.rollback()


def test_every_move_writes_an_event_and_an_audit_row(session, world, hall):
    case = hall(code="cert")
    clerk = world.user("clerk")
    with transaction(session):
        service.notify_missing(session, case, clerk, ["村委会推荐意见"])
        service.record_materials(session, case, clerk, {m.id: (True, True) for m in case.checklist})
        service.accept(session, case, clerk)
        service.start(session, case, clerk)
        service.complete(session, case, clerk, "已出具证明", 4)
    assert [e[0] for e in events(session, case)] == ["intake", "notify", "materials", "accept", "start", "complete"]
    actions = list(session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "Case")
                                   .order_by(AuditEvent.id)))
    assert actions == ["case.intake", "case.notify", "case.materials", "case.accept", "case.start", "case.complete"]


def test_illegal_move_changes_nothing(session, world, hall):
    case = hall()
    with pytest.raises(IllegalMove, match="接件，不能办结"), transaction(session):
        service.complete(session, case, world.user("clerk"), "x")
    session.refresh(case)
    assert case.state == "intake" and len(events(session, case)) == 1


def _submitted_claim(session, world):
    """A submitted claim of a1 with one receipt, made through the claims service."""
    from decimal import Decimal

    from tests.web.conftest import PNG
    from threeassets.claims import service as claims
    from threeassets.claims.rules import ClaimInput, LineDraft
    data = ClaimInput("县城文具店", "firm", "6222021000123456789", "bank", date.today(), "13800001111", "李会计",
                      "王理财", "赵主任", date.today(), (LineDraft("购买办公用纸", "513", Decimal("120.00"), "vat"),))
    with transaction(session):
        claim = claims.save(session, village=world.a1, actor=world.user("vacct"), data=data)
        claims.attachments.store(session, village_id=world.a1.id, owner_type="claim", owner_id=claim.id,
                                 filename="发票.png", data=PNG, actor=world.user("vacct"))
        claims.submit(session, claim=claim, village=world.a1, actor=world.user("vacct"))
    return claim


@pytest.mark.parametrize("outcome", ["accept", "reject"])
def test_claim_case_hands_over_to_the_claims_service(session, world, outcome):
    from threeassets.claims import service as claims
    claim = _submitted_claim(session, world)
    clerk = world.user("clerk")
    with transaction(session):
        case = claims.receive(session, claim=claim, actor=clerk)
    assert case.claim_id == claim.id and case.number.startswith("TA-")
    with transaction(session):
        service.record_materials(session, case, clerk, {m.id: (True, True) for m in case.checklist})
        if outcome == "accept":
            service.accept(session, case, clerk)
        else:
            service.reject(session, case, clerk, "票据抬头不是本村")
    session.refresh(claim)
    if outcome == "accept":
        assert claim.status == "accepted" and claim.voucher_id is not None
    else:
        assert claim.status == "returned" and claim.return_reason == "票据抬头不是本村"


@pytest.mark.parametrize("finish", ["complete", "reject"])
def test_who_finishes_a_transferred_case_is_its_handler(session, world, hall, finish):
    """Transferred, nobody has taken it up yet (handler cleared); the clerk who then completes or rejects it is
    recorded as its handler, not left as 待接手 on a finished case."""
    case = hall()
    other = next(w for w in windows_of(session, world.township_a.id) if w.id != case.window_id)
    with transaction(session):
        service.accept(session, case, world.user("clerk"))
        service.transfer(session, case, world.user("clerk"), other)
    assert case.handler_id is None
    with transaction(session):
        if finish == "complete":
            service.complete(session, case, world.user("accountant"), "已办结")
        else:
            service.reject(session, case, world.user("accountant"), "材料不实")
    assert case.handler_id == world.user("accountant").id and case.owner_id == world.user("clerk").id


def test_an_over_long_reason_or_transfer_note_is_named_not_cut(session, world, hall):
    case = hall()
    with pytest.raises(RuleError, match="理由最多1000字（现 1001 字）"), transaction(session):
        service.reject(session, case, world.user("clerk"), "理" * 1001)
    other = next(w for w in windows_of(session, world.township_a.id) if w.id != case.window_id)
    with pytest.raises(RuleError, match="转办说明最多200字（现 201 字）"), transaction(session):
        service.transfer(session, case, world.user("clerk"), other, "说" * 201)
    session.rollback()
    assert session.get(Case, case.id).state == "intake"
