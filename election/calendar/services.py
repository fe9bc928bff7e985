"""The working-day calendar with the admin's holiday table: entered day by day, or read from the State Council's
yearly notice (来源: docs/rules.md §3.5)."""
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
from workflow.common.holiday_notice import NoticeDays, NoticeError, parse_holiday_notice


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
    _store_year(session, actor, year, override, now, "calendar.set_year",
                f"设置{year}年节假日{len(override.holidays)}天、调休上班日{len(override.workdays)}天")


def read_holiday_notice(text: str) -> NoticeDays:
    """The days a pasted notice arranges, or a ServiceError listing every problem (nothing is stored)."""
    try:
        notice = parse_holiday_notice(text)
    except NoticeError as exc:
        raise ServiceError("；".join(exc.problems)) from None
    outside = [d for d in notice.workdays if d.year != notice.year]
    outside += [d for d in notice.holidays if d.year != notice.year and d.weekday() < 5]
    if outside:  # a weekend day off before 元旦 changes nothing; anything else belongs to that year's table
        days = "、".join(d.isoformat() for d in sorted(outside))
        raise ServiceError(f"{days}不属于{notice.year}年：请在该年的节假日设置中录入")
    return notice


def import_holiday_notice(session: Session, actor, text: str, now: datetime | None = None) -> NoticeDays:
    """Store the year a State Council notice arranges (its days off and 调休 working days), replacing what that
    year had. ``actor`` None is the server's operator at the command line."""
    if actor is not None:
        require(can_manage_users(actor), "只有管理员可以设置节假日。")
    notice = read_holiday_notice(text)
    holidays, workdays = notice.in_year()
    _store_year(session, actor, notice.year, YearOverride(holidays=holidays, workdays=workdays), now,
                "calendar.import_notice",
                f"按国务院办公厅通知设置{notice.year}年节假日{len(holidays)}天、调休上班日{len(workdays)}天")
    return notice


def _store_year(session: Session, actor, year: int, override: YearOverride, now: datetime | None, action: str,
                summary: str) -> None:
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
        audit(session, actor, action, object_type="calendar", object_id=year, summary=summary,
              before={"days": before}, after={"holidays": sorted(override.holidays),
                                              "workdays": sorted(override.workdays)}, now=now)
