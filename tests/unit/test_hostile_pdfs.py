"""Every PDF kind with hostile text in every user-text field that reaches it (issue 11, point 1; issue 14, point 2).

User text is never markup: each field prints literally (read back with pypdf), no file is read whatever a field
says (<img src=…>), broken markup renders, and a 10,000-character field never fails the document. Rare characters
(生僻字 of CJK Extensions A to H, compatibility ideographs) print in every field and read back; a character no
installed font has stops the document with MissingGlyph naming it and its field, never a hole; every text is drawn
in the registered fonts. The renderers are functions of data, so each is fed its data directly;
tests/web/test_hostile_outputs.py goes through the web for a posted voucher, tests/web/test_rare_characters.py
for the voucher and the disclosure notice.
"""
from __future__ import annotations

import ast
import builtins
import io
import unicodedata
from collections.abc import Callable
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from pypdf import PdfReader

from threeassets.core.pdf import MissingGlyph, pdf_font

# Each piece once broke or bent a paragraph: a tag that reads a file (secret.png is a real image in the working
# directory), unclosed and unknown tags, entities, CDATA's end, a tag that names a font size, a line break, a 4-byte
# CJK character the font has (U+20547). Short groups, one document each, so that no field's text is cut by a page
# or a column (pypdf would read the page's furniture in between).
HOSTILE = ['<img src="/etc/passwd"/>', '<img src="secret.png"/>', "<b>unclosed R&D &nbsp; &#x41;",
           "<font size=99>大</font> ]]> </para><para>", "<br/><unknown attr='x'> \"q\" 行一\n行二 𠕇"]
# Rare characters in short groups (so no field's text wraps in a narrow cell): Extension A (㐀 U+3400, 䶵 U+4DB5,
# 䶿 U+4DBF from Unicode 13, the surname 䶮 U+4DAE), Extension B (𠀀 U+20000, 𠮷 U+20BB7, 𡃁 U+210C1, 𪚥 U+2A6A5, the
# surname 𨚕 U+28695), Extensions C to F (the first of each), Extensions G and H (𰀀 U+30000, 𱍐 U+31350), the
# compatibility ideographs 豈 U+F900 and 丽 U+2F800, and the name 龑 U+9F91.
RARE = ["㐀䶵䶿䶮", "𠀀𠮷𡃁𪚥𨚕", "\U0002A700\U0002B740\U0002B820\U0002CEB0", "\U00030000\U00031350\uF900\U0002F800龑"]
# Characters no installed font draws: Extension I (Unicode 15.1, in no Debian font yet), a private-use character
# of the BMP (BabelStone Han has a glyph there, which is some other character: refused), one of plane 15.
UNCOVERED = ["\U0002EBF0", "\uE000", "\U000F0000"]
# Characters that draw nothing by definition (NUL, a control, zero-width space, BOM, a variation selector):
# printed as before, as nothing, never refused.
INVISIBLE = "\x00\x01\u200b\ufeff\ufe0f"
LONG_CHAR = "龘"
# The longest text a person may type into a field these papers print: 5,000 characters (a subsidy objection's content
# and outcome; an information request's texts 4,000), 20,000 in the annual report's texts — each several pages of
# one cell or paragraph, which is what used to fail (a table cell taller than a page).
LONGEST = {"annual_report": 20_000}
LONG = LONG_CHAR * 5_000

VERIFY = "https://sanzi.example.cn/verify/HOSTILE1"


def flat(text: str) -> str:
    """Text without whitespace (characters beyond the BMP read back since core.pdf writes their ToUnicode
    entries as surrogate pairs)."""
    return "".join(text.split())


