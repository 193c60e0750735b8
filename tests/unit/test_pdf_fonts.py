"""The font every PDF draws with (core.pdf.FallbackFont, issue 14 point 2): which font draws each character, how
text is cut into runs, the refusal of a character no font has, the checks that name a field, and the coverage of
the installed fonts over the CJK blocks (docs/dependencies.md gives the numbers)."""
from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass

import pytest

from threeassets.core import pdf
from threeassets.core.pdf import FALLBACK_CANDIDATES, FallbackFont, MissingGlyph, check_fields, check_text, pdf_font

HANAMIN_A, HANAMIN_B, BABELSTONE = (path for path, _ in FALLBACK_CANDIDATES[:3])
# (block, first, last code point): blocks every character of which some installed font draws
WHOLE = [("CJK Unified Ideographs", 0x4E00, 0x9FFF), ("Extension A", 0x3400, 0x4DBF),
         ("Extension B", 0x20000, 0x2A6DF), ("Extension C", 0x2A700, 0x2B739), ("Extension D", 0x2B740, 0x2B81D),
         ("Extension E", 0x2B820, 0x2CEA1), ("Extension F", 0x2CEB0, 0x2EBE0),
         ("Compatibility Ideographs", 0xF900, 0xFAD9), ("Compatibility Supplement", 0x2F800, 0x2FA1D),
         ("Kangxi Radicals", 0x2F00, 0x2FD5), ("Radicals Supplement", 0x2E80, 0x2EF3)]


@pytest.fixture(scope="module")
def font() -> FallbackFont:
    return pdf_font()


def name_of(font: FallbackFont, ch: str) -> str | None:
    """The file the font drawing ch comes from ("body" for the body font), None when none draws it."""
    f = font.font_for(ch)
    return None if f is None else "body" if f is font else f.face.filename


def test_the_body_draws_what_it_has_and_the_fallbacks_the_rest(font):
    assert [name_of(font, ch) for ch in "张㐀䶵䶮龑"] == ["body"] * 5
    assert [name_of(font, ch) for ch in "𠀀𠮷𡃁𪚥𨚕"] == [HANAMIN_A] * 5  # Extension B HanaMin A also has
    assert [name_of(font, ch) for ch in "\U0002A700\U0002B740\U0002B820\U0002CEB0"] == [HANAMIN_B] * 4
    assert [name_of(font, ch) for ch in "\u4DBF\U00030000\U00031350"] == [BABELSTONE] * 3


def test_private_use_and_unencoded_characters_have_no_font(font):
    assert font.font_for("\uE000") is None, "BabelStone's glyph at U+E000 is not the township's character"
    assert font.font_for("\U000F0000") is None
    assert font.font_for("\U0002EBF0") is None  # Extension I: in no Debian font yet


def test_a_configured_font_may_draw_private_use_characters(font):
    own = FallbackFont(font.body, [(BABELSTONE, 0, True)])
    assert own.font_for("\uE000") is own.fallbacks[0]


def test_invisible_characters_stay_with_the_body_and_are_not_refused(font):
    for ch in "\x00\x01\x1b\u200b\u200d\u200e\ufeff\u00ad\ufe0f\U000E0100\u2028":
        assert font.font_for(ch) is font, hex(ord(ch))
    assert font.missing("甲\x00\u200b乙") is None


def test_runs_cut_text_by_the_font_that_draws_it(font):
    runs = font.runs("张𠀀𠮷三\U0002A700")
    assert [(name_of(font, text[0]), text) for _, text in runs] == [
        ("body", "张"), (HANAMIN_A, "𠀀𠮷"), ("body", "三"), (HANAMIN_B, "\U0002A700")]
    assert font.runs("") == []
    assert font.runs("张三") == [(font, "张三")]


def test_a_character_no_font_has_is_refused_at_drawing_and_measured_loosely(font):
    with pytest.raises(MissingGlyph) as refused:
        font.runs("张\U0002EBF0三")
    assert refused.value.char == "\U0002EBF0" and refused.value.where == ""
    assert [text for _, text in font.runs("张\U0002EBF0三", strict=False)] == ["张\U0002EBF0三"]
    assert font.missing("张\U0002EBF0三\uE000") == "\U0002EBF0"
    assert font.stringWidth("张\U0002EBF0", 10) > font.stringWidth("张", 10)


def test_widths_are_the_drawing_fonts(font):
    assert font.stringWidth("张三 R&D", 10) == font.body.stringWidth("张三 R&D", 10)
    rare = font.font_for("𠀀")
    assert font.stringWidth("张𠀀", 12) == pytest.approx(font.body.stringWidth("张", 12) + rare.stringWidth("𠀀", 12))
    assert font.stringWidth("张𠀀".encode(), 12) == font.stringWidth("张𠀀", 12)


def test_split_string_names_each_chunks_font(font):
    from reportlab.pdfbase.pdfdoc import PDFDocument
    doc = PDFDocument()
    chunks = font.splitString("张𠀀三", doc)
    assert [isinstance(subset, tuple) for subset, _ in chunks] == [False, True, False]
    names = [font.getSubsetInternalName(subset, doc) for subset, _ in chunks]
    assert names[0] == names[2] != names[1]
    with pytest.raises(MissingGlyph):
        font.splitString("\uE000", doc)


def test_the_message_names_the_character_its_code_point_and_the_field():
    exc = MissingGlyph("\U0002EBF0", "各项收入 第 3 行 摘要")
    assert str(exc).startswith("无法生成 PDF：“各项收入 第 3 行 摘要”中的字符“\U0002EBF0”（U+2EBF0）")
    assert "U+E000" in str(MissingGlyph("\uE000"))
    assert str(MissingGlyph("\uE000")).startswith("无法生成 PDF：要打印的文字中的字符")


