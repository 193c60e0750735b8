"""The annual report's figures (SQLite and PostgreSQL) equal independent counts over the raw rows: notices,
kiosk notices, policies and lists, window cases, requests by outcome, year-end balances from the voucher lines;
the county's rows are the sum of its townships' reports; the texts' service and the command line."""
from __future__ import annotations

import io
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal

import pytest
from docx import Document
from sqlalchemy import select, text

from tests.integration.test_county import county  # noqa: F401  (books, registers, notices and cases of 2024)
from threeassets.annualreport import build, service
from threeassets.annualreport.figures import compile_figures
from threeassets.core.db import transaction
from threeassets.core.errors import RuleError
from threeassets.inforequests import service as requests_service
from threeassets.inforequests.rules import OUTCOMES
from threeassets.kiosk.models import KioskCount, KioskNotice
from threeassets.subsidies.models import Batch, Policy
from threeassets.windows.models import Case, ServiceItem

YEAR = 2024
D = Decimal


@pytest.fixture
def year_of_work(session, county):  # noqa: F811  (the county fixture, imported)
    """The county's 2024, and: kiosk notices (one published the year before), cases received in the year, and
    requests of township A answered in the year, carried in and carried out."""
    world = county
    with transaction(session):
        for n, (township, kind, published) in enumerate([
                (world.township_a, "party", datetime(2024, 3, 1, 9)),
                (world.township_a, "gov", datetime(2024, 12, 31, 23)),
                (world.township_a, "gov", datetime(2023, 12, 31, 23)), (world.township_b, "gov", datetime(2024, 6, 1)),
                (world.township_a, "gov", None)]):
            session.add(KioskNotice(township_id=township.id, kind=kind, title=f"公告{n}", notice_date=date(2024, 1, 1),
                                    status="published" if published else "draft", published_at=published))
        for n, (year_from, year_to, status, lists) in enumerate([
                (2020, None, "active", ["draft", "noticing"]), (2020, 2023, "active", ["paid"]),
                (2024, 2024, "retired", []), (2025, None, "active", [])]):
            policy = Policy(township_id=world.township_a.id, code=f"P{n}", level="province", department="农业农村局",
                            name=f"补贴{n}", year_from=year_from, year_to=year_to, status=status)
            session.add(policy)
            session.flush()
            for state in lists:
                session.add(Batch(township_id=world.township_a.id, policy_id=policy.id, year=YEAR, name=state,
                                  state=state))
        for day, hits in ((date(2024, 1, 1), 2), (date(2024, 12, 31), 3), (date(2023, 12, 31), 7)):
            session.add(KioskCount(township_id=world.township_a.id, day=day, section="home", item="", hits=hits))
        item = session.scalar(select(ServiceItem).where(ServiceItem.township_id == world.township_a.id))
        for n, received in enumerate([datetime(2024, 1, 1, 0, 0), datetime(2024, 12, 31, 23, 59),
                                      datetime(2025, 1, 1, 0, 0)]):
            session.add(Case(township_id=world.township_a.id, number=f"R-{n}", item_id=item.id,
                             window_id=item.window_id, applicant_name="赵六", applicant_phone="13900000000",
                             state="intake", owner_id=world.user("clerk").id, received_at=received))
    clerk = world.user("clerk")
    plan = [(date(2023, 12, 20), date(2024, 1, 10), "disclosed", "person"),  # carried in, answered
            (date(2024, 3, 4), date(2024, 3, 20), "withheld_4", "business"),
            (date(2024, 5, 6), date(2024, 5, 8), "partial", "law"),
            (date(2024, 12, 24), None, None, "person"),  # carried out
            (date(2025, 1, 3), None, None, "person")]  # next year's
    for received, answered, outcome, kind in plan:
        with transaction(session):
            req = requests_service.receive(session, township=world.township_a, actor=clerk, received_on=received,
                                           today=received, channel="in_person", requester_kind=kind,
                                           requester_name="张三", contact="13800001234", content="收益分配方案")
            if answered:
                requests_service.answer(session, req, clerk, outcome, "依法答复", basis="第十四条", on=answered,
                                        today=answered)
    return world


def _count(session, sql: str, **params) -> int:
    return session.execute(text(sql), params).scalar()


