"""What the earlier sessions of the same congress raised, as the next session reports it (docs/rules.md §7): the
follow-up of each problem raised (整改情况) and the implementation of each resolution (决议落实情况). The session's
agenda page and its 议程 document list these without anyone typing them in."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.assembly.models import AssemblySession, FollowUp, Resolution
from workflow.assembly import followup as wf


@dataclass(frozen=True)
class ResolutionLine:
    resolution: Resolution
    meeting: AssemblySession

    @property
    def text(self) -> str:
        r = self.resolution
        if r.implementation_reported_on is None:
            return f"{r.title}（落实情况尚未报告）"
        d = r.implementation_reported_on
        return f"{r.title}（已于{d.year}年{d.month}月{d.day}日报告落实情况）"


@dataclass(frozen=True)
class FollowUpReport:
    followups: list  # workflow.assembly.followup.Line, each with .source_session
    resolutions: list[ResolutionLine]

    @property
    def empty(self) -> bool:
        return not self.followups and not self.resolutions


def earlier_sessions(db: Session, meeting: AssemblySession) -> list[AssemblySession]:
    return list(db.scalars(select(AssemblySession).where(
        AssemblySession.congress == meeting.congress, AssemblySession.meeting_no < meeting.meeting_no,
        AssemblySession.organisation_id.is_(meeting.organisation_id) if meeting.organisation_id is None
        else AssemblySession.organisation_id == meeting.organisation_id).order_by(AssemblySession.meeting_no)))


def followup_report(db: Session, meeting: AssemblySession, today: date) -> FollowUpReport:
    """The follow-ups and resolutions of the earlier sessions (two queries): what is still open of any earlier
    session, and everything of the session just before, finished or not."""
    earlier = earlier_sessions(db, meeting)
    if not earlier:
        return FollowUpReport([], [])
    ids = [s.id for s in earlier]
    last = earlier[-1].id
    items = [f for f in db.scalars(select(FollowUp).where(FollowUp.session_id.in_(ids)).order_by(FollowUp.id))
             if f.session_id == last or f.status != "done"]
    lines = wf.report_lines([wf.Item(f.problem, f.owner, f.due_on, f.status, f.done_on) for f in items], today)
    by_id = {s.id: s for s in earlier}
    resolutions = [ResolutionLine(r, by_id[r.session_id]) for r in db.scalars(
        select(Resolution).where(Resolution.session_id.in_(ids)).order_by(Resolution.session_id, Resolution.id))
        if r.session_id == last or r.implementation_reported_on is None]
    return FollowUpReport(lines, resolutions)
