"""The 登记表 columns of a nominee list (出生地, 健康状况, 专业技术职务, 简历, 奖惩情况): optional, with exact length
limits, 简历 and 奖惩情况 keeping their line breaks; an older list without the columns still reads.

No database: the checks and the reader are pure apart from openpyxl.
"""
from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from election.nominations.columns import COLUMN_BY_FIELD, COLUMNS, RowError
from election.nominations.nominee_checks import check_nominee_fields, make_context
from election.nominations.readers import parse_nominee_sheet
from election.nominations.template import FIRST_DATA_ROW, HEADER_ROW, render_nominee_template
from workflow.common.idcard import make_id
from workflow.common.vocab import DEFAULT_CATEGORY_LEAVES

TODAY = date(2026, 2, 15)
CTX = make_context(DEFAULT_CATEGORY_LEAVES, TODAY)
BASE = {"name": "王五", "gender": "男", "ethnicity": "汉族", "id_number": make_id("110101", date(1970, 1, 1), 1, True),
        "birth_month": "1970-01", "native_place": "北京", "education": "大学本科", "party_join_date": "1995-01",
        "workplace_title": "某厂工人", "category": "工人"}


def check(**extra):
    return check_nominee_fields({**BASE, **extra}, row=7, ctx=CTX)


def test_registration_fields_optional_and_read():
    row, errors = check()
    assert errors == [] and (row.birthplace, row.health, row.professional_title, row.resume, row.rewards) == ("",) * 5
    row, errors = check(birthplace=" 山东 济南 ", health="健康", professional_title="高级工程师",
                        resume="1993.09—1997.07 某大学学习\n1997.07—2026.02 某厂工人", rewards="2018年被评为市劳动模范")
    assert errors == []
    assert (row.birthplace, row.health, row.professional_title) == ("山东 济南", "健康", "高级工程师")
    assert row.resume == "1993.09—1997.07 某大学学习\n1997.07—2026.02 某厂工人"


@pytest.mark.parametrize("field, header, limit", [
    ("birthplace", "出生地", 40), ("health", "健康状况", 20), ("professional_title", "专业技术职务", 40),
    ("resume", "简历", 1000), ("rewards", "奖惩情况", 300),
])
def test_length_limit_exactly_passes_one_more_refused(field, header, limit):
    assert COLUMN_BY_FIELD[field].max_length == limit
    row, errors = check(**{field: "字" * limit})
    assert errors == [] and len(getattr(row, field)) == limit
    row, errors = check(**{field: "字" * (limit + 1)})
    assert row is None
    assert errors == [RowError(7, header, f"{header}不能超过{limit}个字（当前{limit + 1}个字），请精简")]


def test_resume_line_breaks_kept_and_not_counted():
    lines = ["字" * 100] * 10  # 1000 characters on 10 lines: the breaks do not count
    row, errors = check(resume="\r\n".join(lines))
    assert errors == [] and row.resume == "\n".join(lines)


def test_resume_lines_trimmed_blank_lines_dropped_every_break_kind():
    row, _ = check(resume="  2001.09—2005.07   某大学学习 \r\n\r\n\n2005.07—今\u3000某厂\r某车间\u2028主任")
    assert row.resume == "2001.09—2005.07 某大学学习\n2005.07—今 某厂\n某车间\n主任"


def test_resume_line_limit_exactly_passes_one_more_refused():
    row, errors = check(resume="\n".join(f"{1990 + i}年某岗位" for i in range(30)))
    assert errors == [] and row.resume.count("\n") == 29
    row, errors = check(resume="\n".join(f"{1990 + i}年某岗位" for i in range(31)))
    assert errors == [RowError(7, "简历", "简历不能超过30行（当前31行），请合并或精简")]


def test_rewards_line_limit():
    assert check(rewards="\n".join("嘉奖" for _ in range(10)))[1] == []
    assert check(rewards="\n".join("嘉奖" for _ in range(11)))[1] == [
        RowError(7, "奖惩情况", "奖惩情况不能超过10行（当前11行），请合并或精简")]


