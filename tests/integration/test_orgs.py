"""Townships and villages: the orgs import (create or rename, all-or-nothing) and the credit code check."""
import pytest
from sqlalchemy import func, select
from stdnum.cn.uscc import calc_check_digit

from tests.integration.conftest import audit_count
from threeassets.core.csvio import ImportError_, read_table
from threeassets.core.db import transaction
from threeassets.ledger.chart import accounts_of
from threeassets.orgs.models import Township, Village
from threeassets.orgs.service import ORG_COLUMNS, OrgError, check_credit_code, import_orgs

HEADER = "township_code,township_name,village_code,village_name"


def orgs_file(rows, header=HEADER, name="组织.csv"):
    """An orgs table from CSV lines."""
    return read_table(("\n".join([header, *rows]) + "\n").encode("utf-8"), name, ORG_COLUMNS)


def run(session, rows, **kw):
    """Import an orgs file in one transaction."""
    with transaction(session):
        return import_orgs(session, orgs_file(rows, **kw))


def count(session, model) -> int:
    """Rows of a table."""
    return session.scalar(select(func.count()).select_from(model))


def village(session, code):
    """A village by code."""
    return session.scalar(select(Village).where(Village.code == code))


def test_import_creates_townships_and_villages_with_their_chart(session, world):
    assert run(session, ["TC,丙镇,C1,丙一村", "TC,丙镇,C2,丙二村", "TD,丁镇,D1,丁一村"]) == (2, 3)
    c1, d1 = village(session, "C1"), village(session, "D1")
    assert c1.name == "丙一村" and c1.township.code == "TC" and d1.township.name == "丁镇"
    assert village(session, "C2").township_id == c1.township_id
    assert len(accounts_of(session, c1.id)) == 42
    assert audit_count(session, "village.create") == 3 + 3  # the world's three and these three
    assert audit_count(session, "township.create") == 2 + 2


def test_import_renames_and_is_repeatable(session, world):
    townships, villages = count(session, Township), count(session, Village)
    run(session, ["TA,甲镇人民政府,A1,甲一村股份经济合作社", "TA,甲镇人民政府,A2,甲二村"])
    run(session, ["TA,甲镇人民政府,A1,甲一村股份经济合作社", "TA,甲镇人民政府,A2,甲二村"])  # no change the second time
    assert (count(session, Township), count(session, Village)) == (townships, villages)
    session.expire_all()
    assert village(session, "A1").name == "甲一村股份经济合作社"
    assert village(session, "A1").township.name == "甲镇人民政府"
    assert village(session, "A2").name == "甲二村"
    assert audit_count(session, "village.update") == 1 and audit_count(session, "township.rename") == 1
    assert len(accounts_of(session, world.a1.id)) == 42  # no second chart


def test_moving_a_village_to_another_township_writes_nothing(session, world):
    townships = count(session, Township)
    with pytest.raises(ImportError_) as exc:
        run(session, ["TE,戊镇,E1,戊一村", "TB,乙镇,A1,甲一村"])
    assert exc.value.errors[0][:3] == ("组织.csv", 3, "village_code")
    assert "其他乡镇" in exc.value.errors[0][3]
    assert count(session, Township) == townships and village(session, "E1") is None
    assert village(session, "A1").township_id == world.township_a.id


def test_row_problems_are_all_reported(session, world):
    rows = ["TC,,C1,丙一村", "TC,丙镇,C2,", "TC,丙镇,C3,丙三村", "TD,丁镇,C3,丙三村", "TC,丙镇," + "X" * 33 + ",长"]
    with pytest.raises(ImportError_) as exc:
        run(session, rows)
    assert [e[1:3] for e in exc.value.errors] == [
        (2, "township_name"), (3, "village_name"), (5, "village_code"), (6, "village_code")]
    assert "两个乡镇" in exc.value.errors[2][3] and "过长" in exc.value.errors[3][3]
    assert village(session, "C3") is None


def test_missing_org_columns():
    with pytest.raises(ImportError_) as exc:
        orgs_file(["TC,丙镇,C1"], header="township_code,township_name,village_code")
    assert exc.value.errors == [("组织.csv", 1, "village_name", "缺少此列")]


# ---------------------------------------------------------------- 统一社会信用代码

def with_check_digit(first17: str) -> str:
    """A full code: 17 characters and the check digit GB 32100 computes for them."""
    return first17 + calc_check_digit(first17)


def test_valid_company_credit_code():
    code = with_check_digit("91110000600037341")
    assert code == "91110000600037341L"  # the example printed in python-stdnum's documentation
    assert check_credit_code(code) == code
    assert check_credit_code(" 9111 0000-6000 3734 1l ") == code  # spaces, dashes, lower case


def test_valid_village_collective_credit_code():
    # Village collective economic organisations are registered by agriculture departments: 登记管理部门 N,
    # 机构类别 2 (村级), so their codes start with N2 (GB 32100 allows letters in the first two places).
    code = with_check_digit("N2330110MF0953260")
    assert check_credit_code(code) == code


@pytest.mark.parametrize("bad", [
    "91110000600037341A",      # wrong check digit
    "9111000060003734",        # too short
    "91110000600037341LL",     # too long
    "9111000O600037341L",      # O is not used, and the region code must be digits
    "N2330110MF0953260I",      # I is never used
])
def test_bad_credit_code_refused(bad):
    with pytest.raises(OrgError, match="校验未通过"):
        check_credit_code(bad)


def test_every_wrong_check_digit_is_refused():
    base = "N2330110MF0953260"
    good = calc_check_digit(base)
    for digit in "0123456789ABCDEFGHJKLMNPQRTUWXY":
        if digit != good:
            with pytest.raises(OrgError):
                check_credit_code(base + digit)


def test_blank_credit_code_is_none():
    assert check_credit_code(None) is None and check_credit_code("  ") is None


def test_credit_code_through_the_import(session, world):
    code = with_check_digit("N2330110MF0953261")
    header = HEADER + ",credit_code"
    run(session, [f"TC,丙镇,C1,丙一村,{code}"], header=header)
    assert village(session, "C1").credit_code == code
    with pytest.raises(ImportError_) as exc:
        run(session, [f"TC,丙镇,C2,丙二村,{code[:-1]}{'0' if code[-1] != '0' else '1'}"], header=header)
    assert exc.value.errors[0][1:3] == (2, "village_code") and "校验未通过" in exc.value.errors[0][3]
    assert village(session, "C2") is None
