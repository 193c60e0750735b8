"""User text leaves the system one safe way, checked on the syntax trees of every module (issue 11, points 1, 6):

* a PDF paragraph is built by core.pdf.para (plain text, escaped) or core.pdf.markup_para with a literal template;
  no other module builds a Paragraph or another flowable that reads markup;
* every PDF text is drawn in the font core.pdf registers (issue 14, point 2: it draws rare characters with fallback
  fonts and refuses what no font has): no other module registers or makes a font, names one of ReportLab's
  built-in fonts, or makes a paragraph style without a font (ReportLab would fall back to Helvetica, which drops
  every Chinese character). tests/unit/test_hostile_pdfs.py checks the fonts of every PDF kind as drawn;
* a CSV is written by core.csvio (csv_text), an XLSX by core.xlsx: no other module makes a csv writer, joins CSV
  lines by hand or writes a workbook, so every cell passes the formula guard.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "threeassets"
MODULES = sorted(ROOT.rglob("*.py"))
# ReportLab flowables whose text is read as markup (Doc* evaluate Python besides)
MARKUP_FLOWABLES = {"Paragraph", "XPreformatted", "PythonPreformatted", "ParagraphAndImage", "DocPara", "DocExec",
                    "DocEval", "DocAssign", "DocIf", "DocWhile", "TableOfContents", "SimpleIndex"}
PDF_HELPERS = "core/pdf.py"
# Ways to a font other than core.pdf's: making or registering one, or naming a built-in one (the 14 standard PDF
# fonts and ReportLab's CID fonts), which draw no Chinese, let alone a rare character.
FONT_MAKERS = {"TTFont", "TTFontFace", "UnicodeCIDFont", "CIDFont", "EmbeddedType1Face", "registerFont",
               "registerFontFamily", "registerTypeFace"}
BUILT_IN_FONTS = {"Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica", "Helvetica-Bold",
                  "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman", "Times-Bold", "Times-Italic",
                  "Times-BoldItalic", "Symbol", "ZapfDingbats", "STSong-Light", "MSung-Light", "HeiseiMin-W3",
                  "HeiseiKakuGo-W5", "HYSMyeongJo-Medium", "HYGothic-Medium"}
CSV_WRITER = "core/csvio.py"
XLSX_WRITER = "core/xlsx.py"
# Joins by "," that are no export: SQL placeholders; the switch-over's canonical trial balance, carried in a form
# from the preview to the confirmation and read back by the importer (a guard there would change the data).
NOT_EXPORTS = {"ledger/importer/write.py", "switchover/rules.py"}


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _called_name(call: ast.Call) -> str:
    """The name a call ends in: Paragraph for Paragraph(...) and platypus.Paragraph(...)."""
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def markup_uses(tree: ast.AST) -> list[tuple[int, str]]:
    """Imports and calls of markup-reading flowables, and markup_para calls whose template is not a literal."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("reportlab"):
            found += [(node.lineno, f"imports {a.name}") for a in node.names if a.name in MARKUP_FLOWABLES]
        elif isinstance(node, ast.Call):
            name = _called_name(node)
            if name in MARKUP_FLOWABLES:
                found.append((node.lineno, f"calls {name}"))
            elif name == "markup_para" and not (node.args and isinstance(node.args[0], ast.Constant)
                                                 and isinstance(node.args[0].value, str)):
                found.append((node.lineno, "markup_para with a template that is not a string literal"))
    return found


