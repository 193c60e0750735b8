"""Migrations: one head (operators run `upgrade head`), and the migrated schema matches the models."""
import json
from datetime import datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

import threeassets.models_registry  # noqa: F401  (every model in Base.metadata)
from tests.dburl import beside
from threeassets.core.db import Base, db, make_engine
from threeassets.core.migrate import alembic_config, upgrade


def test_single_head():
    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1


def _significant(diff) -> bool:
    """A schema difference that matters: SQLite ignores VARCHAR lengths, which PostgreSQL-only widenings leave."""
    first = diff[0] if isinstance(diff, list) else diff
    return not (db.dialect == "sqlite" and first[0] == "modify_type")


def _fk_key(fk) -> tuple:
    return fk.table.name, tuple(fk.column_keys), tuple(e.target_fullname for e in fk.elements)


def _deferrable_only(diffs) -> set:
    """SQLite: foreign keys the models declare DEFERRABLE INITIALLY IMMEDIATE and the file has without the clause
    (migration 0017 alters them on PostgreSQL only): SQLite enforces both alike."""
    if db.dialect != "sqlite":
        return set()
    removed = {_fk_key(d[1]) for d in diffs if isinstance(d, tuple) and d[0] == "remove_fk"}
    return {_fk_key(d[1]) for d in diffs if isinstance(d, tuple) and d[0] == "add_fk"
            and d[1].deferrable and d[1].initially == "IMMEDIATE"} & removed


def test_migrated_schema_matches_models(app):
    with db.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    same = _deferrable_only(diffs)
    assert [d for d in diffs if _significant(d)
            and not (isinstance(d, tuple) and d[0] in ("remove_fk", "add_fk") and _fk_key(d[1]) in same)] == []


@pytest.fixture
def scratch_url(tmp_path, pg_url):
    """An empty database of its own (this test migrates down and up): an SQLite file, or a scratch PostgreSQL
    database beside the test database."""
    if not pg_url:
        yield f"sqlite:///{tmp_path / 'scratch.db'}"
        return
    name, url = beside(pg_url, "scratch")
    admin = make_engine(pg_url)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def test_0007_moves_the_notice_batches_into_the_job_table_and_back(scratch_url):
    engine = make_engine(scratch_url)
    upgrade(engine, "0006_merge_features")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO township (id, code, name, created_at) VALUES (1, 'T1', '甲镇', :at)"),
                     {"at": datetime(2024, 6, 1)})
        conn.execute(text(
            "INSERT INTO disclosure_job (id, township_id, period, layout, status, total, done, current, zip, zip_name,"
            " created_at, expires_at) VALUES (7, 1, '2024-05', 'a3', 'done', 2, 2, '', :zip, 'T1-2024-05-公开榜.zip',"
            " :at, :at)"), {"zip": b"PK-zip", "at": datetime(2024, 6, 1)})
    upgrade(engine)
    with engine.begin() as conn:
        row = conn.execute(text("SELECT id, kind, params, file, file_name, status, done FROM job")).one()
        assert (row.id, row.kind, json.loads(row.params)) == (7, "disclosure.batch", {"period": "2024-05",
                                                                                        "layout": "a3"})
        assert (bytes(row.file), row.file_name, row.status, row.done) == (b"PK-zip", "T1-2024-05-公开榜.zip", "done", 2)
        new_id = conn.execute(text("INSERT INTO job (kind, township_id, status, total, done, current, created_at) "
                                   "VALUES ('import.vouchers', 1, 'queued', 0, 0, '', :at) RETURNING id"),
                              {"at": datetime(2024, 6, 2)}).scalar()
        assert new_id == 8  # the id sequence continues after the moved rows
    command.downgrade(alembic_config(engine), "0006_merge_features")
    with engine.begin() as conn:
        row = conn.execute(text("SELECT id, period, layout, zip, zip_name FROM disclosure_job")).one()
        assert (row.id, row.period, row.layout, bytes(row.zip)) == (7, "2024-05", "a3", b"PK-zip")
    engine.dispose()


