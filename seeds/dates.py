"""The demo's dates, built from the day it is loaded, so that every page looks like a live election.

The 2019 sample plan (docs/rules.md §2; seeds/data/election.json ``sample_timeline``: 2月8日 → 2月10日 → 2月21日 →
3月1日 → … → 4月15日) gives the rhythm: the working days between one stage's due date and the next. The plan is laid
out again around the current stage, whose due date comes DUE_IN_WORKING_DAYS working days after the load day; the
earlier stages are behind it, the later ones ahead. The working days come from the system's calendar (the admin's
table, then the ``chinese-calendar`` package); for a year it does not know, the demo counts Monday to Friday less the
holidays fixed by the solar calendar (元旦, 劳动节, 国庆) — the dates only need to look right, and the pages then
say that year's holidays are missing (docs/rules.md §3.5).

Pure: the calendar and the day are parameters.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from workflow.common.calendar import CalendarMissing, WorkCalendar
from workflow.pipeline.stages import PIPELINE, Stage

DUE_IN_WORKING_DAYS = 4   # the current stage falls due in a few working days
CREATED_BEFORE_PLAN = 5   # working days between setting the election up and the 工作方案's due date
LATE_BY = (1, 2)          # the stage finished late: one or two days after its due date, on a working day
# 全体公民放假的节日 on fixed solar dates (1月1日, 5月1日–2日, 10月1日–3日); the lunar ones need the year's notice
FIXED_HOLIDAYS = ((1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3))


@dataclass(frozen=True)
class DemoDates:
    """today      the day the demo is loaded (the pages look live on it)
    dues       stage → due date (StageDue)
    moves      the stage history so far: (from stage, to stage, day), from the election's creation on
    submitted  the working days on which units have handed in their lists (after the day 推荐提名 began, before
               today)"""

    today: date
    dues: dict[str, date]
    moves: tuple[tuple[str, str, date], ...]
    submitted: tuple[date, ...]

    @property
    def election_day(self) -> date:
        """The 差额选举 stage's due date: the default 年龄计算基准日 (docs/rules.md §3.2)."""
        return self.dues[Stage.ballot.value]


def is_working_day(calendar: WorkCalendar, day: date) -> bool:
    try:
        return calendar.is_working_day(day)
    except CalendarMissing:  # a year the calendar does not know (the demo only: the system itself never guesses)
        return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS


def shift_working_days(calendar: WorkCalendar, day: date, n: int) -> date:
    """n > 0: the n-th working day after DAY; n < 0: the |n|-th working day before it; 0: DAY."""
    step = timedelta(days=1 if n > 0 else -1)
    left = abs(n)
    while left:
        day += step
        if is_working_day(calendar, day):
            left -= 1
    return day


def working_days_between(calendar: WorkCalendar, a: date, b: date) -> int:
    """Working days d with a < d <= b (0 when b <= a)."""
    return sum(1 for k in range(1, (b - a).days + 1) if is_working_day(calendar, a + timedelta(days=k)))


def sample_gaps(calendar: WorkCalendar, sample: Mapping[str, date]) -> dict[str, int]:
    """Stage → working days from the previous stage's due date to its own in the sample plan (at least one: the
    sample's 工作部署 falls due on a Sunday of the 2019 Spring Festival, two days after the 工作方案)."""
    stages = [s.value for s in PIPELINE if s.value in sample]
    return {b: max(1, working_days_between(calendar, sample[a], sample[b])) for a, b in pairwise(stages)}


def plan_demo_dates(today: date, calendar: WorkCalendar, sample: Mapping[str, date], current: str) -> DemoDates:
    """The sample plan shifted so that stage CURRENT falls due a few working days after TODAY."""
    stages = [s.value for s in PIPELINE if s.value in sample]
    gaps = sample_gaps(calendar, sample)
    at = stages.index(current)
    dues = {current: shift_working_days(calendar, today, DUE_IN_WORKING_DAYS)}
    for k in range(at + 1, len(stages)):
        dues[stages[k]] = shift_working_days(calendar, dues[stages[k - 1]], gaps[stages[k]])
    for k in range(at, 0, -1):
        dues[stages[k - 1]] = shift_working_days(calendar, dues[stages[k]], -gaps[stages[k]])
    dues = {s: dues[s] for s in stages}

    # the history: set up before the first due date; the earlier stages finished on their due dates, except one — the
    # latest that a working day allows — a day or two late (the dashboard's “晚1天”)
    finished: dict[str, date] = {}
    late = False
    for k in range(at - 1, -1, -1):
        due = dues[stages[k]]
        limit = today - timedelta(days=1) if k == at - 1 else finished[stages[k + 1]]
        day = None if late else next((d for d in (due + timedelta(days=n) for n in LATE_BY)
                                      if d <= limit and is_working_day(calendar, d)), None)
        late |= day is not None
        finished[stages[k]] = day or due
    moves = [("", stages[0], shift_working_days(calendar, dues[stages[0]], -CREATED_BEFORE_PLAN))]
    moves += [(stages[k], stages[k + 1], finished[stages[k]]) for k in range(at)]
    started = moves[-1][2]
    submitted = tuple(d for d in (started + timedelta(days=n) for n in range(1, (today - started).days))
                      if is_working_day(calendar, d)) or (today - timedelta(days=1),)
    return DemoDates(today, dues, tuple(moves), submitted)
