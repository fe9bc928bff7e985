"""The rules of 提案 at a session that the between-sessions proposal use cases (election.duties.services.proposals)
also ask (docs/rules.md §7): the submission window, the session named in a submission, who records a session
proposal's reply and when, and when a reply is overdue. No use case here: they run inside the callers' transactions.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from election.assembly.models import AssemblySession
from election.assembly.permissions import can_manage_sessions, session_or_404
from election.core.clock import to_local
from election.core.exceptions import ServiceError
from election.core.permissions import require
from election.duties.models import Proposal
from workflow.common.dates import cn_date

FILING_LABELS = {"pending": "待审查", "filed": "立案", "not_filed": "不立案", "suggestion": "转为建议"}
DECISIONS = ("filed", "not_filed", "suggestion")
REPLYABLE = ("filed", "suggestion")  # 立案 and 建议 both await the 承办单位's reply
OPEN_STATUSES = ("preparing", "notified", "open")
MAX_UNIT, MAX_REASON = 128, 2000


# ------------------------------------------------------------------------------------------------- the window
def window_label(meeting: AssemblySession) -> str:
    first, last = meeting.proposals_open_on, meeting.proposals_close_on
    if first and last:
        return f"{cn_date(first)}至{cn_date(last)}"
    if first:
        return f"{cn_date(first)}起至会议召开"
    if last:
        return f"即日起至{cn_date(last)}"
    return "会议召开前（未另设征集期）"


def window_problem(meeting: AssemblySession, today: date) -> str | None:
    """Why a 提案 cannot be submitted to MEETING today, or None.

    # 来源: docs/rules.md §7 — 征集期首尾两日都含；未设征集期的，会议记为已召开前都可提交；已召开的不再接收"""
    if meeting.status not in OPEN_STATUSES:
        return f"{meeting.title}已召开，不再接收提案。"
    first, last = meeting.proposals_open_on, meeting.proposals_close_on
    if (first and today < first) or (last and today > last):
        return f"本次会议的提案征集期为{window_label(meeting)}，今天（{cn_date(today)}）不在征集期内，不能提交。"
    return None


def window_open(meeting: AssemblySession, today: date) -> bool:
    return window_problem(meeting, today) is None


def session_open_for(db: Session, actor, session_id: int, people, now: datetime) -> AssemblySession:
    """Inside ``create_proposal``'s transaction: the session the body names, in the caller's reach (another
    congress's or district's answers like a missing one), locked against being recorded as held meanwhile; the lead
    and co-signers on its roll; today in its window."""
    meeting = session_or_404(db, actor, session_id, lock=True)
    strangers = [d.name for d in people if d.congress != meeting.congress]
    if strangers:
        raise ServiceError(f"{'、'.join(strangers)}不是{meeting.congress}的代表，不能向本次会议提交提案。")
    problem = window_problem(meeting, to_local(now).date())
    if problem:
        raise ServiceError(problem)
    return meeting


# ------------------------------------------------------------------------------------------------- the reply
def check_session_reply(db: Session, actor, p: Proposal) -> None:
    """Inside ``reply_proposal``: a session's proposal gets its reply from the 组织部 (session in reach), and only
    once filed or turned into a 建议."""
    require(can_manage_sessions(actor), "会议提案的答复由组织部（管理员、选举办）登记。")
    session_or_404(db, actor, p.session_id)
    if p.filing == "pending" or p.filing is None:
        raise ServiceError("该提案尚未立案审查：立案或转为建议后才能登记答复。")
    if p.filing not in REPLYABLE:
        raise ServiceError("该提案不予立案，不登记承办单位的答复。")


def may_reply(user, p: Proposal) -> bool:
    """Whether the reply form is offered on a proposal's page (the page-level form of the checks above)."""
    from election.duties.services.permissions import can_staff_office

    if p.session_id is None:
        return can_staff_office(user, p.lead.office_id)
    return can_manage_sessions(user) and p.filing in REPLYABLE


def is_overdue(p: Proposal, today: date) -> bool:
    """# 来源: docs/rules.md §7 — 答复期限当天仍不算逾期，次日起未答复的为逾期"""
    return p.reply_due_on is not None and p.replied_on is None and p.filing in REPLYABLE and today > p.reply_due_on
