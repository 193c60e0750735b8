"""Reading the claim form (claims/forms.py): full-width input, rare characters, dates named by their field, every
problem of the reading at once, and the problems in the page's order; the check of the chosen files."""
from datetime import date
from decimal import Decimal as D

from werkzeug.datastructures import MultiDict

from threeassets.attachments.rules import upload_refusals
from threeassets.claims import forms

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010800000000"
                    "3a7e9b550000000a49444154789c6360000000020001e221bc330000000049454e44ae426082")


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



def test_problems_are_listed_in_the_order_of_the_page():
    problems = {"receipts": "r", "lines-10-amount": "a10", "lines-1-amount": "a1", "lines-1-purpose": "p1",
                "handler_name": "h", "occurred_on": "o", "payee_account": "acc", "lines": "l", "contact_phone": "c"}
    assert [name for name, _ in forms.page_order(problems)] == [
        "payee_account", "occurred_on", "lines", "lines-1-purpose", "lines-1-amount", "lines-10-amount",
        "handler_name", "contact_phone", "receipts"]


def test_every_refused_file_of_an_upload_is_named():
    assert upload_refusals([("发票.png", PNG)]) == []
    got = upload_refusals([("发票.png", PNG), ("假图片.png", b"plain text"), ("扫描.pdf", PNG), ("空.jpg", b"")])
    assert got == ["假图片.png：只接受 JPG、PNG 图片或 PDF 文件", "扫描.pdf：文件扩展名与内容不符（内容是 image/png）",
                   "空.jpg：文件为空"]
