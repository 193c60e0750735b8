"""The accounting-policy part of the 会计报表附注 as text, a pure function of a few facts about the books.

Each sentence states either what the standard (财会〔2023〕14号) prescribes for every village, or what this system
does (its depreciation rule, how the opening balances came in), so the note never claims a policy the books
do not follow. A village's own further remarks are not kept here (docs/statements.md).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from threeassets.core.periods import month_end
from threeassets.statements.layouts import FORM_VERSION

STANDARD = "《农村集体经济组织会计制度》（财会〔2023〕14号）"
SWITCH_NOTICE = "财会〔2023〕20号"


@dataclass(frozen=True)
class PolicyFacts:
    """What the policy text depends on."""

    ym: int
    villages: int = 1  # more than one: a township's consolidation
    start_ym: int | None = None  # the month the village's books start in the system
    switched: bool = False  # openings from the 2004 → 2023 switch-over
    adjustments: int = 0  # stock-take adjustments of the openings
    cards: int = 0  # fixed-asset cards not disposed
    not_depreciated: int = 0
    salvage: tuple[Decimal, Decimal] | None = None  # lowest and highest salvage rate of the cards, percent


def _day(ym: int) -> str:
    """202612 → 2026年12月31日."""
    end = month_end(ym)
    return f"{end.year}年{end.month}月{end.day}日"


def _month(ym: int) -> str:
    """202607 → 2026年7月."""
    return f"{ym // 100}年{ym % 100}月"


def _percent(rate: Decimal) -> str:
    """5.00 → 5%, 2.50 → 2.5%."""
    return f"{rate.normalize():f}%"


def _basis(f: PolicyFacts) -> str:
    """How the books came onto the system."""
    if f.villages > 1:
        return f"本表为全镇 {f.villages} 个村集体经济组织会计报表的汇总，各项目按各村账面数直接相加，未作内部往来抵销。"
    if f.start_ym is None:
        return "本单位的账簿自系统中的第一笔记账凭证起记录，未录入期初余额。"
    if f.switched:
        text = (f"本单位自2024年1月1日起执行{STANDARD}，按{SWITCH_NOTICE}将2023年12月31日的科目余额转换为"
                "2024年1月1日的期初余额")
        return text + (f"，清产核资调整 {f.adjustments} 笔（见期初余额调整清单）。" if f.adjustments else "。")
    text = f"本单位自{_month(f.start_ym)}起在本系统记账，期初余额按年初余额"
    text += "录入。" if f.start_ym % 100 == 1 else f"及{_month(f.start_ym)}以前的本年累计发生额录入。"
    return text + (f"清产核资调整 {f.adjustments} 笔。" if f.adjustments else "")


def _fixed_assets(f: PolicyFacts) -> str:
    """Depreciation as the asset register computes it (assets.rules)."""
    text = ("固定资产按取得时的实际成本入账，采用年限平均法按月计提折旧：当月增加的当月不计提、从下月起计提，"
            "处置后和提足折旧后不再计提，最后一个月计入尾差；折旧按用途计入经营支出、管理费用或公益支出。")
    if f.villages > 1 or not f.cards:
        return text
    text += f"期末在册固定资产卡片 {f.cards} 张"
    if f.salvage is not None:
        low, high = f.salvage
        text += f"，预计净残值率 {_percent(low)}" + ("" if low == high else f" 至 {_percent(high)}")
    if f.not_depreciated:
        text += f"，其中不计提折旧的 {f.not_depreciated} 张"
    return text + "。"


def policy_texts(f: PolicyFacts) -> list[tuple[str, str]]:
    """(heading, text) of each accounting policy, in the order the note prints them."""
    return [
        ("编制依据", f"本报表按照{STANDARD}编制，报表格式版本 {FORM_VERSION}。"),
        ("会计期间", f"会计年度自公历1月1日起至12月31日止；本附注所附报表的期间为{f.ym // 100}年1月1日"
                     f"至{_day(f.ym)}。"),
        ("记账本位币", "以人民币为记账本位币，金额单位为元，保留到分。"),
        ("记账基础", "以权责发生制为基础，采用借贷记账法；各项资产按取得时的实际成本计量。"),
        ("期初余额", _basis(f)),
        ("固定资产", _fixed_assets(f)),
        ("生物资产", "消耗性、生产性和公益性生物资产按实际成本计量；生产性生物资产的折旧由记账凭证计入"
                     "“生产性生物资产累计折旧”。"),
        ("收益分配", "本年收益按成员（代表）大会通过的分配方案分配，提取公积公益金、向成员分配等见本附注的"
                     "收益分配情况。"),
    ]
