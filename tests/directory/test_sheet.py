"""The directory sheet and its two commands: `election org import FILE` (exit 0 and the counts added / updated /
unchanged; on any error exit 2, every message with its row and column, nothing written) and `election org export
FILE` (the same format, parents before children, siblings by 编码)."""
from __future__ import annotations

import io

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from election.cli import cli
from election.directory.models import Organisation
from election.directory.readers import parse_directory_sheet, write_directory_sheet
from workflow.directory.tree import COLUMNS, OrgRecord

ROWS = [
    ("100", "中共某区委员会", "党委", "", 86, 5210, "李明", "0917-1000000"),
    ("101", "城关街道党工委", "党工委", "100", 12, 340, "王芳", "0917-1234567"),
    ("10101", "城关第一社区党支部", "党支部", "101", 0, 45, "", ""),
    ("10199", "城关街道党代表工作室", "党代表工作室", "101", 0, 0, "赵静", ""),
    ("102", "区教育局党组", "党组", "100", 30, 900, "", ""),
]


def sheet(rows, header=COLUMNS, title=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _run(app, *args):
    return CliRunner().invoke(cli, ["org", *args], obj=ScriptInfo(create_app=lambda: app))


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Organisation))


def test_import_then_the_same_file_again_then_export_gives_the_rows_back(app, session, tmp_path):
    path = tmp_path / "组织机构.xlsx"
    path.write_bytes(sheet(ROWS))
    first = _run(app, "import", str(path))
    assert first.exit_code == 0, first.output
    assert first.stdout == "组织机构已导入：新增5个，更新0个，未变0个。\n"
    again = _run(app, "import", str(path))
    assert again.exit_code == 0 and again.stdout == "组织机构已导入：新增0个，更新0个，未变5个。\n"
    out = tmp_path / "导出.xlsx"
    exported = _run(app, "export", str(out))
    assert exported.exit_code == 0
    ws = load_workbook(out, read_only=True).worksheets[0]
    rows = [tuple("" if v is None else v for v in r) for r in ws.iter_rows(values_only=True)]
    assert rows[0] == COLUMNS
    assert rows[1:] == [tuple(r) for r in ROWS]  # ROWS are already parents first, siblings by 编码


