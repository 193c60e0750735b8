"""Conditional materials (视情形提交) on the database: the catalogue states them, intake and 登记材料 mark them not
applicable (audited, on the timeline and the receipt), only what is missing blocks 受理 and goes on the notice."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from threeassets.core.audit import AuditEvent
from threeassets.core.db import transaction
from threeassets.core.errors import RuleError
from threeassets.windows import queries, service
from threeassets.windows.catalogue import ItemInput, item_by_code, save_item, windows_of
from threeassets.windows.models import Case, CaseEvent
from threeassets.windows.rules import Mark

DISABILITY = "残疾证、病历等证明"  # 低保: 有残疾或重病成员时提供
DIBAO = ["最低生活保障申请书", "户口簿", "家庭成员身份证", "家庭经济状况核对授权书", "家庭收入和财产状况申报材料"]


@pytest.fixture
def dibao(session, world):
    """Intake of a 低保 case in township A: the five always-required papers received (originals seen) and the
    disability papers marked as given."""
    def _intake(disability: Mark, **marks: Mark):
        item = item_by_code(session, world.township_a.id, "dibao")
        given = {name: Mark(received=True, original_seen=True) for name in DIBAO} | {DISABILITY: disability} | marks
        with transaction(session):
            return service.intake(session, township=world.township_a, item=item, actor=world.user("clerk"),
                                  applicant_name="韩桂芝", applicant_phone="13955116789", village_id=world.a1.id,
                                  subject="申请最低生活保障", materials=given)
    return _intake


def row(case: Case, name: str):
    return next(m for m in case.checklist if m.name == name)


def audit_details(session, action: str) -> list[dict]:
    return [json.loads(d) for d in session.scalars(select(AuditEvent.detail).where(AuditEvent.action == action)
                                                   .order_by(AuditEvent.id))]


def test_the_default_catalogue_marks_what_is_needed_only_in_some_cases(session, world):
    for township in (world.township_a, world.township_b):
        disability = row_of(item_by_code(session, township.id, "dibao"), DISABILITY)
        assert (disability.requirement, disability.note) == ("conditional", "有残疾或重病成员时提供")
        cert = row_of(item_by_code(session, township.id, "cert"), "村委会推荐意见（需证明集体事项时）")
        assert (cert.requirement, cert.note) == ("conditional", "需证明集体事项时提供")
        assert row_of(item_by_code(session, township.id, "dibao"), "户口簿").requirement == "always"


def row_of(item, name):
    return next(m for m in item.materials if m.name == name)


def test_a_material_not_applicable_to_the_case_does_not_stop_acceptance(session, world, dibao):
    case = dibao(Mark(not_applicable=True))
    disability = row(case, DISABILITY)
    assert (disability.requirement, disability.applies_when, disability.not_applicable, disability.received) == \
        ("conditional", "有残疾或重病成员时提供", True, False)
    assert service.missing_of(case) == [] and service.not_applicable_of(case) == [DISABILITY]
    intake = session.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id))
    assert intake.note == f"不适用：{DISABILITY}" and intake.actor_id == world.user("clerk").id
    assert audit_details(session, "case.intake")[-1]["not_applicable"] == [DISABILITY]
    with transaction(session):
        service.accept(session, case, world.user("clerk"))
    assert case.state == "accepted"
    printed = queries.print_data(session, case)
    assert printed.not_applicable == [(DISABILITY, "有残疾或重病成员时提供；本件不属于此情形")]
    assert DISABILITY not in [name for name, _copies, _seen in printed.materials]


def test_a_conditional_material_that_applies_and_is_missing_still_blocks(session, world, dibao):
    case = dibao(Mark())
    assert service.missing_of(case) == [DISABILITY]
    with pytest.raises(RuleError, match=f"材料不齐全，不能受理，请出具一次性告知书：{DISABILITY}$"), \
            transaction(session):
        service.accept(session, case, world.user("clerk"))
    session.refresh(case)
    assert case.state == "intake"


def test_an_always_required_material_cannot_be_excused(session, world, dibao):
    with pytest.raises(RuleError, match="“户口簿”为必交材料，不能标为不适用"):
        dibao(Mark(not_applicable=True), 户口簿=Mark(not_applicable=True))
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Case)) == 0
    case = dibao(Mark(received=True))
    hukou = row(case, "户口簿")
    with pytest.raises(RuleError, match="为必交材料"), transaction(session):
        service.record_materials(session, case, world.user("clerk"), {hukou.id: Mark(not_applicable=True)})
    session.refresh(hukou)
    assert hukou.received and not hukou.not_applicable
    assert [e.action for e in session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id))] == ["intake"]


def test_registering_materials_records_who_excused_what(session, world, dibao):
    case = dibao(Mark())
    clerk, head = world.user("clerk"), world.user("head")
    marks = {m.id: Mark(received=True, original_seen=True) for m in case.checklist if m.name != DISABILITY}
    with transaction(session):
        service.record_materials(session, case, head, marks | {row(case, DISABILITY).id: Mark(not_applicable=True)})
    assert service.missing_of(case) == [] and row(case, DISABILITY).not_applicable
    detail = audit_details(session, "case.materials")[-1]
    assert (detail["missing_before"], detail["missing_after"]) == ([DISABILITY], [])
    assert (detail["not_applicable_before"], detail["not_applicable_after"]) == ([], [DISABILITY])
    event = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)).all()[-1]
    assert (event.action, event.actor_id, event.note) == ("materials", head.id, f"材料已齐全；不适用：{DISABILITY}")
    # a row not given stays not applicable; the clerk may say it applies after all
    with transaction(session):
        service.record_materials(session, case, clerk, marks)
    assert row(case, DISABILITY).not_applicable
    with transaction(session):
        service.record_materials(session, case, clerk, marks | {row(case, DISABILITY).id: Mark()})
    assert service.missing_of(case) == [DISABILITY] and not row(case, DISABILITY).not_applicable


def test_the_one_time_notice_lists_exactly_what_is_missing(session, world, dibao):
    case = dibao(Mark(not_applicable=True), 户口簿=Mark(), 家庭经济状况核对授权书=Mark(received=True))
    clerk = world.user("clerk")
    assert service.missing_of(case) == ["户口簿", "家庭经济状况核对授权书（须核验原件）"]
    with pytest.raises(RuleError, match="还缺：家庭经济状况核对授权书（须核验原件）$"), transaction(session):
        service.notify_missing(session, case, clerk, ["户口簿"])
    session.rollback()
    with pytest.raises(RuleError, match=f"不适用的材料不能列入一次性告知书：{DISABILITY}"), transaction(session):
        service.notify_missing(session, case, clerk, ["户口簿", "家庭经济状况核对授权书", DISABILITY])
    session.rollback()
    with transaction(session):
        service.notify_missing(session, case, clerk, service.missing_of(case) + ["村委会出具的家庭情况说明"])
    assert service.missing_list(case) == ["户口簿", "家庭经济状况核对授权书（须核验原件）", "村委会出具的家庭情况说明"]
    # what the notice asked for arrives: acceptance needs nothing more
    marks = {m.id: Mark(received=True, original_seen=True) for m in case.checklist if not m.not_applicable}
    with transaction(session):
        service.record_materials(session, case, clerk, marks)
        service.accept(session, case, clerk)
    assert case.state == "accepted"


def _item_input(window_id, materials) -> ItemInput:
    return ItemInput(code="hardship", name="困难补助申请", window_id=window_id, days_limit="5", fee="0",
                     legal_basis="", steps="", active=True, materials=materials)


def test_the_catalogue_saves_a_materials_requirement_and_the_case_keeps_its_copy(session, world):
    head, window = world.user("head"), windows_of(session, world.township_a.id)[0].id
    with pytest.raises(RuleError, match="视情形提交，请在说明中写明何种情形需提交"), transaction(session):
        save_item(session, world.township_a, head, item=None, data=_item_input(
            window, [("申请书", "1", True, "", "always"), ("病历", "1", False, " ", "conditional")]))
    session.rollback()
    with pytest.raises(RuleError, match="提交要求应为必交或视情形提交"), transaction(session):
        save_item(session, world.township_a, head, item=None,
                  data=_item_input(window, [("申请书", "1", True, "", "maybe")]))
    session.rollback()
    with transaction(session):
        item = save_item(session, world.township_a, head, item=None, data=_item_input(
            window, [("申请书", "1", True, "", "always"), ("病历", "1", False, "有重病成员时提供", "conditional")]))
    assert [(m.name, m.requirement, m.note) for m in item.materials] == [
        ("申请书", "always", ""), ("病历", "conditional", "有重病成员时提供")]
    assert audit_details(session, "catalogue.item")[-1]["after"]["conditional"] == ["病历"]
    with transaction(session):
        case = service.intake(session, township=world.township_a, item=item, actor=world.user("clerk"),
                              applicant_name="张三", applicant_phone="13800001234",
                              materials={"申请书": Mark(received=True, original_seen=True),
                                         "病历": Mark(not_applicable=True)})
    with transaction(session):  # the catalogue changes; the case keeps the checklist it was received with
        save_item(session, world.township_a, head, item=item,
                  data=_item_input(window, [("申请书", "1", True, "", "always"), ("病历", "1", False, "", "always")]))
    session.refresh(row(case, "病历"))
    assert (row(case, "病历").requirement, row(case, "病历").applies_when) == ("conditional", "有重病成员时提供")
    assert service.missing_of(case) == []


def test_another_townships_case_is_not_found(session, world, dibao):
    case = dibao(Mark(not_applicable=True))
    assert service.get_case(session, world.township_b.id, case.id) is None
    assert service.get_case(session, world.township_a.id, case.id) is case
