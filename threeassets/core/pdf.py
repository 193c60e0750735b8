"""PDF plumbing: find and register an embeddable CJK TrueType font once; shared page furniture."""
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
