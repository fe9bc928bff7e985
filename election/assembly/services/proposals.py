"""提案 at a session of the congress (docs/rules.md §7): the same 提案/提议 as between sessions
(election.duties.services.proposals) — one submitted to a session carries its session and waits for the 立案 review
(待审查 → 立案 / 不立案 / 转为建议); the 承办单位's reply is recorded only for one filed or turned into a 建议, by the
组织部, and a reply past its deadline is overdue (the page and the managers' daily reminders say so).

- Submitting: ``submit_proposal`` is ``create_proposal`` with the session set; ``session_open_for`` is the check it
  runs inside that use case (the session in the caller's reach, its roll, its window).
- Review: ``review_proposal`` — one use case, the proposal row locked; the reviewer names the state he saw, so two
  reviewers deciding at once cannot both win.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.assembly.models import AssemblySession
from election.assembly.permissions import can_manage_sessions, session_or_404
from election.audit.services import audit
from election.core.clock import to_local
from election.core.db import transaction
from election.core.exceptions import Conflict, NotFound, ServiceError
from election.core.permissions import require
from election.duties.models import Proposal
from election.duties.services.proposals import ProposalInput, create_proposal
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


def submit_proposal(db: Session, actor, session_id: int, data: ProposalInput, now: datetime) -> Proposal:
    """A 提案/提议 submitted to a session: ``create_proposal`` (its checks, points and audit) with the session set,
    waiting for the 立案 review."""
    return create_proposal(db, actor, replace(data, session_id=session_id), now)


# ------------------------------------------------------------------------------------------------- the review
@dataclass(frozen=True)
class ReviewInput:
    proposal_id: int
    decision: str  # filed | not_filed | suggestion
    handling_unit: str = ""
    reply_due_on: date | None = None
    reason: str = ""
    expected: str = "pending"  # the state the reviewer saw: another reviewer's decision meanwhile is a Conflict


def review_problems(data: ReviewInput, today: date) -> list[str]:
    """# 来源: docs/rules.md §7 — 立案须有承办单位和答复期限；不立案、转为建议须说明理由；转为建议仍交承办单位答复"""
    if data.decision not in DECISIONS:
        return ["请选择审查结果：立案、不立案或转为建议。"]
    label = FILING_LABELS[data.decision]
    problems = []
    if data.decision in REPLYABLE:
        if not data.handling_unit.strip():
            problems.append(f"{label}须填写承办单位")
        elif len(data.handling_unit.strip()) > MAX_UNIT:
            problems.append(f"承办单位不能超过{MAX_UNIT}个字符")
        if data.reply_due_on is None:
            problems.append(f"{label}须填写答复期限")
        elif data.reply_due_on < today:
            problems.append(f"答复期限不能早于今天（{cn_date(today)}）")
    if data.decision in ("not_filed", "suggestion") and not data.reason.strip():
        problems.append(f"{label}须填写理由")
    if len(data.reason) > MAX_REASON:
        problems.append(f"理由不能超过{MAX_REASON}个字符")
    if data.expected not in FILING_LABELS:
        problems.append("请刷新页面后重新审查")
    return problems


def review_proposal(db: Session, actor, session_id: int, data: ReviewInput, now: datetime) -> Proposal:
    """立案 / 不立案 / 转为建议 of a session's proposal, by the 组织部; may be changed until a reply is recorded."""
    problems = review_problems(data, to_local(now).date())
    if problems:
        raise ServiceError("；".join(problems) + "。")
    with transaction(db):
        require(can_manage_sessions(actor), "只有组织部（管理员、选举办）可以审查提案。")
        meeting = session_or_404(db, actor, session_id)
        p = db.scalar(select(Proposal).where(Proposal.id == data.proposal_id, Proposal.session_id == meeting.id)
                      .with_for_update(of=Proposal))
        if p is None:
            raise NotFound("本次会议没有该提案。")
        # 来源: docs/rules.md §7 — 审查结果在登记答复前可以更改
        if p.replied_on is not None:
            raise Conflict("承办单位已经答复，审查结果不能再更改。")
        if p.filing != data.expected:
            raise Conflict(f"该提案的审查结果已由他人改为“{FILING_LABELS.get(p.filing, p.filing)}”，"
                           "请刷新页面核对后再决定。")
        before = {"filing": p.filing, "handling_unit": p.handling_unit, "reply_due_on": p.reply_due_on,
                  "reason": p.filing_reason}
        p.filing, p.filing_reason = data.decision, data.reason.strip()
        if data.decision in REPLYABLE:
            p.handling_unit, p.reply_due_on = data.handling_unit.strip(), data.reply_due_on
        else:
            p.reply_due_on = None
        p.filed_at, p.filed_by_id = now, actor.id
        label = FILING_LABELS[data.decision]
        detail = (f"，交{p.handling_unit}办理，{cn_date(p.reply_due_on)}前答复" if data.decision in REPLYABLE
                  else f"，理由：{p.filing_reason}")
        audit(db, actor, "assembly.proposal.review", p, summary=f"{meeting.title}：提案“{p.title}”{label}{detail}",
              before={k: str(v) if isinstance(v, date) else v for k, v in before.items()},
              after={"filing": p.filing, "handling_unit": p.handling_unit,
                     "reply_due_on": p.reply_due_on.isoformat() if p.reply_due_on else None,
                     "reason": p.filing_reason}, now=now)
    return p


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