def test_export_orders_parents_first_and_siblings_by_code(app, session, tmp_path):
    shuffled = [ROWS[4], ROWS[2], ROWS[0], ROWS[3], ROWS[1]]
    path = tmp_path / "in.xlsx"
    path.write_bytes(sheet(shuffled))
    assert _run(app, "import", str(path)).exit_code == 0
    out = tmp_path / "out.xlsx"
    assert _run(app, "export", str(out)).exit_code == 0
    codes = [r[0] for r in load_workbook(out, read_only=True).worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert codes == ["100", "101", "10101", "10199", "102"]


def test_an_update_by_code_and_nothing_deleted(app, session, tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(sheet(ROWS))
    _run(app, "import", str(path))
    renamed = [ROWS[0], ("101", "城关街道党工委（合并后）", "党工委", "100", 15, 400, "王芳", "0917-1234567")]
    path.write_bytes(sheet(renamed))
    result = _run(app, "import", str(path))
    assert result.stdout == "组织机构已导入：新增0个，更新1个，未变1个。\n"
    assert _count(session) == 5


@pytest.mark.parametrize("rows, expected", [
    ([*ROWS, ("101", "重复的编码", "党支部", "100", 0, 1, "", "")], "第7行「编码」：编码“101”与第3行重复"),
    ([*ROWS, ("103", "西城街道党工委", "党工委", "999", 0, 0, "", "")], "第7行「上级编码」：上级编码“999”找不到对应的组织"),
    ([*ROWS, ("1019901", "工作室里的支部", "党支部", "10199", 0, 3, "", "")],
     "第7行「上级编码」：上级“城关街道党代表工作室”是党代表工作室，党代表工作室下不能再设组织"),
    ([*ROWS, ("103", "负数", "党工委", "100", -1, 0, "", "")], "第7行「基层党组织数」：应为0或正整数，现为“-1”"),
    ([*ROWS, ("103", "小数", "党工委", "100", 0, 12.5, "", "")], "第7行「党员数」：应为0或正整数，现为“12.5”"),
    ([*ROWS, ("103", "文字", "党工委", "100", "十二", 0, "", "")], "第7行「基层党组织数」：应为0或正整数，现为“十二”"),
    ([*ROWS, ("103", "", "党工委", "100", 0, 0, "", "")], "第7行「名称」：名称不能为空"),
    ([*ROWS, ("103", "没有类别", "", "100", 0, 0, "", "")], "第7行「类别」：类别不能为空"),
    ([*ROWS, ("103", "党小组", "党小组", "100", 0, 0, "", "")], "第7行「类别」：“党小组”不是可选的类别"),
    ([ROWS[0], ("A", "甲", "党委", "B", 0, 0, "", ""), ("B", "乙", "党委", "A", 0, 0, "", "")],
     "第3行「上级编码」：上级关系形成了循环：甲 → 乙 → 甲"),
    ([*ROWS, ("200", "另一个区委", "党委", "", 0, 0, "", "")], "第7行「上级编码」：上级编码为空的只能是最上级的选举单位"),
])
def test_each_error_names_row_and_column_and_nothing_is_written(app, session, tmp_path, rows, expected):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(sheet(rows))
    result = _run(app, "import", str(path))
    assert result.exit_code == 2 and result.stdout == ""
    assert expected in result.stderr, result.stderr
    assert result.stderr.rstrip().endswith("未导入任何组织。")
    assert _count(session) == 0


def test_errors_are_all_listed_at_once(app, session, tmp_path):
    rows = [*ROWS, ("103", "", "党工委", "100", -2, 0, "", ""), ("104", "乙", "党小组", "100", 0, 0, "", "")]
    path = tmp_path / "x.xlsx"
    path.write_bytes(sheet(rows))
    result = _run(app, "import", str(path))
    lines = result.stderr.splitlines()
    assert lines[:3] == ["第7行「名称」：名称不能为空", "第7行「基层党组织数」：应为0或正整数，现为“-2”",
                         "第8行「类别」：“党小组”不是可选的类别，应为党委、党工委、党组、党总支、党支部、党代表工作室之一"]
    assert lines[-1] == "共3处错误，未导入任何组织。"


def test_a_title_line_above_the_header_is_allowed(tmp_path):
    parsed = parse_directory_sheet(sheet(ROWS, title="某区组织机构表"))
    assert parsed.errors == [] and [r.code for r in parsed.records] == [r[0] for r in ROWS]
    assert parsed.rows["100"] == 3


def test_codes_and_phones_typed_as_numbers_read_as_text():
    parsed = parse_directory_sheet(sheet([(100, "中共某区委员会", "党委", None, 1.0, 2, "李明", 13800000000)]))
    assert parsed.records == [OrgRecord("100", "中共某区委员会", "党委", None, 1, 2, "李明", "13800000000")]


@pytest.mark.parametrize("data, message", [
    (b"not a spreadsheet", "不是.xlsx文件"),
    (sheet(ROWS, header=("代码", "名字")), "找不到表头"),
])
def test_a_file_that_is_no_directory_sheet_exits_2(app, session, tmp_path, data, message):
    path = tmp_path / "f.xlsx"
    path.write_bytes(data)
    result = _run(app, "import", str(path))
    assert result.exit_code == 2 and message in result.stderr and _count(session) == 0


def test_a_missing_file_exits_2(app, tmp_path):
    result = _run(app, "import", str(tmp_path / "没有这个文件.xlsx"))
    assert result.exit_code == 2 and "无法读取文件" in result.stderr


def test_text_that_looks_like_a_formula_is_exported_as_text():
    data = write_directory_sheet([OrgRecord("100", "=HYPERLINK(\"http://x\")", "党委", None, 0, 0, "@SUM(A1)", "+1")])
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    assert [c.data_type for c in ws[2][:2]] == ["s", "s"] and ws["B2"].value.startswith("=HYPERLINK")
    assert ws["G2"].data_type == "s" and ws["H2"].data_type == "s"
