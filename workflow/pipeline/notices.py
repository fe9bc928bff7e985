"""When a 公示's 发布日期 needs a stated reason: a date before its people were chosen, or so far in the past that its
five working days would be mostly over on the day it is entered, is how a period is skipped — allowed only with the
reason on record (docs/rules.md §3.5 补登)."""
from __future__ import annotations

from datetime import date

from workflow.common.calendar import WorkCalendar
from workflow.common.dates import cn_date

# 来源: docs/rules.md §3.5 — [待定] how many working days back a 发布日期 may lie without a reason; a setting
BACKDATE_WORKING_DAYS = 2


def backdating_problem(posted_on: date, today: date, stage_began: date | None, calendar: WorkCalendar,
                       allowed_working_days: int = BACKDATE_WORKING_DAYS) -> str | None:
    """Why a 公示 dated POSTED_ON, entered on TODAY, needs a reason — or None.

    Before the day its stage began (the people were not yet chosen), or more than ALLOWED_WORKING_DAYS working
    days before TODAY (counted as the working days after the 发布日期 up to and including today)."""
    if stage_began is not None and posted_on < stage_began:
        return f"发布日期{cn_date(posted_on)}早于本阶段开始的日期{cn_date(stage_began)}"
    if posted_on >= today:  # today or ahead: nothing lies back (and no calendar is needed to say so)
        return None
    back = calendar.working_days_between(posted_on, today)
    if back > allowed_working_days:
        return f"发布日期{cn_date(posted_on)}比今天早{back}个工作日（超过{allowed_working_days}个工作日）"
    return None
