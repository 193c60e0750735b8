"""Pure rules of the subsidy side, without a database: IDs and masks, quantity × rate, the notice period, the list's
state machine (a test per pair), matching a bank's file, the import columns and the policy form."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from tests.subsidy_helpers import person_id
from threeassets.subsidies import rules
from threeassets.subsidies.rules import (
    BATCH_ACTIONS,
    BATCH_STATE_LABELS,
    BATCH_TRANSITIONS,
    BankLine,
    BatchFacts,
    ListRow,
    batch_actions,
    batch_refusal,
    check_id,
    match_payments,
)

ID = person_id(1)


def test_a_valid_id_passes_and_is_normalised():
    assert check_id(ID) == (ID, None)
    full_width = ID.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert check_id(f" '{full_width} ") == (ID, None)  # full-width digits, Excel's apostrophe and spaces


def test_an_x_check_digit_is_upper_case():
    number = "11010519491231002X"
    assert check_id(number.lower()) == (number, None)


@pytest.mark.parametrize("text, why", [
    ("", "请填写身份证号"), ("12345", "身份证号应为18位（现为5位）"),
    (ID[:-1] + ("1" if ID[-1] != "1" else "2"), "身份证号无效（校验码、出生日期或地区码不对）"),
    ("340121199902300012", "身份证号无效（校验码、出生日期或地区码不对）"),  # 30 February
    ("34012119650312001", "身份证号应为18位（现为17位）"),
])
def test_a_bad_id_is_refused_with_its_reason(text, why):
    assert check_id(text) == (None, why)


@pytest.mark.parametrize("quantity, rate, unit, amount", [
    ("6.35", "118.37", "mu", "751.65"),  # 751.6495 → 751.65
    ("4.80", "118.37", "mu", "568.18"),  # 568.176 → 568.18
    ("0.01", "0.50", "mu", "0.01"),  # 0.005 → 0.01: half up, not to even
    ("0.03", "0.50", "mu", "0.02"),  # 0.015 → 0.02
    ("3", "600", "person_year", "1800.00"),
    ("1250.00", "40", "percent", "500.00"),  # 40% of the premium
    ("333.33", "12.50", "percent", "41.67"),  # 41.66625 → 41.67
])
def test_quantity_times_rate_to_the_fen_half_up(quantity, rate, unit, amount):
    assert rules.expected_amount(D(quantity), D(rate), unit) == D(amount)
    assert rules.amount_problem(D(quantity), D(rate), D(amount), unit) is None


def test_an_amount_off_by_a_fen_is_named():
    assert rules.amount_problem(D("6.35"), D("118.37"), D("751.64")) == \
        "金额 751.64 与 数量×标准（6.35 × 118.37 = 751.65）不符"


def test_notice_period_in_days():
    start = date(2025, 3, 1)
    assert rules.notice_end(start, 7) == date(2025, 3, 7)
    assert rules.notice_end(start, 1) == start
    assert rules.notice_end(date(2024, 2, 26), 7) == date(2024, 3, 3)  # across a leap February
    assert not rules.notice_complete(date(2025, 3, 7), date(2025, 3, 7))  # the last day is still on notice
    assert rules.notice_complete(date(2025, 3, 7), date(2025, 3, 8))
    assert not rules.notice_complete(None, date(2025, 3, 8))
    assert [rules.notice_days_left(date(2025, 3, 7), date(2025, 3, d)) for d in (1, 7, 8)] == [7, 1, 0]


# --- the state machine: every (state, action) pair -----------------------------------------------------------

TODAY = date(2025, 3, 10)
STATES = list(BATCH_STATE_LABELS)
PAIRS = [(s, a) for s in STATES for a in BATCH_ACTIONS]
ALLOWED = {("draft", "edit"): "draft", ("draft", "delete"): None, ("draft", "start_notice"): "noticing",
           ("noticing", "object"): "noticing", ("noticing", "withdraw"): "draft",
           ("noticing", "end_notice"): "notice_ended", ("notice_ended", "object"): "notice_ended",
           ("notice_ended", "withdraw"): "draft", ("notice_ended", "pay"): "paid"}


@pytest.mark.parametrize("state, action", PAIRS, ids=[f"{s}-{a}" for s, a in PAIRS])
def test_each_pair_of_the_state_machine(state, action):
    facts = BatchFacts(state, rows=3, notice_to=date(2025, 3, 1), today=TODAY)
    why = batch_refusal(facts, action)
    if (state, action) in ALLOWED:
        assert why is None
        assert rules.BATCH_FLOW.next(state, action) == ALLOWED[(state, action)]
    else:
        assert why and ("不能" in why or "才能" in why or "已导入" in why)
        from threeassets.core.errors import IllegalMove
        with pytest.raises(IllegalMove):
            rules.BATCH_FLOW.next(state, action)


def test_the_table_is_the_one_tested():
    assert BATCH_TRANSITIONS == ALLOWED


def test_refusals_a_clerk_understands():
    facts = BatchFacts("draft", 3, None, TODAY)
    assert batch_refusal(facts, "pay") == "名单尚未公示，不能导入发放结果：须先公示并满公示期"
    assert batch_refusal(BatchFacts("draft", 0, None, TODAY), "start_notice") == "名单没有任何农户，不能公示"
    early = BatchFacts("noticing", 3, date(2025, 3, 12), TODAY)
    assert batch_refusal(early, "end_notice") == "公示期至 2025-03-12，还有 3 天，未满公示期不能结束公示"
    assert batch_refusal(BatchFacts("noticing", 3, date(2025, 3, 9), TODAY), "end_notice") is None
    assert batch_refusal(BatchFacts("paid", 3, None, TODAY), "edit") == "名单已发放，不能修改名单"


def test_actions_offered_follow_permission_and_state():
    facts = BatchFacts("noticing", 3, date(2025, 3, 9), TODAY)
    assert batch_actions(facts, {"subsidies.edit"}) == ["object", "withdraw", "end_notice"]
    assert batch_actions(facts, {"subsidies.read"}) == []


# --- matching a bank's file ----------------------------------------------------------------------------------

ROWS = [ListRow(1, "王建国", person_id(1), "3021", D("751.65")),
        ListRow(2, "李秀英", person_id(2), "4410", D("568.18")),
        ListRow(3, "吉𠮷祥", person_id(3), "", D("100.00")),
        ListRow(4, "张三", person_id(4), "", D("50.00"))]


def line(n, name, id_text="", card="", amount="0", ok=True):
    return BankLine(n, name, id_text, card, D(amount), date(2025, 3, 20), ok)


def test_matching_a_payment_file():
    m = match_payments(ROWS, [
        line(2, "王建国", person_id(1)[-4:], amount="751.65"),  # last four of the ID
        line(3, "李秀英", "", "4410", amount="568.00"),  # card tail; paid ≠ noticed
        line(4, "吉 𠮷祥", person_id(3), amount="100.00"),  # the whole ID, a space in the name
        line(5, "赵六", person_id(9), amount="80.00"),  # not on the list
        line(6, "王建国", person_id(1)[-4:], amount="751.65"),  # paid twice
        line(7, "张三", person_id(4)[:3] + "*" * 11 + person_id(4)[-4:], amount="50.00", ok=False),  # failed
    ])
    assert m.outcomes == {2: ("matched", 1), 3: ("amount_differs", 2), 4: ("matched", 3), 5: ("not_on_list", None),
                          6: ("duplicate", 1), 7: ("failed", 4)}
    assert m.unpaid == [4]
    assert m.mismatches() == 5


def test_a_wrong_name_or_wrong_digits_do_not_match():
    m = match_payments(ROWS, [line(2, "王建华", person_id(1)[-4:], amount="751.65"),
                              line(3, "王建国", "0000", amount="751.65"),
                              line(4, "王建国", person_id(2), amount="751.65")])  # whole ID of another person
    assert {o for o, _r in m.outcomes.values()} == {"not_on_list"}
    assert m.unpaid == [1, 2, 3, 4]


def _names_the_row(row: ListRow, line: BankLine) -> bool:
    """The matching rule read literally, one row against one line (what the index must agree with)."""
    if not rules.same_name(row.head_name, line.holder_name):
        return False
    digits = rules.clean_digits(line.id_text)
    if len(digits) == 18 and "*" not in digits:
        return digits == row.id_number
    tail = rules.last4(line.id_text.replace("*", "")) if line.id_text else ""
    if tail and tail == row.id_number[-4:]:
        return True
    return bool(line.card_last4) and line.card_last4 == row.card_last4


def _match_by_scanning(rows, lines) -> rules.Matching:
    """Every line against every row, in file order (quadratic: for small files only)."""
    out, paid = rules.Matching(), set()
    for ln in lines:
        named = [r for r in rows if _names_the_row(r, ln)]
        row = next((r for r in named if r.row_id not in paid), named[0] if named else None)
        outcome = rules._outcome(ln, row, paid)
        out.outcomes[ln.line] = (outcome, row.row_id if row else None)
        if row is not None and outcome in ("matched", "amount_differs"):
            paid.add(row.row_id)
    out.unpaid = [r.row_id for r in rows if r.row_id not in paid]
    return out


@pytest.mark.parametrize("seed", range(20))
def test_the_indexed_matching_equals_the_row_by_row_rule(seed):
    import random
    rnd = random.Random(seed)
    names = ["王建国", "王 建国", "李秀英", "吉𠮷祥", "ＡＢＣ", "ABC"]  # equal names after NFKC and spaces too
    ids = [person_id(n) for n in range(6)] + ["11010519491231002X"]
    rows = [ListRow(n, rnd.choice(names), rnd.choice(ids), rnd.choice(["", "3021", "4410"]),
                    D(rnd.choice(["100.00", "50.00"]))) for n in range(1, 30)]
    lines = []
    for n in range(2, 60):
        ident = rnd.choice(ids)
        id_text = rnd.choice(["", ident, ident[-4:], ident[:6] + "*" * 8 + ident[-4:], ident.lower()[-4:], "0000"])
        lines.append(line(n, rnd.choice(names), id_text, rnd.choice(["", "3021", "4410", "9999"]),
                          rnd.choice(["100.00", "50.00"]), rnd.random() > 0.1))
    expected = _match_by_scanning(rows, lines)
    got = match_payments(rows, lines)
    assert (got.outcomes, got.unpaid) == (expected.outcomes, expected.unpaid)


def test_twenty_thousand_lines_are_matched_in_one_pass():
    # Row by row, 20,000 lines against 20,000 rows is 400 million comparisons (minutes inside the import's write
    # transaction); indexed it is one look-up a line.
    size = 20_000
    rows = [ListRow(n, f"户主{n}", f"{340121196503120000 + n}"[:17] + "X", f"{n % 10000:04d}", D("100.00"))
            for n in range(size)]
    lines = [line(n + 2, f"户主{n}", rows[n].id_number[-4:] if n % 2 else "", rows[n].card_last4,
                  amount="100.00" if n % 100 else "90.00") for n in range(size)]
    m = match_payments(rows, lines)
    assert m.unpaid == [] and len(m.outcomes) == size
    assert sum(1 for o, _r in m.outcomes.values() if o == "amount_differs") == size // 100
    assert all(r == n - 2 for n, (_o, r) in m.outcomes.items())


@pytest.mark.parametrize("word, ok", [("成功", True), ("", True), ("已入账", True), ("失败", False), ("退回", False),
                                      ("SUCCESS", True), ("不知道", None)])
def test_bank_status_words(word, ok):
    assert rules.read_status(word) is ok


# --- import columns and a household row ----------------------------------------------------------------------


def test_chinese_headers_map_to_code_names():
    mapping = rules.header_map(rules.HOUSEHOLD_ALIASES, ["组", "户号", "户主姓名", "身份证号码", "承包地面积（亩）",
                                                         "一卡通卡号", "不认识的列", "members"])
    assert mapping == {"组": "group", "户号": "number", "户主姓名": "head_name", "身份证号码": "id_number",
                       "承包地面积（亩）": "land_area", "一卡通卡号": "card_last4", "members": "members"}


def test_a_household_row_keeps_rare_names_and_exact_areas():
    h, problems = rules.parse_household({"number": "００７", "head_name": " 吉𠮷祥 ", "id_number": ID,
                                         "members": "4.0", "land_area": "6.35", "card_last4": "6222 0202 0011 2345"})
    assert problems == {}
    assert (h.number, h.head_name, h.members, h.land_area, h.card_last4) == ("007", "吉𠮷祥", 4, D("6.35"), "2345")


def test_a_households_problems_are_named_by_column():
    _h, problems = rules.parse_household({"number": "", "head_name": "", "id_number": "1", "land_area": "1.234",
                                          "card_last4": "12", "members": "0"})
    assert set(problems) == {"number", "head_name", "id_number", "land_area", "card_last4", "members"}


def test_same_name_after_nfkc_and_spaces():
    assert rules.same_name("张 三", "张三") and rules.same_name("ＡＢＣ", "ABC") and not rules.same_name("张三", "张山")


def test_initials_of_a_policy_name():
    assert rules.initials("耕地地力保护补贴") == "gddlbhbt"


def test_policy_years():
    assert rules.applies_in(2016, None, 2025) and not rules.applies_in(2024, 2026, 2027)
    assert rules.kept(2016, 2023, 2025) and not rules.kept(2016, 2022, 2025) and rules.kept(2016, None, 2025)


def test_the_policy_form_names_each_problem():
    data, problems = rules.parse_policy({"code": "X 1", "level": "乡", "department": "", "name": "补贴",
                                         "rate": "-3", "year_from": "24", "year_to": "", "unit": ""})
    assert data is None
    assert problems == {"code": "编码只能用字母、数字、“-”或“_”", "department": "请填写主管部门",
                        "level": "请选择政策层级（中央/省/市/县）", "rate": "标准金额不能为负数",
                        "year_from": "年份应为四位数字，如 2024"}
    data, problems = rules.parse_policy({"code": "X1", "level": "county", "department": "财政", "name": "补贴",
                                         "rate": "30", "unit": "mu", "year_from": "2024", "year_to": "2026"})
    assert problems == {} and (data.rate, data.year_to) == (D("30.00"), 2026)
    _d, problems = rules.parse_policy({"code": "X1", "level": "county", "department": "财政", "name": "补贴",
                                       "rate": "30", "year_from": "2024", "year_to": "2023"})
    assert problems == {"unit": "填写了标准金额，请选择单位", "year_to": "截止年份不能早于起始年份"}


FORM = {"code": "X1", "level": "county", "department": "财政", "name": "补贴", "year_from": "2024"}


def test_a_long_policy_text_over_its_limit_is_named_never_cut():
    data, problems = rules.parse_policy({**FORM, "full_text": "条" * 20001, "summary": "要" * 20000})
    assert data is None and problems == {"full_text": "政策全文最多20000字（现 20001 字）"}


@pytest.mark.parametrize("field, label, text, found", [
    ("eligibility", "补贴对象", "联系村干部 13800001234 报名", "手机号“13800001234”"),
    ("standard", "补贴标准", "每户 500 元，打入 6222 0212 3456 7890", "银行卡号或账号“6222 0212 3456 7890”"),
    ("payment", "发放方式与时间", "由 340121199001011234 代领", "身份证号“340121199001011234”"),
    ("basis", "政策依据（文号）", "县政府 20240510 会议纪要", "银行卡号或账号“20240510”"),
    ("summary", "政策摘要", "咨询 13912345678", "手机号“13912345678”"),
    ("full_text", "政策全文", "第一条 …… 联系人手机 13712345678", "手机号“13712345678”"),
    ("name", "政策名称", "补贴（咨询13612345678）", "手机号“13612345678”"),
    ("department", "主管部门", "农业农村 13512345678", "手机号“13512345678”"),
])
def test_a_policy_text_the_kiosk_must_not_show_is_refused_naming_the_field(field, label, text, found):
    data, problems = rules.parse_policy({**FORM, field: text})
    assert data is None and list(problems) == [field]
    assert problems[field].startswith(f"{label}中有{found}：公开内容不能出现完整的身份证号、银行卡号、手机号")


def test_policy_texts_with_amounts_dates_and_document_numbers_pass():
    data, problems = rules.parse_policy({**FORM, "basis": "国发〔2006〕17号（2006-05-17）",
                                         "standard": "每人每年 600 元，共 20 年；每亩 150000.00 元以内",
                                         "payment": "2024-10-15 前通过一卡通发放，咨询 0551-12345678"})
    assert problems == {} and data.basis.startswith("国发")


def test_the_starter_catalogue_passes_the_check_and_a_planted_number_stops_it():
    from threeassets.subsidies import starter
    assert len(starter.default_policies()) == 17
    header = "code,level,department,name,basis,basis_date,eligibility,standard,rate,unit,year_from,year_to," \
             "payment,service_item,summary"
    planted = header + "\nZZ01,county,财政,补贴,,,,,,,2024,,咨询 13800001234,subsidy,\n"
    with pytest.raises(ValueError, match="ZZ01.*发放方式与时间中有手机号“13800001234”"):
        starter.read_policies(planted)


def test_the_starter_catalogue_ships_each_names_initials_and_a_file_without_them_gets_them_worked_out():
    from threeassets.subsidies import starter
    assert all(p["initials"] == rules.initials(p["name"]) and p["initials"] for p in starter.default_policies())
    header = "code,level,department,name,basis,basis_date,eligibility,standard,rate,unit,year_from,year_to," \
             "payment,service_item,summary"
    [policy] = starter.read_policies(header + "\nZZ02,county,财政,耕地补贴,,,,,,,2024,,,subsidy,\n")
    assert policy["initials"] == "gdbt"


def test_a_lists_quantity_is_counted_in_what_its_standard_pays_for():
    assert [rules.quantity_unit(rules.UNIT_LABELS[u]) for u in ("mu", "person_year", "household", "head", "percent")] \
        == ["亩", "人", "户", "头", ""]
