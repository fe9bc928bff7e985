"""The sheet of accounts to create at once: 用户名 | 姓名 | 角色 | 所属编码 | 所属组织编码, one person per row, where
角色 is 推荐单位经办人 or 党代表工作室工作人员, 所属编码 the 编码 of the 推荐单位 or 党代表工作室 in the organisation
directory, and 所属组织编码 (may be left out, or empty: the whole installation) the 编码 of the organisation whose part of
the directory the account works in (its 选举单位)."""
from __future__ import annotations

import io

from openpyxl import Workbook

from election.accounts.management import BulkRow
from election.core.roles import Role
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

COLUMNS = ("用户名", "姓名", "角色", "所属编码")
ORGANISATION_COLUMN = "所属组织编码"  # a fifth column, optional (sheets from before levels have four)
ROLES = {Role.unit.label: Role.unit, Role.studio.label: Role.studio}
LIMITS = SheetLimits(max_rows=5000, too_many_rows_hint="请分批导入")


def parse_accounts_sheet(data: bytes) -> tuple[list[BulkRow], list[RowError]]:
    check_workbook_bytes(data, LIMITS)
    wb = open_workbook(data)
    try:
        rows = list(sheet_rows(wb.worksheets[0], LIMITS))
        header = find_header(iter(rows), COLUMNS)
        if not header:
            raise reject(RejectKind.no_header, f"找不到表头：应依次为“{' | '.join(COLUMNS)} | {ORGANISATION_COLUMN}”，"
                                               "请下载模板填写")
        with_org = cell_text((tuple(rows[header - 1]) + (None,) * 5)[4]) == ORGANISATION_COLUMN
        out: list[BulkRow] = []
        errors: list[RowError] = []
        for row, cells in enumerate(rows[header:], start=header + 1):
            username, name, role, code, org = (cell_text(c) for c in (tuple(cells) + (None,) * 5)[:5])
            org = org if with_org else ""
            if not any((username, name, role, code, org)):
                continue
            bad = len(errors)
            errors.extend(hidden_text_errors(row, zip((*COLUMNS, ORGANISATION_COLUMN), (username, name, role, code, org))))
            if len(org) > 32:
                errors.append(RowError(row, ORGANISATION_COLUMN, "所属组织编码不超过32个字符"))
            if not username or len(username) > 64 or any(ch.isspace() for ch in username):
                errors.append(RowError(row, "用户名", "用户名不能为空、不能含空格，不超过64个字符"))
            if not name or len(name) > 64:
                errors.append(RowError(row, "姓名", "姓名不能为空，不超过64个字符"))
            if role not in ROLES:
                errors.append(RowError(row, "角色", f"角色应为{'或'.join(ROLES)}"))
            if not code:
                errors.append(RowError(row, "所属编码", "请填写所属推荐单位或党代表工作室在组织机构中的编码"))
            if len(errors) == bad:
                out.append(BulkRow(row, username, name, ROLES[role], code, org))
        return out, errors
    finally:
        wb.close()


def accounts_template() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "批量创建账户"
    append_row(ws, [*COLUMNS, ORGANISATION_COLUMN])
    append_row(ws, ["chengguan01", "王芳", Role.unit.label, "101", "100"])
    append_row(ws, ["cgstudio01", "赵静", Role.studio.label, "10199", ""])
    for letter, width in zip("ABCDE", (18, 12, 24, 14, 16), strict=True):
        ws.column_dimensions[letter].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
