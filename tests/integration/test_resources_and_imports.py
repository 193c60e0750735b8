"""Resources register (add, edit, totals) and the all-or-nothing imports of resources and contracts, by service
and by CLI."""
from datetime import date
from decimal import Decimal as D

import pytest

from tests.integration.contract_helpers import ORG, PERSON, TODAY, active, counts, resource
from threeassets.contracts.importer import COLUMNS as CONTRACT_COLUMNS
from threeassets.contracts.importer import import_contracts, parse_schedule
from threeassets.contracts.models import Contract
from threeassets.core.csvio import ImportError_, read_table
from threeassets.core.db import transaction
from threeassets.core.errors import RuleError
from threeassets.resources import service
from threeassets.resources.models import Resource


def test_add_and_edit_resource_with_audit(session, world):
    res = resource(session, world, area="1,234.56", rtype="水面")
    assert res.area_mu == D("1234.56") and res.status == "unlet"
    with transaction(session):
        service.update(session, village=world.a1, resource=res, data={
            "code": "GD-1", "name": "南塘", "rtype": "水面", "area_mu": "12", "status": "self_used", "east": "河"},
            actor=None)
    res = session.get(Resource, res.id)
    assert (res.name, res.area_mu, res.status, res.east) == ("南塘", D("12.00"), "self_used", "河")
    from tests.integration.conftest import audit_count
    assert audit_count(session, "resource.create") == 1 and audit_count(session, "resource.update") == 1


def test_negative_area_and_duplicate_code_write_nothing(session, world):
    resource(session, world)
    for data, why in (({"code": "GD-2", "name": "x", "rtype": "耕地", "area_mu": "-3"}, "面积"),
                      ({"code": "GD-1", "name": "x", "rtype": "耕地", "area_mu": "3"}, "已存在")):
        before = counts(session)
        with pytest.raises(RuleError, match=why), transaction(session):
            service.create(session, village=world.a1, data=data, actor=None)
        assert counts(session) == before


def test_status_of_a_let_resource_stays_let(session, world):
    res = resource(session, world)
    active(session, world, [(f"resource:{res.id}", "")])
    res = session.get(Resource, res.id)
    with pytest.raises(RuleError, match="生效中的合同"), transaction(session):
        service.update(session, village=world.a1, resource=res, data={
            "code": "GD-1", "name": "x", "rtype": "耕地", "area_mu": "30", "status": "unlet"}, actor=None)


def test_summary_by_type_status_and_village(session, world):
    resource(session, world, code="A", area="10.10")
    resource(session, world, code="B", area="5.05")
    resource(session, world, code="C", area="7.00", rtype="林地")
    resource(session, world, world.a2, code="A", area="1.00")
    whole, per = service.summary(session, [world.a1.id, world.a2.id])
    assert whole.total.count == 4 and whole.total.area == D("23.15")
    assert whole.cells[("耕地", "unlet")].area == D("16.15") and whole.types == ["耕地", "林地"]
    assert per[world.a1.id].by_type["林地"].count == 1 and per[world.a2.id].total.area == D("1.00")


RES_HEADER = ",".join(service.IMPORT_COLUMNS)


def _table(text: str, columns, name="f.csv"):
    return read_table(("\ufeff" + text).encode("utf-8"), name, columns)


def test_resource_import_all_or_nothing(session, world):
    good = f"{RES_HEADER}\nA1,GD-9,东地,耕地,村东,3.50,路,渠,田,林,NO-1,已发包\nA2,LD-1,后山,林地,,100,,,,,,\n"
    with transaction(session):
        stats = service.import_resources(session, _table(good, service.IMPORT_COLUMNS))
    assert stats == {"rows": 2, "villages": 2}
    before = counts(session)
    bad = (f"{RES_HEADER}\nA1,GD-10,好地,耕地,,3,,,,,,\nA1,GD-11,负地,耕地,,-3,,,,,,\nA1,GD-9,重复,耕地,,1,,,,,,\n"
           "ZZ,X,x,田,,1,,,,,,?\n")
    with pytest.raises(ImportError_) as err, transaction(session):
        service.import_resources(session, _table(bad, service.IMPORT_COLUMNS))
    assert counts(session) == before
    lines = err.value.lines()
    assert "f.csv:3: area_mu: 面积必须大于0（不能为负数或零）" in lines
    assert any(x.startswith("f.csv:4: resource_code:") for x in lines)
    assert any(x.startswith("f.csv:5: org_code:") for x in lines) and any(":5: type:" in x for x in lines)


def test_resource_import_limited_to_one_village(session, world):
    with pytest.raises(ImportError_, match="不是本村"), transaction(session):
        service.import_resources(session, _table(f"{RES_HEADER}\nA2,GD-9,x,耕地,,3,,,,,,\n", service.IMPORT_COLUMNS),
                                 only_village=world.a1)


