"""The allocation sheet, written and read: one 选举单位 per row under the header
选举单位编码 | 选举单位 | 应选名额（不含上级提名） | 上级提名名额 | the common structure columns | 备注.

The structure columns are the requirements of the 工作方案 (docs/rules.md §8, §8.1), each one rule of an existing
kind (docs/quota-check.md): 领导干部不超过, 基层一线不少于, 其中先进模范人物不少于, 其中工人不少于, 专业技术人员不少于,
妇女不少于, 少数民族不少于, 50岁以下不少于 (年龄低于50). Reading goes through the hardened .xlsx check every upload
uses, then checks each cell and names its row and column; nothing is written unless every row is right.
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

ALLOCATION_LIMITS = SheetLimits(max_bytes=2 * 1024 * 1024, max_rows=2000, too_many_rows_hint="请只保留本级的选举单位")


@dataclass(frozen=True)
class StructureColumn:
    """One common structure requirement as a column: the rule's code, the column header, its condition and bound."""

    code: str
    header: str
    label: str
    where: dict
    bound: str  # "min" | "max"


# 来源: docs/rules.md §8 (工作方案的结构要求); §8.1 (列与规则种类的对应)
STRUCTURE_COLUMNS = (
    StructureColumn("leaders", "领导干部不超过", "领导干部", {"category_in": ["领导干部"]}, "max"),
    StructureColumn("frontline", "基层一线不少于", "基层一线", {"category_in": ["基层一线"]}, "min"),
    StructureColumn("models", "其中先进模范人物不少于", "先进模范人物", {"category_in": ["先进模范人物"]}, "min"),
    StructureColumn("workers", "其中工人不少于", "工人", {"category_in": ["工人"]}, "min"),
    StructureColumn("professionals", "专业技术人员不少于", "专业技术人员", {"category_in": ["专业技术人员"]}, "min"),
    StructureColumn("women", "妇女不少于", "女性", {"gender": "女"}, "min"),
    StructureColumn("minority", "少数民族不少于", "少数民族", {"ethnicity_not": "汉族"}, "min"),
    StructureColumn("under50", "50岁以下不少于", "50岁以下", {"age_below": 50}, "min"),
)
COLUMN_CODES = frozenset(c.code for c in STRUCTURE_COLUMNS)
COLUMNS = ("选举单位编码", "选举单位", "应选名额（不含上级提名）", "上级提名名额",
           *(c.header for c in STRUCTURE_COLUMNS), "备注")


def rules_from_columns(values: dict[str, int | None], keep: list[dict] | None = None) -> list[dict]:
    """The rule dicts of the filled columns (CODE → number; None or absent: no such requirement), after the rules
    of KEEP that no column stands for (a requirement of another kind, set over the API, stays as it was)."""
    rules = [dict(r) for r in keep or [] if r.get("code") not in COLUMN_CODES]
    for c in STRUCTURE_COLUMNS:
        value = values.get(c.code)
        if value is not None:
            rules.append({"code": c.code, "label": c.label, "where": dict(c.where), c.bound: value})
    return rules


def columns_from_rules(rules: list[dict]) -> dict[str, int | None]:
    """CODE → the bound of the column's rule, for the page and the template (None: not set)."""
    by_code = {r.get("code"): r for r in rules or []}
    out: dict[str, int | None] = {}
    for c in STRUCTURE_COLUMNS:
        rule = by_code.get(c.code)
        out[c.code] = rule.get(c.bound) if rule and rule.get("where") == c.where else None
    return out


def other_rules(rules: list[dict]) -> list[dict]:
    """The rules no column stands for (shown on the page as they are, kept on save)."""
    columns = columns_from_rules(rules)
    return [r for r in rules or [] if r.get("code") not in COLUMN_CODES or columns.get(r.get("code")) is None]


@dataclass(frozen=True)
class SheetRow:
    row: int
    code: str
    name: str
    seats: int
    higher_seats: int
    structure: dict[str, int | None]
    note: str


@dataclass
class AllocationSheet:
    rows: list[SheetRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _number(value, row: int, column: str, errors: list[RowError]) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    if number is None or number < 0:
        errors.append(RowError(row, column, f"应为0或正整数，现为“{cell_text(value)}”"))
        return None
    return number


def parse_allocation_sheet(data: bytes, limits: SheetLimits = ALLOCATION_LIMITS) -> AllocationSheet:
    """Every filled row with every problem of its cells; raises SheetRejected for a file that is no readable .xlsx
    or has no header row. A row whose 应选名额 is empty or 0 means no allocation for that 选举单位."""
    check_workbook_bytes(data, limits)
    wb = open_workbook(data)
    try:
        rows = sheet_rows(wb.worksheets[0], limits)
        header_row = find_header(rows, COLUMNS)
        if not header_row:
            raise reject(RejectKind.no_header, f"找不到表头：应依次为“{' | '.join(COLUMNS)}”，"
                         "请下载系统生成的名额分配模板，按其格式填写")
        sheet = AllocationSheet()
        seen: dict[str, int] = {}
        for row, cells in enumerate(rows, start=header_row + 1):
            cells = tuple(cells) + (None,) * (len(COLUMNS) - len(cells))
            if all(cell_text(c) == "" for c in cells[:len(COLUMNS)]):
                continue
            before = len(sheet.errors)
            sheet.errors.extend(hidden_text_errors(row, zip(COLUMNS, cells)))
            code, name = cell_text(cells[0]), cell_text(cells[1])
            if not code:
                sheet.errors.append(RowError(row, COLUMNS[0], "选举单位编码不能为空（请保留模板中的编码）"))
            elif code in seen:
                sheet.errors.append(RowError(row, COLUMNS[0], f"编码“{code}”与第{seen[code]}行重复"))
            seats = _number(cells[2], row, COLUMNS[2], sheet.errors) or 0
            higher = _number(cells[3], row, COLUMNS[3], sheet.errors) or 0
            structure = {c.code: _number(cells[4 + i], row, c.header, sheet.errors)
                         for i, c in enumerate(STRUCTURE_COLUMNS)}
            if not seats and (higher or any(v is not None for v in structure.values())):
                sheet.errors.append(RowError(row, COLUMNS[2], "填写了上级提名名额或结构要求，应选名额不能为空或0"))
            note = cell_text(cells[4 + len(STRUCTURE_COLUMNS)])[:500]
            if code:
                seen.setdefault(code, row)
            if len(sheet.errors) == before:
                sheet.rows.append(SheetRow(row, code, name, seats, higher, structure, note))
        return sheet
    finally:
        wb.close()


def write_allocation_template(units: list[tuple[str, str, int, int, dict[str, int | None], str]]) -> bytes:
    """The template: the header, then one row per 选举单位 (编码, 名称, 名额, 上级提名, structure by code, 备注) as
    allocated now (empty where nothing is allocated yet)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("名额分配")
    widths = (14, 30, 14, 12, *(12 for _ in STRUCTURE_COLUMNS), 24)
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    append_row(ws, COLUMNS)
    for code, name, seats, higher, structure, note in units:
        append_row(ws, (code, name, seats or None, higher or None,
                        *(structure.get(c.code) for c in STRUCTURE_COLUMNS), note or None))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
