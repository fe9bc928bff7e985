"""Resolutions and follow-up (docs/rules.md §7): the resolutions (决议) adopted at a session with the report of their
implementation (落实情况), and each problem the session raised (by the 民主评议, a resolution, a 提案 …) with its
responsible unit, deadline, progress and status — the next session's agenda lists them (services.followup_report).

Each function is one use case: one transaction, one audit entry. The session's row is locked first, so two
managers acting at once on the same session are serialised (PostgreSQL). The daily reminder of what is past its
deadline (follow-ups and 询问/质询) is ``overdue_reminders``, called by the daily run.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from election.accounts.models import User
from election.assembly import permissions as perm
from election.assembly.models import (
    FOLLOWUP_SOURCES,
    FOLLOWUP_STATUSES,
    Appraisal,
    AppraisalObject,
    AssemblySession,
    FollowUp,
    Inquiry,
    Resolution,
)
from election.audit.services import audit
from election.core.db import transaction
from election.core.exceptions import NotFound, ServiceError
from election.core.permissions import require
from election.directory.scope import reach_test
from election.notifications.models import Notification
from workflow.assembly import followup as wf
from workflow.common.dates import cn_date

SOURCE_LABELS = {"appraisal": "民主评议", "resolution": "决议", "proposal": "提案", "other": "其他"}
STATUS_LABELS = wf.STATUS_LABELS
MAX_TITLE, MAX_OWNER, MAX_TEXT = 200, 128, 5000


def _text(value: str | None, label: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ServiceError(f"请填写{label}。")
    if len(value) > limit:
        raise ServiceError(f"{label}不能超过{limit}字。")
    return value


# ------------------------------------------------------------------------------------------------------ resolutions
def _adoptable(meeting: AssemblySession, adopted_on: date | None) -> date:
    # 来源: docs/rules.md §7 — a resolution is recorded once the session has opened, dated within its days
    if meeting.status not in ("open", "held"):
        raise ServiceError("会议开幕后才能登记决议，请先在会议概况中宣布开幕。")
    if adopted_on is None:
        raise ServiceError("请填写通过日期。")
    if not meeting.opens_on <= adopted_on <= meeting.closes_on:
        raise ServiceError(f"通过日期须在会期内（{cn_date(meeting.opens_on)}至{cn_date(meeting.closes_on)}）。")
    return adopted_on


def add_resolution(db: Session, actor, session_id: int, title: str, text: str, adopted_on: date | None,
                   now: datetime) -> Resolution:
    """The session adopted a resolution: its title (关于…的决议), text and the day it was adopted."""
    require(perm.can_manage_sessions(actor))
    title, text = _text(title, "决议名称", MAX_TITLE), _text(text, "决议正文", MAX_TEXT * 4)
    with transaction(db):
        meeting = perm.session_or_404(db, actor, session_id, lock=True)
        resolution = Resolution(session_id=meeting.id, title=title, text=text,
                                adopted_on=_adoptable(meeting, adopted_on), created_at=now)
        db.add(resolution)
        db.flush()
        audit(db, actor, "assembly.resolution.add", resolution, summary=f"{meeting.title}通过“{title}”",
              after={"title": title, "adopted_on": resolution.adopted_on}, now=now)
    return resolution


def resolution_or_404(db: Session, actor, resolution_id: int, *, lock: bool = False) -> tuple[Resolution, AssemblySession]:
    resolution = db.get(Resolution, resolution_id)
    if resolution is None:
        raise NotFound("未找到该决议，或它不属于您的组织。")
    try:
        meeting = perm.session_or_404(db, actor, resolution.session_id, lock=lock)
    except NotFound:
        raise NotFound("未找到该决议，或它不属于您的组织。") from None
    return resolution, meeting


def edit_resolution(db: Session, actor, resolution_id: int, title: str, text: str, adopted_on: date | None,
                    now: datetime) -> Resolution:
    require(perm.can_manage_sessions(actor))
    title, text = _text(title, "决议名称", MAX_TITLE), _text(text, "决议正文", MAX_TEXT * 4)
    with transaction(db):
        resolution, meeting = resolution_or_404(db, actor, resolution_id, lock=True)
        before = {"title": resolution.title, "adopted_on": resolution.adopted_on, "text": resolution.text}
        resolution.adopted_on = _adoptable(meeting, adopted_on)
        resolution.title, resolution.text = title, text
        audit(db, actor, "assembly.resolution.edit", resolution, summary=f"修改“{title}”", before=before,
              after={"title": title, "adopted_on": resolution.adopted_on, "text": text}, now=now)
    return resolution


def report_implementation(db: Session, actor, resolution_id: int, implementation: str, reported_on: date | None,
                          now: datetime) -> Resolution:
    """The report of how a resolution was carried out (落实情况), usually at the next session; recorded again, it
    replaces the earlier one (audited with both)."""
    require(perm.can_manage_sessions(actor))
    implementation = _text(implementation, "落实情况", MAX_TEXT)
    if reported_on is None:
        raise ServiceError("请填写报告日期。")
    with transaction(db):
        resolution, _ = resolution_or_404(db, actor, resolution_id, lock=True)
        if reported_on < resolution.adopted_on:
            raise ServiceError(f"报告日期不能早于决议通过日期（{cn_date(resolution.adopted_on)}）。")
        before = {"implementation": resolution.implementation,
                  "implementation_reported_on": resolution.implementation_reported_on}
        resolution.implementation, resolution.implementation_reported_on = implementation, reported_on
        audit(db, actor, "assembly.resolution.report", resolution, summary=f"登记“{resolution.title}”的落实情况",
              before=before, after={"implementation": implementation, "implementation_reported_on": reported_on}, now=now)
    return resolution


# ------------------------------------------------------------------------------------------------------ follow-ups
def create_followup(db: Session, actor, session_id: int, source: str, problem: str, owner: str, due_on: date | None,
                    now: datetime, *, appraisal_object_id: int | None = None,
                    resolution_id: int | None = None) -> FollowUp:
    """A problem the session raised, with the unit responsible (责任单位) and a deadline; the appraisal object or
    resolution it came from must be of this very session."""
    require(perm.can_manage_sessions(actor))
    if source not in FOLLOWUP_SOURCES:
        raise ServiceError("问题来源只能是：民主评议、决议、提案、其他。")
    problem, owner = _text(problem, "问题", MAX_TEXT), _text(owner, "责任单位", MAX_OWNER)
    if due_on is None:
        raise ServiceError("请填写整改期限。")
    with transaction(db):
        meeting = perm.session_or_404(db, actor, session_id, lock=True)
        if due_on < meeting.opens_on:
            raise ServiceError(f"整改期限不能早于会议开幕日（{cn_date(meeting.opens_on)}）。")
        if appraisal_object_id is not None and db.scalar(
                select(AppraisalObject.id).join(Appraisal, Appraisal.id == AppraisalObject.appraisal_id)
                .where(AppraisalObject.id == appraisal_object_id, Appraisal.session_id == meeting.id)) is None:
            raise ServiceError("所选评议对象不属于本次会议的民主评议，请重新选择。")
        if resolution_id is not None and db.scalar(select(Resolution.id).where(
                Resolution.id == resolution_id, Resolution.session_id == meeting.id)) is None:
            raise ServiceError("所选决议不属于本次会议，请重新选择。")
        item = FollowUp(session_id=meeting.id, source=source, problem=problem, owner=owner, due_on=due_on,
                        appraisal_object_id=appraisal_object_id, resolution_id=resolution_id, updated_at=now)
        db.add(item)
        db.flush()
        audit(db, actor, "assembly.followup.create", item,
              summary=f"{meeting.title}提出整改问题（{SOURCE_LABELS[source]}）：{problem[:60]}，责任单位{owner}",
              after={"followup_source": source, "owner": owner, "due_on": due_on}, now=now)
    return item


def followup_or_404(db: Session, actor, followup_id: int, *, lock: bool = False) -> tuple[FollowUp, AssemblySession]:
    item = db.get(FollowUp, followup_id)
    if item is None:
        raise NotFound("未找到该整改事项，或它不属于您的组织。")
    try:
        meeting = perm.session_or_404(db, actor, item.session_id, lock=lock)
    except NotFound:
        raise NotFound("未找到该整改事项，或它不属于您的组织。") from None
    if lock:
        db.refresh(item)
    return item, meeting


def update_followup(db: Session, actor, followup_id: int, status: str, progress: str, done_on: date | None,
                    now: datetime) -> FollowUp:
    """Progress of a follow-up: 未开始 → 整改中 → 已完成 (finishing needs the day and a note of what was done)."""
    require(perm.can_manage_sessions(actor))
    if status not in FOLLOWUP_STATUSES:
        raise ServiceError("状态只能是：未开始、整改中、已完成。")
    progress = _text(progress, "整改措施与进展", MAX_TEXT, required=status == "done")
    if status == "done" and done_on is None:
        raise ServiceError("标记为已完成须填写完成日期。")
    with transaction(db):
        item, meeting = followup_or_404(db, actor, followup_id, lock=True)
        if status == "done" and done_on < meeting.opens_on:
            raise ServiceError(f"完成日期不能早于提出问题的会议（{cn_date(meeting.opens_on)}）。")
        before = {"followup_status": item.status, "progress": item.progress, "done_on": item.done_on}
        item.status, item.progress = status, progress
        item.done_on = done_on if status == "done" else None
        item.updated_at = now
        audit(db, actor, "assembly.followup.progress", item,
              summary=f"整改事项“{item.problem[:40]}”：{STATUS_LABELS[before['followup_status']]} → {STATUS_LABELS[status]}",
              before=before, after={"followup_status": status, "progress": progress, "done_on": item.done_on}, now=now)
    return item


def edit_followup(db: Session, actor, followup_id: int, owner: str, due_on: date | None, now: datetime) -> FollowUp:
    """Change the responsible unit or the deadline (both kept in the audit, before and after)."""
    require(perm.can_manage_sessions(actor))
    owner = _text(owner, "责任单位", MAX_OWNER)
    if due_on is None:
        raise ServiceError("请填写整改期限。")
    with transaction(db):
        item, meeting = followup_or_404(db, actor, followup_id, lock=True)
        if due_on < meeting.opens_on:
            raise ServiceError(f"整改期限不能早于会议开幕日（{cn_date(meeting.opens_on)}）。")
        before = {"owner": item.owner, "due_on": item.due_on}
        item.owner, item.due_on, item.updated_at = owner, due_on, now
        audit(db, actor, "assembly.followup.edit", item, summary=f"修改整改事项“{item.problem[:40]}”的责任单位或期限",
              before=before, after={"owner": owner, "due_on": due_on}, now=now)
    return item


# ------------------------------------------------------------------------------------------------------ reading
@dataclass(frozen=True)
class FollowUpRow:
    item: FollowUp
    meeting: AssemblySession
    overdue: bool
    state: str


def followup_row(item: FollowUp, meeting: AssemblySession, today: date) -> FollowUpRow:
    line = wf.report_lines([wf.Item(item.problem, item.owner, item.due_on, item.status, item.done_on)], today)[0]
    return FollowUpRow(item, meeting, line.overdue, line.state)


def session_followups(db: Session, meeting: AssemblySession, today: date) -> tuple[list[Resolution], list[FollowUpRow]]:
    resolutions = list(db.scalars(select(Resolution).where(Resolution.session_id == meeting.id).order_by(Resolution.id)))
    items = db.scalars(select(FollowUp).where(FollowUp.session_id == meeting.id).order_by(FollowUp.id))
    return resolutions, [followup_row(f, meeting, today) for f in items]


def followups_in_scope(db: Session, actor, today: date, status: str | None = None) -> list[FollowUpRow]:
    """Every follow-up of the sessions the user reaches: unfinished first, the overdue among them first, then by
    deadline (workflow.assembly.followup.report_lines). Two queries."""
    query = perm.sessions_in_scope(select(FollowUp, AssemblySession).join(
        AssemblySession, AssemblySession.id == FollowUp.session_id), actor, db)
    if status in FOLLOWUP_STATUSES:
        query = query.where(FollowUp.status == status)
    rows = [followup_row(f, s, today) for f, s in db.execute(query.order_by(FollowUp.due_on, FollowUp.id)).all()]
    rows.sort(key=lambda r: (r.item.status == "done", not r.overdue, r.item.due_on))
    return rows


# ------------------------------------------------------------------------------------------------------ reminders
def overdue_reminders(db: Session, today: date, now: datetime, existing: set) -> list[Notification]:
    """The daily run's reminders to the managers in scope (管理员, 选举办 reaching the session's or the inquiry's
    organisation): a follow-up past its deadline and not done, an 询问/质询 past its reply deadline without a
    reply. Late means after the deadline day (the day itself is not late). One reminder per item per day: the key
    ends with the day, EXISTING holds (user id, key) already sent and is updated."""
    # 来源: docs/rules.md §7 — 整改期限、答复期限 passed: the 组织部 is reminded daily until done
    managers = list(db.scalars(select(User).where(User.role.in_(("admin", "office")), User.active.is_(True))))
    if not managers:
        return []
    reaches = reach_test(db)
    wanted: list[tuple[int | None, str, str, str, str]] = []
    late = db.execute(select(FollowUp, AssemblySession).join(AssemblySession, AssemblySession.id == FollowUp.session_id)
                      .where(FollowUp.status != "done", FollowUp.due_on < today)).all()
    for item, meeting in late:
        message = (f"{meeting.title}提出的整改事项“{item.problem[:40]}”（责任单位：{item.owner}）已过整改期限"
                   f"{cn_date(item.due_on)}，尚未完成，请督促并登记进展。")
        wanted.append((meeting.organisation_id, "followup_overdue", f"followup_overdue:{item.id}:{today.isoformat()}",
                       message, "/assembly/followups"))
    for inquiry in db.scalars(select(Inquiry).where(Inquiry.replied_on.is_(None), Inquiry.due_on < today)):
        what = "询问" if inquiry.kind == "inquiry" else "质询"
        message = (f"{inquiry.delegate.name}就“{inquiry.subject[:40]}”向{inquiry.department}提出的{what}已过答复期限"
                   f"{cn_date(inquiry.due_on)}，尚未答复，请督促并登记答复。")
        wanted.append((inquiry.organisation_id, "inquiry_overdue", f"inquiry_overdue:{inquiry.id}:{today.isoformat()}",
                       message, f"/assembly/inquiries/{inquiry.id}"))
    out = []
    for org, kind, key, message, link in wanted:
        for user in managers:
            if (user.id, key) in existing or not reaches(user.organisation_id, org):
                continue
            existing.add((user.id, key))
            out.append(Notification(user_id=user.id, kind=kind, dedup_key=key, message=message, link=link,
                                    created_at=now))
    return out
