"""Staff pages of the kiosk's notices: write, refuse what the public must not see, publish, withdraw, files;
every form needs its CSRF token; a published notice is not edited behind the public's back."""
from __future__ import annotations

import io

from sqlalchemy import select

from tests.conftest import login
from tests.web.access_kiosk import PNG, make_notice
from tests.web.conftest import csrf_login, csrf_token
from threeassets.core.audit import AuditEvent
from threeassets.kiosk.models import KioskNotice


def _base(world) -> str:
    return f"/t/{world.township_a.id}/kiosk/notices"


FORM = {"kind": "party", "title": "党费收缴情况公示", "notice_date": "2026-11-20", "body": "合计18,650.00元\n第二行"}


def test_a_clerk_writes_publishes_and_withdraws_a_notice(client, session, world):
    login(client, "clerk")
    resp = client.post(_base(world) + "/new", data=FORM)
    assert resp.status_code == 302
    notice = session.scalar(select(KioskNotice))
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "已保存为草稿" in page and "发布" in page
    assert client.post(f"{_base(world)}/{notice.id}/publish").status_code == 302
    assert "党费收缴情况公示" in client.get("/public/t/TA/party").get_data(as_text=True)
    edit = client.get(f"{_base(world)}/{notice.id}/edit", follow_redirects=True).get_data(as_text=True)
    assert "请先撤回" in edit
    assert client.post(f"{_base(world)}/{notice.id}/withdraw").status_code == 302
    assert "党费收缴情况公示" not in client.get("/public/t/TA/party").get_data(as_text=True)
    session.rollback()
    actions = list(session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "KioskNotice")))
    assert actions == ["kiosk.create", "kiosk.publish", "kiosk.withdraw"]


def test_a_mobile_in_the_text_is_refused_on_the_form(client, session, world):
    login(client, "head")
    resp = client.post(_base(world) + "/new", data=FORM | {"body": "联系人张三13800001234"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "手机号“13800001234”" in page and "is-invalid" in page
    assert "联系人张三13800001234</textarea>" in page  # what was typed stays on the form
    assert session.scalar(select(KioskNotice)) is None


def test_files_are_added_and_removed_on_a_draft_only(client, session, world):
    notice_id = make_notice(session, world, world.a1)
    login(client, "clerk")
    resp = client.post(f"{_base(world)}/{notice_id}/files", data={"files": (io.BytesIO(PNG), "照片.png")},
                       content_type="multipart/form-data", follow_redirects=True)
    assert "已上传1个附件" in resp.get_data(as_text=True)
    refused = client.post(f"{_base(world)}/{notice_id}/files", data={"files": (io.BytesIO(b"MZ"), "a.exe")},
                          content_type="multipart/form-data", follow_redirects=True)
    assert "只接受" in refused.get_data(as_text=True)
    session.rollback()
    file_id = session.get(KioskNotice, notice_id).files[0].id
    assert client.get(f"/t/{world.township_a.id}/kiosk/files/{file_id}").data == PNG
    client.post(f"{_base(world)}/{notice_id}/publish")
    kept = client.post(f"/t/{world.township_a.id}/kiosk/files/{file_id}/delete", follow_redirects=True)
    assert "不能增删附件" in kept.get_data(as_text=True) or "不能删除附件" in kept.get_data(as_text=True)


def test_every_staff_form_needs_its_csrf_token(csrf_client, session, world):
    notice_id = make_notice(session, world, world.a1)
    csrf_login(csrf_client, "clerk")
    base = _base(world)
    for path in (base + "/new", f"{base}/{notice_id}/edit", f"{base}/{notice_id}/publish",
                 f"{base}/{notice_id}/delete", f"{base}/{notice_id}/files"):
        assert csrf_client.post(path, data=FORM).status_code == 400, path
    token = csrf_token(csrf_client, f"{base}/{notice_id}")
    assert csrf_client.post(f"{base}/{notice_id}/publish", data={"csrf_token": token}).status_code == 302
    session.rollback()
    assert session.get(KioskNotice, notice_id).status == "published"


def test_the_menu_and_audit_log_name_the_kiosk(client, session, world):
    make_notice(session, world, world.a1, "published")
    login(client, "head")
    page = client.get(_base(world)).get_data(as_text=True)
    assert "党务政务公开" in page and "查询机使用统计" in page
    audit = client.get("/audit").get_data(as_text=True)
    assert "发布公开公告" in audit and "党务公开" in audit


def test_an_edit_of_a_notice_published_meanwhile_comes_back_with_the_notice_offered(client, session, world):
    notice_id = make_notice(session, world, world.a1, "published")
    login(client, "clerk")
    resp = client.post(f"{_base(world)}/{notice_id}/edit", data=FORM | {"title": "改过的标题"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 409 and "请先撤回" in page and 'value="改过的标题"' in page
    assert "保存草稿</button>" not in page and f'href="{_base(world)}/{notice_id}">查看这条公告<' in page
    assert session.get(KioskNotice, notice_id).title == "关于开展党员冬训工作的通知"
    resp = client.post(f"{_base(world)}/{notice_id}/edit", data=FORM | {"title": ""})  # a field problem of a
    assert resp.status_code == 409  # published notice: still the notice's state that refuses it


def test_a_draft_notices_field_problem_keeps_its_save_button(client, session, world):
    notice_id = make_notice(session, world, world.a1)
    login(client, "clerk")
    resp = client.post(f"{_base(world)}/{notice_id}/edit", data=FORM | {"body": "联系人张三13800001234"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "保存草稿</button>" in page and "尚未保存" not in page
