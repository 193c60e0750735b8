"""PDF plumbing: the one font every PDF draws with, shared page furniture, and the one safe way text becomes a
paragraph (para, markup_para).

The font (FallbackFont, registered once by cjk_font()) is the body CJK TrueType font that draws each character
it lacks with the first fallback TrueType font that has it — rare characters (生僻字) of CJK Extension A to H,
compatibility ideographs, symbols — and refuses a character no installed font has (MissingGlyph) instead of
printing a hole. Paragraphs, table cells, page headers and footers and chart labels all draw through it, so the
rule holds wherever text is drawn. Before layout, each renderer checks its data with check_fields, so the
refusal names the character and the field it is in (docs/security.md, PDFs and exports).
"""
from __future__ import annotations

import logging
import os
import threading
import unicodedata
from functools import lru_cache

from threeassets.core.errors import RuleError

log = logging.getLogger(__name__)

# TrueType-outline CJK fonts that ReportLab can embed (TTC files need a subfont index).
FONT_CANDIDATES = [
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
]
# The fonts that draw what the body font lacks, in the order they are asked (docs/dependencies.md has their
# coverage): HanaMin A (fonts-hanazono: the common block's and compatibility ideographs the body lacks),
# HanaMin B (Extensions B to F), BabelStone Han (fonts-babelstone-han: Extension A's last ten, most of G and
# H), DejaVu Sans (fonts-dejavu-core: Latin, Greek, Cyrillic, symbols) and Symbola (fonts-symbola: emoji and
# other symbols). Each is loaded on the first character the ones before it lack, so an ordinary document
# loads none. ReportLab embeds TrueType outlines only: CFF/OpenType fonts such as Noto CJK cannot serve.
FALLBACK_CANDIDATES = [
    ("/usr/share/fonts/truetype/hanazono/HanaMinA.ttf", 0),
    ("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf", 0),
    ("/usr/share/fonts/truetype/babelstone/BabelStoneHan.ttf", 0),
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0),
    ("/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf", 0),
]
FONT_ENV = "THREEASSETS_CJK_FONT"
FALLBACK_ENV = "THREEASSETS_CJK_FALLBACK_FONTS"  # more fallback fonts, asked first: paths joined by ":"
FONT_NAME = "TA-CJK"
FALLBACK = "STSong-Light"
# Table(splitInRow=SPLIT_TALL_ROWS): a row taller than what is left of the page (a 10,000-character reason)
# continues on the next page instead of failing the document; ReportLab still breaks between rows when it can.
SPLIT_TALL_ROWS = 1
WIDTHS_KEPT = 50_000  # string widths the font remembers (a few MB) before it starts again


class MissingGlyph(RuleError):
    """A character no installed font can draw: the document is refused rather than printed with a hole. where
    names the field (its Chinese label, e.g. 各项收入 第 3 行 摘要) when the renderer's check found it."""

    def __init__(self, char: str, where: str = ""):
        if len(char) != 1:  # ReportLab re-raising it with a note of its own (reportlab.lib.utils.annotateException)
            self.char, self.where = "", where
            super().__init__(char.split("\n", 1)[0])
            return
        self.char, self.where = char, where
        place = f"“{where}”中" if where else "要打印的文字中"
        super().__init__(f"无法生成 PDF：{place}的字符“{char}”（U+{ord(char):04X}）在服务器已安装的字体中都没有，"
                         "打印出来会缺字。请修改这处文字，或请系统管理员加装含有此字的字体后重试。")

    def within(self, place: str) -> MissingGlyph:
        """The same refusal with the place it happened in before the field (a village of a township's run)."""
        return MissingGlyph(self.char, f"{place} {self.where}".strip()) if self.char else self


def invisible(ch: str) -> bool:
    """Whether ch draws nothing by definition: a control (NUL, ESC…; newline and tab are laid out before they
    reach a font), a format character (zero-width space and joiner, direction marks, soft hyphen, BOM), a line
    or paragraph separator, a variation selector. These are not rare characters: none is refused, and each
    prints as it always has — the body font's empty glyph, nothing on paper."""
    code = ord(ch)
    return (unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") or 0xFE00 <= code <= 0xFE0F
            or 0xE0100 <= code <= 0xE01EF or 0x180B <= code <= 0x180F)


def private_use(code: int) -> bool:
    """Whether a code point is for private use (a township's own 造字 font): its glyph in any other font is some
    other character, so only a font the operator configures may draw it."""
    return 0xE000 <= code <= 0xF8FF or code >= 0xF0000


