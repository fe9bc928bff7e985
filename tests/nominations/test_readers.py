"""Nominee spreadsheets: real files in tests/data/ (built by make_sheets.py) → exact errors or refusals.

No database: the reader is pure apart from openpyxl. TODAY matches tests/data/make_sheets.py.
"""
import io
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from election.core import xlsx
from election.core.xlsx import RejectKind, SheetLimits, SheetRejected, check_workbook_bytes
from election.nominations.columns import COLUMNS, RowError
from election.nominations.nominee_checks import check_nominee_fields, make_context, nominated_elsewhere_errors
from election.nominations.readers import parse_nominee_sheet
from election.nominations.template import FIRST_DATA_ROW, render_nominee_template
from workflow.common.dates import PartialDate
from workflow.common.idcard import make_id
from workflow.common.vocab import DEFAULT_CATEGORY_LEAVES, ETHNICITIES, Gender
from workflow.quotas.categories import CategoryTree

DATA = Path(__file__).resolve().parents[1] / "data"
TODAY = date(2026, 2, 15)
UNIT = "第一街道党工委"
CATEGORIES = DEFAULT_CATEGORY_LEAVES


def parse(name_or_bytes, **kwargs):
    data = name_or_bytes if isinstance(name_or_bytes, bytes) else (DATA / name_or_bytes).read_bytes()
    kwargs.setdefault("allowed_categories", CATEGORIES)
    kwargs.setdefault("today", TODAY)
    return parse_nominee_sheet(data, **kwargs)


def rejected(name_or_bytes, **kwargs) -> SheetRejected:
    with pytest.raises(SheetRejected) as caught:
        parse(name_or_bytes, **kwargs)
    return caught.value


def errors(name: str, **kwargs) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in parse(name, **kwargs).errors]


# ------------------------------------------------------------------------------------------ good files


def test_good_file_all_seventeen_rows_no_errors():
    result = parse("good.xlsx", unit_name=UNIT)
    assert (result.errors, result.notes, result.sheet_name, result.header_row) == ([], [], "名单", 3)
    assert len(result.rows) == 17 and [r.row for r in result.rows] == list(range(4, 21))
    assert [r.category for r in result.rows].count("局级领导干部") == 6


def test_good_file_row_fields_read_and_typed():
    rows = {r.name: r for r in parse("good.xlsx").rows}
    leap = rows["刘芳"]
    assert (leap.gender, leap.birth_date, leap.birth_month_text) == (Gender.female, date(1976, 2, 29), "1976-02")
    assert (leap.party_join_date, leap.work_start_date) == (PartialDate(2000, 6), PartialDate(1998, 7))
    uyghur = rows["阿依古丽·买买提"]
    assert (uyghur.row, uyghur.ethnicity, uyghur.education, uyghur.category) == (15, "维吾尔族", "硕士研究生", "专业技术人员")
    assert uyghur.masked_id == "650***********0284"
    assert rows["吴桂英"].remark == "全国劳动模范"


def test_sloppy_file_reordered_fullwidth_headers_and_excel_dates_accepted():
    result = parse("reordered_headers_fullwidth.xlsx", unit_name=UNIT)
    assert result.errors == []
    assert (result.sheet_name, result.header_row) == ("推荐名单", 4)
    assert result.notes == ["已忽略无法识别的列：“序号”（M列）", "已跳过第16行（填表人、联系电话等说明文字）"]
    rows = result.rows
    assert [r.row for r in rows] == [5, 6, 7, 8, 10, 11, 12, 13]  # row 9 empty, row 14 only 序号: skipped
    assert [r.name for r in rows] == ["王建国", "李秀梅", "马文斌", "张丽华", "赵志刚", "刘芳", "陈明", "孙静"]  # 刘　芳 → 刘芳
    assert rows[0].id_number == make_id("110101", date(1968, 5, 12), 11, True)  # full-width digits, padded
    assert rows[5].name == "刘芳" and rows[5].education == "硕士研究生"
    assert rows[1].education == "大学本科" and rows[0].ethnicity == "汉族"  # 本科, 汉
    assert rows[0].party_join_date == PartialDate(1990, 6)  # 1990年6月
    assert rows[1].party_join_date == PartialDate(1995, 7) and rows[1].work_start_date == PartialDate(1993, 8)
    assert rows[2].party_join_date == PartialDate(1996, 12, 1)  # 1996/12/1
    assert rows[0].workplace_title == "第一街道党工委书记"  # full-width space trimmed