def _independent(session, township_ids: list[int]) -> dict:
    """The report's counts, read again from the raw rows with plain SQL and Python."""
    ids = ",".join(str(i) for i in township_ids)
    out = {}
    notices = session.execute(text(
        f"SELECT d.period, d.supersedes_id FROM disclosure d JOIN village v ON v.id = d.village_id "
        f"WHERE v.township_id IN ({ids}) AND d.status IN ('published', 'archived') "
        f"AND d.published_on >= :a AND d.published_on <= :b"), {"a": date(YEAR, 1, 1), "b": date(YEAR, 12, 31)}).all()
    out["quarter"] = sum("Q" in p for p, _s in notices)
    out["month"] = len(notices) - out["quarter"]
    kiosk = session.execute(text(f"SELECT kind, published_at FROM kiosk_notice WHERE township_id IN ({ids})")).all()
    published = [k for k, at in kiosk if at is not None and str(at)[:4] == str(YEAR)]
    out["party"], out["gov"] = published.count("party"), published.count("gov")
    hits = session.execute(text(f"SELECT day, hits FROM kiosk_count WHERE township_id IN ({ids})")).all()
    out["hits"] = sum(n for day, n in hits if str(day)[:4] == str(YEAR))
    policies = session.execute(text(f"SELECT year_from, year_to, status FROM subsidy_policy "
                                    f"WHERE township_id IN ({ids})")).all()
    out["policies"] = sum(s == "active" and a <= YEAR and (b is None or b >= YEAR) for a, b, s in policies)
    out["lists"] = _count(session, f"SELECT count(*) FROM subsidy_batch WHERE township_id IN ({ids}) "
                                   f"AND year = {YEAR} AND state <> 'draft'")
    cases = session.execute(text(
        f"SELECT state, received_at, due_on, finished_at FROM service_case WHERE township_id IN ({ids})")).all()
    out["received"] = sum(str(r[1])[:4] == str(YEAR) for r in cases)
    finished = [r for r in cases if r[0] in ("done", "rejected") and r[3] is not None and str(r[3])[:4] == str(YEAR)]
    out["finished"] = len(finished)
    out["late"] = sum(r[2] is not None and str(r[3])[:10] > str(r[2])[:10] for r in finished)
    reqs = session.execute(text(
        f"SELECT received_on, answered_on, outcome FROM info_request WHERE township_id IN ({ids})")).all()
    first, last = date(YEAR, 1, 1), date(YEAR, 12, 31)

    def day(x):
        return x if isinstance(x, date) or x is None else date.fromisoformat(str(x)[:10])
    reqs = [(day(a), day(b), o) for a, b, o in reqs]
    out["new"] = sum(first <= r <= last for r, _a, _o in reqs)
    out["answered"] = sum(a is not None and first <= a <= last for _r, a, _o in reqs)
    out["carried_out"] = sum(r <= last and (a is None or a > last) for r, a, _o in reqs)
    out["outcomes"] = {o: sum(1 for _r, a, x in reqs if x == o and a is not None and first <= a <= last)
                       for o in OUTCOMES}
    return out


def _leaf_balances(session, village_id: int) -> dict[str, Decimal]:
    """Account code → debit less credit of a village's posted lines up to the year's end."""
    rows = session.execute(text(
        "SELECT a.code, COALESCE(SUM(l.debit - l.credit), 0) FROM voucher_line l "
        "JOIN voucher v ON v.id = l.voucher_id AND v.village_id = l.village_id "
        "JOIN account a ON a.id = l.account_id AND a.village_id = l.village_id "
        "WHERE l.village_id = :v AND v.status = 'posted' AND v.voucher_date <= :end GROUP BY a.code"),
        {"v": village_id, "end": date(YEAR, 12, 31)}).all()
    return {code: D(int(fen)).scaleb(-2) for code, fen in rows}


def _funds(leaves: dict[str, Decimal]) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """(cash, bank, receivables, payables) as the balance sheet reads them: 113's leaves by their side."""
    def under(*roots):
        return sum((v for c, v in leaves.items() if c[:3] in roots), D(0))
    internal = [v for c, v in leaves.items() if c[:3] == "113"]
    return (under("101"), under("102"), under("112") + sum((v for v in internal if v > 0), D(0)),
            -under("211", "212", "213") - sum((v for v in internal if v < 0), D(0)))


def test_a_townships_figures_equal_independent_counts(session, year_of_work):
    world = year_of_work
    f = compile_figures(session, [world.township_a.id], YEAR)
    want = _independent(session, [world.township_a.id])
    assert [u.id for u in f.units] == [world.a1.id, world.a2.id]
    assert (f.notices.month, f.notices.quarter) == (want["month"], want["quarter"]) == (3, 0)
    assert (f.party_notices, f.gov_notices) == (want["party"], want["gov"]) == (1, 1)
    assert (f.policies, f.subsidy_lists) == (want["policies"], want["lists"]) and want["lists"] == 2
    assert f.kiosk_hits == want["hits"] == 5
    c = f.cases
    assert (c.received, c.finished, c.late) == (want["received"], want["finished"], want["late"]) == (2, 4, 1)
    r = f.requests
    assert r["new"]["total"] == want["new"] == 3 and r["carried_in"]["total"] == 1
    assert r["total"]["total"] == want["answered"] == 3 and r["carried_out"]["total"] == want["carried_out"] == 1
    assert {o: r[o]["total"] for o in OUTCOMES} == want["outcomes"]
    assert r["withheld_4"]["business"] == 1 and r["partial"]["law"] == 1
    for u in f.units:
        a = u.assets
        assert (a.cash, a.bank, a.receivable, a.payable) == _funds(_leaf_balances(session, u.id)), u.name
        cards = session.execute(text("SELECT count(*), COALESCE(SUM(original_cost), 0) FROM asset "
                                     "WHERE village_id = :v AND status <> 'disposed' AND acquired_on <= :end"),
                                {"v": u.id, "end": date(YEAR, 12, 31)}).one()
        assert (a.cards, a.cards_cost) == (cards[0], D(int(cards[1])).scaleb(-2)), u.name
    a1 = f.units[0].assets
    assert a1.cash == D("9000.00") - D("300.00") + D("120.00") + D("77.00") + D("999.00")
    assert a1.receivable == D("800.00") + D("300.00") and a1.payable == D("640.00") + D("1500.00") + D("120.00")
    assert a1.cards == 2  # the disposed card is not counted; the one acquired in July is


