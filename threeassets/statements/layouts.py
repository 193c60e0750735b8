"""The statutory statements' layouts as data: one tuple per printed line, evaluated by rules.evaluate.

Each line is (row_no, item, prefix, side, formula):
- row_no: the 行次 (None for a section heading, which carries no amount);
- item: the standard's name of the line, exactly as exported (no numbering or 加/减 words);
- prefix: what the printed form puts before the name (一、 加： 减： …), display only;
- side: "D" when accounts count as debit − credit (assets, expenses), "C" for credit − debit;
- formula: terms joined by + and -:
    101      the account's balance (balance sheet) or movement (income statement), children included;
    113:D    the debit balances of the account's leaf sub-accounts, 113:C their credit balances
             (each a positive amount; a village's leaves are split one by one);
    PL       every income and expense account of the chart (category income/expense in chart_2023.csv);
    321@open the account at the start of the column (year start for 本年累计数, month start for 本月数);
    DIST:key the year's (or month's) distributions booked to 322's sub-accounts of that kind;
    R12      the amount of line 12.

The standard (财会〔2023〕14号) prints 会农01表 and 会农02表; their exact row numbers could not be consulted,
so the lines below are reconstructed from the standard's chart of accounts and its account notes (see
docs/statements.md). A correction is an edit of this file.
"""
from __future__ import annotations

# The version of these layouts, printed beside the form number on every statement (page, PDF, XLSX): a change of
# a line or a row number is a new version (docs/statements.md lists what each changed).
FORM_VERSION = "2026.2"

# 资产负债表 (会农01表): left side assets, right side liabilities and owners' equity.
BALANCE_SHEET = [
    # -- assets (left)
    (None, "流动资产", "", "D", ""),
    (1, "货币资金", "", "D", "101 + 102"),
    (2, "短期投资", "", "D", "111"),
    (3, "应收款项", "", "D", "112 + 113:D"),
    (4, "存货", "", "D", "121 + 401"),
    (5, "消耗性生物资产", "", "D", "131"),
    (6, "流动资产合计", "", "D", "R1 + R2 + R3 + R4 + R5"),
    (None, "非流动资产", "", "D", ""),
    (7, "长期投资", "", "D", "141"),
    (8, "生产性生物资产原值", "", "D", "132"),
    (9, "生产性生物资产累计折旧", "减：", "D", "-133"),
    (10, "生产性生物资产净值", "", "D", "R8 - R9"),
    (11, "公益性生物资产", "", "D", "134"),
    (12, "固定资产原值", "", "D", "151"),
    (13, "累计折旧", "减：", "D", "-152"),
    (14, "固定资产净值", "", "D", "R12 - R13"),
    (15, "固定资产清理", "", "D", "154"),
    (16, "在建工程", "", "D", "153"),
    # 固定资产小计: net value, clearing and construction in progress, as both sister forms print it (the 2004
    # village form's 固定资产合计, the 2021 cooperative form's 固定资产小计).
    (17, "固定资产小计", "", "D", "R14 + R15 + R16"),
    (18, "无形资产原值", "", "D", "161"),
    (19, "累计摊销", "减：", "D", "-162"),
    (20, "无形资产净值", "", "D", "R18 - R19"),
    (21, "长期待摊费用", "", "D", "171"),
    (22, "待处理财产损溢", "", "D", "181"),
    (23, "非流动资产合计", "", "D", "R7 + R10 + R11 + R17 + R20 + R21 + R22"),
    (24, "资产总计", "", "D", "R6 + R23"),
    # -- liabilities and owners' equity (right)
    (None, "流动负债", "", "C", ""),
    (31, "短期借款", "", "C", "201"),
    (32, "应付款项", "", "C", "211 + 113:C"),
    (33, "应付工资", "", "C", "212"),
    (34, "应付劳务费", "", "C", "213"),
    (35, "应交税费", "", "C", "214"),
    (36, "流动负债合计", "", "C", "R31 + R32 + R33 + R34 + R35"),
    (None, "非流动负债", "", "C", ""),
    (37, "长期借款及应付款", "", "C", "221"),
    (38, "一事一议资金", "", "C", "231"),
    (39, "专项应付款", "", "C", "241"),
    (40, "非流动负债合计", "", "C", "R37 + R38 + R39"),
    (41, "负债合计", "", "C", "R36 + R40"),
    (None, "所有者权益", "", "C", ""),
    (42, "资本", "", "C", "301"),
    (43, "公积公益金", "", "C", "311"),
    # Before the year close the year's income and expense still sit in 5xx (and 321): counting them here
    # keeps the sheet balanced; after the close they are zero and 322 holds the result.
    (44, "未分配收益", "", "C", "321 + 322 + PL"),
    (45, "所有者权益合计", "", "C", "R42 + R43 + R44"),
    (46, "负债和所有者权益总计", "", "C", "R41 + R45"),
]
# Rows at or above this number are printed on the right-hand side of the form.
BALANCE_SHEET_RIGHT_FROM = 31

# 收益及收益分配表 (会农02表).
INCOME_STATEMENT = [
    (1, "经营收入", "一、", "C", "501"),
    (2, "投资收益", "加：", "C", "502"),  # right after 经营收入, as both sister forms place it
    (3, "经营支出", "减：", "D", "511"),
    (4, "税金及附加", "", "D", "512"),
    (5, "管理费用", "", "D", "513"),
    (6, "经营收益", "二、", "C", "R1 + R2 - R3 - R4 - R5"),
    (7, "补助收入", "加：", "C", "503"),
    (8, "其他收入", "", "C", "504"),
    (9, "公益支出", "减：", "D", "514"),
    (10, "其他支出", "", "D", "515"),
    (11, "收益总额", "三、", "C", "R6 + R7 + R8 - R9 - R10"),
    (12, "所得税费用", "减：", "D", "521"),
    (13, "本年收益", "四、", "C", "R11 - R12"),
    (14, "年初未分配收益", "加：", "C", "321@open + 322@open + PL@open"),
    # Every other movement of 321/322 (e.g. 公积公益金弥补亏损); the distributions are added back because
    # their debits are part of 322's movement and are shown on their own lines below.
    (15, "其他转入", "", "C", "321 + 322 + R17 + R18 + R19"),
    (16, "可分配收益", "五、", "C", "R13 + R14 + R15"),
    (17, "提取公积公益金", "减：", "C", "DIST:reserve"),
    (18, "向成员分配", "", "C", "DIST:members"),
    (19, "其他分配", "", "C", "DIST:other"),
    (20, "年末未分配收益", "六、", "C", "R16 - R17 - R18 - R19"),
]
# The first line of the distribution half (printed under its own heading).
DISTRIBUTION_FROM = 14

# How a leaf of 322 收益分配 is read, by words in its name (first match wins). A leaf whose name says
# 未分配 is the undistributed balance itself, not a distribution; anything else is 其他分配.
DISTRIBUTION_KINDS = [
    ("undistributed", ("未分配",)),
    ("reserve", ("公积", "公益")),
    ("members", ("成员", "农户", "社员", "股东", "分红", "股份")),
]
