"""`threeassets verify`: tamper evidence for what the reports read. Clean books verify; each tampering made
behind the app's back is named by the check that sees it (and, where verify-chain alone let it pass, that is
shown too): line edits, a cut-off newest voucher with its head rewound, a deleted middle voucher, turnover,
stored balances, counters, voucher numbers, a consistently rewritten chain, audit rows, exported heads."""
import json
from datetime import date

import pytest
from sqlalchemy import select, text

from tests.integration.conftest import account
from tests.integration.test_chain import SPEC, delete_voucher, tamper
from tests.integration.test_closing import close
from tests.integration.test_importer import csv_bytes, run
from tests.integration.test_year_close import close_to_november, year_close
from threeassets.closing.cli import verify_cmd
from threeassets.closing.verify import verify_books
from threeassets.core.audit import AuditEvent
from threeassets.core.db import transaction
from threeassets.ledger.chain import verify
from threeassets.ledger.cli import verify_chain
from threeassets.ledger.models import Voucher
from threeassets.ledger.rules import chain_hash, chain_payload, heads_json, read_heads


@pytest.fixture
def books(session, world, post_voucher):
    """a1: two May vouchers (May closed: balances stored) and one in June; a2: two in May."""
    a1 = [post_voucher(world.a1, date(2024, 5, d), SPEC) for d in (3, 10)]
    a1.append(post_voucher(world.a1, date(2024, 6, 1), SPEC))
    a2 = [post_voucher(world.a2, date(2024, 5, d), SPEC) for d in (4, 5)]
    close(session, world.a1, 202405)
    return a1, a2


def problems(session, code=None, heads=None) -> list[str]:
    """What verify names, read fresh."""
    session.rollback()
    return verify_books(session, code, heads).problems


def one(found: list[str], *words: str) -> str:
    """The one problem naming every word."""
    hits = [p for p in found if all(w in p for w in words)]
    assert len(hits) == 1, found
    return hits[0]


def cut_newest(session, world, newest: Voucher, previous: Voucher, audit: bool = False) -> None:
    """Delete a1's newest voucher and undo everything it wrote: head, counter, turnover (and its audit row)."""
    vid, ym, seq, h = newest.id, newest.ym, previous.chain_seq, previous.hash
    delete_voucher(session, vid)
    tamper(session, "UPDATE chain_head SET seq = :seq, last_hash = :h WHERE village_id = :v", seq=seq, h=h,
           v=world.a1.id)
    tamper(session, "DELETE FROM voucher_counter WHERE village_id = :v AND ym = :ym", v=world.a1.id, ym=ym)
    tamper(session, "DELETE FROM account_turnover WHERE village_id = :v AND ym = :ym", v=world.a1.id, ym=ym)
    if audit:
        tamper(session, "DELETE FROM audit_event WHERE object_type = 'Voucher' AND object_id = :id", id=vid)


def test_clean_books_verify(session, world, books):
    found = verify_books(session)
    assert (found.problems, found.vouchers, found.villages, found.anchors) == ([], 5, 3, 5)
    a1, a2 = books
    assert found.heads == {"A1": (3, a1[2].hash), "A2": (2, a2[1].hash)}
    assert verify_books(session, "A2").problems == [] and verify_books(session, "A2").vouchers == 2
    assert verify_books(session, "ZZ").problems == ["village ZZ not found"]


def test_posting_records_its_link_in_the_audit_log(session, books):
    a1, _a2 = books
    details = session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "voucher.post",
                                                              AuditEvent.object_id == a1[2].id))
    assert '"seq": 3' in next(details) and a1[2].hash


@pytest.mark.parametrize("sql", [
    "UPDATE voucher_line SET debit = debit + 100 WHERE voucher_id = :vid AND line_no = 1",
    "UPDATE voucher_line SET account_id = :other WHERE voucher_id = :vid AND line_no = 1",
], ids=["amount", "account"])
def test_edited_line_is_named_with_the_turnover_and_balances_it_contradicts(session, world, books, unguard, sql):
    a1, _a2 = books
    unguard("voucher_line")
    tamper(session, sql, vid=a1[1].id, other=account(session, world.a1, "513").id)
    found = problems(session)
    one(found, "内容被改动", "2024-05 记-0002", f"id {a1[1].id}")
    one(found, "发生额不符", "A1 甲一村 2024-05 科目 511 经营支出")
    one(found, "期末余额不符", "A1 甲一村 2024-05 科目 511 经营支出")


