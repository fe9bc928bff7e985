"""The days a holiday notice arranges, laid out as month calendars for the admin to confirm before saving."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from workflow.common.holiday_notice import HOLIDAY, WORKDAY, NoticeDays

WEEKDAY_HEADINGS = ("一", "二", "三", "四", "五", "六", "日")


@dataclass(frozen=True)
class DayCell:
    day: date | None   # None: a blank before the 1st or after the last day of the month
    kind: str = ""     # 放假 / 上班 as the notice arranges, "" otherwise

    @property
    def weekend(self) -> bool:
        return self.day is not None and self.day.weekday() >= 5


@dataclass(frozen=True)
class MonthGrid:
    title: str                    # 2027年1月
    weeks: list[list[DayCell]]    # Monday first


def month_grids(notice: NoticeDays) -> list[MonthGrid]:
    """Every month that holds an arranged day, in order, as weeks of seven cells."""
    kinds = {d: HOLIDAY for d in notice.holidays} | {d: WORKDAY for d in notice.workdays}
    months = sorted({(d.year, d.month) for d in kinds})
    grids = []
    for year, month in months:
        weeks = [[DayCell(d, kinds.get(d, "")) if d.month == month else DayCell(None) for d in week]
                 for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)]
        grids.append(MonthGrid(f"{year}年{month}月", weeks))
    return grids
