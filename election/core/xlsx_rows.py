"""A sheet's rows, streamed from its XML under the caps of ``SheetLimits`` (``election.core.xlsx``).

openpyxl's own read-only rows trust the sheet: every row is padded to the declared ``<dimension>`` (A1:XFD1048576 makes
each row 16,384 cells) and every cell of a row is built before any is dropped. ``sheet_rows`` walks the sheet's XML
itself, removing each element once read, builds only the first ``max_columns`` cells of a row (through openpyxl's own
cell parser, so values, dates and shared strings read exactly as before) and stops at the row cap.
"""
from __future__ import annotations

import re
from xml.etree import ElementTree

from election.core.xlsx import (
    CORRUPT,
    DEFAULT_LIMITS,
    HEADER_SEARCH_ROWS,
    UNREADABLE,
    RejectKind,
    SheetLimits,
    reject,
)

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_ROW = f"{{{_NS_MAIN}}}row"
_CELL = f"{{{_NS_MAIN}}}c"
_VALUE_TAGS = (f"{{{_NS_MAIN}}}v", f"{{{_NS_MAIN}}}is", f"{{{_NS_MAIN}}}f")
_COORD = re.compile(r"([A-Za-z]{1,3})(\d+)$")
MAX_CELL_PARTS = 5000  # XML elements inside one cell (rich-text runs); a real cell has a handful


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _has_value(cell) -> bool:
    return any((part.tag in _VALUE_TAGS) and (part.tag != _VALUE_TAGS[0] or (part.text or "").strip())
               for part in cell.iter() if part is not cell)


def sheet_rows(ws, limits: SheetLimits = DEFAULT_LIMITS, *, cells: bool = False):
    """The rows of WS (a read-only worksheet of ``open_workbook``), streamed from its XML: row 1, 2, … (a missing row
    comes as ``()``), each a tuple of values (``cells=True``: openpyxl read-only cells, for their number format) as
    wide as its last value, never wider than ``limits.max_columns``. The declared dimension is ignored; empty and
    styled-but-empty cells are skipped as they stream by; one cell at a time is held. Raises ``SheetRejected`` for a
    value right of the column cap, for rows with values past the row cap (``max_rows`` + the header slack, or a
    row number past twice that) and for a cell of absurd size."""
    try:
        yield from _sheet_rows(ws, limits, cells)
    except UNREADABLE:
        raise reject(RejectKind.corrupt, CORRUPT) from None


def _sheet_rows(ws, limits: SheetLimits, cells: bool):
    from openpyxl.cell.read_only import EMPTY_CELL, ReadOnlyCell
    from openpyxl.worksheet._reader import WorkSheetParser

    wb = ws.parent
    parser = WorkSheetParser(None, ws._shared_strings, data_only=True, epoch=wb.epoch,
                             date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
    max_cols, max_count = limits.max_columns, limits.max_rows + HEADER_SEARCH_ROWS
    max_number = 2 * max_count
    filler = EMPTY_CELL if cells else None
    stack: list = []
    row_no = col = count = parts = 0
    next_row, in_cell = 1, False
    found: dict[int, dict] = {}
    with wb._archive.open(ws._worksheet_path) as source:
        for event, el in ElementTree.iterparse(source, events=("start", "end")):
            if event == "start":
                stack.append(el)
                if el.tag == _CELL:
                    in_cell, parts = True, 0
                elif in_cell:
                    parts += 1
                    if parts > MAX_CELL_PARTS:
                        raise reject(RejectKind.zip_bomb, f"工作表“{ws.title}”第{row_no}行有一个单元格的内容异常庞大，"
                                     "系统拒绝读取。请检查该行后再上传")
                elif el.tag == _ROW:
                    row_no = _row_number(el.get("r"), row_no)
                    col, found = 0, {}
                continue
            stack.pop()
            if el.tag == _CELL:
                in_cell = False
                col = _cell_column(el, col, ws.title, row_no, max_cols)
                if col <= max_cols:
                    parser.row_counter, parser.col_counter = row_no, col - 1
                    cell = parser.parse_cell(el)
                    cell["row"], cell["column"] = row_no, col
                    if cell["value"] is not None:
                        found[col] = cell
            elif in_cell:
                continue  # part of the cell being read: kept until the cell ends
            elif el.tag == _ROW and found and row_no >= next_row:
                count += 1
                if count > max_count or row_no > max_number:
                    raise reject(RejectKind.too_many_rows, f"工作表“{ws.title}”第{row_no}行仍有内容，超出了"
                                 f"{limits.max_rows}行的上限。{limits.too_many_rows_hint}；如有大量带格式的空白行，"
                                 "请删除这些行后再上传")
                while next_row < row_no:
                    next_row += 1
                    yield ()
                values = [filler] * max(found)
                for c, cell in found.items():
                    values[c - 1] = ReadOnlyCell(ws, **cell) if cells else cell["value"]
                next_row += 1
                yield tuple(values)
            if stack:   # done with it: the tree holds no more than the cells of the chunk being read
                _drop(stack[-1], el)


def _drop(parent, el) -> None:
    """Remove EL from PARENT. Elements end in order, so EL is the first child left (the parser may already have added
    the next ones from the same chunk)."""
    if len(parent) and parent[0] is el:
        del parent[0]
    else:
        try:
            parent.remove(el)
        except ValueError:
            pass


def _cell_column(el, previous: int, title: str, row_no: int, max_cols: int) -> int:
    """The cell's column (its reference, or the one after the previous cell); a value beyond the cap is refused."""
    from openpyxl.utils import get_column_letter

    match = _COORD.match(el.get("r") or "")
    col = _column_number(match.group(1)) if match else previous + 1
    if col > max_cols and _has_value(el):
        raise reject(RejectKind.too_many_columns, f"工作表“{title}”第{row_no}行{get_column_letter(min(col, 16384))}列"
                     f"有内容，超出了前{max_cols}列的范围。请删除表格右侧多余的列后再上传")
    return col


def _row_number(text: str | None, previous: int) -> int:
    if not text:
        return previous + 1
    try:
        number = int(text) if text.isdigit() else int(float(text))
    except ValueError:
        raise reject(RejectKind.corrupt, CORRUPT) from None
    if number < 1:
        raise reject(RejectKind.corrupt, CORRUPT)
    return number