def test_a_line_added_to_a_posted_voucher_is_named(session, world, books):
    """No trigger refuses an INSERT into a posted voucher's lines; the chain and the turnover name it."""
    a1, _a2 = books
    tamper(session, "INSERT INTO voucher_line (village_id, voucher_id, line_no, summary, account_id, debit, credit)"
           " VALUES (:v, :vid, 3, '补记', :acc, 0, 0)", v=world.a1.id, vid=a1[2].id,
           acc=account(session, world.a1, "513").id)
    assert "内容被改动" in one(problems(session), "2024-06 记-0001")


def test_cut_off_newest_voucher_is_named_by_its_audit_row(session, world, books, unguard):
    a1, _a2 = books
    unguard("voucher_line", "voucher")
    cut_newest(session, world, a1[2], a1[1])
    assert verify(session, "A1") == ([], 2)  # verify-chain: the chain and its rewound head agree
    found = problems(session)
    assert len(found) == 1
    assert found[0].startswith("链被截断：A1 甲一村 审计日志 #")
    assert "记录的 2024-06 记-0001（链序 3）已不在链中，链只到链序 2" in found[0]


def test_deleted_middle_voucher_is_named_not_its_successor(session, world, books, unguard):
    a1, _a2 = books
    unguard("voucher_line", "voucher")
    delete_voucher(session, a1[1].id)
    found = problems(session, "A1")
    gap = one(found, "链断裂")
    assert gap.startswith("链断裂：A1 甲一村 链序 2（2024-05 记-0002） 的已记账凭证缺失（被删除）")
    assert "内容被改动" not in " ".join(found)  # the successor's own content is intact and is not blamed
    one(found, "凭证号不符：A1 甲一村 2024-05 凭证号不连续，缺少 记-0002（计数器 2）")
    one(found, "发生额不符", "2024-05 科目 511")
    one(found, "期末余额不符", "2024-05 科目 511")
    assert "链序 2" in verify(session, "A1")[0][0]  # verify-chain names the gap too


@pytest.mark.parametrize("sql, named", [
    ("UPDATE account_turnover SET debit = debit + 1 WHERE village_id = :v AND ym = 202406 AND account_id = :acc",
     "发生额不符：A1 甲一村 2024-06 科目 511 经营支出：发生额表 借 300.01 贷 0.00，已记账分录合计 借 300.00 贷 0.00"),
    ("DELETE FROM account_turnover WHERE village_id = :v AND ym = 202406 AND account_id = :acc",
     "发生额不符：A1 甲一村 2024-06 科目 511 经营支出：发生额表 借 0.00 贷 0.00，已记账分录合计 借 300.00 贷 0.00"),
    ("INSERT INTO account_turnover (village_id, account_id, ym, debit, credit) VALUES (:v, :other, 202406, 0, 5)",
     "发生额不符：A1 甲一村 2024-06 科目 513 管理费用：发生额表 借 0.00 贷 0.05，已记账分录合计 借 0.00 贷 0.00"),
    ("UPDATE period_balance SET balance = balance + 100 WHERE village_id = :v AND account_id = :acc",
     "期末余额不符：A1 甲一村 2024-05 科目 511 经营支出：存储余额 601.00，已记账分录累计 600.00"),
    ("DELETE FROM period_balance WHERE village_id = :v AND account_id = :acc",
     "期末余额不符：A1 甲一村 2024-05 科目 511 经营支出：存储余额 0.00，已记账分录累计 600.00"),
    ("INSERT INTO period_balance (village_id, ym, account_id, balance) VALUES (:v, 202405, :other, 100)",
     "期末余额不符：A1 甲一村 2024-05 科目 513 管理费用：存储余额 1.00，已记账分录累计 0.00"),
], ids=["turnover-changed", "turnover-deleted", "turnover-added", "balance-changed", "balance-deleted",
        "balance-added"])