def test_formulas_read_by_cached_values_and_error_values_reported():
    result = parse("formulas.xlsx")
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (7, "民族", "单元格是公式错误值“#N/A”，请改为实际内容")]
    assert [(r.name, r.gender, r.birth_month_text) for r in result.rows] == [
        ("王建国", Gender.male, "1968-05"), ("李秀梅", Gender.female, "1971-09"), ("马文斌", Gender.male, "1973-01")]


def test_hidden_sheets_and_extra_columns_ignored_with_notes():
    result = parse("hidden_sheet_extra_columns.xlsx")
    assert result.errors == [] and len(result.rows) == 5
    assert result.notes == [
        "已忽略隐藏的工作表“草稿”",
        "已忽略工作表“统计”（前10行中没有名单表头）",
        "已忽略无法识别的列：“序号”（A列）、“联系电话”（H列）、“是否党代表”（O列）",
    ]


# ------------------------------------------------------------------------------------------ row errors


def test_bad_ids_every_error_by_row_and_column():
    assert errors("bad_ids.xlsx") == [
        (4, "身份证号", "身份证号校验位（第18位）不符，号码中可能有录错的数字，请逐位核对"),
        (5, "身份证号", "身份证号应为18位，当前为17位"),
        (6, "身份证号", "身份证号应为18位，当前为15位（这是15位旧号码，请改填18位新号码）"),
        (7, "身份证号", "身份证号前17位应为数字，第18位为数字或X，请检查是否混入了字母或符号"),
        (8, "身份证号", "身份证号第7～14位的出生日期“19750230”不是有效日期，请核对号码"),
        (9, "身份证号", "身份证号中的出生日期2030-03-02晚于今天，请核对号码"),
        (10, "身份证号", ("身份证号被Excel存成了数字，末尾几位已丢失（Excel只保留15位有效数字）。"
                         "请把“身份证号”列设为文本格式后重新输入号码")),
        (11, "性别", "性别“男”与身份证号不一致（身份证号第17位表示女），请核对性别或身份证号"),
        (12, "出生年月", "出生年月1977-05与身份证号中的出生日期1977-04-08不一致，请核对出生年月或身份证号"),
        (13, "身份证号", "身份证号前两位“00”不是有效的省级行政区划代码，请核对号码"),
    ]


def test_bad_ids_lower_case_x_row_accepted_and_normalised():
    (row,) = parse("bad_ids.xlsx").rows
    assert row.row == 14 and row.id_number.endswith("X") and row.name == "钱晓"


def test_bad_dates_every_error_and_boundaries():
    assert errors("bad_dates.xlsx") == [
        (4, "入党时间", "入党时间1986-04早于年满18周岁的日期（1986-05-12），请核对入党时间或身份证号"),
        (6, "入党时间", "入党时间2026-03晚于今天（2026-02-15），请核对"),
        (7, "入党时间", "入党时间：无法识别日期“一九九九年五月”，请写成1975-03或1975-03-02"),
        (8, "入党时间", "入党时间：日期“1991.13”的月份应为1～12，当前为13"),
        (9, "参加工作时间", "参加工作时间：日期“2019-02-30”不存在：2019年2月没有30日"),
        (10, "入党时间", "入党时间：日期“2001”只有年份，请补上月份，如1975-03"),
        (11, "入党时间", ("入党时间：日期“2003.1”无法确定是1月还是10月（Excel会把1975.10存成1975.1），"
                         "请把单元格设为文本后写成1975-01或1975-10")),
        (12, "出生年月", "出生年月2026-03晚于今天（2026-02-15），请核对"),
        (13, "参加工作时间", "参加工作时间1973-01早于出生日期，请核对"),
    ]
    accepted = {r.row: r for r in parse("bad_dates.xlsx").rows}
    assert set(accepted) == {5, 14}
    assert accepted[5].party_join_date == PartialDate(1989, 9)  # the month of the 18th birthday
    assert accepted[14].party_join_date == PartialDate(2026, 2)  # this month


