"""The one way an export writes a row of an .xlsx: user text stays text, never a formula.

A unit can type ``=HYPERLINK("http://…?"&B4,"点击查看详情")`` into a name or a 工作单位及职务; openpyxl stores any string
that begins with "=" as a live formula, and Excel turns text beginning with "+", "-", "@", a tab or a carriage return
into one as soon as a clerk edits the cell. So every string is written as a string cell (data type "s", whatever it
begins with, the text kept exactly) and a risky one also gets Excel's quote prefix (the cell shows the text as typed
and stays text when edited). This follows OWASP's "CSV injection" rule for spreadsheets. Numbers, dates and empty
cells are written as they are. Works for normal and write-only worksheets alike.
"""
from __future__ import annotations

from collections.abc import Iterable

from openpyxl.cell.cell import Cell

# OWASP: a cell beginning with one of these is read as a formula by spreadsheet programs
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def text_cell(ws, value):
    """VALUE for a row of WS: a string becomes a string cell (quote-prefixed when it looks like a formula); any other
    value is returned unchanged."""
    if not isinstance(value, str):
        return value
    cell = Cell(ws, row=1, column=1)
    _store_text(cell, value)
    return cell


def _store_text(cell, value: str) -> None:
    cell._value = cell.check_string(value)   # openpyxl's own checks (control characters, length), none of its
    cell.data_type = "s"                      # guessing: "=…" would become a formula
    if looks_like_formula(value):
        cell.quotePrefix = True


def text_row(ws, values: Iterable) -> list:
    return [text_cell(ws, v) for v in values]


def append_row(ws, values: Iterable) -> None:
    """``ws.append(values)`` with every string written as text."""
    ws.append(text_row(ws, values))


def set_text(ws, row: int, column: int, value):
    """``ws.cell(row, column, value)`` with a string written as text; returns the cell."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        _store_text(cell, value)
    else:
        cell.value = value
    return cell
