"""The columns of a nominee list: Chinese headers, aliases, hints and length limits, how a header cell is
recognised (``header_key``); every check of a list reports a ``RowError`` (election.core.xlsx; the form's checks
too, with row 0).

Required columns: all except 参加工作时间 and 备注 (our decision; the published roster prints the rest,
来源: docs/rules.md §3.5 notice fields). 性别 and 出生年月 are still required, and must agree with the ID number.

The 登记表 columns (出生地, 健康状况, 专业技术职务, 简历, 奖惩情况) come last and are optional, so a list made with an
older template still reads; 简历 and 奖惩情况 keep their line breaks (``multiline``, length counted without them).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from election.core.xlsx import RowError  # noqa: F401 - every check of a list reports it (imported from here)

# ---------------------------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    required: bool
    hint: str  # example shown in messages and in the template
    aliases: tuple[str, ...] = ()
    max_length: int = 0
    multiline: bool = False  # line breaks kept (one 简历 period a line); max_length counts the characters only
    max_lines: int = 0


COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", True, "", ("名字",), 30),
    Column("gender", "性别", True, "男或女"),
    Column("ethnicity", "民族", True, "如汉族、回族", ("民族成分",)),
    Column("id_number", "身份证号", True, "18位公民身份号码", ("身份证号码", "公民身份号码", "身份证", "身份号码")),
    Column("birth_month", "出生年月", True, "如1975-03", ("出生日期", "出生年月日", "出生时间")),
    Column("native_place", "籍贯", True, "如山东济南", (), 40),
    Column("education", "学历", True, "如大学本科", ("文化程度", "最高学历")),
    Column("party_join_date", "入党时间", True, "如1998-07", ("入党日期", "入党年月")),
    Column("work_start_date", "参加工作时间", False, "如1997-08", ("参加工作日期", "参加工作年月", "工作时间")),
    Column("workplace_title", "工作单位及职务", True, "", ("工作单位和职务", "单位及职务", "工作单位职务", "单位职务"), 100),
    Column("category", "身份类别", True, "", ("人员类别", "类别", "身份")),
    Column("remark", "备注", False, "", (), 200),
    # printed on the 登记表 only (election.documents.forms); optional, our limits
    Column("birthplace", "出生地", False, "如山东济南", ("出生地点",), 40),
    Column("health", "健康状况", False, "如健康", ("身体状况", "健康情况"), 20),
    Column("professional_title", "专业技术职务", False, "如高级工程师", ("专业技术职称", "职称"), 40),
    Column("resume", "简历", False, "每段经历一行", ("个人简历", "工作简历", "学习和工作简历", "主要经历"), 1000,
           multiline=True, max_lines=30),
    Column("rewards", "奖惩情况", False, "", ("奖惩", "奖惩信息"), 300, multiline=True, max_lines=10),
)
REGISTRATION_FIELDS = ("birthplace", "health", "professional_title", "resume", "rewards")
COLUMN_BY_FIELD = {c.field: c for c in COLUMNS}
_DATE_FIELDS = ("birth_month", "party_join_date", "work_start_date")
_COLUMN_ORDER = {c.header: i for i, c in enumerate(COLUMNS)}
_PARENS = re.compile(r"[(\[【].*?[)\]】]")
_MARKS = re.compile(r"[*＊:：]")


def header_key(text: str) -> str:
    """'＊身份证号码（18位）' → '身份证号码': NFKC, no spaces, no parenthesised hints or required marks."""
    s = unicodedata.normalize("NFKC", text)
    s = _PARENS.sub("", s)
    return _MARKS.sub("", "".join(s.split()))


_HEADER_LOOKUP: dict[str, Column] = {}
for _c in COLUMNS:
    for _name in (_c.header, *_c.aliases):
        _HEADER_LOOKUP[header_key(_name)] = _c


def _error_order(e: RowError) -> tuple[int, int, str]:
    return e.row, _COLUMN_ORDER.get(e.column, -1), e.message