def test_0021_moves_the_countys_rows_to_their_tables_and_keys_the_township(scratch_url):
    engine = make_engine(scratch_url)
    upgrade(engine, "0020_annual_report")
    at = datetime(2024, 6, 1)
    event = ("INSERT INTO audit_event (id, at, actor_name, township_id, village_id, action) "
             "VALUES (:id, :at, 'admin', :t, :v, :action)")
    job = "INSERT INTO job (id, kind, township_id, status, total, done, current, created_at) VALUES " \
          "(:id, :kind, :t, 'done', 0, 0, '', :at)"
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO township (id, code, name, created_at) VALUES (1, 'T1', '甲镇', :at)"),
                     {"at": at})
        conn.execute(text("INSERT INTO village (id, township_id, code, name, created_at) "
                          "VALUES (5, 1, 'V1', '前进村', :at)"), {"at": at})
        for row in ({"id": 1, "t": None, "v": None, "action": "login"},  # the county's
                    {"id": 2, "t": None, "v": 5, "action": "account.create"},  # a village's, without its township
                    {"id": 3, "t": 1, "v": 5, "action": "voucher.create"}):
            conn.execute(text(event), {**row, "at": at})
        conn.execute(text(job), {"id": 4, "kind": "import.orgs", "t": None, "at": at})
        conn.execute(text(job), {"id": 9, "kind": "import.vouchers", "t": 1, "at": at})
    upgrade(engine)
    with engine.begin() as conn:
        assert conn.execute(text("SELECT id, township_id, action FROM audit_event ORDER BY id")).all() == [
            (2, 1, "account.create"), (3, 1, "voucher.create")]
        assert conn.execute(text("SELECT id, action FROM county_audit_event")).all() == [(1, "login")]
        assert conn.execute(text("SELECT id, kind FROM county_job")).all() == [(4, "import.orgs")]
        assert conn.execute(text("SELECT id, township_id FROM job")).all() == [(9, 1)]
        new_id = conn.execute(text("INSERT INTO county_audit_event (at, actor_name, action) "
                                   "VALUES (:at, 'admin', 'logout') RETURNING id"), {"at": at}).scalar()
        assert new_id == 2  # numbered on after the rows it took over
    for sql in ("UPDATE county_audit_event SET action = 'x'", "DELETE FROM county_audit_event",
                "UPDATE audit_event SET action = 'x'"):  # both logs stay append-only
        with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
            conn.execute(text(sql))
    with pytest.raises(IntegrityError), engine.begin() as conn:  # a township's log names its township
        conn.execute(text(event), {"id": 20, "t": None, "v": None, "action": "login", "at": at})
    command.downgrade(alembic_config(engine), "0020_annual_report")
    with engine.begin() as conn:
        rows = conn.execute(text("SELECT township_id, action FROM audit_event ORDER BY id")).all()
        assert rows == [(1, "account.create"), (1, "voucher.create"), (None, "login"), (None, "logout")]
        assert sorted(conn.execute(text("SELECT kind, township_id FROM job")).all()) == [
            ("import.orgs", None), ("import.vouchers", 1)]
        with pytest.raises(Exception, match="append-only"):
            conn.execute(text("DELETE FROM audit_event"))
    engine.dispose()


def _insert(conn, table: str, **values) -> None:
    conn.execute(text(f"INSERT INTO {table} ({', '.join(values)}) VALUES ({', '.join(':' + k for k in values)})"),
                 values)


def _case_rows(conn) -> dict:
    rows = conn.execute(text("SELECT case_id, name, requirement, applies_when, not_applicable, received, decided_by "
                             "FROM service_case_material ORDER BY id"))
    return {(r.case_id, r.name): (r.requirement, r.applies_when, bool(r.not_applicable), bool(r.received),
                                  r.decided_by) for r in rows}