def _as_text(text, encoding: str = "utf-8") -> str:
    """ReportLab hands fonts str, or UTF-8 bytes from older callers."""
    return text.decode(encoding) if isinstance(text, bytes) else text


class FallbackFont:
    """The font every PDF draws with: the body TrueType font, and for each character it lacks the first fallback
    TrueType font that has it; a character that no font has raises MissingGlyph when it is drawn.

    It speaks ReportLab's dynamic-font protocol (reportlab.pdfbase.ttfonts): stringWidth measures, splitString
    cuts text into (subset, bytes) chunks and getSubsetInternalName names each chunk's PDF font. The body's
    chunks keep its subset numbers; a fallback font's are (its index, its subset). ReportLab's text output
    switches font between chunks on the same baseline at the same size, and each font embeds only the glyphs
    drawn. Text the body covers whole (nearly all) takes the body's own path, unchanged and as fast."""

    _dynamicFont = 1
    _multiByte = 1
    shapable = False

    def __init__(self, body, fallbacks: list[tuple[str, int, bool]], *, body_private: bool = False):
        self.body, self.fontName, self.face, self.encoding = body, body.fontName, body.face, body.encoding
        self._covered = frozenset(chr(code) for code, glyph in body.face.charToGlyph.items()
                                  if glyph and (body_private or not private_use(code)))
        self._pending = list(fallbacks)  # (path, subfont index, may draw private-use characters), in order
        self.fallbacks: list = []  # the TTFonts loaded so far, in order
        self._private: list[bool] = []  # whether each may draw private-use characters
        self._choice: dict[str, object] = {}  # character → the font that draws it (self for the body), or None
        self._widths: dict[tuple, float] = {}  # (text, size) → width in points, WIDTHS_KEPT at most
        self._lock = threading.Lock()

    def __getattr__(self, name: str):
        """Whatever else ReportLab asks of a TrueType font is the body's."""
        if name == "body":
            raise AttributeError(name)
        return getattr(self.body, name)

    def font_for(self, ch: str):
        """The font that draws ch: self for the body font (and for invisible characters), a fallback TTFont, or
        None when no installed font has it."""
        try:
            return self._choice[ch]
        except KeyError:
            with self._lock:
                font = self._choice[ch] = self._choose(ch)
            return font

    def _choose(self, ch: str):
        if ch in self._covered or invisible(ch):
            return self
        code, n = ord(ch), 0
        while n < len(self.fallbacks) or self._load_next():
            if self.fallbacks[n].face.charToGlyph.get(code) and (self._private[n] or not private_use(code)):
                return self.fallbacks[n]
            n += 1
        return None

    def _load_next(self) -> bool:
        """Load the next fallback font that can be embedded; False when none is left."""
        while self._pending:
            path, index, private = self._pending.pop(0)
            font = _load_ttf(f"{self.fontName}-{len(self.fallbacks) + 1}", path, index)
            if font is not None:
                self.fallbacks.append(font)
                self._private.append(private)
                return True
        return False

    def missing(self, text: str) -> str | None:
        """The first character of text that no installed font draws, or None."""
        if self._covered.issuperset(text):
            return None
        return next((ch for ch in text if self.font_for(ch) is None), None)

    def runs(self, text: str, *, strict: bool = True) -> list[tuple[object, str]]:
        """text cut into (font, run) pieces, each drawn by one font (self for the body). A character no font
        has raises MissingGlyph when strict, else stays with the body (measured as its missing glyph)."""
        out: list[tuple[object, str]] = []
        font, start = None, 0
        for i, ch in enumerate(text):
            f = self.font_for(ch)
            if f is None:
                if strict:
                    raise MissingGlyph(ch)
                f = self
            if f is not font:
                if i > start:
                    out.append((font, text[start:i]))
                font, start = f, i
        if text:
            out.append((font, text[start:]))
        return out

    def stringWidth(self, text, size, encoding="utf8"):  # noqa: N802 - ReportLab's name
        """Width of text in points at size, each run measured in the font that draws it. Remembered: layout asks
        for the same words and cells again and again (a quarter's notice some 9,000 times), and the answer from
        the dict costs less than measuring, so the check for fallbacks costs ordinary documents nothing."""
        key = (text, size)
        width = self._widths.get(key)
        if width is None:
            if len(self._widths) >= WIDTHS_KEPT:
                self._widths.clear()
            width = self._widths[key] = self._measure(_as_text(text, encoding), size)
        return width

    def _measure(self, text: str, size) -> float:
        if self._covered.issuperset(text):
            return self.body.stringWidth(text, size)
        return sum((self.body if f is self else f).stringWidth(run, size) for f, run in self.runs(text, strict=False))

    def splitString(self, text, doc, encoding="utf-8"):  # noqa: N802 - ReportLab's name
        """(subset, bytes) chunks of text for doc; MissingGlyph for a character no installed font has."""
        text = _as_text(text, encoding)
        if self._covered.issuperset(text):
            return self.body.splitString(text, doc, encoding)
        out = []
        for font, run in self.runs(text):
            if font is self:
                out += self.body.splitString(run, doc, encoding)
            else:
                n = self.fallbacks.index(font)
                out += [((n, subset), chunk) for subset, chunk in font.splitString(run, doc, encoding)]
        return out

    def getSubsetInternalName(self, subset, doc):  # noqa: N802 - ReportLab's name
        """The PDF name of a chunk's font: the body's subset, or a fallback font's (index, subset)."""
        if isinstance(subset, tuple):
            n, own = subset
            return self.fallbacks[n].getSubsetInternalName(own, doc)
        return self.body.getSubsetInternalName(subset, doc)