def pdf_text(pdf: bytes) -> str:
    """Every page's text, whitespace removed."""
    assert pdf.startswith(b"%PDF")
    return flat("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))


# --- one builder per PDF kind: each takes text_for(field) and returns the PDF bytes -------------------------------

def voucher(t: Callable[[str], str]) -> bytes:
    from threeassets.ledger.pdf import VoucherPrint, render_voucher
    lines = [(t("summary1"), t("account1"), D("12.50"), D(0)), (t("summary2"), t("account2"), D(0), D("12.50"))]
    return render_voucher(VoucherPrint(t("village"), "记-0001", date(2024, 5, 10), 2, lines, D("12.50"),
                                       t("preparer"), t("reviewer"), t("poster"), "posted", t("note")))


def trial_balance(t: Callable[[str], str]) -> bytes:
    from threeassets.reports.pdf import render_trial_balance
    from threeassets.reports.service import TBRow
    rows = [TBRow("101", t("name1"), 1, True, D("100.00"), D("5.00"), D("1.00")),
            TBRow("102001", t("name2"), 2, True, D("-12.50"))]
    return render_trial_balance(rows, t("title"), t("subtitle"))


def ledger(t: Callable[[str], str]) -> bytes:
    from threeassets.reports.pdf import render_ledger
    from threeassets.reports.service import LedgerRow
    rows = [LedgerRow("open", "2024-05", "", "期初余额", D(0), D(0), D("10.00")),
            LedgerRow("entry", date(2024, 5, 3), t("label"), t("summary"), D("2.50"), D(0), D("12.50"), 1),
            LedgerRow("month", "2024-05", "", "本月合计", D("2.50"), D(0), D("12.50")),
            LedgerRow("close", "2024-05", "", "期末余额", D(0), D(0), D("12.50"))]
    return render_ledger(rows, t("title"), t("subtitle"))


def statement(t: Callable[[str], str]) -> bytes:
    from threeassets.statements.pdf import render_table
    from threeassets.statements.tables import Table
    table = Table("现金日记账", t("org"), t("period"), t("form_no"), [["日期", "凭证号", "摘要", "借方", "余额"]], [],
                  [24, 22, 92, 36, 36], frozenset({3, 4}), landscape=True, signatures=True)
    table.section(t("section"))
    table.add(["2024-05-10", "记-0001", t("summary"), D("12.50"), D("-12.50")])
    table.add(["", "", t("total"), D("12.50"), None], bold=True)
    return render_table(table)


def statement_notes(t: Callable[[str], str]) -> bytes:
    from threeassets.statements.notes import AssetMove, NoteLine, StatementNotes
    from threeassets.statements.pdf import render_tables
    from threeassets.statements.tables import NOTES_TITLE, notes_tables
    books = {code: NoteLine(t(f"book{code}"), "", D(0), D(0)) for code in ("151", "152", "153", "154")}
    notes = StatementNotes(t("org"), 202412, [(t("policy"), t("policy_text"))],
                           [NoteLine(t("account"), t("debtor"), D("1.00"), D("2.00"))],
                           [NoteLine(t("account2"), t("creditor"), D("3.00"), D(0))],
                           [AssetMove(t("category"))], books, [NoteLine(t("bio"), t("bio_leaf"), D(1), D(1))],
                           [NoteLine(t("loss"), t("loss_leaf"), D(1), D(0))], [(t("distribution"), D("5.00"))])
    return render_tables(NOTES_TITLE, notes_tables(notes))


def contract(t: Callable[[str], str]) -> bytes:
    from threeassets.contracts.pdf import SummaryData, render_summary
    return render_summary(SummaryData(
        t("village"), t("code"), t("title"), "发包", "履行中",
        [("名称", t("party")), ("身份证号", t("id_no")), ("电话 / 地址", t("phone"))], "协商",
        date(2024, 1, 1), date(2024, 1, 1), date(2028, 12, 31), D("50000.00"), D("2000.00"), D("0.00"),
        t("income_account"), [("资源·耕地", t("subject"), t("location"), "30.00 亩")],
        [(1, date(2024, 1, 1), D("10000.00"), D("0.00"), "未到期")], [("决议公开", t("decision"))], t("note"),
        date(2024, 6, 1)))


def _case(t: Callable[[str], str], *printed: str):
    """A case's print data: the fields every paper shows, and those of printed (the others stay empty)."""
    from threeassets.windows.pdf import CasePrint

    def own(name: str) -> str:
        return t(name) if name in printed else ""
    return CasePrint(t("agency"), "TA-20240510-001", t("item"), t("window"), t("window_phone"), t("applicant"),
                     t("phone"), t("village"), t("subject"), date(2024, 5, 10), t("clerk"), date(2024, 5, 10), 5,
                     [own("missing1"), own("missing2")] if "missing1" in printed else [],
                     [(own("material"), 2, True)] if "material" in printed else [], date(2024, 5, 10),
                     date(2024, 5, 17), own("reason"), own("supervision_phone"), own("calendar_warning") or None,
                     "https://sanzi.example.cn/public/case",
                     [(own("excused"), own("excused_why"))] if "excused" in printed else [])


def case_notice(t):
    from threeassets.windows.pdf import render_notice
    return render_notice(_case(t, "missing1", "missing2"))


def case_receipt(t):
    from threeassets.windows.pdf import render_receipt
    return render_receipt(_case(t, "material", "calendar_warning", "excused", "excused_why"))


def case_rejection(t):
    from threeassets.windows.pdf import render_rejection
    return render_rejection(_case(t, "reason", "supervision_phone"))


def _notice_data(t: Callable[[str], str]) -> dict:
    """A notice as content.build_notice returns it, with text fields from t and a row in every section."""
    item = {"date": "2024-05-05", "voucher": "记-0001", "summary": t("summary"), "account": t("account"),
            "amount": "1000.00", "count": 1}
    debt = {"rows": [{"account": t("debt_account"), "counterparty": t("counterparty"), "opening": "1.00",
                      "increase": "0.00", "decrease": "0.00", "closing": "1.00"}], "total": "1.00"}
    return {
        "schema": 1, "village": {"id": 1, "code": "V1", "name": t("village"), "township": t("township")},
        "period": {"text": "2024-05", "label": "2024年5月", "start": "2024-05-01", "end": "2024-05-31",
                   "quarter": False},
        "generated_at": "2024-06-01 09:00:00", "published_on": "2024-06-02", "display_until": "2024-06-30",
        "supervision_phone": t("supervision_phone"), "group_threshold": "0.00",
        "cash": {"rows": [{"code": "101", "name": t("cash_name"), "level": 1, "opening": "100.00", "debit": "0.00",
                           "credit": "0.00", "closing": "100.00"}],
                 "opening": "100.00", "closing": "100.00", "closing_upper": "壹佰元整"},
        "income": {"items": [item], "by_account": [{"code": "501", "name": t("income_bar"), "amount": "1000.00"}],
                   "total": "1000.00", "total_upper": "壹仟元整"},
        "expense": {"items": [dict(item, summary=t("expense_summary"))],
                    "by_account": [{"code": "511", "name": t("expense_bar"), "amount": "1000.00"}],
                    "total": "1000.00", "total_upper": "壹仟元整"},
        "plan": {"year": 2024, "rows": [{"section": "收入", "name": t("plan_name"), "level": 2, "budget": "5.00",
                                         "actual": "1.00", "pct": "20.0%"}]},
        "debts": {"receivable": debt, "payable": debt},
        "distribution": {"columns": ["本月数", "本年累计数"], "lines": [
            {"row_no": 1, "item": "经营收入", "prefix": "一、", "values": ["1000.00", "1000.00"], "total": False}]},
        "other": t("other"), "signoff": {"names": t("signers"), "on": "2024-06-01"},
        "assets": {"by_category": [{"category": t("category"), "count": 1, "cost": "10.00", "depreciation": "1.00",
                                    "net": "9.00"}], "count": 1, "cost": "10.00", "depreciation": "1.00",
                   "net": "9.00", "period_depreciation": "1.00",
                   "changes": [{"date": "2024-05-06", "asset": t("asset"), "kind": "新增", "amount": "10.00",
                                "detail": t("change_detail")}]},
        "resources": {"by_type": [{"type": "耕地", "count": 1, "area": "3.00", "let_area": "1.00"}], "count": 1,
                      "area": "3.00", "let_area": "1.00"},
        "contracts": {"rows": [{"code": t("contract_code"), "kind": "发包", "title": t("contract_title"),
                                "party": t("contract_party"), "party_id": t("party_id"), "received": "1.00",
                                "due": "1.00", "overdue": "0.00"}], "received": "1.00", "overdue": "0.00"},
        "net": {"amount": "0.00", "upper": "零元整"},
        "subsidies": {"policies": [{"policy": t("subsidy_policy"), "households": 1, "total": "600.00", "rows": [
            {"batch": t("subsidy_batch"), "group": t("subsidy_group"), "name": t("subsidy_head"),
             "id": "340***********1234", "amount": "600.00", "date": "2024-05-20"}]}],
            "total": "600.00", "households": 1},
    }


def subsidy_notice(t):
    from datetime import date
    from decimal import Decimal

    from threeassets.subsidies.pdf import NoticePrint, NoticeRow, notice_pdf
    rows = [NoticeRow(t("group"), t("number"), t("head_name"), "340***********1234", Decimal("3"),
                      Decimal("600.00"), Decimal("1800.00"))]
    return notice_pdf(NoticePrint(t("township"), t("village"), t("policy"), 2024, t("batch"), "元/人/年",
                                  date(2024, 5, 1), date(2024, 5, 7), 7, t("supervision_phone"), date(2024, 5, 1),
                                  rows))


def disclosure_a4(t):
    from threeassets.disclosure.pdf import render_notice
    return render_notice(_notice_data(t), layout="a4", verify_url=VERIFY, status_note="草稿")


def disclosure_a3(t):
    from threeassets.disclosure.pdf import render_notice
    return render_notice(_notice_data(t), layout="a3", verify_url=VERIFY)


def annual_report(t):
    from threeassets.annualreport import document as d
    from threeassets.annualreport.pdf import render_report
    from threeassets.annualreport.tables import requests_table
    from threeassets.inforequests.rules import annual_table
    table = d.Table(t("caption"), [[d.Cell("镇"), d.Cell("数")], [d.Cell(t("cell")), d.Cell("3", number=True)]],
                    note=t("note"))
    sections = [d.Section(t("section"), [d.Prose(t("paragraph")), d.Section(t("subsection"), [table])]),
                d.Section("收到和处理政府信息公开申请情况", [requests_table(annual_table(2026, []))])]
    return render_report(d.Report(t("title"), t("issuer"), date(2027, 1, 15), sections, draft=True))


def _request(t: Callable[[str], str], **kw):
    """A request for disclosure's print data with every user text from t."""
    from threeassets.inforequests.pdf import RequestPrint
    return RequestPrint(t("agency"), "依申〔2024〕第1号", t("requester"), "自然人", t("id_no"), t("contact"),
                        t("address"), "当面提交", date(2024, 5, 10), t("content"), date(2024, 5, 20), t("clerk"),
                        t("phone"), date(2024, 5, 15), **kw)


def _answer(group: str):
    def build(t):
        from threeassets.inforequests.pdf import render_answer
        reason = t("outcome") if group not in ("disclosed", "partial") else ""  # those two have no reason rows
        return render_answer(_request(t, group=group, outcome=reason, answer_text=t("answer_text"), basis=t("basis")))
    build.__name__ = f"request_{group}"
    return build


def request_correction(t):
    from threeassets.inforequests.pdf import render_correction
    return render_correction(_request(t, correction_note=t("correction_note"), correction_deadline=date(2024, 6, 5)))


def request_extension(t):
    from threeassets.inforequests.pdf import render_extension
    return render_extension(_request(t, extension_days=15, extension_reason=t("extension_reason"),
                                     due_before=date(2024, 6, 7), due_on=date(2024, 6, 28)))


REQUEST_ANSWERS = [_answer(g) for g in ("disclosed", "partial", "withheld", "unavailable", "not_handled", "other")]
KINDS = [voucher, trial_balance, ledger, statement, statement_notes, contract, case_notice, case_receipt,
         case_rejection, subsidy_notice, disclosure_a4, *REQUEST_ANSWERS, request_correction, request_extension,
         annual_report, disclosure_a3]


class Fields:
    """text_for(field): records the fields a builder asked for and gives each its own text."""

    def __init__(self, text: Callable[[str], str]):
        self.text, self.asked = text, []

    def __call__(self, name: str) -> str:
        self.asked.append(name)
        return self.text(name)


@pytest.fixture
def reads(monkeypatch):
    """The names of the files opened while rendering (builtins.open and ReportLab's own opener)."""
    import reportlab.lib.utils as rl_utils
    seen: list[str] = []
    real_open, real_rl = builtins.open, rl_utils.open_for_read

    def spy_open(file, *args, **kwargs):
        seen.append(str(file))
        return real_open(file, *args, **kwargs)

    def spy_rl(name, *args, **kwargs):
        seen.append(str(name))
        return real_rl(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(rl_utils, "open_for_read", spy_rl)
    return seen


@pytest.fixture
def secret(tmp_path, monkeypatch):
    """A real PNG in the working directory: were a tag read as markup, ReportLab would load it without failing, so
    only the spy on opened files can tell."""
    from tests.web.conftest import PNG
    (tmp_path / "secret.png").write_bytes(PNG)
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize("hostile", HOSTILE)
@pytest.mark.parametrize("build", KINDS, ids=[k.__name__ for k in KINDS])
def test_hostile_text_prints_literally_and_reads_no_file(build, hostile, reads, secret):
    fields = Fields(lambda name: f"〔{name}〕{hostile}")
    text = pdf_text(build(fields))
    assert fields.asked, "the builder gives the PDF no user text"
    missing = [name for name in fields.asked if flat(fields.text(name)) not in text]
    assert not missing, f"printed otherwise than typed: {missing}"
    assert not [f for f in reads if "passwd" in f or "secret" in f], reads


@pytest.mark.parametrize("rare", RARE)
@pytest.mark.parametrize("build", KINDS, ids=[k.__name__ for k in KINDS])
def test_rare_characters_print_in_every_field(build, rare):
    fields = Fields(lambda name: f"〔{name}〕{rare}生僻字")
    text = pdf_text(build(fields))
    missing = [name for name in fields.asked if flat(fields.text(name)) not in text]
    assert not missing, f"rare characters lost in: {missing}"


@pytest.mark.parametrize("build", KINDS, ids=[k.__name__ for k in KINDS])
def test_invisible_characters_print_as_nothing_and_do_not_fail(build):
    fields = Fields(lambda name: f"〔{name}〕甲{INVISIBLE}乙")
    text = "".join(ch for ch in pdf_text(build(fields)) if unicodedata.category(ch) not in ("Cc", "Cf"))
    assert all(f"〔{name}〕甲乙" in text for name in fields.asked)


@pytest.mark.parametrize("build", KINDS, ids=[k.__name__ for k in KINDS])
def test_a_character_no_font_has_stops_the_print_naming_it_and_its_field(build):
    asked = Fields(lambda name: name)
    build(asked)
    unnamed = []
    for n, field in enumerate(dict.fromkeys(asked.asked)):
        char = UNCOVERED[n % len(UNCOVERED)]
        with pytest.raises(MissingGlyph) as refused:
            build(lambda name, field=field, char=char: f"{name}{char}" if name == field else name)
        exc = refused.value
        assert exc.char == char and f"“{char}”（U+{ord(char):04X}）" in str(exc)
        if not exc.where:
            unnamed.append(field)
        elif (build.__name__, field) in WHERE:
            assert exc.where == WHERE[build.__name__, field]
    assert not unnamed, f"refused without naming the field (add it to the renderer's labels): {unnamed}"


# How a refusal names some fields (the others are only required to be named)
WHERE = {
    ("voucher", "summary2"): "分录 第 2 行 摘要",
    ("voucher", "preparer"): "制单",
    ("trial_balance", "name2"): "科目余额表 第 2 行 科目名称",
    ("statement", "summary"): "现金日记账 第 2 行 摘要",
    ("statement_notes", "debtor"): "二、应收款项（按单位或个人） 第 1 行 单位或个人",
    ("contract", "location"): "合同标的 第 1 行 坐落",
    ("case_receipt", "material"): "已收材料 第 1 行 材料名称",
    ("case_receipt", "excused_why"): "本件不需提交的材料 第 1 行 说明",
    ("case_rejection", "reason"): "不予受理（退回）理由",
    ("disclosure_a4", "expense_summary"): "各项支出 第 1 行 摘要",
    ("disclosure_a3", "signers"): "民主理财小组成员签字",
    ("disclosure_a4", "counterparty"): "债权债务 债权 第 1 行 欠款单位或个人",
    ("request_withheld", "answer_text"): "答复内容",
    ("request_correction", "correction_note"): "需补正的事项",
}


def drawn_fonts(pdf: bytes) -> set[str]:
    """The fonts (BaseFont without the subset tag) of every non-blank text the PDF draws."""
    fonts: set[str] = set()

    def visit(text, _cm, _tm, font, _size):
        if text.strip() and font is not None:
            fonts.add(str(font.get("/BaseFont", "?")).lstrip("/").split("+")[-1])
    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return fonts


@pytest.mark.parametrize("build", KINDS, ids=[k.__name__ for k in KINDS])
def test_every_text_is_drawn_in_the_registered_fonts(build):
    """No renderer draws with another font (a ParagraphStyle, table or chart label left at ReportLab's Helvetica
    would drop every Chinese character): the body font and the fallbacks that drew the rare characters only."""
    used = drawn_fonts(build(Fields(lambda name: f"〔{name}〕{''.join(RARE)}")))
    font = pdf_font()  # after the build: the fallbacks load when a document first needs them
    faces = {(f.face.name + f.face.subfontNameX).decode() for f in [font.body, *font.fallbacks]}
    assert used and used <= faces, used - faces


def test_every_renderer_is_tested():
    """Each render_ function of threeassets has a builder above, so the tests of this module reach it."""
    root = Path(__file__).resolve().parents[2] / "threeassets"
    found = {f"{path.relative_to(root).with_suffix('').as_posix()}.{fn.name}"
             for path in root.rglob("*.py") for fn in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(fn, ast.FunctionDef) and fn.name.startswith("render_") and "pdf" in path.as_posix()}
    assert found == RENDERERS, "add a builder to KINDS and the renderer to RENDERERS"


RENDERERS = {"ledger/pdf.render_voucher", "reports/pdf.render_trial_balance", "reports/pdf.render_ledger",
             "statements/pdf.render_table",
             "statements/pdf.render_tables", "contracts/pdf.render_summary", "windows/pdf.render_notice",
             "windows/pdf.render_receipt", "windows/pdf.render_rejection", "disclosure/pdf/__init__.render_notice",
             "annualreport/pdf.render_report", "inforequests/pdf.render_answer",
             "inforequests/pdf.render_correction", "inforequests/pdf.render_extension"}


# A3 lays out the same tables as A4 in wider columns; the longest text in each of the notice's fields takes ReportLab
# long on either, so the slow test runs on A4 alone.
@pytest.mark.parametrize("build", KINDS[:-1], ids=[k.__name__ for k in KINDS[:-1]])
def test_the_longest_text_in_every_field_does_not_fail_the_document(build):
    long = LONG_CHAR * LONGEST.get(build.__name__, len(LONG))
    fields = Fields(lambda name: long)
    text = pdf_text(build(fields))
    # every field printed in full at least once (page furniture repeats some of them)
    assert text.count(LONG_CHAR) >= len(long) * len(set(fields.asked))


def test_hostile_text_is_read_back_as_typed_not_as_markup():
    """The check itself can fail: ReportLab reading markup turns R&D into R&D; and drops an unknown tag."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import SimpleDocTemplate
    from reportlab.platypus.paragraph import Paragraph

    from threeassets.core.pdf import cjk_font, para
    style = ParagraphStyle("p", fontName=cjk_font(), fontSize=10, leading=13)
    for flowable, literal in ((para("R&D <u>x</u>", style), True), (Paragraph("R&D <u>x</u>", style), False)):
        buf = io.BytesIO()
        SimpleDocTemplate(buf).build([flowable])
        assert ("R&D<u>x</u>" in pdf_text(buf.getvalue())) is literal


def test_the_font_check_sees_another_font():
    """drawn_fonts can fail: a paragraph left at ReportLab's default style is drawn in Helvetica."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import SimpleDocTemplate

    from threeassets.core.pdf import para
    buf = io.BytesIO()
    SimpleDocTemplate(buf).build([para("12.50 R&D", getSampleStyleSheet()["Normal"])])
    assert drawn_fonts(buf.getvalue()) == {"Helvetica"}
