"""Readers of uploaded spreadsheets: openpyxl in, checked rows + ``RowError(row, column, message)`` out.

``nominees`` reads a recommending unit's nominee list; ``template`` renders the .xlsx template it is
filled from. Both agree on the columns in ``nominees.COLUMNS``.
"""
from election.imports.nominees import (
    COLUMNS,
    DEFAULT_LIMITS,
    NomineeRow,
    ParseResult,
    RejectKind,
    RowError,
    SheetLimits,
    SheetRejected,
    check_workbook_bytes,
    nominated_elsewhere_errors,
    parse_nominee_sheet,
)
from election.imports.template import render_nominee_template

__all__ = [
    "COLUMNS", "DEFAULT_LIMITS", "NomineeRow", "ParseResult", "RejectKind", "RowError", "SheetLimits",
    "SheetRejected", "check_workbook_bytes", "nominated_elsewhere_errors", "parse_nominee_sheet",
    "render_nominee_template",
]
