"""The working-day calendar with the admin's holiday table (issue 3)."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from election.audit.services import audit
from election.calendar.models import CalendarDay
from election.core.db import transaction
from election.core.exceptions import ServiceError
from election.core.permissions import can_manage_users, require
from workflow.common.calendar import WorkCalendar, YearOverride, check_year_override


def load_overrides(session: Session) -> dict[int, YearOverride]:
    days: dict[int, dict[str, set[date]]] = defaultdict(lambda: {"holiday": set(), "workday": set()})
    for row in session.execute(select(CalendarDay.year, CalendarDay.day, CalendarDay.kind)):
        days[row.year][row.kind].add(row.day)
    return {y: YearOverride(holidays=v["holiday"], workdays=v["workday"]) for y, v in days.items()}


def load_calendar(session: Session) -> WorkCalendar:
    return WorkCalendar(load_overrides(session))


def set_calendar_year(session: Session, actor, year: int, holidays: Iterable[date], workdays: Iterable[date],
                      now: datetime | None = None) -> None:
    """Replace one year's holidays and 调休 working days; the year then overrides the package."""
    require(can_manage_users(actor), "只有管理员可以设置节假日。")
    override = YearOverride(holidays=set(holidays), workdays=set(workdays))
    problems = check_year_override(year, override)
    if problems:
        raise ServiceError("；".join(b.message for b in problems))
    with transaction(session):
        before = sorted(d.isoformat() for d in session.scalars(select(CalendarDay.day).where(CalendarDay.year == year)))
        session.execute(delete(CalendarDay).where(CalendarDay.year == year))
        for d in sorted(override.holidays):
            session.add(CalendarDay(year=year, day=d, kind="holiday"))
        for d in sorted(override.workdays):
            session.add(CalendarDay(year=year, day=d, kind="workday"))
        audit(session, actor, "calendar.set_year", object_type="calendar", object_id=year,
              summary=f"设置{year}年节假日{len(override.holidays)}天、调休上班日{len(override.workdays)}天",
              before={"days": before}, after={"holidays": sorted(override.holidays),
                                              "workdays": sorted(override.workdays)}, now=now)
