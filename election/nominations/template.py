"""The .xlsx a recommending unit fills in: 名单 (headers, unit name, drop-downs), 说明, hidden 选项.

What it produces is read back by ``parse_nominee_sheet`` without errors when filled as instructed (tested):
the header texts come from ``nominees.COLUMNS``, ID and date columns are text so Excel neither rounds an
18-digit number nor turns 1975-03 into a date, and the drop-downs list exactly the accepted values.
"""
from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from election.core.xlsx import DEFAULT_LIMITS
from election.core.xlsx_write import set_text
from election.nominations.columns import COLUMNS
from election.nominations.readers import UNIT_LABEL
from workflow.common.titles import join_title
from workflow.common.vocab import EDUCATION_LEVELS, ETHNICITIES, GENDER_LABELS

LIST_SHEET = "名单"
HELP_SHEET = "说明"
OPTIONS_SHEET = "选项"
HEADER_ROW = 3
FIRST_DATA_ROW = HEADER_ROW + 1

_WIDTHS = {
    "name": 10, "gender": 6, "ethnicity": 10, "id_number": 22, "birth_month": 11, "native_place": 14,
    "education": 12, "party_join_date": 11, "work_start_date": 13, "workplace_title": 36, "category": 16,
    "remark": 16, "birthplace": 14, "health": 10, "professional_title": 16, "resume": 48, "rewards": 30,
}
_WRAP_FIELDS = ("resume", "rewards")  # several lines in one cell (Alt+Enter in Excel)
_TEXT_FIELDS = ("id_number", "birth_month", "party_join_date", "work_start_date")
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")

_HELP: dict[str, tuple[str, str]] = {  # field → (要求, 示例)
    "name": ("与身份证一致；少数民族姓名中间的圆点用“·”", "王芳"),
    "gender": ("从下拉列表选择“男”或“女”，须与身份证号一致", "女"),
    "ethnicity": ("从下拉列表选择56个民族之一，写全称", "汉族"),
    "id_number": ("18位公民身份号码，最后一位可为X；本列已设为文本，请勿改成数字格式", "110101197503020024"),
    "birth_month": ("年月，须与身份证号中的出生日期一致", "1975-03"),
    "native_place": ("省（市）县，如“山东济南”", "山东济南"),
    "education": ("从下拉列表选择：" + "、".join(EDUCATION_LEVELS), "大学本科"),
    "party_join_date": ("年月；须在年满18周岁之后，且不晚于填表当天", "1998-07"),
    "work_start_date": ("年月，可不填", "1997-08"),
    "workplace_title": ("现工作单位和职务全称", "某某街道党工委书记"),
    "category": ("从下拉列表选择，按本次选举的身份界定说明填写", ""),
    "remark": ("可不填", ""),
    "birthplace": ("可不填，印在登记表上；省（市）县", "山东济南"),
    "health": ("可不填，印在登记表上", "健康"),
    "professional_title": ("可不填，印在登记表上；无专业技术职务的不填", "高级工程师"),
    "resume": ("可不填，印在登记表上；每段经历一行（在单元格内按Alt+回车换行），不超过30行、1000字",
               "1993.09—1997.07 某某大学机械工程专业学习\n1997.07—2010.03 某某厂技术员、工程师"),
    "rewards": ("可不填，印在登记表上；不超过10行、300字，无奖惩的写“无”", "2018年被评为市劳动模范"),
}

_RULES = (
    "日期可写成 1975-03、1975.03、1975年3月 或 19750302，只写到年月即可。",
    "每行填写一人，同一人不能重复填写；已被其他单位推荐的人选，系统会提示与选举工作办公室联系。",
    "请勿修改、删除或移动表头行，可在表头下方直接填写；不要合并单元格。",
    "只接受.xlsx文件（Excel工作簿），不超过5 MB；不要设置打开密码，不要另存为含宏的.xlsm或旧版.xls。",
    "上传后系统逐行检查，所有错误会按行号和列名列出；全部改正后才会保存，保存会替换本单位之前上传的名单。",
)


def _column_letter(field: str) -> str:
    return get_column_letter(next(i for i, c in enumerate(COLUMNS, start=1) if c.field == field))