def test_bad_values_required_fields_and_lists():
    assert errors("bad_values.xlsx") == [
        (4, "姓名", "请填写姓名"),
        (6, "性别", "性别应填“男”或“女”，当前为“未知”"),
        (8, "民族", "民族“穿青人”不是56个民族的名称，请从下拉列表中选择（如汉族、回族）"),
        (9, "学历", "学历“研究生”不在可选范围内，请填写：博士研究生、硕士研究生、大学本科、大学专科、中专、高中、初中、小学"),
        (10, "身份类别", "身份类别“一般干部”不在本次选举的身份类别中，请填写：" + "、".join(CATEGORIES)),
        (11, "性别", "请填写性别（按身份证号应为“女”）"),
        (11, "籍贯", "请填写籍贯（如山东济南）"),
        (11, "工作单位及职务", "请填写工作单位及职务"),
    ]
    accepted = {r.row: r for r in parse("bad_values.xlsx").rows}
    assert accepted[5].gender is Gender.female and accepted[7].ethnicity == "汉族"


def test_missing_and_repeated_columns_reported_once_at_header():
    result = parse("missing_columns.xlsx")
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "姓名", "“姓名”列出现了两次（A列和I列），请删除多余的一列"),
        (2, "民族", "缺少“民族”列，请使用下载的模板，或在第2行表头中补上该列"),
        (2, "学历", "缺少“学历”列，请使用下载的模板，或在第2行表头中补上该列"),
    ]
    assert result.rows == []


def test_duplicates_within_file_by_id_and_by_name_and_birth():
    result = parse("duplicates.xlsx")
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (10, "身份证号", "身份证号与第4行重复，同一人只能填写一次，请删除重复的行"),
        (11, "姓名", "与第5行的姓名和出生日期都相同，请核实是否重复填写了同一人"),
        (12, "身份证号", "身份证号与第6行重复，同一人只能填写一次，请删除重复的行"),
        (13, "身份证号", "身份证号与第7行重复，同一人只能填写一次，请删除重复的行"),
        (13, "学历", "学历“研究生”不在可选范围内，请填写：博士研究生、硕士研究生、大学本科、大学专科、中专、高中、初中、小学"),
    ]
    assert [r.row for r in result.rows] == [4, 5, 6, 7, 8, 9]


def test_unit_name_of_another_unit_reported():
    assert errors("good.xlsx", unit_name="第二街道党工委") == [
        (2, "推荐单位", "表中推荐单位为“第一街道党工委”，与本单位“第二街道党工委”不一致，请下载并使用本单位的模板")]
    assert errors("good.xlsx", unit_name=" 第一街道党工委 ") == []


def test_categories_are_a_parameter():
    result = parse("good.xlsx", allowed_categories=("局级领导干部", "处级领导干部", "其他一线"))
    assert {e.message for e in result.errors} == {
        f"身份类别“{c}”不在本次选举的身份类别中，请填写：局级领导干部、处级领导干部、其他一线"
        for c in ("工人", "农民", "专业技术人员")}
    assert len(result.errors) == 6 and len(result.rows) == 11


def test_default_categories_are_the_leaves_of_the_default_tree():
    assert sorted(DEFAULT_CATEGORY_LEAVES) == sorted(CategoryTree().leaves())


def test_category_without_dash_matches():
    ctx = make_context(("局级领导干部", "先进模范-工人"), TODAY)
    values = dict(zip([c.field for c in COLUMNS], ["王五", "男", "汉族", make_id("110101", date(1970, 1, 1), 1, True),
                                                    "1970-01", "北京", "大学", "1995-01", "", "某厂工人", "先进模范工人", ""]))
    row, errs = check_nominee_fields(values, row=7, ctx=ctx)
    assert errs == [] and row.category == "先进模范-工人" and row.education == "大学本科" and row.work_start_date is None


