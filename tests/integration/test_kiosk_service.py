"""The kiosk's services on the database (SQLite, and PostgreSQL with TEST_DATABASE_URL): a notice's life and its
audit rows, files only on drafts, what the public reads, the counters' upsert and the usage report."""
from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.kiosk_data import seed
from tests.web.access_kiosk import PNG as PNG_BYTES
from threeassets.core.audit import AuditEvent
from threeassets.core.db import transaction
from threeassets.core.errors import IllegalMove, RuleError
from threeassets.kiosk import counting, rules, service
from threeassets.kiosk.models import KioskCount, KioskNotice, KioskNoticeFile
from threeassets.subsidies import public as subsidies

DAY = date(2026, 11, 20)


def _data(**change) -> rules.NoticeInput:
    values = {"kind": "gov", "title": "关于耕地面积核实的通知", "notice_date": DAY.isoformat(),
              "body": "第一行\n第二行"}
    return rules.NoticeInput(**(values | change))


def _new(session, world, **change) -> KioskNotice:
    with transaction(session):
        return service.create(session, world.township_a.id, _data(**change), actor=world.user("clerk"))


def _audits(session, notice_id: int) -> list[tuple[str, dict]]:
    q = (select(AuditEvent.action, AuditEvent.detail).where(AuditEvent.object_type == "KioskNotice",
                                                          AuditEvent.object_id == notice_id).order_by(AuditEvent.id))
    return [(a, json.loads(d)) for a, d in session.execute(q)]


def test_a_notice_is_written_published_withdrawn_and_redrafted_each_step_audited(session, world):
    notice = _new(session, world)
    clerk, head = world.user("clerk"), world.user("head")
    with transaction(session):
        service.update(session, notice, _data(title="关于耕地面积核实工作的通知"), actor=clerk)
        service.publish(session, notice, actor=head)
    assert notice.status == "published" and notice.published_at is not None
    with transaction(session):
        service.withdraw(session, notice, actor=head)
        service.redraft(session, notice, actor=clerk)
    assert notice.status == "draft"
    audits = _audits(session, notice.id)
    assert [a for a, _ in audits] == ["kiosk.create", "kiosk.update", "kiosk.publish", "kiosk.withdraw",
                                      "kiosk.redraft"]
    assert audits[2][1]["类别"] == "政务公开" and audits[2][1]["状态"] == "已发布" and audits[2][1]["原状态"] == "草稿"
    assert audits[1][1]["修改前"]["标题"] == "关于耕地面积核实的通知"


def test_a_published_notice_cannot_be_edited_nor_given_files(session, world):
    notice = _new(session, world)
    with transaction(session):
        service.publish(session, notice, actor=world.user("head"))
    for act in (lambda: service.update(session, notice, _data(title="改"), actor=None),
                lambda: service.add_file(session, notice, "a.png", PNG_BYTES, actor=None),
                lambda: service.delete(session, notice, actor=None)):
        with pytest.raises(IllegalMove):
            act()
    session.rollback()
    assert session.get(KioskNotice, notice.id).title == "关于耕地面积核实的通知"


def test_a_text_with_a_mobile_is_refused_and_nothing_written(session, world):
    with pytest.raises(RuleError) as exc, transaction(session):
        service.create(session, world.township_a.id, _data(body="联系人13800001234"), actor=world.user("clerk"))
    assert "body" in exc.value.fields
    assert session.scalar(select(func.count()).select_from(KioskNotice)) == 0


def test_files_are_checked_kept_and_removed_with_their_draft(session, world):
    notice = _new(session, world)
    clerk = world.user("clerk")
    with pytest.raises(RuleError, match="只接受"), transaction(session):
        service.add_file(session, notice, "evil.png", b"<script>", actor=clerk)
    with transaction(session):
        kept = service.add_file(session, notice, "../../照片.png", PNG_BYTES, actor=clerk)
    assert kept.filename == "照片.png" and kept.content_type == "image/png" and kept.township_id == notice.township_id
    assert service.published_file(session, world.township_a.id, notice.id, kept.id) is None  # a draft's file
    with transaction(session):
        service.publish(session, notice, actor=clerk)
    assert service.published_file(session, world.township_a.id, notice.id, kept.id).data == PNG_BYTES
    assert service.published_file(session, world.township_b.id, notice.id, kept.id) is None  # another township
    with transaction(session):
        service.withdraw(session, notice, actor=clerk)
        service.redraft(session, notice, actor=clerk)
        service.delete(session, notice, actor=clerk)
    assert session.scalar(select(func.count()).select_from(KioskNoticeFile)) == 0
    assert [a for a, _ in _audits(session, notice.id)][-1] == "kiosk.delete"


