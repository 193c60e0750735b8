"""The notice workflow against a real database: generate, review, publish, the stored PDF, corrections, batch."""
from __future__ import annotations

import hashlib
import io
import re
import zipfile
from datetime import date, timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from threeassets.core import jobs as core_jobs
from threeassets.core.audit import AuditEvent
from threeassets.core.db import transaction
from threeassets.core.errors import IllegalMove, RuleError
from threeassets.core.jobs import Job
from threeassets.core.money import fmt
from threeassets.disclosure import batch, jobs, service
from threeassets.disclosure.models import Disclosure

BASE = "https://sanzi.example.cn"
CARD = "6222021234567890123"
TODAY = date.today()


def pdf_text(pdf: bytes) -> str:
    """A PDF's text without whitespace (CJK has no word spaces)."""
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))


@pytest.fixture
def books(post_voucher, world):
    """a1 in May 2024: 12,000.00 income, 356.50 + 800.00 expenses (one naming a bank card); a2 has its own."""
    a1 = world.a1
    post_voucher(a1, date(2024, 5, 3), [("收到土地发包费", "102", "12000", ""), ("土地发包费", "501", "", "12000")])
    post_voucher(a1, date(2024, 5, 8), [("购买办公用品", "513", "356.50", ""), ("购买办公用品", "101", "", "356.50")])
    post_voucher(a1, date(2024, 5, 9), [(f"付张三误工补贴（卡号{CARD}）", "514", "800", ""),
                                        ("误工补贴", "102", "", "800")])
    post_voucher(world.a2, date(2024, 5, 9), [("别村收入", "101", "999", ""), ("别村", "501", "", "999")])
    return a1


def act(session, fn, **kw):
    """Run a service function in its own transaction."""
    with transaction(session):
        return fn(session, **kw)


def generate(session, world, village=None, period="2024-05", **kw):
    """A new draft by the agency accountant."""
    return act(session, service.generate, village=village or world.a1, period=period,
               actor=world.user("accountant"), **kw)


def to_signed(session, world, notice, village=None):
    """Submit and have a1's board sign off."""
    village = village or world.a1
    act(session, service.submit, notice=notice, village=village, actor=world.user("accountant"))
    act(session, service.sign_off, notice=notice, village=village, actor=world.user("board"), names="刘理财 王五",
        on=TODAY, remarks="账实相符")
    return notice


def publish(session, world, notice, days: int = 15):
    """Publish with a display period of `days` days (inclusive)."""
    act(session, service.publish, notice=notice, village=world.a1, actor=world.user("head"), posted_on=TODAY,
        display_until=TODAY + timedelta(days=days - 1), base_url=BASE)
    return notice


def published(session, world, period="2024-05"):
    """A notice of a1 taken all the way to publication."""
    return publish(session, world, to_signed(session, world, generate(session, world, period=period)))


def test_published_pdf_carries_the_books_totals_signoff_and_masking(session, world, books):
    notice = published(session, world)
    assert notice.status == "published" and notice.published_on == TODAY
    assert notice.sha256 == hashlib.sha256(notice.pdf).hexdigest()
    text = pdf_text(notice.pdf)
    for amount in (Decimal("12000"), Decimal("1156.50"), Decimal("10843.50")):  # income, expense, net
        assert fmt(amount) in text or f"{amount:.2f}" in text, amount
    assert "刘理财、王五" in text
    assert CARD not in text and "0123" in text  # the card number is masked to its last four digits
    assert f"{BASE}/verify/{notice.verify_code}" in text
    assert "草稿" not in text  # a draft's watermark never reaches the published paper


def test_draft_preview_is_marked_and_not_stored(session, world, books):
    notice = generate(session, world)
    pdf = service.render(notice, BASE)
    assert "不得张贴" in pdf_text(pdf)
    assert notice.pdf is None and notice.sha256 is None


def test_published_notice_is_never_rerendered_or_edited(session, world, books, post_voucher):
    notice = published(session, world)
    stored, digest = notice.pdf, notice.sha256
    post_voucher(world.a1, date(2024, 5, 20), [("补记收入", "101", "5", ""), ("补记", "501", "", "5")])
    assert service.render(notice, "https://elsewhere.example") == stored
    with pytest.raises(IllegalMove):
        act(session, service.regenerate, notice=notice, village=world.a1, actor=world.user("accountant"))
    with pytest.raises(IllegalMove):
        generate(session, world)  # the same period again
    with pytest.raises(IllegalMove):
        notice.pdf = b"%PDF-1.4 forged"
    with pytest.raises(IllegalMove):
        notice.content = "{}"
    session.rollback()
    fresh = session.get(Disclosure, notice.id, populate_existing=True)
    assert (fresh.pdf, fresh.sha256, fresh.status) == (stored, digest, "published")


