"""The wording of the 公示 and the 情况报告 as templates the office may change per election, filled without running
any code: ``{名称}`` placeholders replaced by plain text in one pass, the layout kept by the renderers.

Syntax (documented for the office in docs/manual/02-office.md):
- a placeholder is a Chinese name in half-width braces, e.g. ``{公示期}``; the names of each kind are in
  ``PLACEHOLDERS``. An unknown name, or a brace without its partner, is refused (``check_template``) with a
  message naming it. Braces are for placeholders only; the filled values are never read again as a template.
- one paragraph a line; blank lines are dropped.
- 公示: the line ``{名单表}`` (alone on its line, exactly once) is where the table of people goes.
- 情况报告: a line starting with "一、" … "十、" is a heading (黑体), "（一）" … a sub-heading (楷体); the lines
  before the first heading are the opening. The structure table is added after the last section by the layout.

The defaults are the built-in text the documents printed before the wording could be changed; rendering with the
default template gives the same document as before (tested).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

MAX_LENGTH = 5000  # characters of one template (our limit)
TABLE = "名单表"
_PLACEHOLDER = re.compile(r"\{([^{}\n]*)\}")
_HEADING1 = re.compile(r"^[一二三四五六七八九十]{1,3}、")
_HEADING2 = re.compile(r"^（[一二三四五六七八九十]{1,3}）")


class WordingKind(StrEnum):
    """The documents whose wording an election may change (the 公示 is what the app posts as a 公示通知/通告)."""

    notice_first = "notice_first"
    notice_second = "notice_second"
    report_preliminary = "report_preliminary"
    report_confirmed = "report_confirmed"

    @property
    def label(self) -> str:
        return {"notice_first": "第一次公示（考察对象，所在单位）", "notice_second": "第二次公示（初步人选，全区范围）",
                "report_preliminary": "初步人选情况报告", "report_confirmed": "预备人选情况报告"}[self.value]

    @property
    def is_notice(self) -> bool:
        return self in (WordingKind.notice_first, WordingKind.notice_second)


_NOTICE_PLACEHOLDERS: dict[str, str] = {
    "选举名称": "本次选举的名称",
    "发布机关": "选举单位党组织（工作方案中的“选举单位党组织”）",
    "人数": "公示的人数",
    "名单": "公示对象姓名，按姓氏笔画排序，以“、”分隔",
    TABLE: "公示对象名单表格（单独一行，必须有且只有一处）",
    "公示期": "起止日期和工作日数，如“2026年3月2日至3月6日（5个工作日）”",
    "起止日期": "起止日期，如“2026年3月2日至3月6日”",
    "工作日数": "公示的工作日数，如“5”",
    "受理单位": "公示中填写的受理单位",
    "联系电话": "受理电话",
    "通信地址": "通信地址",
    "邮箱名称": "“电子邮箱”（含@时）或“意见箱”",
    "邮箱": "电子邮箱或意见箱",
}
_REPORT_PLACEHOLDERS: dict[str, str] = {
    "选举名称": "本次选举的名称",
    "发布机关": "选举单位党组织",
    "上级党委": "召集选举的上级党委（工作方案中的“上级党委”）",
    "推荐人数": "各单位推荐人选总数",
    "考察对象人数": "考察对象人数",
    "民主测评人次": "民主测评人次",
    "个别谈话人次": "个别谈话人次",
    "不宜人数": "考察结论为不宜的人数",
    "反映件数": "公示期间收到的反映件数",
    "办结件数": "已办结的反映件数",
    "办结情况": "办结结果分类，如“属实1件、不属实2件”，无则为“无”",
    "移出人数": "因反映问题属实移出名单的人数",
    "人数": "初步人选人数",
    "名单": "初步人选姓名，按姓氏笔画排序，以“、”分隔",
}
_CONFIRMED_PLACEHOLDERS: dict[str, str] = {
    "选举名称": "本次选举的名称",
    "发布机关": "选举单位党组织（工作方案中的“选举单位党组织”）",
    "上级党委": "召集选举的上级党委",
    "圈选情况": "全委会圈选的日期、会议、应到和实到委员人数及圈选结果（一句话，按登记的会议情况生成）",
    "应选名额": "应选代表名额",
    "人数": "预备人选人数",
    "差额": "预备人选多于应选名额的人数",
    "名单": "预备人选姓名，按姓氏笔画排序，以“、”分隔",
}
PLACEHOLDERS: dict[WordingKind, dict[str, str]] = {
    WordingKind.notice_first: _NOTICE_PLACEHOLDERS,
    WordingKind.notice_second: _NOTICE_PLACEHOLDERS,
    WordingKind.report_preliminary: _REPORT_PLACEHOLDERS,
    WordingKind.report_confirmed: _CONFIRMED_PLACEHOLDERS,
}

_NOTICE_TAIL = (
    "{名单表}\n"
    "公示时间：{公示期}。\n"
    "公示期间，可通过来电、来信、来访等方式向{受理单位}反映公示对象的情况和问题。"
    "反映问题应实事求是，个人反映的请署真实姓名，单位反映的请加盖公章，并提供具体事实或线索。\n"
    "受理电话：{联系电话}；通信地址：{通信地址}；{邮箱名称}：{邮箱}。"
)
DEFAULTS: dict[WordingKind, str] = {
    WordingKind.notice_first: "经{发布机关}研究，确定{选举名称}考察对象{人数}名，现将名单（按姓氏笔画排序）在其所在单位公示如下：\n"
                              + _NOTICE_TAIL,
    WordingKind.notice_second: "经{发布机关}研究，确定{选举名称}初步人选{人数}名，现将名单（按姓氏笔画排序）公示如下：\n"
                               + _NOTICE_TAIL,
    WordingKind.report_preliminary: (
        "按照{上级党委}的部署，{发布机关}组织开展了代表推荐提名、考察和公示工作。现将有关情况报告如下：\n"
        "一、推荐提名情况\n"
        "各推荐单位共推荐人选{推荐人数}名，经研究确定考察对象{考察对象人数}名。\n"
        "二、考察和公示情况\n"
        "对{考察对象人数}名考察对象进行了考察，组织民主测评{民主测评人次}人次、个别谈话{个别谈话人次}人次；"
        "考察结论为不宜的{不宜人数}名。\n"
        "公示期间收到反映{反映件数}件，已办结{办结件数}件（{办结情况}），因反映问题属实移出名单{移出人数}名。\n"
        "三、初步人选情况\n"
        "经研究确定初步人选{人数}名（按姓氏笔画排序）：{名单}。"
    ),
    WordingKind.report_confirmed: (
        "按照工作安排，{发布机关}组织开展了{选举名称}的推荐提名和考察工作，现将预备人选确定情况报告如下。\n"
        "一、预备人选产生情况\n"
        "{圈选情况}\n"
        "应选名额{应选名额}名，预备人选{人数}名，差额{差额}名。\n"
        "二、预备人选名单\n"
        "（按姓氏笔画排序）{名单}。"
    ),
}


def normalise(text: str) -> str:
    """Line endings as "\\n", each line trimmed at its end, blank lines dropped (one paragraph a line)."""
    lines = (line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def check_template(kind: WordingKind, text: str) -> list[str]:
    """What is wrong with a template, in Chinese; empty when it may be saved."""
    text = normalise(text)
    if not text:
        return ["内容不能为空；要使用系统默认措辞，请点击“恢复默认”"]
    errors = []
    if len(text) > MAX_LENGTH:
        errors.append(f"内容不能超过{MAX_LENGTH}个字（当前{len(text)}个字）")
    known = PLACEHOLDERS[kind]
    unknown = list(dict.fromkeys(m.group(1) for m in _PLACEHOLDER.finditer(text) if m.group(1) not in known))
    if unknown:
        errors.append("不认识的占位符：" + "、".join(f"{{{name}}}" for name in unknown)
                      + "。请改用页面上列出的占位符（名称须完全一致）")
    stray = _PLACEHOLDER.sub("", text)
    if "{" in stray or "}" in stray:
        errors.append("“{”和“}”只用于占位符，须成对出现在同一行，如{公示期}；请删除多余的括号")
    if kind.is_notice:
        lines = text.split("\n")
        alone = lines.count("{" + TABLE + "}")
        total = text.count("{" + TABLE + "}")
        if alone != 1 or total != 1:
            errors.append(f"公示中须有且只有一行单独写“{{{TABLE}}}”，标明名单表格的位置（当前{total}处）")
    return errors


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace each known ``{名称}`` with its value, in one pass (a value is never read as a template).

    A name without a value is left as written (a template checked by ``check_template`` has none).
    """
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), normalise(text))


