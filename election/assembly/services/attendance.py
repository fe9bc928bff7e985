"""年会 sign-in (docs/rules.md §7): the roll of the session (the congress's delegates in office; suspended and
vacated seats listed apart, not on it), the clerk signing delegates in — one or many at once, all or nothing —,
leave of absence with its reason, undoing a sign-in, and a delegate signing himself in where the session allows
it. Sign-in changes only while the session is open; after it is recorded as held the attendance is frozen."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, lazyload

from election.assembly.models import AssemblySession, Attendance
from election.assembly.permissions import can_manage_sessions, session_or_404
from election.assembly.services.sessions import STATUS_LABELS, rule_of
from election.audit.services import audit
from election.core.db import transaction
from election.core.exceptions import Conflict, NotFound, ServiceError
from election.core.permissions import require
from election.duties.models import TermDelegate
from election.duties.services.permissions import delegate_of_user
from workflow.assembly import quorum as wq

MAX_BULK = 1000


@dataclass(frozen=True)
class RollView:
    """The session's roll and who came: ``on_roll`` the delegates in office (name order), ``apart`` the suspended
    and vacated ones, ``marks`` delegate id -> Attendance."""

    meeting: AssemblySession
    on_roll: list[TermDelegate]
    apart: list[TermDelegate]
    marks: dict[int, Attendance]
    rule: wq.QuorumRule

    @property
    def present(self) -> int:
        return sum(1 for d in self.on_roll if (a := self.marks.get(d.id)) is not None and a.status == "present")

    @property
    def on_leave(self) -> int:
        return sum(1 for d in self.on_roll if (a := self.marks.get(d.id)) is not None and a.status == "leave")

    @property
    def absent(self) -> int:
        return len(self.on_roll) - self.present - self.on_leave

    @property
    def quorum(self) -> wq.Quorum:
        return wq.check_quorum(len(self.on_roll), self.present, self.rule)

    @property
    def blockers(self) -> list:
        return wq.quorum_blockers(self.quorum, self.rule)


def roll_view(db: Session, meeting: AssemblySession) -> RollView:
    """Two queries whatever the roll's size."""
    people = list(db.scalars(select(TermDelegate).where(TermDelegate.congress == meeting.congress)
                             .order_by(TermDelegate.name, TermDelegate.id)))
    marks = {a.delegate_id: a for a in db.scalars(select(Attendance).where(Attendance.session_id == meeting.id)
                                                  .options(lazyload(Attendance.delegate)))}  # the roll has them
    return RollView(meeting, [d for d in people if d.status == "serving"],
                    [d for d in people if d.status != "serving"], marks, rule_of(meeting))


def _must_be_open(meeting: AssemblySession) -> None:
    if meeting.status == "held":
        raise Conflict(f"{meeting.title}已确认召开，签到情况已固定，不能再修改。")
    if meeting.status != "open":
        raise ServiceError(f"{meeting.title}{STATUS_LABELS[meeting.status]}，请先开始签到")


def _on_roll(db: Session, meeting: AssemblySession, ids: list[int]) -> dict[int, TermDelegate]:
    """The delegates of IDS on this session's roll; every other id is a per-item error (what it is, in Chinese)."""
    found = {d.id: d for d in db.scalars(select(TermDelegate).where(TermDelegate.id.in_(ids)))}
    problems = []
    for i, did in enumerate(ids):
        d = found.get(did)
        if d is None or d.congress != meeting.congress:
            problems.append(f"第{i + 1}项：代表（编号{did}）不在本次会议的代表名册中")
        elif d.status != "serving":
            label = "资格已终止" if d.status == "terminated" else "已停止执行代表职务"
            problems.append(f"第{i + 1}项：{d.name}{label}，不列入应到人数，不能签到")
    if len(set(ids)) != len(ids):
        problems.append("同一代表在名单中出现了多次，请去掉重复的")
    if problems:
        raise ServiceError("；".join(problems))
    return found


def _flush(db: Session) -> None:
    try:
        with db.begin_nested():
            db.flush()
    except IntegrityError:  # another sign-in of the same delegate got there first
        raise Conflict("签到情况刚被他人修改，请刷新页面后重试。") from None