def render_nominee_template(
    unit_name: str,
    allowed_categories: Sequence[str],
    election_title: str | None = None,
    *,
    data_rows: int = DEFAULT_LIMITS.max_rows,
) -> bytes:
    """The nominee template for one unit, as .xlsx bytes."""
    wb = Workbook()
    ws = wb.active
    ws.title = LIST_SHEET
    last_col = get_column_letter(len(COLUMNS))

    title = join_title(election_title, "推荐人选名册")
    set_text(ws, 1, 1, title)   # the titles and names are typed by people: text, never a formula
    ws["A1"].font = Font(name="宋体", size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(f"A1:{last_col}1")
    ws.row_dimensions[1].height = 30
    set_text(ws, 2, 1, f"{UNIT_LABEL}：{unit_name}")
    ws["A2"].font = Font(name="宋体", size=11, bold=True)
    ws.merge_cells(f"A2:{last_col}2")

    for index, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(HEADER_ROW, index, column.header)
        cell.font = Font(name="宋体", bold=True, color="C00000" if column.required else "000000")
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        requirement, _example = _HELP[column.field]
        cell.comment = Comment(("必填。" if column.required else "选填。") + requirement, "选举工作办公室")
        letter = get_column_letter(index)
        dim = ws.column_dimensions[letter]
        dim.width = _WIDTHS[column.field]
        if column.field in _TEXT_FIELDS:
            dim.number_format = "@"  # text: no rounding of 18 digits, no 1975-03 → date conversion
        if column.field in _WRAP_FIELDS:
            dim.alignment = Alignment(wrap_text=True, vertical="top")  # the lines show as typed
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"

    options = wb.create_sheet(OPTIONS_SHEET)
    options.sheet_state = "hidden"
    lists = {"gender": GENDER_LABELS, "ethnicity": ETHNICITIES, "education": EDUCATION_LEVELS,
             "category": tuple(allowed_categories)}
    last_row = HEADER_ROW + data_rows
    for col_index, (field, values) in enumerate(lists.items(), start=1):
        header = next(c.header for c in COLUMNS if c.field == field)
        set_text(options, 1, col_index, header)
        for row_index, value in enumerate(values, start=2):
            set_text(options, row_index, col_index, value)
        letter = get_column_letter(col_index)
        source = f"{quote_sheetname(OPTIONS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
        dv = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=True,
                            errorTitle=f"{header}不在可选范围内", error=f"请从下拉列表中选择{header}",
                            showInputMessage=True, promptTitle=header, prompt=f"请从下拉列表中选择{header}")
        target = _column_letter(field)
        dv.add(f"{target}{FIRST_DATA_ROW}:{target}{last_row}")
        ws.add_data_validation(dv)
    id_letter = _column_letter("id_number")
    id_rule = DataValidation(type="textLength", operator="equal", formula1="18", allow_blank=True,
                             showErrorMessage=True, errorTitle="身份证号位数不对", error="身份证号应为18位，请核对",
                             showInputMessage=True, promptTitle="身份证号", prompt="18位，最后一位可为X")
    id_rule.add(f"{id_letter}{FIRST_DATA_ROW}:{id_letter}{last_row}")
    ws.add_data_validation(id_rule)

    _write_help(wb.create_sheet(HELP_SHEET, 1), unit_name, title)
    wb.active = 0
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _write_help(ws, unit_name: str, title: str) -> None:
    set_text(ws, 1, 1, f"{title}填写说明（{unit_name}）")
    ws["A1"].font = Font(name="宋体", size=14, bold=True)
    ws.merge_cells("A1:D1")
    heads = ("列名", "是否必填", "填写要求", "示例")
    for i, text in enumerate(heads, start=1):
        cell = ws.cell(3, i, text)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
    for row, column in enumerate(COLUMNS, start=4):
        requirement, example = _HELP[column.field]
        for i, text in enumerate((column.header, "必填" if column.required else "选填", requirement, example), start=1):
            cell = ws.cell(row, i, text)
            cell.border = _BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    row = 4 + len(COLUMNS) + 1
    ws.cell(row, 1, "填写规则").font = Font(bold=True)
    for offset, text in enumerate(_RULES, start=1):
        ws.cell(row + offset, 1, f"{offset}. {text}")
        ws.merge_cells(start_row=row + offset, start_column=1, end_row=row + offset, end_column=4)
    for letter, width in zip("ABCD", (16, 10, 60, 22)):
        ws.column_dimensions[letter].width = width
