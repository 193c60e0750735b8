"""The accounting-policy text of the 会计报表附注: a pure function of the books' facts."""
from decimal import Decimal

from threeassets.statements.layouts import FORM_VERSION
from threeassets.statements.policies import PolicyFacts, policy_texts

D = Decimal


def texts(**kw) -> dict[str, str]:
    return dict(policy_texts(PolicyFacts(**kw)))


def test_every_policy_is_there_in_order():
    assert [h for h, _t in policy_texts(PolicyFacts(ym=202612))] == [
        "编制依据", "会计期间", "记账本位币", "记账基础", "期初余额", "固定资产", "生物资产", "收益分配"]
    t = texts(ym=202606)
    assert "财会〔2023〕14号" in t["编制依据"] and FORM_VERSION in t["编制依据"]
    assert "2026年1月1日至2026年6月30日" in t["会计期间"]


def test_how_the_books_started():
    assert "未录入期初余额" in texts(ym=202612)["期初余额"]
    january = texts(ym=202612, start_ym=202601)["期初余额"]
    assert "2026年1月起" in january and "累计" not in january
    july = texts(ym=202612, start_ym=202607, adjustments=2)["期初余额"]
    assert "2026年7月以前的本年累计发生额" in july and "清产核资调整 2 笔" in july
    switched = texts(ym=202612, start_ym=202401, switched=True)["期初余额"]
    assert "财会〔2023〕20号" in switched and "2023年12月31日" in switched and "调整" not in switched
    township = texts(ym=202612, villages=12)["期初余额"]
    assert "12 个村" in township and "未作内部往来抵销" in township


def test_fixed_assets_name_the_cards_and_rates():
    one = texts(ym=202612, cards=3, salvage=(D("5.00"), D("5.00")))["固定资产"]
    assert "年限平均法" in one and "卡片 3 张" in one and "净残值率 5%" in one and "至" not in one.split("净残值率")[1]
    spread = texts(ym=202612, cards=4, not_depreciated=1, salvage=(D("2.50"), D("10.00")))["固定资产"]
    assert "2.5% 至 10%" in spread and "不计提折旧的 1 张" in spread
    assert "卡片" not in texts(ym=202612)["固定资产"]
    assert "卡片" not in texts(ym=202612, villages=3, cards=9)["固定资产"]
