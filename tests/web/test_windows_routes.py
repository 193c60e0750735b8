"""Service hall pages: intake → receipt or one-time notice, case moves, hall and list, catalogue editing."""
from __future__ import annotations

import io
import json
from datetime import date, timedelta

from pypdf import PdfReader
from sqlalchemy import func, select

from tests.web.access_windows import make_case
from tests.web.conftest import count, tbody
from threeassets.core.db import transaction
from threeassets.windows import service
from threeassets.windows.models import Case, ServiceItem


def _item(session, world, code="claim", township=None) -> ServiceItem:
    session.rollback()
    tid = (township or world.township_a).id
    item = session.scalar(select(ServiceItem).where(ServiceItem.township_id == tid, ServiceItem.code == code))
    session.expunge_all()
    return item


def _case(session, case_id) -> Case:
    session.rollback()
    return session.get(Case, case_id, populate_existing=True)


def _intake(item, then="accept", ticks=None, **kw):
    """Intake form data: every material received with its original seen unless ticks says which seqs."""
    seqs = range(1, 5) if ticks is None else ticks
    data = {"item_id": str(item.id), "applicant_name": "王五", "applicant_phone": "13912345678",
            "applicant_id_no": "", "village_id": "", "subject": "报账", "then": then}
    for s in seqs:
        data[f"recv-{s}"] = data[f"orig-{s}"] = "y"
    return data | kw


def pdf_text(resp) -> str:
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    return "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(resp.data)).pages).split())


def test_intake_with_complete_materials_is_accepted_with_a_receipt(as_user, world, session):
    c = as_user("clerk")
    item = _item(session, world)
    page = c.get(f"/t/{world.township_a.id}/hall/intake?item={item.id}").get_data(as_text=True)
    assert "村级报账单（经办人、民主理财小组、村主任签字）" in page and 'name="recv-1"' in page
    resp = c.post(f"/t/{world.township_a.id}/hall/intake", data=_intake(item, village_id=str(world.a1.id)))
    assert resp.status_code == 302
    case = session.scalar(select(Case))
    assert case.state == "accepted" and case.owner_id == world.user("clerk").id and case.village_id == world.a1.id
    page = c.get(resp.headers["Location"]).get_data(as_text=True)
    assert "已受理" in page and case.number in page and "打印受理回执" in page
    body = pdf_text(c.get(f"/t/{world.township_a.id}/hall/cases/{case.id}/receipt.pdf"))
    assert case.number in body and f"{case.due_on.year}年{case.due_on.month}月{case.due_on.day}日" in body
    # where the public pages say the number is: under the title, on the "办件编号：" line, before the applicant
    assert body.index("受理回执") < body.index(f"办件编号：{case.number}") < body.index("申请人")
    for public in ("/public/case", f"/public/t/{world.township_a.code}/case"):
        hint = c.get(public).get_data(as_text=True)
        assert "“办件编号：”一行" in hint and "右上方" not in hint, public


def test_intake_with_missing_materials_hands_over_one_notice(as_user, world, session):
    c = as_user("clerk")
    item = _item(session, world)
    resp = c.post(f"/t/{world.township_a.id}/hall/intake",
                  data=_intake(item, "notify", ticks=[1], other_missing="工程验收单\n"))
    assert resp.status_code == 302
    case = session.scalar(select(Case))
    assert case.state == "supplement"
    body = pdf_text(c.get(f"/t/{world.township_a.id}/hall/cases/{case.id}/notice.pdf"))
    for name in ("原始票据（发票、财政票据等）", "支出审批单", "收款方银行账户信息", "工程验收单"):
        assert name in body
    assert "村级报账单" not in body.split("需补正的材料", 1)[1]  # received, so not listed


def test_accepting_with_missing_materials_is_refused_and_nothing_written(as_user, world, session):
    c = as_user("clerk")
    item = _item(session, world)
    resp = c.post(f"/t/{world.township_a.id}/hall/intake", data=_intake(item, "accept", ticks=[1, 2]))
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "材料不齐全，不能受理" in page and "收款方银行账户信息" in page and 'value="王五"' in page
    assert 'name="recv-1" aria-label="已收到 村级报账单（经办人、民主理财小组、村主任签字）" checked' in page
    assert count(session, Case) == 0


