"""Catalogue defaults and editing; the printed notice, receipt and rejection carry what they must (pypdf text)."""
from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from threeassets.core.db import transaction
from threeassets.core.errors import RuleError
from threeassets.windows import pdf, queries, service
from threeassets.windows.catalogue import (
    ItemInput,
    default_catalogue,
    ensure_default_catalogue,
    item_by_code,
    items_of,
    save_item,
    save_window,
    windows_of,
)


def text(data: bytes) -> str:
    """A PDF's text with whitespace removed (CJK has no word spaces; ReportLab may break lines anywhere)."""
    return "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def test_defaults_are_loaded_once(session, world):
    n = len(items_of(session, world.township_a.id))
    assert n == len(default_catalogue()["items"]) >= 7
    with transaction(session):
        assert ensure_default_catalogue(session, world.township_a) == 0
    assert len(items_of(session, world.township_a.id)) == n
    codes = {i.code for i in items_of(session, world.township_a.id)}
    assert {"claim", "contract", "disposal", "lease", "disclosure", "subsidy", "cert"} <= codes


def test_defaults_fill_in_a_deleted_item_only(session, world):
    with transaction(session):
        item = item_by_code(session, world.township_a.id, "subsidy")
        session.delete(item)
    with transaction(session):
        assert ensure_default_catalogue(session, world.township_a) == 1
    assert item_by_code(session, world.township_a.id, "subsidy").name == "惠农补贴咨询"


def _input(window, **kw) -> ItemInput:
    base = dict(code="land", name="土地流转备案", window_id=window, days_limit="7", fee="0",
                legal_basis="《农村土地经营权流转管理办法》", steps="受理\n审查\n备案", active=True,
                materials=[("流转合同", "2", True, ""), ("", "1", False, ""), ("身份证", "1", True, "复印件")])
    return ItemInput(**(base | kw))


def test_item_create_edit_and_reorder(session, world):
    head = world.user("head")
    window = windows_of(session, world.township_a.id)[0]
    with transaction(session):
        item = save_item(session, world.township_a, head, item=None, data=_input(window.id))
    assert [(m.seq, m.name, m.copies) for m in item.materials] == [(1, "流转合同", 2), (2, "身份证", 1)]
    with transaction(session):
        save_item(session, world.township_a, head, item=item, data=_input(
            window.id, name="土地经营权流转备案", fee="10.50",
            materials=[("身份证", "1", True, ""), ("流转合同", "3", True, ""), ("村委会意见", "1", False, "")]))
    session.refresh(item)
    assert item.name == "土地经营权流转备案" and item.fee == Decimal("10.50")
    assert [m.name for m in item.materials] == ["身份证", "流转合同", "村委会意见"]


@pytest.mark.parametrize("change, field", [
    ({"code": "bad code!"}, "code"), ({"code": "claim"}, "code"), ({"name": ""}, "name"),
    ({"window_id": None}, "window_id"), ({"days_limit": "x"}, "days_limit"), ({"days_limit": "90"}, "days_limit"),
    ({"fee": "1.005"}, "fee"), ({"materials": [("材料", "0", False, "")]}, "materials"),
])
def test_item_problems_are_named(session, world, change, field):
    window = windows_of(session, world.township_a.id)[0]
    with pytest.raises(RuleError) as exc:
        save_item(session, world.township_a, world.user("head"), item=None, data=_input(window.id, **change))
    assert field in exc.value.fields


def test_every_problem_of_an_item_is_named_at_once(session, world):
    window = windows_of(session, world.township_a.id)[0]
    bad = _input(window.id, code="bad code!", name="", fee="-1",
                 materials=[("材料甲", "0", False, ""), ("材" * 101, "1", False, ""),
                            ("材料乙", "x", True, "𠀀" * 201)])
    with pytest.raises(RuleError) as exc:
        save_item(session, world.township_a, world.user("head"), item=None, data=bad)
    assert set(exc.value.fields) == {"code", "name", "fee", "materials"}
    assert exc.value.fields["materials"] == ("材料“材料甲”的份数应为1至20；材料名称过长（100字以内）：" + "材" * 20
                                             + "…；材料“材料乙”的份数应为1至20"
                                             + "；材料“材料乙”的说明最多200字（现 201 字）")


def test_item_cannot_use_another_townships_window(session, world):
    foreign = windows_of(session, world.township_b.id)[0]
    with pytest.raises(RuleError) as exc:
        save_item(session, world.township_a, world.user("head"), item=None, data=_input(foreign.id))
    assert "window_id" in exc.value.fields


def test_window_save(session, world):
    head = world.user("head")
    with transaction(session):
        w = save_window(session, world.township_a, head, window=None, code="ZX", name="咨询窗口", phone="0551-1", seq=5)
    assert w.id and w.phone == "0551-1"
    with pytest.raises(RuleError, match="已存在"):
        save_window(session, world.township_a, head, window=None, code="CW", name="重复")
    with pytest.raises(RuleError) as exc:  # every problem at once
        save_window(session, world.township_a, head, window=None, code="bad code!", name="")
    assert set(exc.value.fields) == {"code", "name"}