def sign_in(db: Session, actor, session_id: int, delegate_ids: list[int], now: datetime) -> int:
    """The clerk signs delegates in, all or nothing; one already signed in stays so, one on leave comes in.
    -> how many were newly signed in."""
    ids = [int(i) for i in delegate_ids]
    if not ids:
        raise ServiceError("请勾选要签到的代表")
    if len(ids) > MAX_BULK:
        raise ServiceError(f"一次最多签到{MAX_BULK}名代表")
    with transaction(db):
        require(can_manage_sessions(actor), "只有管理员和选举办可以为代表签到。")
        meeting = session_or_404(db, actor, session_id, lock=True)
        _must_be_open(meeting)
        people = _on_roll(db, meeting, ids)
        marks = {a.delegate_id: a for a in db.scalars(select(Attendance).where(
            Attendance.session_id == meeting.id, Attendance.delegate_id.in_(ids))).unique()}
        names, signed = [], []
        for did in ids:
            a = marks.get(did)
            if a is not None and a.status == "present":
                continue
            if a is None:
                db.add(Attendance(session_id=meeting.id, delegate_id=did, status="present", recorded_by_id=actor.id,
                                  recorded_at=now))
            else:
                a.status, a.reason, a.by_self, a.recorded_by_id, a.recorded_at = "present", "", False, actor.id, now
            names.append(people[did].name)
            signed.append(did)
        _flush(db)
        if names:
            audit(db, actor, "assembly.attendance.sign_in", meeting,
                  summary=f"{meeting.title}签到{len(names)}人：{'、'.join(names[:20])}{'等' if len(names) > 20 else ''}",
                  after={"delegates": signed}, now=now)
    return len(names)


def record_leave(db: Session, actor, session_id: int, delegate_id: int, reason: str, now: datetime) -> Attendance:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("请填写请假理由")
    if len(reason) > 200:
        raise ServiceError("请假理由不超过200字，请删减")
    with transaction(db):
        require(can_manage_sessions(actor), "只有管理员和选举办可以登记请假。")
        meeting = session_or_404(db, actor, session_id, lock=True)
        if meeting.status == "held":
            raise Conflict(f"{meeting.title}已确认召开，签到情况已固定，不能再修改。")
        d = _on_roll(db, meeting, [delegate_id])[delegate_id]
        a = db.scalar(select(Attendance).where(Attendance.session_id == meeting.id,
                                               Attendance.delegate_id == delegate_id))
        if a is None:
            a = Attendance(session_id=meeting.id, delegate_id=d.id)
            db.add(a)
        a.status, a.reason, a.by_self, a.recorded_by_id, a.recorded_at = "leave", reason, False, actor.id, now
        _flush(db)
        audit(db, actor, "assembly.attendance.leave", meeting, summary=f"{meeting.title}：{d.name}请假（{reason}）",
              after={"delegate": d.id, "reason": reason}, now=now)
    return a


def undo_attendance(db: Session, actor, session_id: int, delegate_id: int, now: datetime) -> None:
    """Undo a sign-in or a leave: the delegate counts as absent again."""
    with transaction(db):
        require(can_manage_sessions(actor), "只有管理员和选举办可以撤销签到。")
        meeting = session_or_404(db, actor, session_id, lock=True)
        if meeting.status == "held":
            raise Conflict(f"{meeting.title}已确认召开，签到情况已固定，不能再修改。")
        a = db.scalar(select(Attendance).where(Attendance.session_id == meeting.id,
                                               Attendance.delegate_id == delegate_id))
        if a is None:
            raise ServiceError("该代表尚未签到或请假，无需撤销")
        what = "签到" if a.status == "present" else "请假"
        name = a.delegate.name
        db.delete(a)
        audit(db, actor, "assembly.attendance.undo", meeting, summary=f"{meeting.title}：撤销{name}的{what}",
              before={"delegate": delegate_id, "attendance": what}, now=now)


def self_sign_in(db: Session, actor, session_id: int, now: datetime) -> Attendance:
    """A delegate signs himself in: the session allows it and is open, and he is on its roll."""
    with transaction(db):
        me = delegate_of_user(db, actor)
        if me is None:
            raise NotFound("您的账号没有关联代表，不能签到。")
        meeting = session_or_404(db, actor, session_id, lock=True)
        if not meeting.self_sign_in:
            raise ServiceError("本次会议由会务人员统一签到，请到签到处签到")
        _must_be_open(meeting)
        if me.status != "serving":
            raise ServiceError("您目前不是在任代表，不列入应到人数，不能签到")
        a = db.scalar(select(Attendance).where(Attendance.session_id == meeting.id, Attendance.delegate_id == me.id))
        if a is not None and a.status == "present":
            raise Conflict("您已签到。")
        if a is None:
            a = Attendance(session_id=meeting.id, delegate_id=me.id)
            db.add(a)
        a.status, a.reason, a.by_self, a.recorded_by_id, a.recorded_at = "present", "", True, actor.id, now
        _flush(db)
        audit(db, actor, "assembly.attendance.self", meeting, summary=f"{me.name}本人签到{meeting.title}",
              after={"delegate": me.id}, now=now)
    return a


def my_attendance(db: Session, actor, meeting: AssemblySession) -> tuple[TermDelegate | None, Attendance | None]:
    me = delegate_of_user(db, actor)
    if me is None:
        return None, None
    return me, db.scalar(select(Attendance).where(Attendance.session_id == meeting.id, Attendance.delegate_id == me.id))
