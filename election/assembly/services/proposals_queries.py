"""Reading a session's 提案 (docs/rules.md §7): the rows of its proposals page and 汇总表 with their co-signers and
state, the counts by 立案 state, and the managers' daily reminder of replies past their deadline. A fixed number of
statements whatever the number of proposals."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.accounts.models import User
from election.assembly.models import AssemblySession
from election.assembly.services.proposal_rules import FILING_LABELS, REPLYABLE, is_overdue
from election.duties.models import Proposal, ProposalCosigner, TermDelegate
from workflow import duties as wd
from workflow.common.dates import cn_date

STATE_FILTERS = ("pending", "filed", "not_filed", "suggestion", "replied", "overdue")
STATE_FILTER_LABELS = {**FILING_LABELS, "replied": "已答复", "overdue": "逾期未答复"}


@dataclass(frozen=True)
class ProposalRow:
    no: int  # 序号 in the session, by submission
    proposal: Proposal
    cosigners: list[str]
    overdue: bool

    @property
    def filing_label(self) -> str:
        return FILING_LABELS.get(self.proposal.filing or "pending", "")

    @property
    def assessment_label(self) -> str:
        a = self.proposal.assessment
        return wd.SatisfactionGrade(a).label if a else ""


@dataclass(frozen=True)
class SessionProposals:
    rows: list[ProposalRow]
    counts: dict[str, int]  # every key of STATE_FILTERS, plus "all"

    def only(self, state: str | None) -> list[ProposalRow]:
        if not state:
            return self.rows
        return [r for r in self.rows if _matches(r, state)]


def _matches(row: ProposalRow, state: str) -> bool:
    p = row.proposal
    if state == "replied":
        return p.replied_on is not None
    if state == "overdue":
        return row.overdue
    return (p.filing or "pending") == state


def session_proposals(db: Session, meeting: AssemblySession, today: date) -> SessionProposals:
    items = list(db.scalars(select(Proposal).where(Proposal.session_id == meeting.id)
                            .order_by(Proposal.submitted_on, Proposal.id)))
    names: dict[int, list[str]] = {p.id: [] for p in items}
    if items:
        for pid, name in db.execute(select(ProposalCosigner.proposal_id, TermDelegate.name)
                                    .join(TermDelegate, TermDelegate.id == ProposalCosigner.delegate_id)
                                    .where(ProposalCosigner.proposal_id.in_(list(names)))
                                    .order_by(ProposalCosigner.id)):
            names[pid].append(name)
    rows = [ProposalRow(i, p, names[p.id], is_overdue(p, today)) for i, p in enumerate(items, 1)]
    counts = {s: sum(1 for r in rows if _matches(r, s)) for s in STATE_FILTERS}
    counts["all"] = len(rows)
    return SessionProposals(rows, counts)


# ------------------------------------------------------------------------------------------------ the reminders
@dataclass(frozen=True)
class OverdueReminder:
    user_id: int
    kind: str
    dedup_key: str
    message: str
    link: str


def overdue_reply_reminders(db: Session, today: date, reaches) -> list[OverdueReminder]:
    """For the daily run (election.notifications.services): each session with replies past their deadline reminds
    its 组织部 (管理员, 选举办 whose part holds the session) once a day, with how many and the oldest deadline.
    REACHES is ``election.directory.scope.reach_test``'s function. # 来源: docs/rules.md §7"""
    late = list(db.execute(
        select(Proposal.session_id, Proposal.reply_due_on)
        .where(Proposal.session_id.is_not(None), Proposal.filing.in_(REPLYABLE), Proposal.replied_on.is_(None),
               Proposal.reply_due_on < today)))
    if not late:
        return []
    by_session: dict[int, list[date]] = {}
    for sid, due in late:
        by_session.setdefault(sid, []).append(due)
    meetings = list(db.scalars(select(AssemblySession).where(AssemblySession.id.in_(list(by_session)))))
    managers = list(db.scalars(select(User).where(User.role.in_(["admin", "office"]), User.active.is_(True))))
    out: list[OverdueReminder] = []
    for m in meetings:
        dues = by_session[m.id]
        message = (f"{m.title}有{len(dues)}件提案的答复已逾期（最早的答复期限为{cn_date(min(dues))}），"
                   "请督促承办单位答复并登记。")
        for u in managers:
            if reaches(u.organisation_id, m.organisation_id):
                out.append(OverdueReminder(u.id, "proposal_reply_overdue",
                                           f"proposal_reply_overdue:{m.id}:{today.isoformat()}", message,
                                           f"/assembly/sessions/{m.id}/proposals?state=overdue"))
    return out