def test_parse_schedule_spec():
    assert parse_schedule("按季") == ("quarterly", None)
    assert parse_schedule("once") == ("once", None)
    assert parse_schedule("2025-03-01:6000;2025-09-01:6,000.00") == (None, [(date(2025, 3, 1), D("6000.00")),
                                                                           (date(2025, 9, 1), D("6000.00"))])
    for bad in ("monthly", "2025-03-01", "2025-13-01:1", "2025-03-01:-1"):
        with pytest.raises(RuleError):
            parse_schedule(bad)


def _contracts_csv(*rows, extra=""):
    header = ",".join(CONTRACT_COLUMNS) + (",subject_area,deposit,resolution_on,votes_for,attendees,notice_from,"
                                           "notice_to" + extra)
    return header + "\n" + "\n".join(rows) + "\n"


ROW1 = (f"A1,HT-1,耕地承包,发包,个人,张三,{PERSON},协商,2024-01-01,2024-01-01,2026-12-31,9000.00,GD-1,按年,"
        "10,500,2023-12-01,30,40,2023-12-02,2023-12-09")
ROW2 = (f"A1,HT-2,鱼塘租赁,出租,单位/组织,合作社,{ORG},公开招标,2024-03-01,2024-03-01,2025-02-28,8000.00,SM-1,"
        "2024-03-01:5000;2024-09-01:3000,,,2024-02-01,30,40,2024-02-02,2024-02-09")


def test_contract_import_creates_drafts_or_active_contracts(session, world):
    resource(session, world, code="GD-1")
    resource(session, world, code="SM-1", rtype="水面")
    with transaction(session):
        stats = import_contracts(session, _table(_contracts_csv(ROW1, ROW2), CONTRACT_COLUMNS), today=TODAY,
                                 activate=True)
    assert stats["contracts"] == 2
    c1, c2 = session.query(Contract).order_by(Contract.code).all()
    assert (c1.status, c1.deposit, len(c1.installments), c1.subjects[0].area_mu) == ("active", D("500.00"), 3,
                                                                                      D("10.00"))
    assert [(i.due_on, i.amount) for i in c2.installments] == [(date(2024, 3, 1), D("5000.00")),
                                                               (date(2024, 9, 1), D("3000.00"))]
    assert session.query(Resource).filter_by(status="let").count() == 2


def test_contract_import_refuses_the_whole_file(session, world):
    resource(session, world, code="GD-1")
    bad_id = ROW2.replace(ORG, ORG[:-1] + "K").replace("SM-1", "GD-1")
    overlap = ROW1.replace("HT-1", "HT-3")
    before = counts(session)
    with pytest.raises(ImportError_) as err, transaction(session):
        import_contracts(session, _table(_contracts_csv(ROW1, bad_id, overlap, ROW1.replace("GD-1", "NOPE")
                                                        .replace("HT-1", "HT-4")), CONTRACT_COLUMNS),
                         today=TODAY, activate=True)
    assert counts(session) == before
    lines = "\n".join(err.value.lines())
    assert "f.csv:3: party_id_no: 统一社会信用代码校验位错误" in lines
    assert "f.csv:4: subject_code: 与合同 HT-1 期限重叠" in lines
    assert "f.csv:5: subject_code: 本村没有资源编码 NOPE" in lines


def test_contract_import_without_decision_cannot_activate(session, world):
    resource(session, world, code="GD-1")
    row = ROW1.replace("2023-12-01,30,40,2023-12-02,2023-12-09", ",,,,")
    with pytest.raises(ImportError_, match="四议两公开"), transaction(session):
        import_contracts(session, _table(_contracts_csv(row), CONTRACT_COLUMNS), today=TODAY, activate=True)
    with transaction(session):  # as a draft it is fine
        import_contracts(session, _table(_contracts_csv(row), CONTRACT_COLUMNS), today=TODAY)
    assert session.query(Contract).one().status == "draft"


def test_cli_imports_and_accrual(app, session, world, tmp_path):
    from threeassets.cli import main
    runner = app.test_cli_runner()
    f = tmp_path / "res.csv"
    f.write_text(f"{RES_HEADER}\nA1,GD-1,东地,耕地,村东,30,,,,,,\n", encoding="gbk")
    out = runner.invoke(main, ["import", "resources", str(f)])
    assert out.exit_code == 0, out.output
    assert "imported 1 resources" in out.output
    g = tmp_path / "c.csv"
    g.write_text(_contracts_csv(ROW1), encoding="utf-8")
    out = runner.invoke(main, ["import", "contracts", str(g), "--activate"])
    assert out.exit_code == 0 and "activated" in out.output, out.output
    out = runner.invoke(main, ["contracts", "accrue", "--village", "A1", "--date", "2025-02-01"])
    assert out.exit_code == 0, out.output
    assert "accrued 2 installments, total 6000.00" in out.output
    out = runner.invoke(main, ["contracts", "accrue", "--village", "NOPE"])
    assert out.exit_code == 1 and "not found" in out.output
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{RES_HEADER}\nA1,GD-2,东地,耕地,村东,-30,,,,,,\n", encoding="utf-8")
    out = runner.invoke(main, ["import", "resources", str(bad)])
    assert out.exit_code == 1 and "bad.csv:2: area_mu" in out.output
