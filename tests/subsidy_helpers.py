"""Shared makings of the subsidy tests: valid resident IDs, household and list files, a batch through its notice."""
from __future__ import annotations

from datetime import date, timedelta

from stdnum.cn import ric

from threeassets.core.csvio import read_table

HOUSEHOLD_HEADER = "组,户号,户主姓名,身份证号,家庭人口,承包地面积（亩）,一卡通后四位"


def person_id(seq: int, birth: str = "19650312", region: str = "340121") -> str:
    """A valid resident ID (check digit by stdnum), distinct per seq."""
    body = f"{region}{birth}{seq % 1000:03d}"
    number = body + ric.calc_check_digit(body + "0")
    assert ric.is_valid(number), number
    return number


def households_csv(rows, encoding: str = "gb18030", header: str = HOUSEHOLD_HEADER) -> bytes:
    """A household file as villages save it (GBK by default); rows are lists of cells."""
    lines = [header] + [",".join(str(c) for c in row) for row in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def table(data: bytes, name: str = "农户.csv"):
    """The file read as the importers get it (no required columns: they map the headers themselves)."""
    return read_table(data, name, [])


def list_csv(rows, header: str = "身份证号,数量,标准,金额") -> bytes:
    return ("\n".join([header] + [",".join(str(c) for c in r) for r in rows]) + "\n").encode("utf-8-sig")


def payments_csv(rows, header: str = "户名,身份证号,卡号后四位,发放金额,发放日期,状态,流水号") -> bytes:
    return ("\n".join([header] + [",".join(str(c) for c in r) for r in rows]) + "\n").encode("utf-8")


def past_notice(batch, days: int = 7) -> None:
    """Move a noticing batch's notice into the past, as if its period had run (tests cannot wait a week)."""
    batch.notice_from = date.today() - timedelta(days=days + 1)
    batch.notice_to = batch.notice_from + timedelta(days=days - 1)
