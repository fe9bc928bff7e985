"""In-app notifications and the daily reminder run."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from election.accounts.models import User
from election.audit.services import audit
from election.calendar.services import load_calendar
from election.core.db import transaction
from election.core.permissions import ELECTION_STAFF
from election.directory.models import ElectionUnit
from election.directory.scope import reach_test
from election.elections.facts import build_facts
from election.elections.models import Election
from election.notifications.mail import send_pending_email
from election.notifications.models import Notification
from workflow.pipeline.deadlines import reminders_due
from workflow.pipeline.stages import Stage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReminderRun:
    created: int
    elections: int
    emailed: int = 0


def run_daily_reminders(session: Session, today: date, now: datetime, smtp: dict | None = None) -> ReminderRun:
    """Create the day's reminders for every running election; a second run the same day creates nothing."""
    calendar = load_calendar(session)
    with transaction(session):
        elections = session.scalars(select(Election).where(Election.stage.not_in([Stage.completed, Stage.aborted])))
        elections = list(elections)
        staff = session.scalars(select(User).where(User.role.in_(list(ELECTION_STAFF)), User.active.is_(True))).all()
        unit_users: dict[int, list[User]] = {}
        for u in session.scalars(select(User).where(User.unit_id.is_not(None), User.active.is_(True))):
            unit_users.setdefault(u.unit_id, []).append(u)
        suffix = today.isoformat()  # every dedup key ends with its day (workflow.pipeline.deadlines.Reminder)
        existing = set(session.execute(select(Notification.user_id, Notification.dedup_key)
                                       .where(Notification.dedup_key.endswith(suffix))).all())
        unit_pages = {(eu.election_id, eu.unit_id): eu.id for eu in session.scalars(
            select(ElectionUnit).where(ElectionUnit.election_id.in_([e.id for e in elections])))}
        new: list[Notification] = []
        reaches = reach_test(session)  # a 选举单位's staff hear only of their own elections
        for election in elections:
            facts = build_facts(session, election, today)
            for r in reminders_due(facts, calendar, today):
                recipients = unit_users.get(r.unit_id, []) + staff if r.unit_id is not None else staff
                for user in recipients:
                    if (user.id, r.dedup_key) in existing or not reaches(user.organisation_id, election.organisation_id):
                        continue
                    existing.add((user.id, r.dedup_key))
                    page = unit_pages.get((election.id, user.unit_id)) if user.role == "unit" else None
                    link = f"/units/{page}" if page else f"/elections/{election.id}"
                    new.append(Notification(user_id=user.id, election_id=election.id, kind=r.kind.value,
                                            dedup_key=r.dedup_key, message=r.message, link=link, created_at=now))
        from election.levels.services.reports_reminders import package_reminders

        for r in package_reminders(session, elections, today, calendar):  # packages up (docs/rules.md §8.2)
            if (r.user_id, r.dedup_key) not in existing:
                existing.add((r.user_id, r.dedup_key))
                new.append(Notification(user_id=r.user_id, election_id=r.election_id, kind=r.kind,
                                        dedup_key=r.dedup_key, message=r.message, link=r.link, created_at=now))
        from election.assembly.services.proposals_queries import overdue_reply_reminders

        for r in overdue_reply_reminders(session, today, reaches):  # 会议提案答复逾期 (docs/rules.md §7)
            if (r.user_id, r.dedup_key) not in existing:
                existing.add((r.user_id, r.dedup_key))
                new.append(Notification(user_id=r.user_id, kind=r.kind, dedup_key=r.dedup_key, message=r.message,
                                        link=r.link, created_at=now))
        from election.assembly.services.reminders import notice_reminders

        for r in notice_reminders(session, today):  # a 年会's notice due (docs/rules.md §7)
            if (r.user_id, r.dedup_key) not in existing:
                existing.add((r.user_id, r.dedup_key))
                new.append(Notification(user_id=r.user_id, election_id=None, kind=r.kind,
                                        dedup_key=r.dedup_key, message=r.message, link=r.link, created_at=now))
        from election.assembly.services.followup import overdue_reminders

        new += overdue_reminders(session, today, now, existing)  # 整改事项、询问质询逾期 (docs/rules.md §7)
        session.add_all(new)
        if new:
            audit(session, None, "reminders.daily", object_type="notifications", object_id=today.isoformat(),
                  summary=f"{today.isoformat()}每日提醒：生成{len(new)}条站内提醒", after={"count": len(new)}, now=now)
    emailed = send_pending_email(session, smtp, now) if smtp and smtp.get("host") else 0
    return ReminderRun(len(new), len(elections), emailed)


def unread_query(user_id):
    """SELECT count of the user's unread reminders (``user_id`` may be a bound parameter)."""
    return select(func.count()).select_from(Notification).where(Notification.user_id == user_id,
                                                                Notification.read_at.is_(None))


def unread_count(session: Session, user_id: int) -> int:
    return session.scalar(unread_query(user_id)) or 0


def recent(session: Session, user_id: int, limit: int = 50) -> list[Notification]:
    return list(session.scalars(select(Notification).where(Notification.user_id == user_id)
                                .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)))


def mark_all_read(session: Session, user_id: int, now: datetime) -> None:
    with transaction(session):
        session.execute(update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
                        .values(read_at=now))