def test_0022_marks_the_shipped_conditional_materials_and_lets_a_cash_claims_case_go_on(scratch_url):
    engine = make_engine(scratch_url)
    upgrade(engine, "0021_county_tables")
    at, day = datetime(2026, 12, 1, 9), datetime(2026, 12, 1).date()
    bank, disability, cert = "收款方银行账户信息", "残疾证、病历等证明", "村委会推荐意见（需证明集体事项时）"
    with engine.begin() as conn:
        _insert(conn, "township", id=1, code="T1", name="甲镇", created_at=at)
        _insert(conn, "village", id=5, township_id=1, code="V1", name="前进村", created_at=at)
        _insert(conn, "user_account", id=3, username="chuangkou", display_name="窗口", password_hash="x",
                role="window_clerk", township_id=1, active=True, created_at=at)
        _insert(conn, "service_window", id=1, township_id=1, code="CW", name="财务代理窗口", active=True)
        for item_id, code in ((1, "claim"), (2, "dibao"), (3, "cert"), (4, "own")):
            _insert(conn, "service_item", id=item_id, township_id=1, window_id=1, code=code, name=code,
                    legal_basis="", days_limit=5, fee=0, steps="", active=True)
        for mid, item_id, name, note in ((1, 1, "村级报账单", ""), (2, 1, bank, "转账支付时提供"),
                                         (3, 2, disability, "有残疾或重病成员时提供"), (4, 3, cert, ""),
                                         (5, 4, bank, "转账支付时提供"),  # a township's own item: left alone
                                         (6, 2, "户口簿", "")):
            _insert(conn, "service_material", id=mid, township_id=1, item_id=item_id, seq=mid, name=name, copies=1,
                    original_required=False, note=note)
        for cid, method in ((1, "cash"), (2, "bank")):
            _insert(conn, "claim", id=cid, village_id=5, number=f"V1-BZ2026-000{cid}", payee="张三",
                    payee_account="" if method == "cash" else "6222000011112222", pay_method=method,
                    occurred_on=day, total=6000, handler_name="a", oversight_name="b", head_name="c",
                    white_slip=False, status="received", created_at=at)
        for case_id, item_id, state, claim_id in ((1, 1, "supplement", 1), (2, 1, "intake", 2), (3, 2, "intake", None),
                                                  (4, 2, "done", None)):
            _insert(conn, "service_case", id=case_id, township_id=1, village_id=5, number=f"T1-20261201-000{case_id}",
                    item_id=item_id, window_id=1, applicant_name="张三", applicant_phone="13800001234",
                    applicant_id_no="", subject="", state=state, owner_id=3, received_at=at, paused_days=0,
                    claim_id=claim_id)
        for rid, case_id, name, received in ((1, 1, "村级报账单", True), (2, 1, bank, False),
                                             (3, 2, bank, True), (4, 3, disability, False), (5, 3, "户口簿", False),
                                             (6, 4, disability, True)):
            _insert(conn, "service_case_material", id=rid, township_id=1, case_id=case_id, seq=rid, name=name,
                    copies=1, original_required=False, received=received, original_seen=False)
    upgrade(engine)
    with engine.begin() as conn:
        catalogue = conn.execute(text("SELECT id, requirement, note FROM service_material ORDER BY id")).all()
        assert [tuple(r) for r in catalogue] == [
            (1, "always", ""), (2, "conditional", "转账支付时提供"), (3, "conditional", "有残疾或重病成员时提供"),
            (4, "conditional", "需证明集体事项时提供"), (5, "always", "转账支付时提供"), (6, "always", "")]
        assert _case_rows(conn) == {
            (1, "村级报账单"): ("always", "", False, True, ""),
            (1, bank): ("conditional", "转账支付时提供", True, False, "报账单为现金支付"),  # the stuck case goes on
            (2, bank): ("conditional", "转账支付时提供", False, True, "报账单为银行转账支付"),
            (3, disability): ("conditional", "有残疾或重病成员时提供", False, False, ""),  # for the clerk to mark
            (3, "户口簿"): ("always", "", False, False, ""),
            (4, disability): ("always", "", False, True, ""),  # a finished case's record is not touched
        }
        new = {"township_id": 1, "case_id": 3, "seq": 9, "name": "x", "copies": 1, "original_required": False,
               "original_seen": False}
    for bad in ({"requirement": "always", "received": False, "not_applicable": True},  # only a conditional one
                {"requirement": "conditional", "received": True, "not_applicable": True},  # never both
                {"requirement": "sometimes", "received": False, "not_applicable": False}):
        with pytest.raises(IntegrityError), engine.begin() as conn:
            _insert(conn, "service_case_material", **new, **bad)
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("UPDATE service_material SET requirement = 'maybe' WHERE id = 1"))
    command.downgrade(alembic_config(engine), "0021_county_tables")
    with engine.begin() as conn:
        assert conn.execute(text("SELECT note FROM service_material WHERE id = 4")).scalar() == ""
        assert conn.execute(text("SELECT count(*) FROM service_case_material")).scalar() == 6
    engine.dispose()
