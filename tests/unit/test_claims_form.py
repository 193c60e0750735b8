"""Reading the claim form (claims/forms.py): full-width input, rare characters, dates named by their field, every
problem of the reading at once."""
from datetime import date
from decimal import Decimal as D

from werkzeug.datastructures import MultiDict

from threeassets.claims import forms


def _form(**kw) -> MultiDict:
    base = {"payee": "县城文具店", "payee_kind": "firm", "pay_method": "bank", "payee_account": "6222021000123456789",
            "occurred_on": "2026-12-01", "contact_phone": "13800001111", "handler_name": "李会计",
            "oversight_name": "王理财", "head_name": "赵主任", "signed_on": "2026-12-02",
            "lines-0-purpose": "购买办公用纸", "lines-0-account_code": "51301 管理费用-办公费", "lines-0-amount": "120",
            "lines-0-invoice": "vat"}
    return MultiDict(base | kw)


def test_full_width_input_is_read_half_width_and_rare_characters_are_kept():
    data, problems = forms.parse(_form(**{"payee": "𠀾记农资店",
                                          "payee_account": "县农商银行 ６２２２　０２１０　００１２",
                                          "contact_phone": "１３８００００１１１１", "lines-0-amount": "１２３．４５",
                                          "occurred_on": "２０２６年１２月１日"}))
    assert problems == {}
    assert data.payee == "𠀾记农资店" and data.payee_account == "县农商银行 6222 0210 0012"
    assert data.contact_phone == "13800001111" and data.lines[0].amount == D("123.45")
    assert data.occurred_on == date(2026, 12, 1) and data.lines[0].account_code == "51301"


def test_every_unreadable_field_is_named_at_once_and_dates_name_their_field():
    data, problems = forms.parse(_form(**{"occurred_on": "2026-13-01", "signed_on": "明天", "lines-0-amount": "10.005",
                                          "lines-1-purpose": "墨盒", "lines-1-amount": "abc"}))
    assert problems == {"occurred_on": "发生日期“2026-13-01”不是日期：请写成如 2026-10-05、2026/10/5 或 2026年10月5日",
                        "signed_on": "签字日期“明天”不是日期：请写成如 2026-10-05、2026/10/5 或 2026年10月5日",
                        "lines-0-amount": "第1行：金额最多两位小数", "lines-1-amount": "第2行：“abc”不是有效金额"}
    assert forms.parse(_form(occurred_on=""))[1] == {"occurred_on": "请填写发生日期"}