def test_only_the_board_of_that_village_signs_off(session, world, books):
    from threeassets.auth.service import create_user
    with transaction(session):
        other_board = create_user(session, actor=None, username="board2", display_name="乙", password="x-pass-12345",
                                  role="village_board", village_id=world.a2.id)
    notice = generate(session, world)
    act(session, service.submit, notice=notice, village=world.a1, actor=world.user("accountant"))
    for actor in (world.user("accountant"), world.user("head"), other_board):
        with pytest.raises(IllegalMove, match="民主理财小组"):
            act(session, service.sign_off, notice=notice, village=world.a1, actor=actor, names="某人", on=TODAY)
        with pytest.raises(IllegalMove, match="民主理财小组"):
            act(session, service.send_back, notice=notice, village=world.a1, actor=actor, remarks="不对")
    session.refresh(notice)
    assert notice.status == "submitted" and notice.signoff_names is None


def test_send_back_returns_a_draft_with_remarks_then_resubmit(session, world, books):
    notice = generate(session, world, other="修路款已经村民代表会议通过")
    act(session, service.submit, notice=notice, village=world.a1, actor=world.user("accountant"))
    with pytest.raises(RuleError):
        act(session, service.send_back, notice=notice, village=world.a1, actor=world.user("board"), remarks=" ")
    act(session, service.send_back, notice=notice, village=world.a1, actor=world.user("board"),
        remarks="请补列误工补贴名单")
    assert (notice.status, notice.remarks) == ("draft", "请补列误工补贴名单")
    act(session, service.regenerate, notice=notice, village=world.a1, actor=world.user("accountant"))
    assert service.other_of(notice) == "修路款已经村民代表会议通过"  # kept when not retyped
    to_signed(session, world, notice)
    assert notice.status == "signed_off" and notice.remarks == "账实相符"


def test_withdraw_voids_the_signoff(session, world, books):
    notice = to_signed(session, world, generate(session, world))
    act(session, service.withdraw, notice=notice, village=world.a1, actor=world.user("accountant"))
    assert notice.status == "draft" and notice.signoff_on is None and notice.signoff_names is None


def test_display_period_under_15_days_is_refused_and_nothing_changes(session, world, books):
    notice = to_signed(session, world, generate(session, world))
    with pytest.raises(RuleError, match="不少于15天"):
        publish(session, world, notice, days=14)
    fresh = session.get(Disclosure, notice.id, populate_existing=True)
    assert (fresh.status, fresh.sha256, fresh.published_on) == ("signed_off", None, None)


def test_publish_needs_a_signoff(session, world, books):
    notice = generate(session, world)
    act(session, service.submit, notice=notice, village=world.a1, actor=world.user("accountant"))
    with pytest.raises(IllegalMove):
        publish(session, world, notice)


def test_a_correction_supersedes_the_old_version_when_published(session, world, books, post_voucher):
    old = published(session, world)
    post_voucher(world.a1, date(2024, 5, 21), [("补记租金", "101", "1000", ""), ("租金", "501", "", "1000")])
    new = act(session, service.correct, notice=old, village=world.a1, actor=world.user("accountant"))
    assert (new.version, new.status, new.supersedes_id, new.period) == (2, "draft", old.id, "2024-05")
    assert new.verify_code != old.verify_code
    assert old.status == "published" and old.superseded_by_id is None  # still the valid one until v2 is out
    with pytest.raises(IllegalMove, match="第2版"):
        act(session, service.correct, notice=old, village=world.a1, actor=world.user("accountant"))
    publish(session, world, to_signed(session, world, new))
    session.refresh(old)
    assert (old.status, old.superseded_by_id) == ("archived", new.id)
    assert fmt(Decimal("13000")) in pdf_text(new.pdf)
    with pytest.raises(IllegalMove, match="替代"):
        act(session, service.correct, notice=old, village=world.a1, actor=world.user("accountant"))