def test_changed_turnover_or_stored_balance_is_named(session, world, books, sql, named):
    tamper(session, sql, v=world.a1.id, acc=account(session, world.a1, "511").id,
           other=account(session, world.a1, "513").id)
    assert verify(session)[0] == []  # verify-chain reads neither
    assert problems(session) == [named]


def test_bumped_counter_is_named(session, world, books):
    tamper(session, "UPDATE voucher_counter SET last = last + 1 WHERE village_id = :v AND ym = 202405",
           v=world.a1.id)
    assert verify(session)[0] == []
    assert problems(session) == ["凭证号不符：A1 甲一村 2024-05 凭证号不连续，缺少 记-0003（计数器 3）"]


def test_renumbered_voucher_is_named(session, world, books, unguard):
    a1, _a2 = books
    unguard("voucher")
    tamper(session, "UPDATE voucher SET number = 5 WHERE id = :vid", vid=a1[1].id)
    found = problems(session)
    one(found, "内容被改动", f"id {a1[1].id}")
    one(found, "凭证号不符：A1 甲一村 2024-05 凭证号不连续，缺少 记-0002（计数器 2）")
    one(found, "凭证号不符：A1 甲一村 2024-05 凭证号超出本月编号 1–2：记-0005（计数器 2）")


def test_changed_total_and_kind_are_named(session, world, books, unguard):
    """Neither is in the chain; the printed voucher reads its total, the income statement reads year-close kinds."""
    a1, _a2 = books
    unguard("voucher")
    tamper(session, "UPDATE voucher SET total = 3000000 WHERE id = :vid", vid=a1[0].id)
    tamper(session, "UPDATE voucher SET kind = 'year_close' WHERE id = :vid", vid=a1[2].id)
    first, third = (f"A1 甲一村 {label} (id {v.id}, 链序 {v.chain_seq})"
                    for label, v in (("2024-05 记-0001", a1[0]), ("2024-06 记-0001", a1[2])))
    total = f"合计被改动：{first} 的合计 30,000.00 与分录借方合计不符"
    assert verify(session, "A1")[0] == [total]  # verify-chain reads totals too
    assert problems(session, "A1") == [total, f"类别被改动：{third} 的类别为 year_close，记账时为 normal"]


def rehash(session, world, vouchers: list[Voucher]) -> None:
    """Re-link a village's chain from its first voucher as posting would, and set its head: a consistent
    rewrite by someone who knows the chain rule."""
    session.expire_all()
    prev = ""
    for v in vouchers:
        session.refresh(v)
        lines = [(ln.account.code, ln.summary, int(ln.debit * 100), int(ln.credit * 100)) for ln in v.lines]
        digest = chain_hash(prev, chain_payload(world.a1.code, v.ym, v.number, v.voucher_date, v.reverses_id, lines))
        tamper(session, "UPDATE voucher SET prev_hash = :p, hash = :h WHERE id = :vid", p=prev, h=digest, vid=v.id)
        prev = digest
    tamper(session, "UPDATE chain_head SET last_hash = :h WHERE village_id = :v", h=prev, v=world.a1.id)


def test_consistently_rewritten_chain_is_named_by_the_audit_log(session, world, books, unguard):
    a1, _a2 = books
    unguard("voucher_line", "voucher")
    tamper(session, "UPDATE voucher_line SET summary = '买化肥' WHERE voucher_id = :vid", vid=a1[0].id)
    rehash(session, world, a1)
    assert verify(session, "A1") == ([], 3)  # every link re-made: verify-chain sees nothing
    found = problems(session, "A1")
    assert len(found) == 3 and all(p.startswith("链被改写：A1 甲一村 审计日志 #") for p in found)
    assert "记录的 2024-05 记-0001（链序 1）哈希" in found[0]


def test_voucher_without_its_audit_row_is_named(session, world, books, unguard):
    a1, _a2 = books
    unguard("audit_event")
    tamper(session, "DELETE FROM audit_event WHERE object_type = 'Voucher' AND object_id = :id", id=a1[2].id)
    assert problems(session) == ["审计不符：A1 甲一村 链中有 3 张已记账凭证，审计日志只记录了 2 张记账"
                                 "（有凭证未经记账写入，或审计记录被删除）"]