@dataclass(frozen=True)
class NoticeText:
    """A filled 公示: the paragraphs before and after the table."""

    before_table: tuple[str, ...]
    after_table: tuple[str, ...]


def notice_text(template: str, values: Mapping[str, str]) -> NoticeText:
    """Fill a 公示 template and split it at the ``{名单表}`` line (no table line: all text before the table)."""
    marker = "\0table\0"
    filled = fill(template, {**values, TABLE: marker})
    lines = filled.split("\n")
    if marker in lines:
        at = lines.index(marker)
        return NoticeText(tuple(lines[:at]), tuple(line for line in lines[at + 1:] if line != marker))
    return NoticeText(tuple(line.replace(marker, "") for line in lines), ())


@dataclass(frozen=True)
class ReportText:
    """A filled 情况报告: the opening paragraphs and the sections (heading, paragraphs, sub-sections)."""

    intro: tuple[str, ...]
    sections: tuple[tuple[str, tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]], ...]


def report_text(template: str, values: Mapping[str, str]) -> ReportText:
    """Fill a 情况报告 template and split it into the opening and the "一、" sections with their "（一）" parts."""
    intro: list[str] = []
    sections: list[list] = []  # [heading, paragraphs, [[sub heading, paragraphs], ...]]
    for line in fill(template, values).split("\n"):
        if _HEADING1.match(line):
            sections.append([line, [], []])
        elif _HEADING2.match(line) and sections:
            sections[-1][2].append([line, []])
        elif not sections:
            intro.append(line)
        elif sections[-1][2]:
            sections[-1][2][-1][1].append(line)
        else:
            sections[-1][1].append(line)
    return ReportText(tuple(intro), tuple((h, tuple(p), tuple((sh, tuple(sp)) for sh, sp in subs))
                                          for h, p, subs in sections))


def example_values(kind: WordingKind) -> dict[str, str]:
    """Values for a preview before the document exists: each placeholder shown as 〔its name〕."""
    return {name: f"〔{name}〕" for name in PLACEHOLDERS[kind]}