def _load_ttf(name: str, path: str, index: int):
    """A TrueType font ReportLab can embed, or None (missing file, CFF/OTF outlines, broken file)."""
    from reportlab.pdfbase.ttfonts import TTFont
    if not path or not os.path.exists(path):
        return None
    try:
        return TTFont(name, path, subfontIndex=index)
    except Exception as exc:  # a CFF/OTF font or a broken file: the caller tries the next one
        log.warning("cannot embed font %s: %s", path, exc)
        return None


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap of a font subset (reportlab.pdfbase.ttfonts.makeToUnicodeCMap), with each
    character as UTF-16BE: for characters beyond the BMP (Extension B and up) a surrogate pair where ReportLab
    writes <20000>, which no reader decodes (copying, searching and text extraction lost them). BMP characters
    are written exactly as ReportLab writes them."""
    head = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
            f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
            f"/CMapName /{fontname} def", "/CMapType 2 def", "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange", f"{len(subset)} beginbfchar"]
    chars = [f"<{i:02X}> <{chr(code).encode('utf-16-be', 'surrogatepass').hex().upper()}>"
             for i, code in enumerate(subset)]
    return "\n".join(head + chars + ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop",
                                     "end", "end"])


def _configured(env: str) -> list[tuple[str, int]]:
    """Font files named in an environment variable: paths joined by ":", each optionally path#subfont-index (a
    TrueType collection's font)."""
    out = []
    for item in os.environ.get(env, "").split(os.pathsep):
        path, _, index = item.strip().partition("#")
        if path:
            out.append((path, int(index) if index.isdigit() else 0))
    return out


_REGISTER = threading.Lock()
_REGISTERED: list = []  # the font every PDF draws with, once registered (or None)


def pdf_font() -> FallbackFont | None:
    """The font every PDF draws with, registered on first use (_register); None when no TrueType CJK font is
    installed (cjk_font then uses ReportLab's STSong-Light, not embedded, and no character is checked)."""
    if not _REGISTERED:
        with _REGISTER:
            if not _REGISTERED:
                _REGISTERED.append(_register())
    return _REGISTERED[0]


def _register() -> FallbackFont | None:
    """Register the body font (THREEASSETS_CJK_FONT or a Debian default) with its fallbacks (those of
    THREEASSETS_CJK_FALLBACK_FONTS, then FALLBACK_CANDIDATES)."""
    from reportlab.pdfbase import pdfmetrics, ttfonts

    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    configured = [(os.environ[FONT_ENV], 0)] if os.environ.get(FONT_ENV) else []
    for path, index in configured + FONT_CANDIDATES:
        body = _load_ttf(FONT_NAME, path, index)
        if body is not None:
            break
    else:
        return None
    absent = [path for path, _ in FALLBACK_CANDIDATES if not os.path.exists(path)]
    if absent:
        log.warning("PDF fallback fonts not installed: %s; rare characters only they have are refused "
                    "(scripts/setup installs them)", ", ".join(absent))
    fallbacks = [(p, i, True) for p, i in _configured(FALLBACK_ENV)] + [(p, i, False) for p, i in FALLBACK_CANDIDATES]
    font = FallbackFont(body, fallbacks, body_private=bool(configured) and path == configured[0][0])
    pdfmetrics.registerFont(font)
    return font


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """The name of the font every PDF draws with (pdf_font); without any TrueType CJK font, ReportLab's built-in
    STSong-Light (not embedded) with a warning."""
    font = pdf_font()
    if font is not None:
        return font.fontName
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    log.warning("no embeddable CJK TrueType font found; using %s (not embedded, rare characters unchecked). "
                "Install fonts-wqy-zenhei or set THREEASSETS_CJK_FONT.", FALLBACK)
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK))
    return FALLBACK


