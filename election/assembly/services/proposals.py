"""提案 at a session of the congress (docs/rules.md §7): the same 提案/提议 as between sessions
(election.duties.services.proposals) — one submitted to a session carries its session and waits for the 立案 review
(待审查 → 立案 / 不立案 / 转为建议); the 承办单位's reply is recorded only for one filed or turned into a 建议, by the
组织部, and a reply past its deadline is overdue (the page and the managers' daily reminders say so).

- Submitting: ``submit_proposal`` is ``create_proposal`` with the session set; ``proposal_rules.session_open_for``
  is the check it runs inside that use case (the session in the caller's reach, its roll, its window).
- Review: ``review_proposal`` — one use case, the proposal row locked; the reviewer names the state he saw, so two
  reviewers deciding at once cannot both win.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.assembly.permissions import can_manage_sessions, session_or_404
from election.assembly.services.proposal_rules import (  # noqa: F401  (re-exported for the pages and the API)
    DECISIONS,
    FILING_LABELS,
    MAX_REASON,
    MAX_UNIT,
    REPLYABLE,
    is_overdue,
    window_label,
    window_open,
    window_problem,
)
from election.audit.services import audit
from election.core.clock import to_local
from election.core.db import transaction
from election.core.exceptions import Conflict, NotFound, ServiceError
from election.core.permissions import require
from election.duties.models import Proposal
from election.duties.services.proposals import ProposalInput, create_proposal
from workflow.common.dates import cn_date


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