def test_bad_applicant_is_shown_on_the_form(as_user, world, session):
    c = as_user("clerk")
    resp = c.post(f"/t/{world.township_a.id}/hall/intake",
                  data=_intake(_item(session, world), applicant_phone="12", applicant_id_no="110105194912310021"))
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "联系电话“12”不是11位手机号" in page and "身份证号码校验未通过" in page
    assert count(session, Case) == 0


def test_the_subject_hint_fits_the_item_on_the_intake_form(as_user, world, session):
    c = as_user("clerk")
    pages = {code: c.get(f"/t/{world.township_a.id}/hall/intake?item={_item(session, world, code).id}")
             .get_data(as_text=True) for code in ("claim", "cert", "legal_aid")}
    assert 'placeholder="如：11月村道维修费报账"' in pages["claim"]
    assert 'placeholder="如：开具集体经济组织收益分配证明"' in pages["cert"] and "村道维修费" not in pages["cert"]
    assert "村道维修费" not in pages["legal_aid"]


def test_every_problem_of_an_intake_is_named_at_once_at_its_field(as_user, world, session):
    c = as_user("clerk")
    item = _item(session, world)
    resp = c.post(f"/t/{world.township_a.id}/hall/intake",
                  data=_intake(item, "accept", ticks=[1, 2], applicant_name="", applicant_phone="12",
                               subject="事" * 201))
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and count(session, Case) == 0
    assert "申请事项最多200字（现 201 字）" in page and 'value="' + "事" * 201 + '"' in page  # never cut silently
    assert "请填写申请人姓名" in page and "联系电话“12”不是11位手机号" in page  # in one answer, with
    assert '<div class="text-danger small mb-2" id="materials-why">材料不齐全，不能受理' in page  # the checklist's
    resp = c.post(f"/t/{world.township_a.id}/hall/intake", data=_intake(item, "notify", applicant_name=""))
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "请填写申请人姓名" in page and "材料已齐全，无需补正，请直接受理" in page


def test_accepting_while_a_material_typed_beside_the_checklist_is_missing_is_refused(as_user, world, session):
    resp = as_user("clerk").post(f"/t/{world.township_a.id}/hall/intake",
                                 data=_intake(_item(session, world), "accept", other_missing="村委会证明"))
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and count(session, Case) == 0
    assert "材料不齐全，不能受理，请出具一次性告知书：村委会证明" in page
    assert ">村委会证明</textarea>" in page  # what was typed stays


def test_item_of_another_township_is_refused(as_user, world, session):
    c = as_user("clerk")
    foreign = _item(session, world, township=world.township_b)
    resp = c.post(f"/t/{world.township_a.id}/hall/intake", data=_intake(foreign))
    assert resp.status_code == 422 and count(session, Case) == 0


def test_case_page_offers_only_the_allowed_actions(as_user, world, session):
    case_id = make_case(session, world, world.a1)
    page = as_user("clerk").get(f"/t/{world.township_a.id}/hall/cases/{case_id}").get_data(as_text=True)
    assert "受理并出具回执" in page and "一次性告知补正" in page and "不予受理 / 退回" in page
    assert "/complete" not in page and "/transfer" not in page and "/resume" not in page


def test_case_page_offers_a_rating_once_and_the_papers_the_case_has(as_user, world, session):
    c = as_user("clerk")
    base = f"/t/{world.township_a.id}/hall/cases"
    rated = make_case(session, world, world.a1, ["accept", "complete"])  # rated 非常满意 on completion
    page = c.get(f"{base}/{rated}").get_data(as_text=True)
    assert f"{base}/{rated}/rate" not in page and "无需操作" in page
    assert f"{base}/{rated}/receipt.pdf" in page and "notice.pdf" not in page and "rejection.pdf" not in page
    resp = c.post(f"{base}/{rated}/rate", data={"satisfaction": "1"}, follow_redirects=True)
    assert "满意度已登记，不能重复评价" in resp.get_data(as_text=True) and _case(session, rated).satisfaction == 5
    rejected = make_case(session, world, world.a1, ["notify", "reject"])
    page = c.get(f"{base}/{rejected}").get_data(as_text=True)
    assert f"{base}/{rejected}/notice.pdf" in page and f"{base}/{rejected}/rejection.pdf" in page
    assert "receipt.pdf" not in page and c.get(f"{base}/{rejected}/receipt.pdf").status_code == 404