def test_the_message_survives_reportlab_adding_its_note():
    """ReportLab re-raises some errors as type(e)(message + note) (reportlab.lib.utils.annotateException)."""
    first = MissingGlyph("\U0002EBF0", "摘要")
    again = MissingGlyph(f"{first}\nraised by class Table wrap")
    assert str(again) == str(first)


@dataclass
class Print:
    village: str
    lines: list
    note: str = ""


LABELS = {"village": "核算单位", "lines": ("分录", ("摘要", "会计科目"))}


def test_check_fields_names_the_field_and_the_row():
    check_fields(Print("东风村", [("收款", "101 现金")], note="\uE000"), LABELS)  # note is not labelled
    with pytest.raises(MissingGlyph) as refused:
        check_fields(Print("东风村", [("收款", "101 现金"), ("付\U0002EBF0", "102")]), LABELS)
    assert refused.value.where == "分录 第 2 行 摘要"
    with pytest.raises(MissingGlyph) as refused:
        check_fields({"income": {"items": [{"summary": "收款"}, {"summary": "x\uE000"}]}},
                     {"income": ("各项收入", {"items": ("", {"summary": "摘要"})})})
    assert refused.value.where == "各项收入 第 2 行 摘要"
    with pytest.raises(MissingGlyph) as refused:
        check_fields({"party": [("名称", "张\uE000")]}, {"party": "承包方"})
    assert refused.value.where == "承包方 第 1 行"
    check_text("", "空")
    check_text(None, "空")


def test_configured_fallback_fonts_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv(pdf.FALLBACK_ENV, "/srv/fonts/zaozi.ttf: /srv/fonts/more.ttc#2::")
    assert pdf._configured(pdf.FALLBACK_ENV) == [("/srv/fonts/zaozi.ttf", 0), ("/srv/fonts/more.ttc", 2)]
    monkeypatch.delenv(pdf.FALLBACK_ENV)
    assert pdf._configured(pdf.FALLBACK_ENV) == []


def test_fonts_that_cannot_be_embedded_are_passed_over(font, tmp_path):
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"not a font")
    otf = "/usr/share/fonts/opentype/unifont/unifont_upper.otf"  # CFF outlines, when installed
    chain = FallbackFont(font.body, [(str(tmp_path / "absent.ttf"), 0, True), (str(broken), 0, True),
                                     (otf, 0, True), (HANAMIN_B, 0, False)])
    assert chain.font_for("\U0002A700") is chain.fallbacks[0] and len(chain.fallbacks) == 1


def test_to_unicode_maps_are_readable_beyond_the_bmp(font):
    import reportlab.pdfbase.ttfonts as ttfonts
    assert ttfonts.makeToUnicodeCMap is pdf._to_unicode_cmap  # installed with the font
    cmap = pdf._to_unicode_cmap("F1+0", [0, 0x5F20, 0x20000])
    assert "<01> <5F20>" in cmap and "<02> <D840DC00>" in cmap


def test_the_bmp_is_written_as_reportlab_writes_it():
    """ReportLab 4/5's makeToUnicodeCMap output for the same subset, byte for byte."""
    expected = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
                "<< /Registry (F1+0)", "/Ordering (F1+0)", "/Supplement 0", ">> def", "/CMapName /F1+0 def",
                "/CMapType 2 def", "1 begincodespacerange", "<00> <02>", "endcodespacerange", "3 beginbfchar",
                "<00> <0000>", "<01> <0041>", "<02> <5F20>", "endbfchar", "endcmap",
                "CMapName currentdict /CMap defineresource pop", "end", "end"]
    assert pdf._to_unicode_cmap("F1+0", [0, 0x41, 0x5F20]) == "\n".join(expected)


@pytest.mark.parametrize("block,first,last", WHOLE, ids=[b[0] for b in WHOLE])
def test_the_installed_fonts_draw_every_character_of_the_block(font, block, first, last):
    """Unicode 15 blocks as Python's Unicode 14 database knows them; Extensions G and H are covered in part
    (docs/dependencies.md), I not at all."""
    lost = [f"U+{c:04X}" for c in range(first, last + 1)
            if unicodedata.category(chr(c)) != "Cn" and font.font_for(chr(c)) is None]
    assert not lost, f"{block}: {len(lost)} characters no font draws, e.g. {lost[:5]}"


def test_rare_characters_read_back_from_a_plain_canvas(font):
    """Page furniture draws with canvas.drawString: the rare characters are drawn and read back."""
    from pypdf import PdfReader
    from reportlab.pdfgen.canvas import Canvas
    buf = io.BytesIO()
    c = Canvas(buf)
    c.setFont(font.fontName, 12)
    c.drawString(10, 10, "页眉：𠮷䶮\U0002A700龑\U00030000")
    c.drawRightString(500, 10, "𨚕\uF900")
    c.save()
    text = PdfReader(io.BytesIO(buf.getvalue())).pages[0].extract_text()
    assert "页眉：𠮷䶮\U0002A700龑\U00030000" in text and "𨚕\uF900" in text


def test_a_refusal_can_name_the_place_it_happened_in():
    exc = MissingGlyph("\uE000", "各项支出 第 1 行 摘要").within("甲一村")
    assert (exc.char, exc.where) == ("\uE000", "甲一村 各项支出 第 1 行 摘要")
    assert MissingGlyph("\uE000").within("甲一村").where == "甲一村"