def test_a_file_name_with_a_mobile_or_an_id_is_refused_on_upload_and_on_publishing(session, world):
    notice = _new(session, world)
    clerk = world.user("clerk")
    with pytest.raises(RuleError, match="附件文件名中有手机号“13800001234”") as exc, transaction(session):
        service.add_file(session, notice, "dir/张三13800001234.png", PNG_BYTES, actor=clerk)
    assert "file" in exc.value.fields
    with pytest.raises(RuleError, match="附件文件名中有身份证号“34012119900101123X”"), transaction(session):
        service.add_file(session, notice, "身份证34012119900101123X.png", PNG_BYTES, actor=clerk)
    assert session.scalar(select(func.count()).select_from(KioskNoticeFile)) == 0
    with transaction(session):  # a name that slipped in before the check (straight into the table)
        session.add(KioskNoticeFile(notice_id=notice.id, township_id=notice.township_id,
                                    filename="户主13912345678.png", content_type="image/png", size=len(PNG_BYTES),
                                    sha256="0" * 64, data=PNG_BYTES))
    with pytest.raises(RuleError, match="公告未发布：附件文件名中有手机号“13912345678”"), transaction(session):
        service.publish(session, session.get(KioskNotice, notice.id), actor=clerk)
    session.expire_all()
    assert session.get(KioskNotice, notice.id).status == "draft"


def test_the_public_reads_published_notices_of_its_township_only(session, world):
    shown, draft = _new(session, world, title="已发布"), _new(session, world, title="草稿")
    withdrawn = _new(session, world, title="已撤回", kind="party")
    with transaction(session):
        service.publish(session, shown, actor=None)
        service.publish(session, withdrawn, actor=None)
        service.withdraw(session, withdrawn, actor=None)
    assert [n.title for n in service.published(session, world.township_a.id, "gov")] == ["已发布"]
    assert service.published(session, world.township_a.id, "party") == []
    assert service.published(session, world.township_b.id, "gov") == []
    assert service.published_notice(session, world.township_a.id, draft.id) is None
    assert service.published_notice(session, world.township_a.id, withdrawn.id) is None
    assert service.published_notice(session, world.township_b.id, shown.id) is None


def test_counters_are_upserted_per_day_and_summed(session, world):
    ta = world.township_a.id
    with transaction(session):
        for day, section, what, ident in [(DAY, "home", "home", None), (DAY, "home", "home", None),
                                          (DAY, "policy", "policy", 7), (DAY, "policy", "household", None),
                                          (date(2026, 11, 21), "policy", "policy", 7)]:
            counting.hit(session, ta, section, what, ident, day=day)
        counting.hit(session, world.township_b.id, "home", "home", day=DAY)
    assert session.scalar(select(func.count()).select_from(KioskCount)) == 5  # one row per key and day
    usage = counting.usage(session, ta, DAY, date(2026, 11, 30))
    assert usage.days == {DAY: {"home": 2, "policy": 2}, date(2026, 11, 21): {"policy": 1}}
    assert usage.sections == {"home": 2, "policy": 3} and usage.total == 5
    assert usage.items[0] == ("home", "home", 2) and ("policy", "policy:7", 2) in usage.items
    assert counting.usage(session, ta, date(2026, 12, 1), date(2026, 12, 31)).total == 0


def test_counter_items_are_named(session, world):
    notice = _new(session, world)
    names = counting.item_names(session, [("gov", f"notice:{notice.id}", 1), ("village", f"village:{world.a1.id}", 2),
                                          ("policy", "household", 3)])
    assert names == {("notice", notice.id): notice.title, ("village", world.a1.id): "甲一村"}


def test_the_subsidy_side_answers_the_kiosk_masked(session, world):
    ids = seed(session, world)
    lists = subsidies.published_lists(session, world.a1.id)
    assert {x.batch_id for x in lists} == {ids.paid_batch, ids.noticing_batch}  # the draft batch is not public
    assert subsidies.public_list(session, world.a1.id, ids.draft_batch) is None
    rows = subsidies.public_list(session, world.a1.id, ids.paid_batch).rows
    assert {r.id_masked for r in rows} == {"340102********123X", "340102********3456"}
    assert subsidies.household_payments(session, world.township_a.id, "张三", "123X")
    assert subsidies.household_payments(session, world.township_a.id, "张三", "1234") is None
    assert subsidies.household_payments(session, world.township_a.id, "王五", "123X") is None