def test_illegal_move_is_refused_with_a_message(as_user, world, session):
    case_id = make_case(session, world, world.a1)
    c = as_user("clerk")
    resp = c.post(f"/t/{world.township_a.id}/hall/cases/{case_id}/complete", data={"result": "x"},
                  follow_redirects=True)
    assert "办件接件，不能办结" in resp.get_data(as_text=True)
    assert _case(session, case_id).state == "intake"


def test_full_path_through_the_pages(as_user, world, session):
    case_id = make_case(session, world, world.a1)
    c = as_user("accountant")
    base = f"/t/{world.township_a.id}/hall/cases/{case_id}"
    assert c.post(f"{base}/accept").status_code == 302
    assert c.post(f"{base}/start").status_code == 302
    case = _case(session, case_id)
    assert case.state == "in_progress" and case.handler_id == world.user("accountant").id
    assert case.owner_id == world.user("clerk").id
    other = next(w for w in _windows(session, world) if w != case.window_id)
    assert c.post(f"{base}/transfer", data={"window_id": str(other), "note": "转办"}).status_code == 302
    c.post(f"{base}/complete", data={"result": "已出具证明", "satisfaction": "5"})
    case = _case(session, case_id)
    assert (case.state, case.window_id, case.satisfaction) == ("done", other, 5)
    page = c.get(base).get_data(as_text=True)
    assert "转办其他窗口" not in page and "非常满意" in page and page.count("windows-timeline") == 1
    assert [e.action for e in case.events] == ["intake", "accept", "start", "transfer", "complete"]