def font_uses(tree: ast.AST) -> list[tuple[int, str]]:
    """Fonts made, registered or named outside core.pdf, and paragraph styles without a font."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("reportlab"):
            found += [(node.lineno, f"imports {a.name}") for a in node.names if a.name in FONT_MAKERS]
        elif isinstance(node, ast.Call) and _called_name(node) in FONT_MAKERS:
            found.append((node.lineno, f"calls {_called_name(node)}"))
        elif isinstance(node, ast.Call) and _called_name(node) in ("ParagraphStyle", "getSampleStyleSheet"):
            if not {k.arg for k in node.keywords} & {"fontName", "parent"}:
                found.append((node.lineno, f"{_called_name(node)} without fontName (Helvetica)"))
        elif isinstance(node, ast.Constant) and node.value in BUILT_IN_FONTS:
            found.append((node.lineno, f"names the built-in font {node.value}"))
    return found


def export_writes(tree: ast.AST, *, csv_ok: bool, xlsx_ok: bool) -> list[tuple[int, str]]:
    """csv writers, CSV lines joined by hand, workbooks made or written outside the two writer modules."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and not csv_ok and node.module == "csv":
            found += [(node.lineno, f"imports csv.{a.name}") for a in node.names if a.name in ("writer", "DictWriter")]
        elif isinstance(node, ast.ImportFrom) and not xlsx_ok and (node.module or "").startswith("openpyxl"):
            found += [(node.lineno, f"imports {node.module}.{a.name}") for a in node.names
                      if a.name in ("Workbook", "Worksheet", "Cell", "WriteOnlyCell")]
        elif isinstance(node, ast.Import) and not xlsx_ok:
            found += [(node.lineno, "imports openpyxl") for a in node.names if a.name == "openpyxl"]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            f = node.func
            owner = ast.unparse(f.value)
            if not csv_ok and owner == "csv" and f.attr in ("writer", "DictWriter"):
                found.append((node.lineno, f"calls csv.{f.attr}"))
            if not csv_ok and f.attr == "join" and isinstance(f.value, ast.Constant) and f.value.value == ",":
                found.append((node.lineno, "joins CSV fields by hand"))
        elif isinstance(node, ast.Assign) and not xlsx_ok:
            found += [(node.lineno, f"assigns {ast.unparse(t)}") for t in node.targets
                      if isinstance(t, ast.Attribute) and t.attr == "value"]
    return found


@pytest.mark.parametrize("path", MODULES, ids=[_rel(p) for p in MODULES])
def test_paragraphs_come_from_the_safe_helper(path):
    if _rel(path) == PDF_HELPERS:
        return
    wrong = markup_uses(_tree(path))
    assert not wrong, [f"{_rel(path)}:{line} {what} — use core.pdf.para" for line, what in wrong]


def test_the_helper_module_builds_paragraphs_only_in_para_and_markup_para():
    tree = _tree(ROOT / PDF_HELPERS)
    owners = {fn.name for fn in ast.walk(tree) if isinstance(fn, ast.FunctionDef)
              for call in ast.walk(fn) if isinstance(call, ast.Call) and _called_name(call) in MARKUP_FLOWABLES}
    assert owners == {"para", "markup_para"}


@pytest.mark.parametrize("path", MODULES, ids=[_rel(p) for p in MODULES])
def test_text_is_drawn_in_the_registered_font(path):
    if _rel(path) == PDF_HELPERS:
        return
    wrong = font_uses(_tree(path))
    assert not wrong, [f"{_rel(path)}:{line} {what} — draw with core.pdf.cjk_font()" for line, what in wrong]


@pytest.mark.parametrize("path", MODULES, ids=[_rel(p) for p in MODULES])
def test_exports_are_written_by_the_guarded_writers(path):
    rel = _rel(path)
    wrong = export_writes(_tree(path), csv_ok=rel in (CSV_WRITER, *NOT_EXPORTS), xlsx_ok=rel == XLSX_WRITER)
    assert not wrong, [f"{rel}:{line} {what} — use core.csvio.csv_text / core.xlsx" for line, what in wrong]


@pytest.mark.parametrize("source,rule", [
    ("from reportlab.platypus import Paragraph\nParagraph(name, style)", markup_uses),
    ("import reportlab.platypus as p\np.XPreformatted(name, style)", markup_uses),
    ("markup_para(f'<u>{name}</u>', style)", markup_uses),
    ("from reportlab.pdfbase.ttfonts import TTFont", font_uses),
    ("pdfmetrics.registerFont(font)", font_uses),
    ("canvas.setFont('Helvetica', 9)", font_uses),
    ("Table(rows).setStyle([('FONT', (0, 0), (-1, -1), 'STSong-Light', 9)])", font_uses),
    ("ParagraphStyle('cell', fontSize=9)", font_uses),
    ("import csv\ncsv.writer(buf)", lambda t: export_writes(t, csv_ok=False, xlsx_ok=False)),
    ("body = ','.join(columns)", lambda t: export_writes(t, csv_ok=False, xlsx_ok=False)),
    ("from openpyxl import Workbook", lambda t: export_writes(t, csv_ok=False, xlsx_ok=False)),
    ("ws.cell(1, 1).value = name", lambda t: export_writes(t, csv_ok=False, xlsx_ok=False)),
])
def test_the_checks_see_each_way_around_the_helpers(source, rule):
    assert rule(ast.parse(source))
