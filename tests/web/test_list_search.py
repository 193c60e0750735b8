"""The lists' search boxes: % and _ are matched as themselves (not as LIKE's wildcards) and a case number typed on
a full-width keyboard finds its case — on every list that searches text (core.pagination.search_word,
any_contains)."""
from __future__ import annotations

from datetime import date

from tests.web.access_windows import make_case
from tests.web.conftest import tbody


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def test_the_voucher_list_matches_percent_and_underscore_as_typed(as_user, records, world):
    records.voucher(world.a1, summary="计提10%公积公益金")
    records.voucher(world.a1, summary="购买办公用品")
    c = as_user("accountant")
    for typed in ("10%25", "%25"):
        listed = c.get(f"/v/{world.a1.id}/vouchers?q={typed}").get_data(as_text=True)
        assert "计提10%公积公益金" in listed and "购买办公用品" not in listed
    for wildcard in ("_", "%25%25", "1_%25"):
        assert "没有符合条件的凭证" in c.get(f"/v/{world.a1.id}/vouchers?q={wildcard}").get_data(as_text=True)


def test_a_bracket_typed_either_width_finds_the_summary(as_user, records, world):
    records.voucher(world.a1, summary="办公费（十月）")
    records.voucher(world.a1, summary="差旅费(县城)")
    c = as_user("accountant")
    cases = (("费(十月", "办公费（十月）", "差旅费(县城)"), ("费（县城", "差旅费(县城)", "办公费（十月）"))
    for typed, found, other in cases:
        listed = c.get(f"/v/{world.a1.id}/vouchers", query_string={"q": typed}).get_data(as_text=True)
        assert found in listed and other not in listed


def test_the_case_list_finds_a_full_width_case_number(as_user, session, world):
    from threeassets.windows.models import Case
    number = session.get(Case, make_case(session, world, world.a1, ["accept"])).number
    page = as_user("clerk").get(f"/t/{world.township_a.id}/hall/cases?q={_full_width(number)}").get_data(
        as_text=True)
    assert number in page
    assert number not in as_user("clerk").get(f"/t/{world.township_a.id}/hall/cases?q=_").get_data(as_text=True)


def test_the_asset_list_takes_underscore_as_a_character(as_user, world):
    c = as_user("accountant")
    for code, name in (("F-1", "水泵_备用"), ("F-2", "抽水机")):
        card = {"funding": "existing", "code": code, "name": name, "category": "机器设备", "purpose": "operating",
                "acquired_on": "2021-04-01", "original_cost": "8,000.00", "useful_life_months": "96",
                "salvage_rate": "5", "depreciate": "是", "accumulated_depreciation": "0"}
        assert c.post(f"/v/{world.a1.id}/assets/new", data=card).status_code == 302
    c.get(f"/v/{world.a1.id}/assets")  # (the flash of the last save shown)
    listed = c.get(f"/v/{world.a1.id}/assets?q=_").get_data(as_text=True)
    assert "水泵_备用" in listed and "抽水机" not in listed
    assert "抽水机" in c.get(f"/v/{world.a1.id}/assets?q=ｆ－２").get_data(as_text=True)


def test_a_voucher_whose_lines_say_different_things_reads_first_summary_and_more(as_user, records, world, session):
    from tests.conftest import lines
    from threeassets.core.db import transaction
    from threeassets.ledger import service
    records.voucher(world.a1, summary="购买办公用品")  # both lines say the same
    with transaction(session):
        service.save_draft(session, village=world.a1, actor=world.user("accountant"), voucher_date=date(2024, 5, 6),
                           attachments=0, lines=lines(("结转土地发包收入", "501", "800.00", ""),
                                                      ("结转厂房出租收入", "502", "200.00", ""),
                                                      ("结转本年收益", "322", "", "1000.00")))
    body = tbody(as_user("accountant").get(f"/v/{world.a1.id}/vouchers").get_data(as_text=True))
    assert '结转土地发包收入 <span class="text-muted" title="各行摘要不同，详见凭证">等</span>' in body
    assert "结转厂房出租收入" not in body and "购买办公用品 <span" not in body and "购买办公用品" in body
