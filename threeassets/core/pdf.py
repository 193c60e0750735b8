"""PDF plumbing: find and register an embeddable CJK TrueType font once; shared page furniture; the one safe way
text becomes a paragraph (para, markup_para)."""
from __future__ import annotations

import logging
import os
from functools import lru_cache

log = logging.getLogger(__name__)

# TrueType-outline CJK fonts that ReportLab can embed (TTC files need a subfont index).
FONT_CANDIDATES = [
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
]
FONT_NAME = "TA-CJK"
FALLBACK = "STSong-Light"
# Table(splitInRow=SPLIT_TALL_ROWS): a row taller than what is left of the page (a 10,000-character reason)
# continues on the next page instead of failing the document; ReportLab still breaks between rows when it can.
SPLIT_TALL_ROWS = 1


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """Register the CJK font (THREEASSETS_CJK_FONT or a Debian default) and return its name.

    Falls back to ReportLab's built-in STSong-Light (not embedded) with a warning.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    configured = os.environ.get("THREEASSETS_CJK_FONT")
    candidates = [(configured, 0)] + FONT_CANDIDATES if configured else FONT_CANDIDATES
    for path, index in candidates:
        if path and os.path.exists(path):
            try:
                pdfmetrics.registerFont(TTFont(FONT_NAME, path, subfontIndex=index))
                return FONT_NAME
            except Exception as exc:  # a CFF/OTF font or a broken file: try the next one
                log.warning("cannot embed font %s: %s", path, exc)
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    log.warning("no embeddable CJK TrueType font found; using %s (not embedded). "
                "Install fonts-wqy-zenhei or set THREEASSETS_CJK_FONT.", FALLBACK)
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK))
    return FALLBACK


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
