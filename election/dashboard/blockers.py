"""What blocks the next stage, summarised by kind: 14 near-identical "推荐单位“…”尚未报送" lines become one line
"14个推荐单位尚未报送推荐人选" with the units folded out. Pure: the stage guards' blockers in, groups out; the
guards (workflow.pipeline.guards) stay the only place that decides what blocks.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from workflow.common.results import Blocker

# the kinds that come once per unit or per person, and how a group of them reads (n is the count)
SUMMARIES = {
    "nominate.unit_not_submitted": "{n}个推荐单位尚未报送推荐人选，请督促提交；确实无需报送的，请登记免报及理由",
    "deploy.unit_without_account": "{n}个推荐单位还没有经办人账号，请由管理员在“用户管理”中创建",
    "unit_list": "{n}个推荐单位的名单不符合要求，请通知其修改",
    "vet.vetting_not_done": "{n}名考察对象尚未完成考察，请录入考察材料和考察结论",
    "preliminary.discipline_opinion_missing": "{n}名初步人选还没有纪检机关意见，请征求并登记",
    "plan.due_date_missing": "{n}个阶段尚未设置截止日期，请在时间安排中填写",
}
_NAME = (re.compile(r"推荐单位“([^”]+)”[：:]?(.*)"), re.compile(r"^(?:考察对象|初步人选)(.+?)(?:尚未|还没有)"),
         re.compile(r"“([^”]+)”阶段"))


def kind_of(code: str) -> str:
    """A unit's own list checks (unit_list.report_count, unit_list.breakdown.…) are one kind; others their code."""
    return "unit_list" if code.startswith("unit_list.") else code


@dataclass(frozen=True)
class FoldedItem:
    code: str
    label: str       # the unit's or person's name (plus what is wrong with a unit's list), else the whole message
    message: str


@dataclass(frozen=True)
class BlockerGroup:
    kind: str
    summary: str                       # the one line shown
    items: tuple[FoldedItem, ...]      # folded out under the line when more than one
    source: str = ""

    @property
    def folded(self) -> bool:
        return len(self.items) > 1


def _label(kind: str, message: str) -> str:
    for pattern in _NAME:
        m = pattern.search(message)
        if m:
            detail = m.group(2).strip() if kind == "unit_list" and m.lastindex and m.lastindex > 1 else ""
            return f"{m.group(1)}：{detail}" if detail else m.group(1)
    return message


def group_blockers(blockers: Iterable[Blocker]) -> list[BlockerGroup]:
    """Blockers grouped by kind in order of first appearance; a kind with one blocker keeps its own message."""
    groups: dict[str, list[Blocker]] = {}
    for b in blockers:
        groups.setdefault(kind_of(b.code), []).append(b)
    out = []
    for kind, items in groups.items():
        template = SUMMARIES.get(kind)
        folded = tuple(FoldedItem(b.code, _label(kind, b.message), b.message) for b in items)
        if len(items) == 1:
            summary = items[0].message
        elif template is not None:     # a unit with several list problems counts once
            summary = template.format(n=len({f.label.split("：")[0] for f in folded}))
        else:
            summary = f"以下{len(items)}项尚未完成"
        out.append(BlockerGroup(kind, summary, folded, items[0].source))
    return out
