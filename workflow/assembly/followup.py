"""What a session raised and how it was followed up, as the next session's agenda reports it (docs/rules.md §7:
决议的落实情况和民主评议所提问题的整改情况，在下一次年会上报告)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

STATUS_LABELS = {"open": "未开始", "in_progress": "整改中", "done": "已完成"}


@dataclass(frozen=True)
class Item:
    problem: str
    owner: str
    due_on: date
    status: str
    done_on: date | None = None


@dataclass(frozen=True)
class Line:
    item: Item
    overdue: bool
    state: str  # 已完成 / 整改中 / 未开始, with 逾期 when late

    @property
    def text(self) -> str:
        return f"{self.item.problem}（责任单位：{self.item.owner}；期限：{_d(self.item.due_on)}；{self.state}）"


def _d(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def is_overdue(item: Item, today: date) -> bool:
    """Late when not done by the end of its deadline day, or done after it."""
    if item.status == "done":
        return item.done_on is not None and item.done_on > item.due_on
    return today > item.due_on


def report_lines(items: Sequence[Item], today: date) -> list[Line]:
    """The follow-up lines for the next agenda: unfinished first (the overdue among them first), then the finished,
    each group by deadline."""
    lines = []
    for item in items:
        late = is_overdue(item, today)
        state = STATUS_LABELS.get(item.status, item.status)
        if item.status == "done":
            state = f"已于{_d(item.done_on)}完成" + ("（逾期完成）" if late else "") if item.done_on else "已完成"
        elif late:
            state += "，已逾期"
        lines.append(Line(item, late, state))
    lines.sort(key=lambda ln: (ln.item.status == "done", not ln.overdue, ln.item.due_on))
    return lines