def test_the_subject_hint_fits_the_item(session, world):
    from threeassets.windows.catalogue import NEUTRAL_SUBJECT, subject_placeholder
    hints = {i.code: subject_placeholder(i) for i in items_of(session, world.township_a.id)}
    assert hints["claim"] == "如：11月村道维修费报账" and hints["cert"] == "如：开具集体经济组织收益分配证明"
    assert sum("报账" in h for h in hints.values()) == 1  # a claim's example only on the claim's form
    window = windows_of(session, world.township_a.id)[0]
    with transaction(session):
        own = save_item(session, world.township_a, world.user("head"), item=None, data=_input(window.id))
    assert subject_placeholder(own) == NEUTRAL_SUBJECT


def _case(session, world, code="claim", materials=None):
    item = item_by_code(session, world.township_a.id, code)
    with transaction(session):
        return service.intake(session, township=world.township_a, item=item, actor=world.user("clerk"),
                              applicant_name="张三丰", applicant_phone="13812345678", village_id=world.a1.id,
                              subject="11月村道维修费报账", materials=materials)


def test_one_time_notice_lists_every_missing_material(session, world):
    case = _case(session, world, materials=[])
    missing = service.missing_of(case) + ["工程验收单"]
    with transaction(session):
        service.notify_missing(session, case, world.user("clerk"), missing)
    body = text(pdf.render_notice(queries.print_data(session, case, "http://hall.example/public/case")))
    assert "一次性告知书" in body and case.number in body and "张三丰" in body and "138****5678" in body
    for name in missing:
        assert "".join(name.split()) in body, name
    assert "13812345678" not in body


def test_receipt_carries_number_and_promised_date(session, world):
    case = _case(session, world)
    with transaction(session):
        service.accept(session, case, world.user("clerk"), today=date(2025, 1, 24))
    assert case.due_on == date(2025, 2, 7)  # 26 Jan (Sunday make-up), 27 Jan, then after the holiday 5, 6, 7 Feb
    body = text(pdf.render_receipt(queries.print_data(session, case)))
    assert "受理回执" in body and case.number in body and "2025年2月" in body
    assert f"{case.due_on.year}年{case.due_on.month}月{case.due_on.day}日" in body and "5个工作日" in body
    assert "该年度法定节假日安排尚未录入" not in body


def test_rejection_notice_carries_the_reason(session, world):
    case = _case(session, world)
    with transaction(session):
        service.reject(session, case, world.user("clerk"), "报销事项不属于本村集体支出范围")
    body = text(pdf.render_rejection(queries.print_data(session, case)))
    assert "不予受理（退回）通知书" in body and "报销事项不属于本村集体支出范围" in body and case.number in body


def test_receipt_warns_when_the_year_is_unknown():
    data = pdf.CasePrint(agency="甲镇农村集体“三资”代理服务中心", number="TA-20991230-0001", item="证明开具",
                         window="综合受理窗口", window_phone="", applicant="李四", phone="139****0000", village="",
                         subject="", received_on=date(2099, 12, 30), clerk="陈窗口", issued_on=date(2099, 12, 30),
                         days_limit=3, accepted_on=date(2099, 12, 30), due_on=date(2100, 1, 4),
                         calendar_warning="该年度法定节假日安排尚未录入，按周一至周五计算（涉及2099年、2100年）")
    body = text(pdf.render_receipt(data))
    assert "该年度法定节假日安排尚未录入，按周一至周五计算" in body and "2100年1月4日" in body


@pytest.mark.parametrize("render", ["render_notice", "render_receipt"])
@pytest.mark.parametrize("extra", [0, 3, 12])
def test_the_lookup_code_never_stands_alone_on_a_page(extra, render):
    """A long notice moves the signatures and the QR code on together: the code is never a page of its own."""
    data = pdf.CasePrint(agency="甲镇农村集体“三资”代理服务中心", number="TA-20261207-0001",
                         item="土地承包经营权流转备案",
                         window="综合受理窗口", window_phone="0551-88881201", applicant="张三", phone="138****1201",
                         village="东村", subject=("申请办理土地流转备案并核实地块四至" * 12)[:200],
                         received_on=date(2026, 12, 7), clerk="王窗口", issued_on=date(2026, 12, 7),
                         missing=["身份证复印件（正反面）两份", "土地承包经营权证原件及复印件", "流转合同原件三份",
                                  "村民小组会议记录及签字名单"] + [f"补充材料{i}" for i in range(extra)],
                         lookup_url="https://hall.example/public/case", accepted_on=date(2026, 12, 7),
                         due_on=date(2026, 12, 14), days_limit=5,
                         materials=[(f"材料{i}", 1, True) for i in range(4 + extra)])
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(getattr(pdf, render)(data))).pages]
    with_code = [p for p in pages if "查询办理进度" in p]
    assert len(with_code) == 1 and "窗口经办人" in with_code[0] and "申请人签收" in with_code[0]
    assert len(pages) == 1 or "窗口经办人" not in pages[0]  # moved on together
