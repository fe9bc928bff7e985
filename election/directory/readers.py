"""The directory sheet, read and written: one organisation per row under the header
编码 | 名称 | 类别 | 上级编码 | 基层党组织数 | 党员数 | 联系人 | 联系电话.

Reading goes through the hardened .xlsx check every upload uses (size, zip bomb, declared dimensions …), then
checks each cell and names its row and column; the tree as a whole is checked by the service. Writing puts parents
before children and siblings by 编码, every value as text or a number, never a formula (``election.core.xlsx_write``),
so what was imported exports as the same rows.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from openpyxl import Workbook

from election.core.xlsx import (
    RejectKind,
    RowError,
    SheetLimits,
    cell_text,
    check_workbook_bytes,
    find_header,
    hidden_text_errors,
    open_workbook,
    reject,
)
from election.core.xlsx_rows import sheet_rows
from election.core.xlsx_write import append_row
from workflow.directory.tree import CATEGORIES, COLUMNS, OrgRecord, TreeProblem, export_order

# a district's organisations down to its 党支部 run to a few thousand; a city's to tens of thousands
DIRECTORY_LIMITS = SheetLimits(max_bytes=10 * 1024 * 1024, max_rows=60000, max_uncompressed=200 * 1024 * 1024,
                               max_strings=500_000, too_many_rows_hint="请按上级分成几个表分批导入")


@dataclass
class DirectorySheet:
    records: list[OrgRecord] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)     # 编码 → its row in the sheet
    errors: list[RowError] = field(default_factory=list)


def _count(value, row: int, column: str, errors: list[RowError]) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        number = None
    if number is None or number < 0:
        errors.append(RowError(row, column, f"应为0或正整数，现为“{cell_text(value)}”"))
        return 0
    return number


def parse_directory_sheet(data: bytes, limits: SheetLimits = DIRECTORY_LIMITS) -> DirectorySheet:
    """Every row of the sheet with every problem of its cells; raises SheetRejected for a file that is no
    readable .xlsx or has no header row."""
    check_workbook_bytes(data, limits)
    wb = open_workbook(data)
    try:
        ws = wb.worksheets[0]
        rows = sheet_rows(ws, limits)
        header_row = find_header(rows, COLUMNS)
        if not header_row:
            raise reject(RejectKind.no_header, f"找不到表头：第一行应依次为“{' | '.join(COLUMNS)}”，"
                         "请下载系统导出的组织机构表，按其格式填写")
        sheet = DirectorySheet()
        seen: dict[str, int] = {}
        for row, cells in enumerate(rows, start=header_row + 1):
            cells = tuple(cells) + (None,) * (len(COLUMNS) - len(cells))
            if all(cell_text(c) == "" for c in cells[:len(COLUMNS)]):
                continue
            before = len(sheet.errors)
            sheet.errors.extend(hidden_text_errors(row, zip(COLUMNS, cells)))
            code, name, category, parent = (cell_text(c) for c in cells[:4])
            for column, value in (("编码", code), ("名称", name), ("类别", category)):
                if not value:
                    sheet.errors.append(RowError(row, column, f"{column}不能为空"))
            if category and category not in CATEGORIES:
                sheet.errors.append(RowError(row, "类别", f"“{category}”不是可选的类别，应为{'、'.join(CATEGORIES)}之一"))
            if code and code in seen:
                sheet.errors.append(RowError(row, "编码", f"编码“{code}”与第{seen[code]}行重复"))
            if code == parent and code:
                sheet.errors.append(RowError(row, "上级编码", "上级编码不能是本组织自己的编码"))
            orgs = _count(cells[4], row, "基层党组织数", sheet.errors)
            members = _count(cells[5], row, "党员数", sheet.errors)
            if len(sheet.errors) > before or code in seen:
                seen.setdefault(code, row)
                continue
            seen[code] = row
            sheet.rows[code] = row
            sheet.records.append(OrgRecord(code, name, category, parent or None, orgs, members,
                                           cell_text(cells[6])[:64], cell_text(cells[7])[:32]))
        return sheet
    finally:
        wb.close()


def tree_errors(problems: list[TreeProblem], rows: dict[str, int]) -> list[RowError]:
    """The tree's problems as sheet errors: the row of the organisation named, or row 0 for one already in the
    directory (the message names it)."""
    return [RowError(rows.get(p.code, 0), p.column,
                     p.message if p.code in rows else f"已有组织（编码{p.code}）：{p.message}") for p in problems]


def write_directory_sheet(records: list[OrgRecord]) -> bytes:
    """The directory as the import reads it: the header, then parents before children, siblings by 编码. Written
    row by row (openpyxl's write-only mode: time and memory grow with the rows, not their square)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("组织机构")
    for letter, width in zip("ABCDEFGH", (12, 36, 14, 12, 14, 10, 10, 16), strict=True):
        ws.column_dimensions[letter].width = width
    append_row(ws, COLUMNS)
    for r in export_order(records):
        append_row(ws, r.values())
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

