"""年会 groups (docs/rules.md §7): 代表团/代表小组 for the group discussion — generated from the roll's 代表小组 or
added by hand —, each delegate in one group per session, a convener, and minutes per group recorded by the
组织部 (who and when)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from election.assembly.models import AssemblySession, GroupMember, SessionGroup
from election.assembly.permissions import can_manage_sessions, session_or_404
from election.audit.services import audit
from election.core.db import transaction
from election.core.exceptions import Conflict, NotFound, ServiceError
from election.core.permissions import require
from election.duties.models import TermDelegate

MAX_MINUTES = 20000


def groups_of(db: Session, meeting: AssemblySession) -> list[SessionGroup]:
    from sqlalchemy.orm import selectinload

    return list(db.scalars(select(SessionGroup).where(SessionGroup.session_id == meeting.id)
                           .options(selectinload(SessionGroup.members), selectinload(SessionGroup.convener))
                           .order_by(SessionGroup.name)))


def _roll(db: Session, meeting: AssemblySession) -> list[TermDelegate]:
    return list(db.scalars(select(TermDelegate).where(TermDelegate.congress == meeting.congress,
                                                      TermDelegate.status == "serving").order_by(TermDelegate.name)))


def _flush(db: Session, message: str) -> None:
    try:
        with db.begin_nested():
            db.flush()
    except IntegrityError:
        raise Conflict(message) from None


def _start(db: Session, actor, session_id: int) -> AssemblySession:
    require(can_manage_sessions(actor), "只有管理员和选举办可以安排分组讨论。")
    return session_or_404(db, actor, session_id, lock=True)


def generate_groups(db: Session, actor, session_id: int, now: datetime) -> list[SessionGroup]:
    """One group per 代表小组 of the roll (TermDelegate.group_name), its delegates as members; only while the
    session has no groups yet. Delegates without a 代表小组 are left to be placed by hand."""
    with transaction(db):
        meeting = _start(db, actor, session_id)
        if db.scalar(select(SessionGroup.id).where(SessionGroup.session_id == meeting.id).limit(1)):
            raise Conflict("本次会议已经分组；如需调整，请在各组中增减成员。")
        by_group: dict[str, list[TermDelegate]] = {}
        for d in _roll(db, meeting):
            if d.group_name:
                by_group.setdefault(d.group_name, []).append(d)
        if not by_group:
            raise ServiceError("代表名册中没有填写代表小组，请手工添加分组")
        made = []
        for name in sorted(by_group):
            g = SessionGroup(session_id=meeting.id, name=name[:64])
            g.members = [GroupMember(session_id=meeting.id, delegate_id=d.id) for d in by_group[name]]
            db.add(g)
            made.append(g)
        _flush(db, "分组刚被他人修改，请刷新页面后重试。")
        audit(db, actor, "assembly.group.generate", meeting, summary=f"{meeting.title}按代表小组分为{len(made)}个组",
              after={"groups": [g.name for g in made]}, now=now)
    return made


def create_group(db: Session, actor, session_id: int, name: str, now: datetime) -> SessionGroup:
    name = (name or "").strip()
    if not name or len(name) > 64:
        raise ServiceError("请填写组名（不超过64字）")
    with transaction(db):
        meeting = _start(db, actor, session_id)
        if db.scalar(select(SessionGroup.id).where(SessionGroup.session_id == meeting.id, SessionGroup.name == name)):
            raise Conflict(f"本次会议已有“{name}”，请换一个组名")
        g = SessionGroup(session_id=meeting.id, name=name)
        db.add(g)
        _flush(db, f"本次会议已有“{name}”，请换一个组名")
        audit(db, actor, "assembly.group.create", meeting, summary=f"{meeting.title}增加分组“{name}”",
              after={"name": name}, now=now)
    return g


def _group(db: Session, meeting: AssemblySession, group_id: int) -> SessionGroup:
    g = db.get(SessionGroup, group_id)
    if g is None or g.session_id != meeting.id:
        raise NotFound("该分组不存在。")
    return g


def _delegate(db: Session, meeting: AssemblySession, delegate_id: int | None) -> TermDelegate:
    d = db.get(TermDelegate, delegate_id) if delegate_id else None
    if d is None or d.congress != meeting.congress:
        raise ServiceError("请从本次会议的代表名册中选择代表")
    if d.status != "serving":
        raise ServiceError(f"{d.name}不是在任代表，不能编入分组")
    return d


def assign_member(db: Session, actor, session_id: int, group_id: int, delegate_id: int, now: datetime) -> GroupMember:
    """Put a delegate in the group; one already in another group of the session is moved (said in the audit)."""
    with transaction(db):
        meeting = _start(db, actor, session_id)
        g = _group(db, meeting, group_id)
        d = _delegate(db, meeting, delegate_id)
        m = db.scalar(select(GroupMember).where(GroupMember.session_id == meeting.id, GroupMember.delegate_id == d.id))
        if m is not None and m.group_id == g.id:
            raise Conflict(f"{d.name}已在“{g.name}”中")
        came_from = m.group.name if m is not None else None
        if m is None:
            m = GroupMember(session_id=meeting.id, group_id=g.id, delegate_id=d.id)
            db.add(m)
        else:
            if m.group.convener_id == d.id:
                m.group.convener_id = None
            m.group_id = g.id
        _flush(db, f"{d.name}已在本次会议的另一个组中，每名代表只能编入一个组，请刷新页面后调整")
        summary = f"{d.name}从“{came_from}”调至“{g.name}”" if came_from else f"{d.name}编入“{g.name}”"
        audit(db, actor, "assembly.group.member", meeting, summary=f"{meeting.title}：{summary}",
              after={"group": g.id, "delegate": d.id, "from": came_from}, now=now)
    return m


def remove_member(db: Session, actor, session_id: int, group_id: int, delegate_id: int, now: datetime) -> None:
    with transaction(db):
        meeting = _start(db, actor, session_id)
        g = _group(db, meeting, group_id)
        m = db.scalar(select(GroupMember).where(GroupMember.group_id == g.id, GroupMember.delegate_id == delegate_id))
        if m is None:
            raise ServiceError("该代表不在本组中")
        name = m.delegate.name
        if g.convener_id == delegate_id:
            g.convener_id = None
        db.delete(m)
        audit(db, actor, "assembly.group.remove", meeting, summary=f"{meeting.title}：{name}移出“{g.name}”",
              before={"group": g.id, "delegate": delegate_id}, now=now)


def set_convener(db: Session, actor, session_id: int, group_id: int, delegate_id: int | None,
                 now: datetime) -> SessionGroup:
    with transaction(db):
        meeting = _start(db, actor, session_id)
        g = _group(db, meeting, group_id)
        if delegate_id:
            if not any(m.delegate_id == delegate_id for m in g.members):
                raise ServiceError("召集人应为本组成员，请先将其编入本组")
            g.convener_id = delegate_id
        else:
            g.convener_id = None
        db.flush()
        name = g.convener.name if g.convener else "（无）"
        audit(db, actor, "assembly.group.convener", meeting, summary=f"{meeting.title}“{g.name}”召集人：{name}",
              after={"group": g.id, "convener": g.convener_id}, now=now)
    return g


def save_minutes(db: Session, actor, session_id: int, group_id: int, text: str, now: datetime) -> SessionGroup:
    text = (text or "").strip()
    if len(text) > MAX_MINUTES:
        raise ServiceError(f"讨论纪要不超过{MAX_MINUTES}字，请删减")
    with transaction(db):
        meeting = _start(db, actor, session_id)
        g = _group(db, meeting, group_id)
        g.minutes, g.minutes_by_id, g.minutes_at = text, actor.id, now
        audit(db, actor, "assembly.group.minutes", meeting, summary=f"{meeting.title}“{g.name}”记录讨论纪要",
              after={"group": g.id, "length": len(text)}, now=now)
    return g
