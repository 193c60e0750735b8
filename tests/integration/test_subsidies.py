"""The subsidy side on a real database (SQLite, and PostgreSQL with TEST_DATABASE_URL): the catalogue seeded for a
new township, households imported (GBK, Chinese headers, full-width digits, a rare character) and duplicates
refused, a list imported and checked to the fen, its notice, the bank's file with mismatches, totals, tenancy and
the public read API."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.conftest import PG_URL
from tests.subsidy_helpers import households_csv, list_csv, past_notice, payments_csv, person_id, table
from threeassets.core.audit import AuditEvent
from threeassets.core.csvio import ImportError_
from threeassets.core.db import transaction
from threeassets.core.errors import IllegalMove, RuleError
from threeassets.subsidies import importer, public, service
from threeassets.subsidies.models import Batch, BatchRow, Household, Objection, Payment, Policy

RARE = "𠮷"  # outside the BMP: must survive the database and every page
ID1, ID2, ID3 = person_id(1), person_id(2), person_id(3)


def _rows():
    return [["一组", "001", f"{RARE}大山", ID1, "４", "6.35", "1234"],
            ["一组", "002", "李秀英", ID2, "3", "4.80", "6222020200112345678"],
            ["二组", "003", "王建国", ID3, "5", "10", ""]]


@pytest.fixture
def households(session, world):
    with transaction(session):
        stats = importer.import_households(session, table(households_csv(_rows())), world.a1, actor=world.user("head"))
    assert stats == {"households": 3}
    return {h.number: h for h in session.scalars(select(Household))}


def _policy(session, world, code="SL01") -> Policy:
    return session.scalar(select(Policy).where(Policy.township_id == world.township_a.id, Policy.code == code))


@pytest.fixture
def batch(session, world, households):
    """A draft list of 大中型水库移民后期扶持 (600 元/人/年) with the three households."""
    with transaction(session):
        b = service.create_batch(session, world.township_a, world.user("accountant"),
                                 policy_id=_policy(session, world).id, year=date.today().year, name="第一批")
        importer.import_rows(session, table(list_csv([[ID1, "4", "600", "2400.00"], [ID2, "3", "", ""],
                                                      [ID3, "5", "600", "3000"]]), "名单.csv"), b,
                             actor=world.user("accountant"))
    return b


def test_a_new_township_gets_the_starter_catalogue(session, world):
    codes = set(session.scalars(select(Policy.code).where(Policy.township_id == world.township_b.id)))
    assert {"NY01", "SL01", "RS01", "WJ01", "MZ01", "BX01"} <= codes
    p = _policy(session, world)
    assert (p.rate, p.unit, p.level) == (Decimal("600.00"), "person_year", "central")
    assert "国发〔2006〕17号" in p.basis


def test_households_import_keeps_rare_names_exact_areas_and_only_card_tails(session, households):
    h = households["001"]
    assert h.head_name == f"{RARE}大山" and h.members == 4 and h.land_area == Decimal("6.35")
    assert (h.id_number, h.id_last4, h.card_last4) == (ID1, ID1[-4:], "1234")
    assert households["002"].card_last4 == "5678"  # the whole card number is never kept
    audit = session.scalar(select(AuditEvent).where(AuditEvent.action == "subsidy.household_import"))
    assert "导入农户" in audit.detail and "3" in audit.detail


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_households_import_reads_every_encoding(session, world, encoding):
    with transaction(session):
        importer.import_households(session, table(households_csv(_rows()[:1], encoding)), world.a2)
    assert session.scalar(select(Household.head_name)) == f"{RARE}大山"


def test_code_name_headers_are_read_too(session, world):
    data = households_csv([["", "9", "赵六", ID1, "", "", ""]],
                          header="group,number,head_name,id_number,members,land_area,card_last4")
    with transaction(session):
        importer.import_households(session, table(data), world.a1)
    assert session.scalar(select(Household.number)) == "9"


def _refused(session, world, village, data) -> list:
    with pytest.raises(ImportError_) as caught, transaction(session):
        importer.import_households(session, table(data), village)
    return caught.value.errors


def test_the_same_id_twice_in_a_file_is_refused_and_nothing_is_written(session, world):
    rows = _rows() + [["三组", "004", "赵六", ID2, "2", "1", ""]]
    errors = _refused(session, world, world.a1, households_csv(rows))
    assert ("农户.csv", 5, "id_number", "与第 3 行身份证号重复") in errors
    assert session.scalar(select(func.count(Household.id))) == 0


def test_an_id_already_in_the_township_is_refused_even_in_another_village(session, world, households):
    errors = _refused(session, world, world.a2, households_csv([["", "101", "李秀英", ID2, "3", "", ""]]))
    assert errors == [("农户.csv", 2, "id_number", "身份证号已登记在甲一村（户号 002），不能重复登记")]


def test_another_township_may_register_the_same_person(session, world, households):
    with transaction(session):
        importer.import_households(session, table(households_csv([["", "1", "李秀英", ID2, "3", "", ""]])), world.b1)
    assert session.scalar(select(func.count(Household.id))) == 4


def test_bad_rows_are_named_by_line_column_and_reason(session, world):
    bad = ID1[:-1] + ("0" if ID1[-1] != "0" else "1")
    rows = [["", "1", "甲", bad, "2", "1.234", ""], ["", "", "", "12345", "x", "-1", "12"]]
    errors = _refused(session, world, world.a1, households_csv(rows))
    assert ("农户.csv", 2, "id_number", "身份证号无效（校验码、出生日期或地区码不对）") in errors
    assert ("农户.csv", 2, "land_area", "承包地面积：承包地面积最多两位小数") in errors
    assert ("农户.csv", 3, "number", "请填写户号") in errors
    assert ("农户.csv", 3, "id_number", "身份证号应为18位（现为5位）") in errors
    assert ("农户.csv", 3, "members", "家庭人口应为 1 至 99 的整数") in errors
    assert ("农户.csv", 3, "land_area", "承包地面积不能为负数") in errors


def test_a_missing_column_is_refused_by_name(session, world):
    errors = _refused(session, world, world.a1, households_csv([["a", "b"]], header="户号,户主姓名"))
    assert errors == [("农户.csv", 1, "id_number", "缺少此列")]


def test_the_list_is_checked_to_the_fen_and_names_the_row(session, world, households):
    with transaction(session):
        b = service.create_batch(session, world.township_a, None, policy_id=_policy(session, world, "NY01").id,
                                 year=date.today().year, name="第一批")
    data = list_csv([[ID1, "6.35", "118.37", "751.65"], [ID2, "4.80", "118.37", "568.18"],
                     [ID3, "10", "", "1183.70"]])
    with pytest.raises(ImportError_) as caught, transaction(session):
        importer.import_rows(session, table(data, "名单.csv"), session.get(Batch, b.id))
    # 4.80 × 118.37 = 568.176 → 568.18 and 6.35 × 118.37 = 751.6495 → 751.65 (half up) are right; the third
    # row leaves the rate blank and 耕地地力保护补贴 has no fixed national rate
    assert caught.value.errors == [("名单.csv", 4, "rate", "请填写标准")]
    data = list_csv([[ID1, "6.35", "118.37", "751.64"]])
    with pytest.raises(ImportError_) as caught, transaction(session):
        importer.import_rows(session, table(data, "名单.csv"), session.get(Batch, b.id))
    assert caught.value.errors == [("名单.csv", 2, "amount", "金额 751.64 与 数量×标准（6.35 × 118.37 = 751.65）不符")]
    assert session.scalar(select(func.count(BatchRow.id))) == 0


def test_a_list_row_may_name_the_household_by_village_and_number(session, world, households):
    with transaction(session):
        b = service.create_batch(session, world.township_a, None, policy_id=_policy(session, world).id,
                                 year=date.today().year, name="第二批")
        importer.import_rows(session, table(list_csv([["A1", "003", "王建国", "5", "600"]],
                                                     header="村编码,户号,户主姓名,数量,标准"), "名单.csv"), b)
    assert session.scalar(select(BatchRow.amount)) == Decimal("3000.00")


def test_unknown_households_and_the_same_household_twice_are_refused(session, world, batch):
    with transaction(session):
        b = service.create_batch(session, world.township_a, None, policy_id=_policy(session, world).id,
                                 year=date.today().year, name="第三批")
    data = list_csv([[ID1, "1", "600", ""], [person_id(9), "1", "600", ""], [ID1, "1", "600", ""]])
    with pytest.raises(ImportError_) as caught, transaction(session):
        importer.import_rows(session, table(data, "名单.csv"), session.get(Batch, b.id))
    assert caught.value.errors == [("名单.csv", 3, "id_number", "本镇农户中没有此身份证号，请先导入农户"),
                                   ("名单.csv", 4, "id_number", "与第 2 行是同一户，不能重复列入")]


def test_another_townships_household_is_not_found(session, world, households):
    with transaction(session):
        policy_b = session.scalar(select(Policy.id).where(Policy.township_id == world.township_b.id,
                                                          Policy.code == "SL01"))
        b = service.create_batch(session, world.township_b, None, policy_id=policy_b, year=date.today().year,
                                 name="第一批")
    with pytest.raises(ImportError_) as caught, transaction(session):
        importer.import_rows(session, table(list_csv([[ID1, "1", "600", ""]]), "名单.csv"), session.get(Batch, b.id))
    assert caught.value.errors[0][3] == "本镇农户中没有此身份证号，请先导入农户"


def test_notice_then_payment_with_mismatches(session, world, batch):
    head = world.user("head")
    with pytest.raises(IllegalMove, match="名单尚未公示"), transaction(session):
        importer.import_payments(session, table(payments_csv([]), "bank.csv"), session.get(Batch, batch.id))
    with transaction(session):
        b = service.start_notice(session, session.get(Batch, batch.id), head)
    assert (b.notice_days, b.notice_from, (b.notice_to - b.notice_from).days) == (7, date.today(), 6)
    with pytest.raises(IllegalMove, match="未满公示期"), transaction(session):
        service.end_notice(session, session.get(Batch, batch.id), head)
    with transaction(session):
        service.add_objection(session, session.get(Batch, batch.id), head, service.ObjectionInput(
            "李秀英", date.today().isoformat(), "家庭人口应为4人", "经核实仍为3人，维持", world.a1.id))
        past_notice(session.get(Batch, batch.id))
    with transaction(session):
        service.end_notice(session, session.get(Batch, batch.id), head)
    bank = payments_csv([[f"{RARE} 大山", ID1[-4:], "", "2400.00", "2024-10-15", "成功", "B1"],
                         ["李秀英", "", "5678", "1700.00", "2024-10-15", "成功", "B2"],
                         ["张三", person_id(7), "", "600", "2024-10-15", "成功", "B3"],
                         ["王建国", ID3, "", "3000", "2024-10-15", "失败", "B4"]])
    with transaction(session):
        stats = importer.import_payments(session, table(bank, "bank.csv"), session.get(Batch, batch.id), actor=head)
    assert stats == {"lines": 4, "paid": "4700.00", "mismatches": 4}
    b = session.get(Batch, batch.id)
    assert b.state == "paid"
    diffs = {(d.outcome, d.head_name) for d in service.differences(session, b)}
    assert diffs == {("amount_differs", "李秀英"), ("not_on_list", "张三"), ("failed", "王建国"),
                     ("unpaid", "王建国")}
    stored = session.scalars(select(Payment.id_masked)).all()
    assert all(len(x) < 18 or "*" in x for x in stored)  # the bank's whole IDs are never stored
    total = service.batch_total(session, b.id)
    assert (total.households, total.amount, total.paid, total.paid_households) == (
        3, Decimal("7200.00"), Decimal("4100.00"), 2)
    by_policy = service.totals_by_policy(session, world.township_a.id, date.today().year)
    assert [(t.label, t.amount, t.paid) for t in by_policy] == [("大中型水库移民后期扶持", Decimal("7200.00"),
                                                                 Decimal("4100.00"))]
    assert service.totals_by_policy(session, world.township_b.id) == []


def test_a_payment_file_is_imported_once(session, world, batch):
    with transaction(session):
        service.start_notice(session, session.get(Batch, batch.id), None)
        past_notice(session.get(Batch, batch.id))
    with transaction(session):
        service.end_notice(session, session.get(Batch, batch.id), None)
        importer.import_payments(session, table(payments_csv([["李秀英", ID2, "", "1800", "2024-10-15", "", ""]]),
                                                "b.csv"), session.get(Batch, batch.id))
    with pytest.raises(IllegalMove, match="已导入"), transaction(session):
        importer.import_payments(session, table(payments_csv([["李秀英", ID2, "", "1800", "2024-10-15", "", ""]]),
                                                "b.csv"), session.get(Batch, batch.id))


def test_a_noticing_list_cannot_be_replaced(session, world, batch):
    with transaction(session):
        service.start_notice(session, session.get(Batch, batch.id), None)
    with pytest.raises(IllegalMove, match="撤回公示"), transaction(session):
        importer.import_rows(session, table(list_csv([[ID1, "1", "600", ""]]), "名单.csv"),
                             session.get(Batch, batch.id))
    with transaction(session):
        service.withdraw_notice(session, session.get(Batch, batch.id), None, "人口有误")
    b = session.get(Batch, batch.id)
    assert (b.state, b.notice_from) == ("draft", None)


def test_public_api_shows_published_lists_only_masked(session, world, batch):
    assert public.published_lists(session, world.a1.id) == []
    assert public.public_list(session, world.a1.id, batch.id) is None  # a draft is not public
    assert public.household_payments(session, world.township_a.id, "李秀英", ID2[-4:]) == []
    with transaction(session):
        service.start_notice(session, session.get(Batch, batch.id), None)
    [listed] = public.published_lists(session, world.a1.id)
    assert (listed.households, listed.total, listed.state, listed.rows) == (3, Decimal("7200.00"), "公示中", ())
    shown = public.public_list(session, world.a1.id, batch.id)
    assert [r.id_masked for r in shown.rows] == [ID1[:6] + "*" * 8 + ID1[-4:], ID2[:6] + "*" * 8 + ID2[-4:],
                                                  ID3[:6] + "*" * 8 + ID3[-4:]]
    assert ID1 not in repr(shown) and shown.rows[0].head_name == f"{RARE}大山"
    assert public.public_list(session, world.a2.id, batch.id) is None  # no household of a2 on it
    assert public.public_list(session, world.b1.id, batch.id) is None  # another township
    paid = public.household_payments(session, world.township_a.id, f" {RARE}大山 ", ID1[-4:])
    assert [(p.policy_name, p.amount, p.paid_amount) for p in paid] == [("大中型水库移民后期扶持", Decimal("2400.00"),
                                                                          None)]
    assert public.household_payments(session, world.township_a.id, "李秀英", "0000") is None
    assert public.household_payments(session, world.township_a.id, "李秀", ID2[-4:]) is None
    assert public.household_payments(session, world.township_b.id, "李秀英", ID2[-4:]) is None


def test_public_policies_filter_and_pinyin(session, world):
    cards = public.policies(session, world.township_a.id, keyword="gddl")
    assert [c.name for c in cards] == ["耕地地力保护补贴"]
    assert {c.level for c in public.policies(session, world.township_a.id, level="中央")} == {"中央"}
    assert public.policies(session, world.township_a.id, level="county") == []
    assert "民政" in public.departments(session, world.township_a.id)
    assert all(c.department == "民政" for c in public.policies(session, world.township_a.id, department="民政"))
    nj = public.policies(session, world.township_a.id, keyword="农机")[0]
    assert (nj.years, public.policy(session, world.township_a.id, nj.id).name) == ("2024—2026年", "农机购置与应用补贴")
    assert public.policy(session, world.township_b.id, nj.id) is None


def test_a_retired_policy_stays_listed_for_its_years(session, world):
    p = _policy(session, world, "NY01")
    this = date.today().year
    with transaction(session):
        service.retire_policy(session, world.township_a, world.user("head"), session.get(Policy, p.id), this - 1)
    assert public.policy(session, world.township_a.id, p.id) is not None
    assert p.id in {c.id for c in public.policies(session, world.township_a.id, year=this - 1)}
    assert p.id not in {c.id for c in public.policies(session, world.township_a.id, year=this)}
    with transaction(session):
        session.get(Policy, p.id).year_to = this - 3
    assert public.policy(session, world.township_a.id, p.id) is None  # older than the three years kept


def test_the_whole_id_is_audited_when_seen(session, world, households):
    with transaction(session):
        shown = service.reveal_id(session, world.user("head"), households["001"], world.a1, "核对银行信息")
    assert shown == ID1
    row = session.scalar(select(AuditEvent).where(AuditEvent.action == "subsidy.id_view"))
    assert "查看完整身份证号" in row.detail and ID1 not in row.detail


def test_an_over_long_reason_or_bank_holder_name_is_named_never_cut(session, world, households, batch):
    with pytest.raises(RuleError) as caught, transaction(session):
        service.reveal_id(session, world.user("head"), households["001"], world.a1, "核" * 101)
    assert caught.value.fields == {"reason": "查看事由最多100字（现 101 字）"}
    assert session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "subsidy.id_view")) == 0
    with transaction(session):
        service.start_notice(session, session.get(Batch, batch.id), None)
    with pytest.raises(RuleError) as caught, transaction(session):
        service.withdraw_notice(session, session.get(Batch, batch.id), None, "撤" * 201)
    assert caught.value.fields == {"reason": "撤回原因最多200字（现 201 字）"}
    assert session.get(Batch, batch.id).state == "noticing"
    with transaction(session):
        past_notice(session.get(Batch, batch.id))
    with transaction(session):
        service.end_notice(session, session.get(Batch, batch.id), None)
    bank = payments_csv([["户" * 51, ID2, "", "1800", "2024-10-15", "成功", "B1"]])
    with pytest.raises(ImportError_) as caught, transaction(session):
        importer.import_payments(session, table(bank, "bank.csv"), session.get(Batch, batch.id))
    assert caught.value.errors == [("bank.csv", 2, "holder_name", "户名最多50字（现 51 字）")]


def test_a_draft_with_objections_from_an_earlier_notice_is_deleted_with_them(session, world, batch):
    head = world.user("head")
    with transaction(session):
        service.start_notice(session, session.get(Batch, batch.id), head)
    with transaction(session):
        service.add_objection(session, session.get(Batch, batch.id), head, service.ObjectionInput(
            "李秀英", date.today().isoformat(), "家庭人口应为4人", "经核实为4人，撤回更正", world.a1.id))
    with transaction(session):
        service.withdraw_notice(session, session.get(Batch, batch.id), head, "人口有误")
    with transaction(session):
        service.delete_batch(session, session.get(Batch, batch.id), head)
    assert session.get(Batch, batch.id) is None
    assert session.scalar(select(func.count(Objection.id))) == 0
    assert session.scalar(select(func.count(BatchRow.id))) == 0
    audit = session.scalar(select(AuditEvent).where(AuditEvent.action == "subsidy.batch_delete"))
    assert "异议" in audit.detail and "家庭人口应为4人" in audit.detail and "经核实为4人" in audit.detail


def test_an_objection_upheld_after_the_notice_ended_withdraws_the_list_to_draft(session, world, batch):
    head = world.user("head")
    with transaction(session):
        service.start_notice(session, session.get(Batch, batch.id), head)
        past_notice(session.get(Batch, batch.id))
    with transaction(session):
        service.end_notice(session, session.get(Batch, batch.id), head)
        service.add_objection(session, session.get(Batch, batch.id), head, service.ObjectionInput(
            "王建国", date.today().isoformat(), "人口应为6人", "属实，撤回更正后重新公示", world.a1.id))
    with transaction(session):
        service.withdraw_notice(session, session.get(Batch, batch.id), head, "异议属实，更正人口")
    b = session.get(Batch, batch.id)
    assert (b.state, b.notice_from, b.notice_to, b.notice_ended_on) == ("draft", None, None, None)
    with transaction(session):  # corrected, then on notice again for a full period
        importer.import_rows(session, table(list_csv([[ID3, "6", "600", ""]]), "名单.csv"), b)
        service.start_notice(session, b, head)
    assert b.state == "noticing" and b.notice_from == date.today()


def _race(first, second) -> BaseException | None:
    """Run `first` in a transaction left open (holding what it locked), then `second` on another connection in a
    thread; once the second waits for a lock (or has finished) the first commits. Returns what the second raised."""
    import threading
    import time

    from sqlalchemy import text
    from sqlalchemy.orm import Session

    from threeassets.core.db import db
    outcome: list = []

    def run_second():
        with Session(db.engine) as other:
            try:
                with transaction(other):
                    second(other)
                outcome.append(None)
            except BaseException as exc:  # noqa: BLE001 - handed back to the test
                outcome.append(exc)
    with Session(db.engine) as holder:
        with transaction(holder):
            first(holder)
            thread = threading.Thread(target=run_second)
            thread.start()
            deadline = time.monotonic() + 10
            with db.engine.connect() as probe:
                while not outcome and time.monotonic() < deadline and not probe.scalar(text(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")):
                    time.sleep(0.05)
        thread.join(timeout=30)
    return outcome[0]


def _ended(session, batch):
    with transaction(session):
        service.start_notice(session, session.get(Batch, batch.id), None)
        past_notice(session.get(Batch, batch.id))
    with transaction(session):
        service.end_notice(session, session.get(Batch, batch.id), None)
    session.expunge_all()


@pytest.mark.skipif(not PG_URL, reason="SQLite writers are serialised by BEGIN IMMEDIATE")
def test_two_bank_files_of_one_list_run_one_after_the_other(session, world, batch):
    _ended(session, batch)
    bank = payments_csv([["李秀英", ID2, "", "1800", "2024-10-15", "成功", "B1"]])
    error = _race(lambda s: importer.import_payments(s, table(bank, "a.csv"), s.get(Batch, batch.id)),
                  lambda s: importer.import_payments(s, table(bank, "b.csv"), s.get(Batch, batch.id)))
    assert isinstance(error, IllegalMove) and "已导入" in str(error)
    assert session.scalars(select(Payment.line)).all() == [2]  # one file's line, not two
    assert session.scalar(select(Batch.payment_file)) == "a.csv"


@pytest.mark.skipif(not PG_URL, reason="SQLite writers are serialised by BEGIN IMMEDIATE")
def test_a_list_import_racing_the_notice_is_refused(session, world, batch):
    session.expunge_all()
    error = _race(lambda s: service.start_notice(s, s.get(Batch, batch.id), None),
                  lambda s: importer.import_rows(s, table(list_csv([[ID1, "1", "600", ""]]), "名单.csv"),
                                                 s.get(Batch, batch.id)))
    assert isinstance(error, IllegalMove) and "撤回公示" in str(error)
    assert session.scalar(select(func.count(BatchRow.id))) == 3  # the noticed list is untouched


def test_a_successful_bank_line_without_its_date_is_refused_naming_the_column(session, world, batch):
    _ended(session, batch)
    bank = payments_csv([["李秀英", ID2, "", "1800", "", "成功", "B1"], ["王建国", ID3, "", "3000", "", "失败", "B2"],
                         [f"{RARE}大山", ID1, "", "2400", "2024-10-15", "", "B3"]])
    with pytest.raises(ImportError_) as caught, transaction(session):
        importer.import_payments(session, table(bank, "bank.csv"), session.get(Batch, batch.id))
    assert caught.value.errors == [("bank.csv", 2, "paid_on", "请填写发放日期：发放成功的行须有银行的发放日期")]
    bank = payments_csv([["李秀英", ID2, "", "1800"]], header="户名,身份证号,卡号后四位,发放金额")  # no date column
    with pytest.raises(ImportError_) as caught, transaction(session):
        importer.import_payments(session, table(bank, "bank.csv"), session.get(Batch, batch.id))
    assert caught.value.errors == [("bank.csv", 2, "paid_on", "请填写发放日期：发放成功的行须有银行的发放日期")]
    assert session.scalar(select(func.count(Payment.id))) == 0 and session.get(Batch, batch.id).state == "notice_ended"


def test_an_overlong_note_or_bank_reference_is_refused_by_line_and_column_never_cut(session, world, batch):
    with transaction(session):
        b = service.create_batch(session, world.township_a, None, policy_id=_policy(session, world, "NY01").id,
                                 year=date.today().year, name="第十批")
    data = list_csv([[ID1, "1", "600", "", "注" * 201]], header="身份证号,数量,标准,金额,备注")
    with pytest.raises(ImportError_) as caught, transaction(session):
        importer.import_rows(session, table(data, "名单.csv"), session.get(Batch, b.id))
    assert caught.value.errors == [("名单.csv", 2, "note", "备注最多200字（现 201 字）")]
    assert session.scalar(select(func.count(BatchRow.id)).where(BatchRow.batch_id == b.id)) == 0
    _ended(session, batch)
    bank = payments_csv([["李秀英", ID2, "", "1800", "2024-10-15", "成功", "B" * 61]])
    with pytest.raises(ImportError_) as caught, transaction(session):
        importer.import_payments(session, table(bank, "bank.csv"), session.get(Batch, batch.id))
    assert caught.value.errors == [("bank.csv", 2, "reference", "银行流水号最多60字（现 61 字）")]
    assert session.scalar(select(func.count(Payment.id))) == 0


def test_an_objection_over_its_length_is_named_never_cut(session, world, batch):
    head = world.user("head")
    with transaction(session):
        service.start_notice(session, session.get(Batch, batch.id), head)
    with pytest.raises(RuleError) as caught, transaction(session):
        service.add_objection(session, session.get(Batch, batch.id), head, service.ObjectionInput(
            "李秀英", date.today().isoformat(), "异" * 5001, "维持", world.a1.id))
    assert caught.value.fields == {"content": "异议内容最多5000字（现 5001 字）"}
    with pytest.raises(RuleError) as caught, transaction(session):
        service.add_objection(session, session.get(Batch, batch.id), head, service.ObjectionInput(
            "李秀英", date.today().isoformat(), "家庭人口应为4人", "维" * 5001, world.a1.id))
    assert caught.value.fields == {"outcome": "处理结果最多5000字（现 5001 字）"}


def test_an_amount_beyond_the_maximum_and_an_overlong_id_are_refused_by_line_and_column(session, world, batch):
    with transaction(session):
        b = service.create_batch(session, world.township_a, None, policy_id=_policy(session, world, "NY01").id,
                                 year=date.today().year, name="第九批")
    data = list_csv([[ID1, "999999999.99", "99999.99", ""], [ID2, "1", "1", ""]])
    with pytest.raises(ImportError_) as caught, transaction(session):
        importer.import_rows(session, table(data, "名单.csv"), session.get(Batch, b.id))
    assert caught.value.errors == [("名单.csv", 2, "amount", "金额（数量×标准 = 99,999,989,999,000.00）超过上限 "
                                                          "999,999,999,999.99 元，请核对数量和标准")]
    _ended(session, batch)
    bank = payments_csv([["李秀英", ID2 + "0123", "", "1800", "2024-10-15", "成功", "B1"],
                         ["王建国", "'" + ID3, "", "3000", "2024-10-15", "成功", "B2"]])  # Excel's apostrophe
    with pytest.raises(ImportError_) as caught, transaction(session):
        importer.import_payments(session, table(bank, "bank.csv"), session.get(Batch, batch.id))
    assert caught.value.errors == [("bank.csv", 2, "id_number", "身份证号不超过18位（现为22位）")]


def test_the_public_catalogue_keeps_the_last_three_years_whatever_the_status(session, world):
    from threeassets.subsidies import rules
    this = date.today().year
    spans = {"OLD": (this - 8, this - 3), "EDGE": (this - 5, this - 2), "OPEN": (this - 9, None),
             "NEXT": (this + 1, None), "NOW": (this, this)}
    with transaction(session):
        for code, (start, end) in spans.items():  # all active: nobody retired them
            session.add(Policy(township_id=world.township_a.id, code=code, level="county", department=f"部门{code}",
                               name=f"政策{code}", initials="", year_from=start, year_to=end, status="active"))
    ids = dict(session.execute(select(Policy.code, Policy.id).where(Policy.code.in_(spans))).all())
    listed = {c.code for c in public.policies(session, world.township_a.id)} & set(spans)
    assert listed == {"EDGE", "OPEN", "NOW"} == {c for c, (f, t) in spans.items() if rules.kept(f, t, this)}
    assert {c for c in spans if public.policy(session, world.township_a.id, ids[c])} == listed
    assert {d for d in public.departments(session, world.township_a.id) if d.startswith("部门")} == \
        {f"部门{c}" for c in listed}


def test_a_policy_edit_is_audited_with_every_field_before_and_after(session, world):
    import json

    from threeassets.subsidies import rules
    from threeassets.subsidies.routes.policies import FIELDS
    p = _policy(session, world, "NY01")
    form = {k: "" for k in FIELDS} | {"code": "NY01", "level": "central", "department": "农业农村", "name": p.name,
                                      "year_from": "2016"}
    changed = {"basis": "新文号〔2025〕1号", "basis_date": "2025-01-02", "eligibility": "新的补贴对象",
               "standard": "新的标准", "rate": "120.50", "unit": "mu", "year_to": "2030", "payment": "新的发放方式",
               "service_item": "other", "summary": "新的摘要", "full_text": "新的全文"}
    data, problems = rules.parse_policy(form | changed)
    assert problems == {}
    with transaction(session):
        service.save_policy(session, world.township_a, world.user("head"), policy=session.get(Policy, p.id),
                            data=data)
    detail = json.loads(session.scalar(select(AuditEvent.detail).where(AuditEvent.action == "subsidy.policy_save")))
    before, after = detail["修改前"], detail["修改后"]
    differ = {k for k in after if before[k] != after[k]}
    assert differ == {"依据", "发文日期", "补贴对象", "标准", "标准金额", "年度", "发放方式", "咨询事项", "摘要",
                      "全文"}
    assert (after["补贴对象"], after["全文"], after["发文日期"], after["咨询事项"]) == (
        "新的补贴对象", "新的全文", "2025-01-02", "other")


def test_a_household_paid_twice_raises_the_villages_alert(session, world, batch):
    from threeassets.alerts import facts
    from threeassets.alerts import rules as alert_rules
    a1, a2 = world.a1.id, world.a2.id
    _ended(session, batch)
    bank = payments_csv([[f"{RARE}大山", ID1, "", "2400", "2024-10-15", "成功", "B1"],
                         ["李秀英", ID2, "", "1800", "2024-10-15", "成功", "B2"],
                         ["王建国", ID3, "", "3000", "2024-10-15", "成功", "B3"],
                         ["王建国", ID3[-4:], "", "3000", "2024-10-16", "成功", "B4"]])  # the same household again
    with transaction(session):
        importer.import_payments(session, table(bank, "bank.csv"), session.get(Batch, batch.id))
    [fact] = facts.subsidies(session, a1)
    assert (fact.differing, fact.unpaid, fact.duplicates) == (0, 0, 1)
    [found] = alert_rules.subsidy_mismatch([fact])
    assert "重复发放 1 笔" in found.message
    assert facts.subsidies(session, a2) == []
