"""The daily reminder of a session's notice (docs/rules.md §7), for the daily run (election.notifications.services):
from the day the notice is due (the opening day less the session's notice days) until it is sent, every manager
whose part of the directory holds the session's committee is told "年会通知应于X月X日前发出", once a day. Plain rows
out; the daily run skips what was already sent that day (every key ends with the day) and writes them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.accounts.models import User
from election.assembly.models import AssemblySession
from election.directory.scope import reach_test
from workflow.common.dates import cn_date

MANAGERS = ("admin", "office")  # = election.assembly.permissions.can_manage_sessions


@dataclass(frozen=True)
class NoticeReminder:
    user_id: int
    election_id: None
    kind: str
    dedup_key: str
    message: str
    link: str


def notice_reminders(session: Session, today: date) -> list[NoticeReminder]:
    """Sessions still preparing whose notice is due by today (today ≥ opens_on − notice_days), one reminder per
    manager reaching the committee. Two queries plus one per committee's part."""
    due = [s for s in session.scalars(select(AssemblySession).where(AssemblySession.status == "preparing",
                                                                   AssemblySession.opens_on >= today))
           if today >= s.opens_on - timedelta(days=s.notice_days)]
    if not due:
        return []
    managers = session.scalars(select(User).where(User.role.in_(MANAGERS), User.active.is_(True))).all()
    reaches = reach_test(session)
    out = []
    for s in due:
        by = s.opens_on - timedelta(days=s.notice_days)
        message = (f"{s.title}定于{cn_date(s.opens_on)}召开，年会通知应于{cn_date(by)}前发出，"
                   "请排定议程、上传会议材料后发出通知。")
        for u in managers:
            if reaches(u.organisation_id, s.organisation_id):
                out.append(NoticeReminder(u.id, None, "assembly_notice_due",
                                          f"assembly_notice_due:{s.id}:{today.isoformat()}", message,
                                          f"/assembly/sessions/{s.id}"))
    return out
