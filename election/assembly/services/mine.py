"""What a 代表 has ahead of him in the congress's sessions, for his 工作台: the next session of his congress (its
date, place, whether the notice is out, his sign-in, whether 提案 are being taken), the meetings he is invited to
列席 that are still to come, and his 询问/质询 still waiting for a reply. Four statements."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from election.assembly.models import AssemblySession, Attendance, Inquiry, SitInInvitee, SitInMeeting
from election.assembly.services.proposal_rules import window_label, window_open
from election.duties.models import TermDelegate


@dataclass(frozen=True)
class MySessions:
    next_session: AssemblySession | None
    mark: Attendance | None       # his sign-in or leave at it
    proposals_open: bool          # 提案 are being taken for it today
    window: str                   # the 提案征集期 as the clerk set it
    sitins: list[SitInMeeting]    # meetings he is invited to 列席, from today on
    inquiries_waiting: int        # his 询问/质询 without a reply

    @property
    def empty(self) -> bool:
        return self.next_session is None and not self.sitins and not self.inquiries_waiting


def my_sessions(db: Session, delegate: TermDelegate, today: date) -> MySessions:
    meeting = db.scalar(select(AssemblySession).where(
        AssemblySession.congress == delegate.congress, AssemblySession.status != "held",
        AssemblySession.closes_on >= today).order_by(AssemblySession.opens_on).limit(1))
    mark = db.scalar(select(Attendance).where(Attendance.session_id == meeting.id,
                                              Attendance.delegate_id == delegate.id)) if meeting else None
    sitins = list(db.scalars(select(SitInMeeting).join(SitInInvitee, SitInInvitee.meeting_id == SitInMeeting.id)
                             .where(SitInInvitee.delegate_id == delegate.id, SitInMeeting.held_on >= today)
                             .order_by(SitInMeeting.held_on)))
    waiting = db.scalar(select(func.count()).select_from(Inquiry)
                        .where(Inquiry.delegate_id == delegate.id, Inquiry.replied_on.is_(None)))
    return MySessions(meeting, mark, bool(meeting and window_open(meeting, today)),
                      window_label(meeting) if meeting else "", sitins, waiting or 0)
