"""Follow-up lines at their boundaries (docs/rules.md §7): overdue the day after the deadline, not on it."""
from __future__ import annotations

from datetime import date

from workflow.assembly.followup import Item, is_overdue, report_lines

DUE = date(2026, 6, 30)


def test_open_is_not_overdue_on_the_due_day_itself_but_is_the_day_after():
    item = Item("整改文风", "区委办", DUE, "in_progress")
    assert not is_overdue(item, DUE)
    assert is_overdue(item, date(2026, 7, 1))


def test_done_on_the_due_day_is_on_time_and_done_the_day_after_is_late():
    assert not is_overdue(Item("甲", "区委办", DUE, "done", DUE), date(2027, 1, 1))
    assert is_overdue(Item("乙", "区委办", DUE, "done", date(2026, 7, 1)), date(2027, 1, 1))


def test_lines_put_the_overdue_unfinished_first_then_by_deadline():
    items = [Item("已完成", "甲", date(2026, 1, 1), "done", date(2026, 1, 2)),
             Item("未逾期", "乙", date(2026, 8, 1), "open"),
             Item("逾期", "丙", date(2026, 6, 1), "in_progress")]
    lines = report_lines(items, date(2026, 7, 1))
    assert [ln.item.problem for ln in lines] == ["逾期", "未逾期", "已完成"]
    assert lines[0].state == "整改中，已逾期"
    assert lines[2].state == "已于2026年1月2日完成（逾期完成）"
    assert "期限：2026年8月1日" in lines[1].text