def check_text(text, where: str = "") -> None:
    """Refuse (MissingGlyph naming where) text holding a character no installed font draws."""
    font = pdf_font()
    if font is not None and text:
        ch = font.missing(str(text))
        if ch is not None:
            raise MissingGlyph(ch, where)


# A field's label: its Chinese name, or (name, labels of what it holds): a dict for records (dataclasses, dicts),
# a tuple for tuples (by position; None skips one). Rows of a list are numbered: 各项收入 第 3 行 摘要.
Label = str | tuple


def check_fields(data, labels: dict, where: tuple[str, ...] = ()) -> None:
    """Before layout: refuse (MissingGlyph) the first character of a print's text that no installed font draws,
    naming the field by its label. data is a dataclass or a dict; labels maps its fields to their Label. A field
    without a label is not checked here; the font still refuses its characters when drawing, unnamed."""
    names = data if isinstance(data, dict) else getattr(data, "__dataclass_fields__", {})
    fields = data if isinstance(data, dict) else {name: getattr(data, name) for name in names}
    for name, label in labels.items():
        if name in fields:
            _check_labelled(fields[name], label, where)


def _check_labelled(value, label: Label, where: tuple[str, ...]) -> None:
    title, inner = label if isinstance(label, tuple) else (label, None)
    _check_value(value, inner, where + ((title,) if title else ()))


def _check_value(value, inner, where: tuple[str, ...]) -> None:
    """Check a value's text: a string, the rows of a list, a tuple's items, a record's labelled fields."""
    if isinstance(value, str):
        check_text(value, " ".join(where))
    elif isinstance(value, list):
        for n, item in enumerate(value, start=1):
            _check_value(item, inner, where + (f"第 {n} 行",))
    elif isinstance(value, tuple):
        labels = inner if isinstance(inner, tuple) else ("",) * len(value)
        for item, label in zip(value, labels, strict=False):
            if label is not None:
                _check_labelled(item, label, where)
    elif isinstance(inner, dict):
        check_fields(value, inner, where)
    elif isinstance(value, dict):
        for item in value.values():
            _check_value(item, None, where)


def numbered_canvas(decorate):
    """A ReportLab canvasmaker that knows the page count: decorate(canvas, page, total) runs on every page
    just before it is written (for 第 N / M 页 and running headers)."""
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        """Keeps each page's state until save(), when the total is known."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict] = []

        def showPage(self):  # noqa: N802 - ReportLab's name
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._saved_pages)
            for state in self._saved_pages:
                self.__dict__.update(state)
                decorate(self, self._pageNumber, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def _plain(text) -> str:
    """Text made safe for ReportLab's paragraph markup: &, < and > escaped, line breaks kept as <br/>."""
    from xml.sax.saxutils import escape
    return escape("" if text is None else str(text)).replace("\n", "<br/>")


def cjk_style(name: str, font: str, size: float, leading: float, **kw):
    """A paragraph style in the CJK font that breaks lines between any two Chinese characters."""
    from reportlab.lib.styles import ParagraphStyle
    return ParagraphStyle(name, fontName=font, wordWrap="CJK", fontSize=size, leading=leading, **kw)


def para(text, style):
    """The one way text becomes a paragraph: all of it is plain text, never markup.

    ReportLab reads a paragraph's text as XML-like markup: unescaped, a summary holding <img src="…"/> makes the
    server read a file, <b> without </b> fails the whole document, and R&D prints wrongly. Every module builds
    its paragraphs here (tests/unit/test_output_boundaries.py keeps it so)."""
    from reportlab.platypus import Paragraph
    return Paragraph(_plain(text), style)


def markup_para(template: str, style, **values):
    """A paragraph whose markup is the literal template (e.g. 时限为<u>{days}个工作日</u>) and whose {fields}
    are plain text, each escaped. The template is always a literal in the code (a test checks it), so no
    stored or typed text can become markup."""
    from reportlab.platypus import Paragraph
    return Paragraph(template.format(**{k: _plain(v) for k, v in values.items()}), style)