def test_cross_unit_duplicates_checked_by_id_after_parsing():
    result = parse("good.xlsx")
    taken = {result.rows[2].id_number}
    extra = nominated_elsewhere_errors(result.rows, taken)
    assert extra == [RowError(6, "身份证号", "此人已被其他推荐单位推荐，请与选举工作办公室联系")]
    assert result.with_errors(extra).errors == extra and result.id_numbers[result.rows[2].id_number].row == 6


# ------------------------------------------------------------------------------------------ whole-file refusals


@pytest.mark.parametrize(("name", "kind", "fragment"), [
    ("fake.xls", RejectKind.xls, "请在Excel中另存为“Excel工作簿(*.xlsx)”后再上传"),
    ("plain.csv", RejectKind.csv, "另存为“Excel工作簿(*.xlsx)”再上传"),
    ("macro.xlsm", RejectKind.macro, "含有宏"),
    ("encrypted.xlsx", RejectKind.encrypted, "清空密码"),
    ("corrupt.xlsx", RejectKind.corrupt, "文件已损坏"),
    ("too_many_rows.xlsx", RejectKind.too_many_rows, "工作表“名单”的数据超过5000行的上限"),
    ("zipbomb.xlsx", RejectKind.zip_bomb, "异常庞大"),
])
def test_refused_files_by_kind(name, kind, fragment):
    refusal = rejected(name)
    assert refusal.kind is kind and fragment in refusal.message


@pytest.mark.parametrize("name", ["too_many_rows.xlsx", "zipbomb.xlsx", "macro.xlsm", "encrypted.xlsx"])
def test_refused_before_openpyxl_parses_anything(name, monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("openpyxl must not be reached")

    monkeypatch.setattr(xlsx, "load_workbook", fail)
    with pytest.raises(SheetRejected):
        parse(name)


def test_size_limit_exactly_at_limit_passes_one_byte_more_refused():
    data = (DATA / "good.xlsx").read_bytes()
    assert parse(data, limits=SheetLimits(max_bytes=len(data))).ok
    refusal = rejected(data, limits=SheetLimits(max_bytes=len(data) - 1))
    assert refusal.kind is RejectKind.too_large


def test_size_limit_default_five_megabytes():
    refusal = rejected(b"PK\x03\x04" + b"\0" * (5 * 1024 * 1024))
    assert refusal.kind is RejectKind.too_large and "超过5 MB的上限" in refusal.message


def _rows_file(n: int, title: bool = True) -> bytes:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("名单")
    if title:
        ws.append(["推荐人选名册"])
    ws.append([c.header for c in COLUMNS])
    for i in range(n):
        birth = date(1960 + i % 30, 1 + i % 12, 1 + i % 28)
        ws.append([f"人员{chr(0x4E00 + i)}", "男", "汉族", make_id("110101", birth, i % 500, True), f"{birth:%Y-%m}",
                   "北京", "大学本科", f"{birth.year + 25}-01", "", "某单位职员", "其他一线", ""])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_row_limit_exactly_at_limit_passes_one_more_refused():
    limits = SheetLimits(max_rows=20)
    assert len(parse(_rows_file(20), limits=limits).rows) == 20
    assert rejected(_rows_file(21), limits=limits).kind is RejectKind.too_many_rows


def test_row_limit_far_over_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(xlsx, "load_workbook", lambda *a, **k: pytest.fail("parsed"))
    limits = SheetLimits(max_rows=20)
    with pytest.raises(SheetRejected) as caught:
        check_workbook_bytes(_rows_file(31), limits)  # 31 data + title + header > 20 + 10 rows of slack
    assert caught.value.kind is RejectKind.too_many_rows
    check_workbook_bytes(_rows_file(28), limits)  # within the slack: left to the exact count while parsing


def _repack(data: bytes, changes: dict[str, bytes | None], level: int = zipfile.ZIP_DEFLATED) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", level) as dst:
        for info in src.infolist():
            body = changes.get(info.filename, src.read(info.filename))
            if body is not None:
                dst.writestr(info.filename, body)
        for name, body in changes.items():
            if name not in src.NameToInfo and body is not None:
                dst.writestr(name, body)
    return out.getvalue()


def test_zip_bomb_ratio_alone_refused():
    good = (DATA / "good.xlsx").read_bytes()
    sheet = zipfile.ZipFile(io.BytesIO(good)).read("xl/worksheets/sheet1.xml")
    bomb = _repack(good, {"xl/worksheets/sheet1.xml": sheet.replace(b"<sheetData>", b"<sheetData>" + b" " * 3_000_000)})
    assert rejected(bomb).kind is RejectKind.zip_bomb  # 3 MB total: under the size cap, over the ratio
    assert parse(bomb, limits=SheetLimits(max_ratio=100_000)).ok


def test_damaged_member_refused_as_corrupt():
    data = bytearray((DATA / "good.xlsx").read_bytes())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 200, start + 260):
        data[i] ^= 0x5A
    assert rejected(bytes(data)).kind is RejectKind.corrupt


