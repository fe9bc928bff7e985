"""A 公示's 发布日期 needs a reason before its stage began or more than two working days back (docs/rules.md §3.5)."""
from __future__ import annotations

from datetime import date

import pytest

from workflow.common.calendar import WorkCalendar
from workflow.pipeline.notices import BACKDATE_WORKING_DAYS, backdating_problem

CAL = WorkCalendar()


@pytest.mark.parametrize("posted_on, today, needs_reason", [
    (date(2026, 3, 6), date(2026, 3, 6), False),     # the same day
    (date(2026, 3, 9), date(2026, 3, 6), False),     # a date ahead
    (date(2026, 3, 4), date(2026, 3, 6), False),     # Thu, Fri after it: exactly two working days back
    (date(2026, 3, 3), date(2026, 3, 6), True),      # three
    (date(2026, 3, 5), date(2026, 3, 9), False),     # over a weekend: Fri, Mon — two
    (date(2026, 3, 4), date(2026, 3, 9), True),      # Thu, Fri, Mon — three
    (date(2026, 9, 29), date(2026, 10, 8), False),   # over 国庆 (10月1日至7日 off): 9月30日, 10月8日 — two
    (date(2026, 9, 28), date(2026, 10, 8), True),    # 9月29日, 9月30日, 10月8日 — three
    (date(2026, 2, 13), date(2026, 2, 24), False),   # over 春节 with 2月14日 (Sat) worked: 2月14日, 2月24日 — two
    (date(2026, 2, 12), date(2026, 2, 24), True),    # 2月13日, 2月14日, 2月24日 — three
])
def test_working_days_back(posted_on, today, needs_reason):
    problem = backdating_problem(posted_on, today, None, CAL)
    assert (problem is not None) == needs_reason, problem
    if needs_reason:
        assert f"超过{BACKDATE_WORKING_DAYS}个工作日" in problem


def test_not_before_the_stage_began():
    began = date(2026, 3, 5)
    assert backdating_problem(began, date(2026, 3, 5), began, CAL) is None
    problem = backdating_problem(date(2026, 3, 4), date(2026, 3, 5), began, CAL)
    assert problem == "发布日期2026年3月4日早于本阶段开始的日期2026年3月5日"


def test_the_allowance_is_a_setting():
    assert backdating_problem(date(2026, 3, 3), date(2026, 3, 6), None, CAL, allowed_working_days=3) is None
    assert backdating_problem(date(2026, 3, 6), date(2026, 3, 6), None, CAL, allowed_working_days=0) is None
    assert backdating_problem(date(2026, 3, 5), date(2026, 3, 6), None, CAL, allowed_working_days=0) is not None