def test_a_refused_move_comes_back_as_typed_with_its_reason_at_the_field(as_user, world, session):
    c = as_user("clerk")
    base = f"/t/{world.township_a.id}/hall/cases"
    fresh = make_case(session, world, world.a1)
    reason = "<b>不符合</b>" + "理" * 1000
    resp = c.post(f"{base}/{fresh}/reject", data={"reason": reason})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and _case(session, fresh).state == "intake"
    assert "&lt;b&gt;不符合&lt;/b&gt;" + "理" * 1000 + "</textarea>" in page and "<b>不符合" not in page
    assert f"最多1000字（现 {len(reason)} 字）" in page
    assert f'<div class="invalid-feedback d-block">最多1000字（现 {len(reason)} 字）</div>' in page
    assert '<details class="windows-act" open><summary class="text-danger">' in page
    running = make_case(session, world, world.a1, ["accept", "start"])
    other = next(w for w in _windows(session, world) if w != _case(session, running).window_id)
    resp = c.post(f"{base}/{running}/transfer", data={"window_id": str(other), "note": "转" * 201})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and _case(session, running).window_id != other
    assert f'<option value="{other}" selected>' in page and 'value="' + "转" * 201 + '"' in page
    assert '<div class="invalid-feedback d-block">最多200字（现 201 字）</div>' in page
    resp = c.post(f"{base}/{running}/complete", data={"result": "  ", "satisfaction": "4"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and _case(session, running).state == "in_progress"
    assert '<option value="4" selected>' in page
    assert '<div class="invalid-feedback d-block">请填写办理结果</div>' in page


def test_a_refused_notice_or_rating_comes_back_as_typed(as_user, world, session):
    c = as_user("clerk")
    base = f"/t/{world.township_a.id}/hall/cases"
    fresh = make_case(session, world, world.a1)  # every material received: a re-submission may still be asked
    again = _case(session, fresh).checklist[0].name
    long_item = "户" * 101
    resp = c.post(f"{base}/{fresh}/notify", data={"missing": [again], "other_missing": f"照片\n{long_item}"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and _case(session, fresh).state == "intake"
    assert f'value="{again}" checked>' in page and f"照片\n{long_item}</textarea>" in page
    assert "最多100字（现 101 字）" in page and '<details class="windows-act" open><summary>一次性告知补正' in page
    done = make_case(session, world, world.a1, ["accept", "start"])
    with transaction(session):
        service.complete(session, session.get(Case, done), world.user("clerk"), "已出具证明")  # not rated yet
    resp = c.post(f"{base}/{done}/rate", data={"satisfaction": "9"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and _case(session, done).satisfaction is None
    assert '<div class="mb-3 windows-rate-why"><div class="invalid-feedback d-block">满意度应为1至5</div>' in page


def test_a_refused_move_on_another_townships_case_is_404(as_user, world, session):
    case_id = make_case(session, world, world.a1)
    resp = as_user("head_b").post(f"/t/{world.township_b.id}/hall/cases/{case_id}/reject", data={"reason": ""})
    assert resp.status_code == 404 and _case(session, case_id).state == "intake"


def _windows(session, world):
    from threeassets.windows.catalogue import windows_of
    session.rollback()
    return [w.id for w in windows_of(session, world.township_a.id)]


def test_reject_prints_a_notice(as_user, world, session):
    case_id = make_case(session, world, world.a1)
    c = as_user("clerk")
    c.post(f"/t/{world.township_a.id}/hall/cases/{case_id}/reject", data={"reason": "不属于受理范围"})
    assert _case(session, case_id).state == "rejected"
    assert "不属于受理范围" in pdf_text(c.get(f"/t/{world.township_a.id}/hall/cases/{case_id}/rejection.pdf"))
    assert c.get(f"/t/{world.township_a.id}/hall/cases/{case_id}/receipt.pdf").status_code == 404


def test_hall_shows_overdue_in_red(as_user, world, session):
    from threeassets.core.db import transaction
    from threeassets.windows import service
    case_id = make_case(session, world, world.a1)
    with transaction(session):
        case = session.get(Case, case_id)
        service.accept(session, case, session.merge(world.user("clerk")), today=date.today() - timedelta(days=30))
    fresh = make_case(session, world, world.a1, ["accept"])
    page = as_user("clerk").get(f"/t/{world.township_a.id}/hall").get_data(as_text=True)
    overdue = page.split("windows-card is-overdue", 1)[1].split("</a>", 1)[0]
    assert _case(session, case_id).number in overdue and "已超期" in overdue
    assert _case(session, fresh).number in page


def test_hall_remembers_the_window(as_user, world, session):
    make_case(session, world, world.a1)  # 证明开具 at 综合受理窗口
    c = as_user("clerk")
    cw = _item(session, world, "claim").window_id
    assert "证明开具" not in c.get(f"/t/{world.township_a.id}/hall?window={cw}").get_data(as_text=True)
    assert "证明开具" not in c.get(f"/t/{world.township_a.id}/hall").get_data(as_text=True)
    assert "证明开具" in c.get(f"/t/{world.township_a.id}/hall?window=").get_data(as_text=True)


def test_case_list_filters_pages_and_exports(as_user, world, session):
    ids = [make_case(session, world, world.a1) for _ in range(22)]
    make_case(session, world, world.a2, ["reject"])
    c = as_user("clerk")
    url = f"/t/{world.township_a.id}/hall/cases"
    page = c.get(url).get_data(as_text=True)
    assert "共 23 条" in page and "第 1 / 2 页" in page
    assert "共 1 条" in c.get(f"{url}?state=rejected").get_data(as_text=True)
    assert "共 22 条" in c.get(f"{url}?village={world.a1.id}").get_data(as_text=True)
    number = _case(session, ids[5]).number
    assert number in tbody(c.get(f"{url}?q={number}").get_data(as_text=True))
    csv = c.get(f"{url}?state=intake&format=csv")
    assert csv.mimetype == "text/csv" and csv.data.decode("utf-8-sig").count("\n") == 23


def test_menu_links(as_user, world):
    page = as_user("clerk").get(f"/t/{world.township_a.id}/hall").get_data(as_text=True)
    for label in ("服务大厅", "受理登记", "办件查询", "服务事项目录"):
        assert f">{label}</a>" in page
    assert "全镇概览" not in page and "全镇科目余额表" not in page  # no books for a window clerk


def test_head_edits_an_item_and_its_materials(as_user, world, session):
    item = _item(session, world, "cert")
    c = as_user("head")
    page = c.get(f"/t/{world.township_a.id}/hall/catalogue/items/{item.id}/edit").get_data(as_text=True)
    assert "证明申请表（写明用途）" in page and 'src="/static/js/windows.js"' in page
    data = {"code": "cert", "name": "证明开具", "window_id": str(item.window_id), "days_limit": "2", "fee": "0",
            "legal_basis": "《农村集体经济组织财务制度》", "steps": "受理\n出具", "active": "y",
            "m_name": ["申请人身份证", "证明申请表（写明用途）", ""], "m_copies": ["1", "1", "1"],
            "m_original": ["1", "0", "0"], "m_note": ["", "", ""]}
    resp = c.post(f"/t/{world.township_a.id}/hall/catalogue/items/{item.id}/edit", data=data)
    assert resp.status_code == 302
    guide = c.get(resp.headers["Location"]).get_data(as_text=True)
    assert guide.index("申请人身份证") < guide.index("证明申请表（写明用途）") and "村委会推荐意见" not in guide
    assert "2个工作日" in guide
    data["days_limit"] = "abc"
    resp = c.post(f"/t/{world.township_a.id}/hall/catalogue/items/{item.id}/edit", data=data)
    assert resp.status_code == 422 and "承诺时限为0至60个工作日" in resp.get_data(as_text=True)
    assert _item(session, world, "cert").days_limit == 2


def test_catalogue_is_read_only_for_clerks(as_user, world, session):
    page = as_user("clerk").get(f"/t/{world.township_a.id}/hall/catalogue").get_data(as_text=True)
    assert "村级报账" in page and "新增服务事项" not in page and "窗口设置" not in page
    page = as_user("head").get(f"/t/{world.township_a.id}/hall/catalogue").get_data(as_text=True)
    assert "新增服务事项" in page and "窗口设置" in page


def test_window_phone_is_printed(as_user, world, session):
    c = as_user("head")
    cw = _item(session, world, "cert").window_id
    c.post(f"/t/{world.township_a.id}/hall/catalogue/windows",
           data={"window_id": str(cw), "code": "ZH", "name": "综合受理窗口", "phone": "0551-66881234", "seq": "4",
                 "active": "y"})
    case_id = make_case(session, world, world.a1, ["notify"])
    assert "0551-66881234" in pdf_text(c.get(f"/t/{world.township_a.id}/hall/cases/{case_id}/notice.pdf"))
    assert session.scalar(select(func.count()).select_from(Case)) == 1


def test_a_refused_window_keeps_what_was_typed_and_names_each_field(as_user, world, session):
    from threeassets.windows.models import Window
    c = as_user("head")
    resp = c.post(f"/t/{world.township_a.id}/hall/catalogue/windows",
                  data={"code": "综合!", "name": "", "phone": "0551-66880000", "seq": "第七"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert 'name="code" value="综合!"' in page and 'name="phone" value="0551-66880000"' in page  # kept as typed
    assert 'name="seq" value="第七"' in page
    row = page.split('<tr class="table-warning">', 1)[1].split("</tr>", 1)[0]  # the new row, marked
    assert "编码须为1至16位字母" in row and "请填写窗口名称（50字以内）" in row and "排序应为0至999的整数" in row
    assert row.count("autofocus") == 1 and 'name="code" value="综合!" autofocus' in row  # the first bad box
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Window).where(Window.phone == "0551-66880000")) == 0
    cw = _item(session, world, "cert").window_id  # an existing window's row keeps its own typed values
    resp = c.post(f"/t/{world.township_a.id}/hall/catalogue/windows",
                  data={"window_id": str(cw), "code": "ZH", "name": "新名称" * 20, "phone": "", "seq": "1"})
    row = resp.get_data(as_text=True).split('<tr class="table-warning">', 1)[1].split("</tr>", 1)[0]
    assert resp.status_code == 422 and f'value="{"新名称" * 20}"' in row and "请填写窗口名称" in row


def test_window_clerk_lands_in_the_hall_and_staff_get_a_link(as_user, world):
    resp = as_user("clerk").get("/")
    assert resp.status_code == 302 and resp.headers["Location"] == f"/t/{world.township_a.id}/hall"
    assert f'href="/t/{world.township_a.id}/hall"' in as_user("accountant").get("/").get_data(as_text=True)


def test_a_township_from_an_older_release_adds_the_new_default_items_from_the_catalogue_page(as_user, world, session):
    from threeassets.core.audit import AuditEvent
    from threeassets.windows.models import Material, Window
    tid = world.township_a.id
    gone = session.scalars(select(ServiceItem.id).where(ServiceItem.township_id == tid,
                                                        ServiceItem.code.in_(["legal_aid", "dibao"]))).all()
    assert len(gone) == 2
    session.execute(Material.__table__.delete().where(Material.item_id.in_(gone)))
    session.execute(ServiceItem.__table__.delete().where(ServiceItem.id.in_(gone)))
    session.execute(Window.__table__.delete().where(Window.township_id == tid, Window.code == "SF"))
    session.commit()
    c = as_user("head")
    page = c.get(f"/t/{tid}/hall/catalogue").get_data(as_text=True)
    assert "补充默认服务事项（2项）" in page and ">法律援助申请</a>" not in page
    resp = c.post(f"/t/{tid}/hall/catalogue/defaults", follow_redirects=True)
    body = resp.get_data(as_text=True)
    assert "已补充2项默认服务事项" in body and "司法所窗口" in body and ">法律援助申请</a>" in body
    assert "补充默认服务事项（" not in body
    assert _item(session, world, "legal_aid").days_limit == 7
    audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "catalogue.defaults",
                                                     AuditEvent.township_id == tid)
                            .order_by(AuditEvent.id)).all()
    assert sorted(json.loads(audit[-1].detail)["items"]) == ["dibao", "legal_aid"]
    again = c.post(f"/t/{tid}/hall/catalogue/defaults", follow_redirects=True).get_data(as_text=True)
    assert "默认服务事项已齐全" in again
    assert len(session.scalars(select(AuditEvent).where(AuditEvent.action == "catalogue.defaults",
                                                        AuditEvent.township_id == tid)).all()) == len(audit)


def test_the_administrator_enters_next_years_holidays_and_every_clock_uses_them(as_user, world, session):
    from threeassets.core.audit import CountyAuditEvent
    from threeassets.windows import workdays
    from threeassets.windows.models import HolidayDay, HolidayYear
    year = date.today().year + 2  # beyond what the calendar library carries
    c = as_user("admin")
    assert not workdays.year_known(year)
    page = c.get(f"/admin/holidays?year={year}").get_data(as_text=True)
    assert f"保存{year}年安排" in page and "尚未录入任何年度" in page
    bad = c.post("/admin/holidays", data={"year": str(year), "document": "",
                                          "days": f"{year}-01-01 元旦 休\n{year}-13-01 春节 休"})
    body = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "请填写发布文件" in body and "第2行：" in body and f"{year}-13-01" in body
    assert session.scalar(select(func.count()).select_from(HolidayDay)) == 0  # nothing written
    first_monday = next(date(year, 3, d) for d in range(1, 8) if date(year, 3, d).weekday() == 0)
    wednesday = first_monday + timedelta(days=2)
    days = f"{year}-01-01 元旦 休\n{first_monday.isoformat()}~{wednesday.isoformat()} 测试节 休"
    resp = c.post("/admin/holidays", data={"year": str(year), "document": "国务院办公厅通知", "days": days},
                  follow_redirects=True)
    assert f"已保存{year}年节假日安排（4天）" in resp.get_data(as_text=True)
    session.rollback()
    assert session.get(HolidayYear, year).document == "国务院办公厅通知"
    # every clock of this process counts with it at once: Monday to Wednesday off
    assert workdays.year_known(year) and not workdays.is_working_day(first_monday + timedelta(days=1))
    assert workdays.add_working_days(first_monday - timedelta(days=3), 1) == first_monday + timedelta(days=3)
    # entered again: replaced, and the audit row says what changed
    c.post("/admin/holidays", data={"year": str(year), "document": "国务院办公厅通知", "days": f"{year}-01-01 元旦 休"})
    rows = session.scalars(select(CountyAuditEvent).where(CountyAuditEvent.action == "holiday.save")  # the county's
                           .order_by(CountyAuditEvent.id)).all()
    assert len(rows) == 2 and json.loads(rows[-1].detail)["removed"] == [
        (first_monday + timedelta(days=i)).isoformat() for i in range(3)]
    assert workdays.is_working_day(first_monday + timedelta(days=1))
    page = c.get("/admin/holidays").get_data(as_text=True)
    assert f"{year}年" in page and "国务院办公厅通知" in page