def test_zip_level_password_refused_as_corrupt():
    data = bytearray((DATA / "good.xlsx").read_bytes())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/workbook.xml")
    data[info.header_offset + 6] |= 1  # general purpose flag bit 0: encrypted (local header)
    position = 0
    while (position := data.find(b"PK\x01\x02", position + 1)) != -1:  # and in the central directory
        name_length = int.from_bytes(data[position + 28:position + 30], "little")
        if data[position + 46:position + 46 + name_length] == b"xl/workbook.xml":
            data[position + 8] |= 1
    assert rejected(bytes(data)).kind is RejectKind.corrupt


@pytest.mark.parametrize(("data", "kind", "fragment"), [
    (b"", RejectKind.empty, "空的"),
    (b"<html><body><table><tr><td>1</td></tr></table></body></html>", RejectKind.html, "网页格式"),
    ("姓名,性别\n王芳,女\n".encode("gb18030"), RejectKind.csv, "CSV"),
    (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", RejectKind.not_excel, "不是Excel工作簿"),
    (b"PK\x05\x06" + b"\0" * 18, RejectKind.not_excel, "不是Excel工作簿"),
])
def test_refused_other_contents(data, kind, fragment):
    refusal = rejected(data)
    assert refusal.kind is kind and fragment in refusal.message


def test_refused_other_zip_formats():
    good = (DATA / "good.xlsx").read_bytes()
    ods = _repack(good, {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "xl/workbook.xml": None})
    assert rejected(ods).kind is RejectKind.ods
    docx = _repack(good, {"word/document.xml": b"<w:document/>", "xl/workbook.xml": None})
    assert "Word文档" in rejected(docx).message
    xlsb = _repack(good, {"xl/workbook.bin": b"\0"})
    assert rejected(xlsb).kind is RejectKind.xlsb


def test_no_header_refused():
    wb = openpyxl.Workbook()
    wb.active.append(["随便写的表"])
    wb.active.append(["张三", "男"])
    buffer = io.BytesIO()
    wb.save(buffer)
    refusal = rejected(buffer.getvalue())
    assert refusal.kind is RejectKind.no_header and "前10行中没有找到名单表头" in refusal.message


def test_two_visible_lists_refused():
    wb = openpyxl.load_workbook(DATA / "hidden_sheet_extra_columns.xlsx")
    wb["草稿"].sheet_state = "visible"
    buffer = io.BytesIO()
    wb.save(buffer)
    refusal = rejected(buffer.getvalue())
    assert refusal.kind is RejectKind.several_lists and "“名单”和“草稿”" in refusal.message


def test_real_password_protected_file_refused():
    msoffcrypto = pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO((DATA / "good.xlsx").read_bytes())).encrypt("secret", out)
    assert msoffcrypto is not None and rejected(out.getvalue()).kind is RejectKind.encrypted


# ------------------------------------------------------------------------------------------ the template


