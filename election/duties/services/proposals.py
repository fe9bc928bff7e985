"""提案 and 提议: one created with its lead and co-signers (each earns points under its rule set), the handling
unit's reply, and the lead delegate's (or the office's) assessment of that reply."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.audit.services import audit
from election.core.clock import to_local
from election.core.db import transaction
from election.core.exceptions import ServiceError
from election.core.permissions import has_role, require
from election.core.roles import Role
from election.duties.models import ActivityRecord, Proposal, ProposalCosigner, TermDelegate
from election.duties.services.permissions import _get, _named, can_log_for, can_record_duties, can_staff_office
from workflow import duties as wd
from workflow.duties.delegate_status import DelegateStatus


@dataclass(frozen=True)
class ProposalInput:
    lead_delegate_id: int
    title: str
    grounds: str
    solution: str
    submitted_on: date
    cosigner_ids: tuple[int, ...] = ()
    handling_unit: str = ""
    kind: str = "proposal"
    session_id: int | None = None  # submitted to a session of the congress (年会): waits for its 立案 review


def create_proposal(session: Session, actor, data: ProposalInput, now: datetime) -> Proposal:
    """提案/提议 with its lead and co-signers; each earns points under its rule set (联署 capped, e.g. at 9)."""
    problems = [f"请填写{label}" for label, v in (("案由", data.title), ("案据", data.grounds), ("方案", data.solution))
                if not v.strip()]
    if data.lead_delegate_id in data.cosigner_ids:
        problems.append("领衔代表不能同时作为联署代表")
    if data.kind not in ("proposal", "motion"):
        problems.append("类型只能是提案或提议")
    late = wd.entry_date_problem(data.submitted_on, to_local(now).date())
    if late:
        problems.append(late)
    if problems:
        raise ServiceError("；".join(problems))
    with transaction(session):
        require(can_record_duties(actor), "只能为本人或本工作室的代表登记提案。")
        # the lead named in the body: another office's (another delegate's) answers like a missing id; co-signers
        # may come from any office (their records wait for their own office, below)
        lead = _named(session, TermDelegate, data.lead_delegate_id, "领衔代表", lambda d: can_log_for(actor, d))
        cos = list(session.scalars(select(TermDelegate).where(TermDelegate.id.in_(data.cosigner_ids))))
        if len(cos) != len(set(data.cosigner_ids)):
            raise ServiceError("联署代表中有不存在的代表，请重新选择。")
        inactive = [d.name for d in [lead, *cos] if d.status != DelegateStatus.serving]
        if inactive:
            raise ServiceError(f"{'、'.join(inactive)}不在任，不能领衔或联署。")
        meeting = None
        if data.session_id is not None:  # 来源: docs/rules.md §7 — the session's roll and its window
            from election.assembly.services.proposal_rules import session_open_for

            meeting = session_open_for(session, actor, data.session_id, [lead, *cos], now)
        p = Proposal(kind=data.kind, lead_delegate_id=lead.id, title=data.title.strip(), grounds=data.grounds.strip(),
                     solution=data.solution.strip(), submitted_on=data.submitted_on,
                     handling_unit=data.handling_unit.strip(), created_by_id=actor.id, created_at=now,
                     session_id=meeting.id if meeting else None, filing="pending" if meeting else None)
        p.cosigners = [ProposalCosigner(delegate_id=d.id) for d in cos]
        session.add(p)
        session.flush()
        # 来源: docs/rules.md §6 盐田 — 领衔提案 10, 联署提案 3 each (≤ 9 a year), 提议 3
        code = "lead_proposal" if data.kind == "proposal" else "motion"
        for d, role in [(lead, "lead"), *((d, "co_signer") for d in cos)]:
            if data.kind == "motion" and role == "co_signer":
                continue
            # verified at once only by those who verify that delegate's activities: a co-signer of another
            # 工作室 gets a record waiting for his own office, and a 代表's own entry waits for his
            verified = not has_role(actor, Role.delegate) and can_staff_office(actor, d.office_id)
            session.add(ActivityRecord(
                delegate_id=d.id, type_code=code, on=data.submitted_on, role=role, proposal_id=p.id,
                description=f"{'领衔' if role == 'lead' else '联署'}{'提案' if data.kind == 'proposal' else '提议'}：{p.title}",
                status="verified" if verified else "pending", verified_by_id=actor.id if verified else None,
                verified_at=now if verified else None, created_by_id=actor.id, created_at=now))
        audit(session, actor, "duties.proposal.create", p,
              summary=f"{lead.name}领衔{'提案' if data.kind == 'proposal' else '提议'}“{p.title}”，联署{len(cos)}人"
                      + (f"，提交{meeting.title}" if meeting else ""),
              after={"cosigners": [d.id for d in cos]}, now=now)
    return p


def reply_proposal(session: Session, actor, proposal_id: int, handling_unit: str, reply: str, replied_on: date,
                   now: datetime) -> Proposal:
    if not reply.strip() or not handling_unit.strip():
        raise ServiceError("请填写承办单位和答复内容。")
    with transaction(session):
        p = _get(session, Proposal, proposal_id, "提案")
        if p.session_id is not None:  # 来源: docs/rules.md §7 — only 立案 or 建议, by the 组织部
            from election.assembly.services.proposal_rules import check_session_reply

            check_session_reply(session, actor, p)
        else:
            require(can_staff_office(actor, p.lead.office_id), "只能登记本工作室代表提案的答复。")
        if replied_on < p.submitted_on:
            raise ServiceError("答复日期早于提出日期，请核对。")
        p.handling_unit, p.reply, p.replied_on = handling_unit.strip(), reply.strip(), replied_on
        audit(session, actor, "duties.proposal.reply", p, summary=f"登记“{p.title}”的答复（{p.handling_unit}）", now=now)
    return p


def assess_proposal(session: Session, actor, proposal_id: int, assessment: str, now: datetime) -> Proposal:
    """The lead delegate's (or the office's) assessment of the reply: 非常满意 / 基本满意 / 不满意."""
    grade = wd.normalize_grade(assessment)
    if grade not in {g.value for g in wd.SatisfactionGrade}:
        raise ServiceError("请选择对答复的评价：非常满意、基本满意或不满意。")
    with transaction(session):
        p = _get(session, Proposal, proposal_id, "提案")
        require(can_log_for(actor, p.lead), "只有领衔代表或本工作室工作人员可以评价答复。")
        if p.replied_on is None:
            raise ServiceError("承办单位尚未答复，不能评价。")
        p.assessment = grade
        audit(session, actor, "duties.proposal.assess", p,
              summary=f"对“{p.title}”的答复评价为{wd.SatisfactionGrade(grade).label}", now=now)
    return p