def test_single_line_fields_fold_line_breaks():
    row, errors = check(birthplace="山东\n济南")
    assert errors == [] and row.birthplace == "山东 济南"


def _sheet(headers, rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名单"
    ws.append(list(headers))
    for r in rows:
        ws.append(list(r))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _base_cells(i: int = 0) -> list[str]:
    born = date(1970 + i, 1, 1)
    return ["王五" if i == 0 else f"王{'一二三四'[i]}", "男", "汉族", make_id("110101", born, 1 + i, True), f"{born:%Y-%m}",
            "北京", "大学本科", f"{born.year + 25}-01", "", "某厂工人", "工人", ""]


def test_an_older_list_without_the_columns_still_reads():
    old_headers = [c.header for c in COLUMNS][:12]
    assert "出生地" not in old_headers
    result = parse_nominee_sheet(_sheet(old_headers, [_base_cells(0), _base_cells(1)]),
                                 allowed_categories=DEFAULT_CATEGORY_LEAVES, today=TODAY)
    assert result.errors == [] and result.notes == [] and len(result.rows) == 2
    assert result.rows[0].resume == "" and result.rows[0].birthplace == ""


def test_aliases_and_a_multi_line_cell_in_an_uploaded_sheet():
    headers = [c.header for c in COLUMNS][:12] + ["出生地点", "身体状况", "职称", "个人简历", "奖惩"]
    cells = _base_cells() + ["河北保定", "良好", "工程师", "1988.09—1992.07 某学院学习\n1992.07—今 某厂", "无"]
    result = parse_nominee_sheet(_sheet(headers, [cells]), allowed_categories=DEFAULT_CATEGORY_LEAVES, today=TODAY)
    assert result.errors == []
    row = result.rows[0]
    assert (row.birthplace, row.health, row.professional_title, row.rewards) == ("河北保定", "良好", "工程师", "无")
    assert row.resume == "1988.09—1992.07 某学院学习\n1992.07—今 某厂"


def test_over_long_resume_in_a_sheet_names_row_and_column():
    headers = [c.header for c in COLUMNS]
    cells = _base_cells() + ["", "", "", "经历" * 501, ""]
    result = parse_nominee_sheet(_sheet(headers, [cells]), allowed_categories=DEFAULT_CATEGORY_LEAVES, today=TODAY)
    assert result.rows == []
    assert result.errors == [RowError(2, "简历", "简历不能超过1000个字（当前1002个字），请精简")]


def test_template_offers_the_columns_and_reads_back_a_filled_resume():
    wb = openpyxl.load_workbook(io.BytesIO(render_nominee_template("第一街道党工委", DEFAULT_CATEGORY_LEAVES)))
    ws = wb["名单"]
    headers = [ws.cell(HEADER_ROW, i).value for i in range(1, len(COLUMNS) + 1)]
    assert headers[-5:] == ["出生地", "健康状况", "专业技术职务", "简历", "奖惩情况"]
    resume_col = headers.index("简历") + 1
    assert ws.column_dimensions[openpyxl.utils.get_column_letter(resume_col)].alignment.wrap_text
    help_rows = [r[0].value for r in wb["说明"].iter_rows(min_row=4)]
    assert "简历" in help_rows and "奖惩情况" in help_rows
    for i, value in enumerate(_base_cells(), start=1):
        ws.cell(FIRST_DATA_ROW, i, value or None)
    ws.cell(FIRST_DATA_ROW, resume_col, "1990.09—1994.07 某大学学习\n1994.07—今 某厂")
    buffer = io.BytesIO()
    wb.save(buffer)
    result = parse_nominee_sheet(buffer.getvalue(), allowed_categories=DEFAULT_CATEGORY_LEAVES, today=TODAY,
                                 unit_name="第一街道党工委")
    assert result.errors == [] and result.rows[0].resume == "1990.09—1994.07 某大学学习\n1994.07—今 某厂"
