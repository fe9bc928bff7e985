"""The 反映 received during a 公示: registered against a person on a published notice, assigned to a 考察组, 纪检 or
office member, checked, and closed with 属实/部分属实/不属实/无法核实 — 属实 removes the person (docs/rules.md §5).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from election.accounts.models import User
from election.audit.services import audit
from election.core.clock import to_local
from election.core.db import transaction
from election.core.exceptions import NotFound, ServiceError
from election.core.permissions import require
from election.core.roles import Role
from election.notifications import events as notifications
from election.vetting.models import Complaint
from election.vetting.services.enums import Channel, ComplaintConclusion, ComplaintStatus, NoticeStatus
from election.vetting.services.notices import _notice, end_due_within
from election.vetting.services.people import _nominee
from election.vetting.services.permissions import can_handle_complaint, can_manage_vetting


@dataclass(frozen=True)
class ComplaintInput:
    nominee_id: int
    channel: str
    received_on: date
    content: str
    real_name: bool = False


def register_complaint(session: Session, actor, notice_id: int, data: ComplaintInput, now: datetime) -> Complaint:
    """Register a 反映 against a person on a published notice."""
    require(can_manage_vetting(actor), "只有选举办工作人员可以登记反映。")
    try:
        channel = Channel(data.channel)
    except ValueError:
        raise ServiceError("请选择反映方式（来电、来信、来访、电子邮件或其他）。") from None
    if not data.content.strip():
        raise ServiceError("请填写反映内容。")
    with transaction(session):
        notice = _notice(session, notice_id)
        if notice.status != NoticeStatus.published:
            raise ServiceError("只能对已发布、尚未结束的公示登记反映。")
        if data.nominee_id not in (notice.people_ids or []):
            raise ServiceError("被反映人不在该公示名单中。")
        if data.received_on < notice.posted_on:
            raise ServiceError("收到日期早于公示发布日期，请核对。")
        nominee = _nominee(session, data.nominee_id)
        complaint = Complaint(notice_id=notice_id, nominee_id=nominee.id, channel=channel.value,
                              received_on=data.received_on, content=data.content.strip(), real_name=data.real_name,
                              status=ComplaintStatus.registered.value, created_at=now)
        session.add(complaint)
        session.flush()
        audit(session, actor, "complaint.register", complaint,
              summary=f"登记对{nominee.name}的反映（{channel.label}，{'实名' if data.real_name else '匿名'}）",
              after={"notice_id": notice_id, "nominee_id": nominee.id, "channel": channel.value}, now=now)
    return complaint


def _complaint(session: Session, complaint_id: int) -> Complaint:
    complaint = session.get(Complaint, complaint_id)
    if complaint is None:
        raise NotFound("反映不存在。")
    return complaint


def assign_complaint(session: Session, actor, complaint_id: int, user_id: int, now: datetime) -> Complaint:
    require(can_manage_vetting(actor), "只有选举办工作人员可以交办反映。")
    with transaction(session):
        complaint = _complaint(session, complaint_id)
        if complaint.status == ComplaintStatus.closed:
            raise ServiceError("该反映已办结。")
        user = session.get(User, user_id)
        if user is None or not user.active or user.role not in (Role.inspector, Role.discipline, Role.office,
                                                                 Role.admin):
            raise ServiceError("请选择一名考察组、纪检或选举办人员承办。")
        complaint.assigned_to_id = user.id
        if complaint.status == ComplaintStatus.registered:
            complaint.status = ComplaintStatus.assigned.value
        audit(session, actor, "complaint.assign", complaint, summary=f"反映交{user.display_name}核查",
              after={"user_id": user.id}, now=now)
        notifications.complaint_assigned(session, complaint, now)
    return complaint


def record_complaint_check(session: Session, actor, complaint_id: int, findings: str, now: datetime) -> Complaint:
    """核查情况, by the person it was assigned to (or the office)."""
    if not findings.strip():
        raise ServiceError("请填写核查情况。")
    with transaction(session):
        complaint = _complaint(session, complaint_id)
        require(can_handle_complaint(actor, complaint), "您不是该反映的承办人。")
        if complaint.status == ComplaintStatus.closed:
            raise ServiceError("该反映已办结。")
        if complaint.assigned_to_id is None:
            raise ServiceError("请先交办承办人。")
        before = complaint.findings
        complaint.findings = findings.strip()
        complaint.status = ComplaintStatus.checking.value
        audit(session, actor, "complaint.check", complaint, summary="登记反映核查情况",
              before={"findings": before}, after={"findings": complaint.findings}, now=now)
    return complaint


def conclude_complaint(session: Session, actor, complaint_id: int, conclusion: str, effect: str,
                       now: datetime) -> Complaint:
    """Close with 属实/部分属实/不属实/无法核实 and the effect; 属实 removes the person with the reason (docs/rules.md §5)."""
    require(can_manage_vetting(actor), "只有选举办工作人员可以办结反映。")
    try:
        verdict = ComplaintConclusion(conclusion)
    except ValueError:
        raise ServiceError("核查结论只能是属实、部分属实、不属实或无法核实。") from None
    if not effect.strip():
        raise ServiceError("请填写处理意见（对被反映人的影响）。")
    with transaction(session):
        complaint = _complaint(session, complaint_id)
        if complaint.status == ComplaintStatus.closed:
            raise ServiceError("该反映已办结。")
        if not complaint.findings.strip():
            raise ServiceError("请先登记核查情况再办结。")
        nominee = _nominee(session, complaint.nominee_id)
        complaint.conclusion, complaint.effect = verdict.value, effect.strip()
        complaint.status, complaint.closed_at = ComplaintStatus.closed.value, now
        removed = False
        if verdict is ComplaintConclusion.true and nominee.removed_reason is None:
            nominee.removed_reason = f"公示期间反映问题经核查属实：{effect.strip()}"
            removed = True
        audit(session, actor, "complaint.conclude", complaint,
              summary=f"对{nominee.name}的反映办结：{verdict.label}；{effect.strip()}" + ("（已移出名单）" if removed else ""),
              after={"conclusion": verdict.value, "effect": effect.strip(), "removed": removed}, now=now)
        session.flush()
        # the last open 反映 of a notice whose period is over: the notice ends with it
        end_due_within(session, to_local(now).date(), now, nominee.election_id)
    return complaint