def test_cut_that_also_deletes_the_audit_row_needs_an_exported_head(session, world, books, unguard):
    a1, _a2 = books
    exported = read_heads(heads_json(verify_books(session).heads, a1[0].posted_at), "heads.json")
    unguard("voucher_line", "voucher", "audit_event")
    cut_newest(session, world, a1[2], a1[1], audit=True)
    assert problems(session) == []  # what docs/verification.md says it cannot see without a kept head
    assert problems(session, heads=exported) == [
        "链被截断：A1 甲一村 链头文件 heads.json 记录的（链序 3）已不在链中，链只到链序 2"]


def test_exported_head_of_a_rewritten_chain_differs(session, world, books, unguard):
    a1, _a2 = books
    exported = read_heads(heads_json(verify_books(session).heads, a1[0].posted_at), "heads.json")
    unguard("voucher_line", "voucher", "audit_event")
    tamper(session, "UPDATE voucher_line SET summary = '买化肥' WHERE voucher_id = :vid", vid=a1[0].id)
    rehash(session, world, a1)
    tamper(session, "DELETE FROM audit_event WHERE action = 'voucher.post'")
    assert problems(session, "A1") == ["审计不符：A1 甲一村 链中有 3 张已记账凭证，审计日志只记录了 0 张记账"
                                       "（有凭证未经记账写入，或审计记录被删除）"]
    found = problems(session, "A1", exported)  # the kept head names the rewrite itself (the count then stays quiet)
    assert len(found) == 1 and found[0].startswith("链被改写：A1 甲一村 链头文件 heads.json 记录的（链序 3）哈希")


def test_head_file_naming_a_village_no_longer_there(session, world, books):
    heads = read_heads(heads_json({"ZZ": (1, "a" * 64)}, books[0][0].posted_at), "heads.json")
    assert problems(session, heads=heads) == ["链头不符：链头文件 heads.json 中的村 ZZ 已不存在"]
    assert problems(session, "A1", heads) == []


IMPORT = ["A1,2024-07-03,V1,购买办公用品,513,350.00,", "A1,2024-07-03,V1,购买办公用品,101,,350.00",
          "A1,2024-07-05,V2,购买办公用品,513,50.00,", "A1,2024-07-05,V2,购买办公用品,101,,50.00"]


def test_posted_import_anchors_its_head(session, world, books, unguard):
    a1, _a2 = books
    run(session, csv_bytes(IMPORT), name="七月.csv", post=True)
    detail = session.scalar(select(AuditEvent.detail).where(AuditEvent.action == "voucher.import"))
    newest = session.scalar(select(Voucher).where(Voucher.village_id == world.a1.id, Voucher.chain_seq == 5))
    assert f'"head_seq": 5, "head_hash": "{newest.hash}"' in detail
    assert problems(session) == []
    unguard("voucher_line", "voucher")
    previous = session.scalar(select(Voucher).where(Voucher.village_id == world.a1.id, Voucher.chain_seq == 4))
    cut_newest(session, world, newest, previous)
    tamper(session, "INSERT INTO voucher_counter (village_id, ym, last) VALUES (:v, 202407, 1)", v=world.a1.id)
    tamper(session, "INSERT INTO account_turnover (village_id, account_id, ym, debit, credit) "
           "VALUES (:v, :a, 202407, 35000, 0), (:v, :b, 202407, 0, 35000)", v=world.a1.id,
           a=account(session, world.a1, "513").id, b=account(session, world.a1, "101").id)
    assert verify(session, "A1")[0] == []
    audit_id = session.scalar(select(AuditEvent.id).where(AuditEvent.action == "voucher.import"))
    assert problems(session) == [f"链被截断：A1 甲一村 审计日志 #{audit_id} 记录的 导入文件 七月.csv 的最后一张凭证"
                                 "（链序 5）已不在链中，链只到链序 4"]


def test_draft_import_anchors_nothing(session, world, books):
    run(session, csv_bytes(IMPORT), post=False)
    assert problems(session) == []


def test_year_close_books_verify(session, world, post_voucher):
    from tests.integration.test_year_close import INCOME
    for day in (date(2024, 3, 5), date(2024, 12, 20)):
        post_voucher(world.a1, day, INCOME)
    close_to_november(session, world.a1)
    year_close(session, world.a1, 2024)
    found = verify_books(session)
    assert found.problems == [] and found.vouchers == 4