def test_every_move_is_audited(session, world, books):
    notice = published(session, world)
    with pytest.raises(IllegalMove, match="期满后"):
        act(session, service.archive, notice=notice, village=world.a1, actor=world.user("head"))
    act(session, service.archive, notice=notice, village=world.a1, actor=world.user("head"),
        today=TODAY + timedelta(days=15))
    actions = list(session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "Disclosure", AuditEvent.object_id == notice.id).order_by(AuditEvent.id)))
    assert actions == ["disclosure.generate", "disclosure.submit", "disclosure.sign_off", "disclosure.publish",
                       "disclosure.archive"]


def test_verify_code_lookup_ignores_unpublished(session, world, books):
    draft = generate(session, world)
    assert service.published_by_code(session, draft.verify_code) is None
    to_signed(session, world, draft)
    assert service.published_by_code(session, draft.verify_code) is None
    publish(session, world, draft)
    assert service.published_by_code(session, draft.verify_code).id == draft.id
    assert service.matches(draft, draft.pdf)[0]
    assert not service.matches(draft, draft.pdf + b"\n")[0]


def test_generate_refuses_future_period_bad_layout_and_regenerates_a_draft(session, world, books):
    future = date(TODAY.year + 1, 1, 1).strftime("%Y-%m")
    with pytest.raises(RuleError):
        generate(session, world, period=future)
    with pytest.raises(RuleError):
        generate(session, world, layout="a5")
    first = generate(session, world, other="第一次")
    again = generate(session, world, layout="a3")
    assert again.id == first.id and again.layout == "a3" and service.other_of(again) == "第一次"
    act(session, service.submit, notice=first, village=world.a1, actor=world.user("accountant"))
    with pytest.raises(IllegalMove, match="撤回"):
        generate(session, world)


def test_batch_leaves_reviewed_and_published_notices_alone(session, world, books):
    signed = to_signed(session, world, generate(session, world))
    content = signed.content
    with transaction(session):
        name, pdf = batch.village_file(session, world.a1, "2024-05", "a4", world.user("accountant"), BASE)
        assert batch.notice_for(session, world.a2, "2024-05", "a4", world.user("accountant")).status == "draft"
    assert name == "A1-甲一村-2024-05.pdf" and pdf.startswith(b"%PDF")
    assert signed.content == content and signed.status == "signed_off"
    publish(session, world, signed)
    with transaction(session):
        assert batch.village_file(session, world.a1, "2024-05", "a4", None, BASE)[1] == signed.pdf


def test_job_runs_to_a_zip_of_one_pdf_per_village(session, world, books):
    with transaction(session):
        job = jobs.create(session, township=world.township_a, period="2024-05", layout="a4",
                          actor=world.user("accountant"), base_url=BASE)
    core_jobs.run(core_jobs.ref(job))
    session.expire_all()
    job = session.get(Job, job.id)
    assert core_jobs.status(job)["status"] == "done" and (job.done, job.total) == (2, 2)
    names = zipfile.ZipFile(io.BytesIO(job.file)).namelist()
    assert names == ["A1-甲一村-2024-05.pdf", "A2-甲二村-2024-05.pdf"]
    drafts = session.scalars(select(Disclosure).where(Disclosure.period == "2024-05")).all()
    assert sorted(d.village_id for d in drafts) == [world.a1.id, world.a2.id]


def test_failed_job_says_why(session, world, books, monkeypatch):
    from threeassets.disclosure import content

    def broken(*_a, **_k):
        raise RuleError("账簿数据不完整")
    monkeypatch.setattr(content, "build_notice", broken)
    with transaction(session):
        job = jobs.create(session, township=world.township_a, period="2024-05", layout="a4", actor=None,
                          base_url=BASE)
    core_jobs.run(core_jobs.ref(job))
    session.expire_all()
    state = core_jobs.status(session.get(Job, job.id))
    assert (state["status"], state["error"], state["finished"]) == ("failed", "账簿数据不完整", True)


def test_zip_expires(session, world, books):
    with transaction(session):
        job = jobs.create(session, township=world.township_a, period="2024-05", layout="a4", actor=None,
                          base_url=BASE)
    core_jobs.run(core_jobs.ref(job))
    session.expire_all()
    job = session.get(Job, job.id)
    kept_until = job.expires_at
    with transaction(session):
        assert jobs.take_zip(session, job) is not None
    assert job.expires_at < kept_until  # a download shortens the wait
    later = kept_until + timedelta(seconds=1)
    assert jobs.take_zip(session, job, now=later) is None
    with transaction(session):
        assert core_jobs.expire(session, now=later) == 1
    session.expire_all()
    job = session.get(Job, job.id)
    assert job.status == "expired" and job.file is None