def _filled_template(rows: list[list[object]]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(render_nominee_template(UNIT, CATEGORIES, "出席全市第十二次党代会代表")))
    ws = wb["名单"]
    for r, values in enumerate(rows, start=FIRST_DATA_ROW):
        for c, value in enumerate(values, start=1):
            ws.cell(r, c, value)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_template_filled_correctly_reads_back_without_errors():
    rows = [
        ["张三", "男", "汉族", make_id("110101", date(1970, 5, 6), 1, True), "1970-05", "北京", "大学本科", "1995-07",
         "1992-08", "某街道党工委书记", "局级领导干部", ""],
        ["李四", "女", "回族", make_id("640104", date(1985, 1, 2), 2, False), "1985.01", "宁夏银川", "硕士研究生",
         "2006年6月", "", "某医院医生", "专业技术人员", "市劳动模范"],
    ]
    result = parse(_filled_template(rows), unit_name=UNIT)
    assert (result.errors, result.notes, result.header_row) == ([], [], 3)
    assert [(r.row, r.name, r.ethnicity, r.party_join_date) for r in result.rows] == [
        (4, "张三", "汉族", PartialDate(1995, 7)), (5, "李四", "回族", PartialDate(2006, 6))]


def test_template_empty_reads_back_with_no_rows():
    result = parse(render_nominee_template(UNIT, CATEGORIES))
    assert (result.rows, result.errors, result.notes) == ([], [], [])


def test_template_layout_dropdowns_and_text_columns():
    wb = openpyxl.load_workbook(io.BytesIO(render_nominee_template(UNIT, CATEGORIES, "出席全市第十二次党代会代表")))
    assert wb.sheetnames == ["名单", "说明", "选项"]
    assert [wb[n].sheet_state for n in wb.sheetnames] == ["visible", "visible", "hidden"]
    ws = wb["名单"]
    assert ws["A1"].value == "出席全市第十二次党代会代表推荐人选名册"
    assert ws["A2"].value == "推荐单位：第一街道党工委"
    assert [ws.cell(3, i).value for i in range(1, len(COLUMNS) + 1)] == [c.header for c in COLUMNS]
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert validations["B4:B5003"].formula1 == "'选项'!$A$2:$A$3"
    assert validations["C4:C5003"].formula1 == "'选项'!$B$2:$B$57"
    assert validations["G4:G5003"].formula1 == "'选项'!$C$2:$C$9"
    assert validations["K4:K5003"].formula1 == "'选项'!$D$2:$D$9"
    assert validations["D4:D5003"].type == "textLength"
    options = wb["选项"]
    assert [options.cell(r, 2).value for r in range(2, 58)] == list(ETHNICITIES)
    assert [options.cell(r, 4).value for r in range(2, 10)] == list(CATEGORIES)
    for letter in "DEHI":  # 身份证号 and the three date columns are text
        assert ws.column_dimensions[letter].number_format == "@"
    assert ws.column_dimensions["J"].width == 36
    assert wb["说明"]["A4"].value == "姓名" and wb["说明"]["B12"].value == "选填"


def test_ethnicities_are_the_56_in_official_order():
    assert len(ETHNICITIES) == len(set(ETHNICITIES)) == 56
    assert (ETHNICITIES[0], ETHNICITIES[4], ETHNICITIES[21], ETHNICITIES[55]) == ("汉族", "维吾尔族", "畲族", "基诺族")


# ------------------------------------------------------------------------------------------ the sample files


def test_sample_files_match_their_generator(tmp_path):
    script = DATA / "make_sheets.py"
    subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], check=True, capture_output=True)
    generated = sorted(p.name for p in tmp_path.iterdir())
    committed = sorted(p.name for p in DATA.iterdir() if p.suffix in (".xlsx", ".xlsm", ".xls", ".csv"))
    assert generated == committed
    for name in generated:
        assert _content(tmp_path / name) == _content(DATA / name), f"{name}: run tests/data/make_sheets.py"


def _content(path: Path) -> object:
    """What a sample file holds, independent of the zlib build that compressed it."""
    data = path.read_bytes()
    if path.name == "corrupt.xlsx":  # good.xlsx cut to two thirds
        good = (path.parent / "good.xlsx").read_bytes()
        return data == good[: len(good) * 2 // 3]
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return data
    return [(i.filename, i.date_time, archive.read(i)) for i in archive.infolist()]