def test_demo_books_verify(session):
    from threeassets.demo.loader import load_demo
    with transaction(session):
        load_demo(session)
    session.rollback()
    found = verify_books(session)
    assert found.problems == [] and found.vouchers > 100 and found.anchors > 3


def test_cli_verify_and_exported_heads(cli, session, world, books, tmp_path, unguard):
    a1, _a2 = books
    kept = tmp_path / "heads.json"
    code, out, err = cli(verify_cmd, "--export-head", str(kept))
    assert (code, err) == (0, "")
    assert out == ("books verified: 5 posted vouchers in 3 villages; chain, 5 audit anchors, voucher numbers, "
                   f"turnover and stored balances agree; heads of 2 villages written to {kept}\n")
    assert read_heads(kept.read_text(encoding="utf-8"), "x")["A1"].hash == a1[2].hash
    assert cli(verify_cmd, "--village", "A1", "--head-from", str(kept))[:2] == (0, (
        "books verified: 3 posted vouchers in 1 village; chain, 3 audit anchors, voucher numbers, turnover and "
        "stored balances agree; the exported heads of 2 villages are in the chains\n"))
    unguard("voucher_line", "voucher", "audit_event")
    cut_newest(session, world, a1[2], a1[1], audit=True)
    assert cli(verify_chain)[:2] == (0, "chain intact: 4 posted vouchers verified\n")
    code, out, err = cli(verify_cmd, "--head-from", str(kept))
    problem = "链被截断：A1 甲一村 链头文件 heads.json 记录的（链序 3）已不在链中，链只到链序 2"
    assert (code, out, err) == (1, "", f"{problem}\nerror: {problem}\n")


@pytest.mark.parametrize("content, reason", [
    ("not json", "链头文件 heads.json 无法读取："),
    ('{"format": "other", "version": 1, "heads": {}}', "不是 threeassets 导出的链头文件"),
    ('{"format": "threeassets-chain-heads", "version": 1, "heads": {"A1": {"seq": 0, "hash": ""}}}',
     "链序或哈希不对"),
])
def test_cli_refuses_a_file_that_is_not_exported_heads(cli, books, tmp_path, content, reason):
    bad = tmp_path / "heads.json"
    bad.write_text(content, encoding="utf-8")
    code, out, err = cli(verify_cmd, "--head-from", str(bad))
    assert (code, out) == (1, "") and err.startswith("error: 链头文件 heads.json 无法读取：") and reason in err
    assert err.count("\n") == 1
    code, _out, err = cli(verify_cmd, "--head-from", str(tmp_path / "missing.json"))
    assert code == 1 and err.startswith("error: 链头文件 ") and err.count("\n") == 1


def test_cli_exports_nothing_when_the_books_do_not_verify(cli, session, world, books, tmp_path):
    tamper(session, "UPDATE voucher_counter SET last = 9 WHERE village_id = :v AND ym = 202406", v=world.a1.id)
    kept = tmp_path / "heads.json"
    code, _out, err = cli(verify_cmd, "--export-head", str(kept))
    assert code == 1 and "凭证号不符：A1 甲一村 2024-06" in err and not kept.exists()


def test_all_tables_read_in_one_snapshot(session, world, books):
    """verify reads with many queries while clerks post: under the CLI they all see one state of the database
    (core.db.snapshot), so a posting committed meanwhile is not half seen (here: its audit row without its
    voucher, which would read as a cut-off chain)."""
    from threeassets.core.db import db, snapshot
    with snapshot(session):
        assert verify_books(session).problems == []
        with db.engine.begin() as other:
            other.execute(text("INSERT INTO audit_event (at, actor_name, township_id, village_id, action, detail) "
                               "VALUES (CURRENT_TIMESTAMP, 'x', :t, :v, 'voucher.post', :d)"),
                          {"t": world.a1.township_id, "v": world.a1.id,
                           "d": json.dumps({"number": 2, "ym": 202406, "hash": "4" * 64, "seq": 4})})
        assert verify_books(session).problems == []
    assert not session().in_transaction()
    assert one(problems(session), "链被截断", "2024-06 记-0002（链序 4）")