def test_the_countys_rows_are_its_townships_reports(session, year_of_work):
    world = year_of_work
    ids = [world.township_a.id, world.township_b.id]
    county_f = compile_figures(session, ids, YEAR, per_township=True)
    assert [u.id for u in county_f.units] == ids
    for unit in county_f.units:
        alone = compile_figures(session, [unit.id], YEAR)
        assert unit.notices == alone.notices and unit.assets == alone.assets, unit.name
    parts = [compile_figures(session, [i], YEAR) for i in ids]
    assert county_f.cases == _sum_cases(parts) and county_f.party_notices == sum(p.party_notices for p in parts)
    assert county_f.gov_notices == sum(p.gov_notices for p in parts) == _independent(session, ids)["gov"]
    totals = parts[0].requests["total"]
    assert county_f.requests["total"] == {k: sum(p.requests["total"][k] for p in parts) for k in totals}


def _sum_cases(parts):
    from threeassets.annualreport.figures import Cases
    total = Cases()
    for p in parts:
        total.add(p.cases)
    return total


def test_texts_are_saved_audited_finalised_and_reopened(session, world):
    head = world.user("head")
    form = {"problems": "  公开不及时  ", "plans": "按月公开", "review.kept": "３", "suit_direct.other": ""}
    with transaction(session):
        row = service.save(session, world.township_a.id, YEAR, form, actor=head)
    assert row.problems == "公开不及时" and service.texts_of(row).review["review"] == {
        "kept": 3, "corrected": 0, "other": 0, "pending": 0, "total": 3}
    with pytest.raises(RuleError) as bad, transaction(session):
        service.save(session, world.township_a.id, YEAR, {"review.kept": "-1", "suit_after_review.pending": "x"},
                     actor=head)
    assert set(bad.value.fields) == {"review.kept", "suit_after_review.pending"}
    assert service.find(session, world.township_a.id, YEAR).problems == "公开不及时"  # the refused save wrote nothing
    with transaction(session):
        service.finalise(session, world.township_a.id, YEAR, actor=head)
    with pytest.raises(RuleError), transaction(session):
        service.save(session, world.township_a.id, YEAR, form, actor=head)
    report, _row = build.township_report(session, world.township_a, YEAR)
    assert not report.draft and report.dated == date.today()
    with transaction(session):
        service.reopen(session, world.township_a.id, YEAR, actor=head)
    assert build.township_report(session, world.township_a, YEAR)[0].draft
    actions = session.execute(text("SELECT action FROM audit_event WHERE action LIKE 'annual_report.%' "
                                   "ORDER BY id")).scalars().all()
    assert actions == ["annual_report.save", "annual_report.finalise", "annual_report.reopen"]


def test_finalising_needs_the_problems_and_the_plans(session, world):
    with pytest.raises(RuleError) as refused, transaction(session):
        service.finalise(session, None, YEAR, actor=world.user("supervisor"))
    assert set(refused.value.fields) == {"problems", "plans"}
    assert service.find(session, None, YEAR) is None


CLI = "import sys; from threeassets.cli import main; sys.exit(main())"


def test_the_command_line_writes_the_report_and_refuses_bad_arguments(db_url, session, world, tmp_path):
    import os
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEST_DATABASE_URL")}
    env.update(DATABASE_URL=db_url, THREEASSETS_INSTANCE=str(tmp_path / "instance"),
               THREEASSETS_COUNTY_ISSUER="肥东县农村经营管理站")
    out = tmp_path / "县.docx"

    def run(*args):
        return subprocess.run([sys.executable, "-c", CLI, "annual-report", *args], env=env, capture_output=True,
                              text=True, timeout=120)
    done = run("--county", "--year", str(YEAR), "--format", "docx", "-o", str(out))
    assert done.returncode == 0, done.stderr
    body = "\n".join(p.text for p in Document(io.BytesIO(out.read_bytes())).paragraphs)
    assert "三、收到和处理政府信息公开申请情况" in body and "肥东县农村经营管理站2024年度" in body
    pdf = tmp_path / "甲镇.pdf"
    done = run("--township", world.township_a.code, "--year", str(YEAR), "-o", str(pdf))
    assert done.returncode == 0 and pdf.read_bytes().startswith(b"%PDF") and "（草稿）" in done.stdout
    for args, reason in [(("--year", "2024"), "exactly one"), (("--township", "NOPE"), "not found"),
                         (("--county", "--year", "1999"), "年度")]:
        done = run(*args, "-o", str(tmp_path / "x.pdf"))
        assert done.returncode != 0 and reason in done.stderr, (args, done.stderr)
    assert not (tmp_path / "x.pdf").exists()
