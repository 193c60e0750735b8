"""The formula guard of every export cell (core.csvio.csv_cell, core.xlsx): text that a spreadsheet would run is
written as text, numbers stay numbers, and nothing a user typed fails an export."""
from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from threeassets.core.csvio import csv_cell, csv_text, formula_like
from threeassets.core.xlsx import Sheet, workbook

FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1", "=", "-", "-12.50 元"]
PLAIN = ["", "R&D", "张三", "1-2", "a=b", "-12.50", "-3", "12.50", "（=1）", " =1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_text_gets_an_apostrophe_in_csv(text):
    assert formula_like(text) and csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", PLAIN)
def test_other_text_and_plain_numbers_are_written_as_they_are(text):
    assert not formula_like(text) and csv_cell(text) == text


def test_csv_cells_of_other_types():
    assert [csv_cell(v) for v in (None, date(2024, 5, 1), 3, Decimal("-12.50"))] == ["", "2024-05-01", "3", "-12.50"]


def test_a_carriage_return_never_ends_a_row():
    text = csv_text(["a", "b"], [["x\ry", "=z"], ["1", "2"]])
    assert list(csv.reader(io.StringIO(text, newline=""))) == [["a", "b"], ["x\ry", "'=z"], ["1", "2"]]


def test_xlsx_keeps_text_as_text_and_numbers_as_numbers():
    data = workbook(Sheet("s", [["名称", "金额"]], [[t, Decimal("-12.50")] for t in FORMULAS + ["a\x00b\x07"]],
                          [["=title"]], formats={1: "#,##0.00"}))
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A1"].value == "=title" and ws["A1"].data_type == "s" and ws["A1"].quotePrefix
    for row, text in enumerate(FORMULAS, start=3):
        name, amount = ws.cell(row, 1), ws.cell(row, 2)
        # openpyxl writes through lxml (installed with python-docx), which keeps a carriage return as &#13;
        assert (name.value, name.data_type, name.quotePrefix) == (text, "s", True)
        assert (amount.value, amount.data_type, amount.number_format) == (-12.5, "n", "#,##0.00")
    assert ws.cell(3 + len(FORMULAS), 1).value == "a\ufffdb\ufffd"  # XML cannot hold NUL: the export still works
