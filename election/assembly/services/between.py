"""Between sessions (docs/rules.md §7): delegates invited to 列席 the committee's meetings (全委会, 常委会 …) and
their attendance, and the 询问/质询 of departments by delegates with the department's reply.

Attending a meeting and registering an 询问/质询 are duty activities: the delegate's rule set in force on the day
says whether and how they score (``credit_code``); where it scores them an ActivityRecord is written and linked,
where it does not nothing is (the page says 本规则集不计分). Each function is one use case: one transaction, one
audit entry; the meeting's row is locked before its invitees are read and written.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import false, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from election.assembly import permissions as perm
from election.assembly.models import INQUIRY_KINDS, SITIN_KINDS, AssemblySession, Inquiry, SitInInvitee, SitInMeeting
from election.audit.services import audit
from election.core.clock import to_local
from election.core.db import transaction
from election.core.exceptions import Conflict, NotFound, ServiceError
from election.core.permissions import has_role, require
from election.core.roles import Role
from election.directory.scope import org_scope
from election.duties.models import ActivityRecord, TermDelegate
from election.duties.services.activities import _types_of
from election.duties.services.permissions import delegate_of_user
from election.duties.services.rulesets import DEFAULT_RULESET, book_for, load_assignments, load_rulebooks
from election.notifications.events import notify
from workflow.common.dates import cn_date

KIND_LABELS = {"plenary": "全委会", "standing": "常委会", "other": "其他会议"}
INQUIRY_LABELS = {"inquiry": "询问", "interpellation": "质询"}
# 来源: docs/rules.md §7 — what a rule set scores 列席 and 询问/质询 as: the first of these codes it has
SITIN_CODES = ("sit_in", "county_activity")
INQUIRY_CODES = ("inquiry",)
# 来源: docs/rules.md §7 — the department replies within this many days unless a deadline is set (待定)
INQUIRY_REPLY_DAYS = 15
MAX_TITLE, MAX_TEXT = 200, 5000


def _text(value: str | None, label: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ServiceError(f"请填写{label}。")
    if len(value) > limit:
        raise ServiceError(f"{label}不能超过{limit}字。")
    return value


def credit_code(db: Session, delegate: TermDelegate, on: date, codes: Iterable[str]) -> str | None:
    """The first of CODES the delegate's rule set in force on ON scores, or None."""
    types = _types_of(book_for(db, delegate), on)
    return next((c for c in codes if c in types), None)


def credit_codes(db: Session, delegates: Iterable[TermDelegate], on: date, codes: Iterable[str]) -> dict[int, str | None]:
    """``credit_code`` for several delegates (delegate id → code), reading the rule books once."""
    books, assignments, codes = load_rulebooks(db), load_assignments(db), tuple(codes)
    out = {}
    for d in delegates:
        book = books.get(assignments.code_for(d.office_id, d.level)) or books[DEFAULT_RULESET]
        types = _types_of(book, on)
        out[d.id] = next((c for c in codes if c in types), None)
    return out


def _org_for(db: Session, actor, congress: str) -> int | None:
    """The committee whose congress it is (as its sessions say), else the actor's own organisation."""
    org = db.scalar(perm.sessions_in_scope(select(AssemblySession.organisation_id), actor, db)
                    .where(AssemblySession.congress == congress).order_by(AssemblySession.meeting_no.desc()).limit(1))
    return org if org is not None else actor.organisation_id


def congresses_in_scope(db: Session, actor) -> list[str]:
    """The congresses a manager may invite from: those of the sessions he reaches (all rolls, when unscoped)."""
    found = set(db.scalars(perm.sessions_in_scope(select(AssemblySession.congress).distinct(), actor, db)))
    if org_scope(actor) is None:
        found |= set(db.scalars(select(TermDelegate.congress).distinct()))
    return sorted(found)


def _in_scope(query, column, actor):
    scope = org_scope(actor)
    if scope is None:
        return query
    return query.where(column.in_(scope)) if scope else query.where(false())


# ------------------------------------------------------------------------------------------------------ 列席
def sitins_in_scope(db: Session, actor):
    """SELECT of the meetings the user reaches: by organisation; a 代表 the meetings he is invited to."""
    query = select(SitInMeeting)
    if has_role(actor, Role.delegate):
        me = delegate_of_user(db, actor)
        if me is None:
            return query.where(false())
        return query.where(SitInMeeting.id.in_(select(SitInInvitee.meeting_id).where(SitInInvitee.delegate_id == me.id)))
    return _in_scope(query, SitInMeeting.organisation_id, actor)


def sitin_or_404(db: Session, actor, sitin_id: int, *, lock: bool = False) -> SitInMeeting:
    query = sitins_in_scope(db, actor).where(SitInMeeting.id == sitin_id)
    if lock:
        query = query.with_for_update(of=SitInMeeting).execution_options(populate_existing=True)
    found = db.scalar(query)
    if found is None:
        raise NotFound("未找到该会议，或它不属于您的组织。")
    return found


def create_sitin(db: Session, actor, congress: str, kind: str, title: str, held_on: date | None, place: str,
                 now: datetime) -> SitInMeeting:
    """A meeting of the committee that delegates of CONGRESS will be invited to 列席."""
    require(perm.can_manage_sessions(actor))
    if kind not in SITIN_KINDS:
        raise ServiceError("会议类型只能是：全委会、常委会、其他会议。")
    title, place = _text(title, "会议名称", MAX_TITLE), _text(place, "会议地点", MAX_TITLE, required=False)
    if held_on is None:
        raise ServiceError("请填写会议日期。")
    if congress not in congresses_in_scope(db, actor):
        raise ServiceError("请选择您所在组织的党代会（代表名册上的届次）。")
    with transaction(db):
        meeting = SitInMeeting(organisation_id=_org_for(db, actor, congress), congress=congress, kind=kind,
                               title=title, held_on=held_on, place=place, created_by_id=actor.id, created_at=now)
        db.add(meeting)
        db.flush()
        audit(db, actor, "assembly.sitin.create", meeting, summary=f"安排代表列席{KIND_LABELS[kind]}“{title}”",
              after={"sitin_kind": kind, "title": title, "held_on": held_on, "place": place}, now=now)
    return meeting


def invite_delegates(db: Session, actor, sitin_id: int, delegate_ids: Iterable[int], now: datetime) -> list[SitInInvitee]:
    """Invite serving delegates of the meeting's congress; those already invited are left as they are. Each
    invited delegate with an account gets an in-app notice."""
    require(perm.can_manage_sessions(actor))
    wanted = sorted({int(i) for i in delegate_ids or ()})
    if not wanted:
        raise ServiceError("请至少选择一名代表。")
    with transaction(db):
        meeting = sitin_or_404(db, actor, sitin_id, lock=True)
        people = {d.id: d for d in db.scalars(select(TermDelegate).where(
            TermDelegate.id.in_(wanted), TermDelegate.congress == meeting.congress, TermDelegate.status == "serving"))}
        if missing := [i for i in wanted if i not in people]:
            raise ServiceError(f"所选代表中有{len(missing)}名不是{meeting.congress}的在任代表，请重新选择。")
        have = set(db.scalars(select(SitInInvitee.delegate_id).where(SitInInvitee.meeting_id == meeting.id)))
        new = [SitInInvitee(meeting_id=meeting.id, delegate_id=i) for i in wanted if i not in have]
        if not new:
            raise Conflict("所选代表都已在邀请名单中。")
        db.add_all(new)
        try:
            db.flush()
        except IntegrityError:
            raise Conflict("名单刚刚已由他人修改，请刷新页面后重试。") from None
        when = cn_date(meeting.held_on)
        for inv in new:
            d = people[inv.delegate_id]
            notify(db, [d.user_id], "sitin_invited",
                   f"邀请您于{when}列席{KIND_LABELS[meeting.kind]}“{meeting.title}”" +
                   (f"（地点：{meeting.place}）" if meeting.place else "") + "。",
                   f"/assembly/sitins/{meeting.id}", dedup_key=f"sitin_invited:{meeting.id}:{d.id}", now=now)
        audit(db, actor, "assembly.sitin.invite", meeting, summary=f"邀请{len(new)}名代表列席“{meeting.title}”",
              after={"delegates": [people[i.delegate_id].name for i in new]}, now=now)
    return new


def record_sitin_attendance(db: Session, actor, sitin_id: int, delegate_id: int, attended: bool | None,
                            leave_reason: str, now: datetime) -> SitInInvitee:
    """After the meeting: the invited delegate attended, or was absent (with a reason), or None to undo. Attending
    credits the activity his rule set scores for 列席 (verified by the actor); anything else removes it."""
    require(perm.can_manage_sessions(actor))
    leave_reason = _text(leave_reason, "缺席原因", MAX_TITLE) if attended is False else ""
    with transaction(db):
        meeting = sitin_or_404(db, actor, sitin_id, lock=True)
        inv = db.scalar(select(SitInInvitee).where(SitInInvitee.meeting_id == meeting.id,
                                                   SitInInvitee.delegate_id == delegate_id)
                        .execution_options(populate_existing=True))
        if inv is None:
            raise ServiceError("该代表不在本次会议的邀请名单中。")
        if attended is not None and meeting.held_on > to_local(now).date():
            raise ServiceError(f"会议在{cn_date(meeting.held_on)}召开，会后才能登记出席情况。")
        before = {"attended": inv.attended, "leave_reason": inv.leave_reason}
        inv.attended, inv.leave_reason = attended, leave_reason
        credited = None
        if attended and inv.activity_id is None:
            code = credit_code(db, inv.delegate, meeting.held_on, SITIN_CODES)
            if code is not None:
                rec = ActivityRecord(delegate_id=inv.delegate_id, type_code=code, on=meeting.held_on,
                                     place=meeting.place, description=f"列席{KIND_LABELS[meeting.kind]}“{meeting.title}”",
                                     status="verified", verified_by_id=actor.id, verified_at=now,
                                     created_by_id=actor.id, created_at=now)
                db.add(rec)
                db.flush()
                inv.activity_id = credited = rec.id
        elif not attended and inv.activity_id is not None:
            rec = db.get(ActivityRecord, inv.activity_id)
            inv.activity_id = None
            if rec is not None:
                db.delete(rec)
        state = {True: "出席", False: "缺席", None: "未登记"}[attended]
        audit(db, actor, "assembly.sitin.attendance", inv, summary=f"{inv.delegate.name}列席“{meeting.title}”：{state}",
              before=before, after={"attended": attended, "leave_reason": leave_reason, "activity_id": credited},
              now=now)
    return inv


# ------------------------------------------------------------------------------------------------------ 询问/质询
def inquiries_in_scope(db: Session, actor):
    query = select(Inquiry)
    if has_role(actor, Role.delegate):
        me = delegate_of_user(db, actor)
        return query.where(Inquiry.delegate_id == me.id) if me else query.where(false())
    return _in_scope(query, Inquiry.organisation_id, actor)


def inquiry_or_404(db: Session, actor, inquiry_id: int, *, lock: bool = False) -> Inquiry:
    query = inquiries_in_scope(db, actor).where(Inquiry.id == inquiry_id)
    if lock:
        query = query.with_for_update(of=Inquiry).execution_options(populate_existing=True)
    found = db.scalar(query)
    if found is None:
        raise NotFound("未找到该询问或质询，或它不属于您的组织。")
    return found


def can_register_inquiry(actor) -> bool:
    return perm.can_manage_sessions(actor) or has_role(actor, Role.delegate)


def register_inquiry(db: Session, actor, kind: str, delegate_id: int | None, department: str, subject: str,
                     content: str, submitted_on: date | None, due_on: date | None, now: datetime) -> Inquiry:
    """A delegate's 询问/质询 of a department, registered by the 组织部 or by the delegate himself (his own). The
    reply is due by DUE_ON (default: INQUIRY_REPLY_DAYS days after submission). Credits the rule set's 询问质询
    activity: verified when staff register it, waiting for verification when the delegate does."""
    require(can_register_inquiry(actor))
    if kind not in INQUIRY_KINDS:
        raise ServiceError("类型只能是：询问、质询。")
    department = _text(department, "被询问（质询）部门", 128)
    subject, content = _text(subject, "事由", MAX_TITLE), _text(content, "内容", MAX_TEXT)
    if submitted_on is None:
        raise ServiceError("请填写提出日期。")
    if submitted_on > to_local(now).date():
        raise ServiceError("提出日期不能晚于今天。")
    due_on = due_on or submitted_on + timedelta(days=INQUIRY_REPLY_DAYS)
    if due_on < submitted_on:
        raise ServiceError("答复期限不能早于提出日期。")
    staff = perm.can_manage_sessions(actor)
    with transaction(db):
        if staff:
            d = db.get(TermDelegate, delegate_id) if delegate_id else None
            if d is None or d.status != "serving" or d.congress not in congresses_in_scope(db, actor):
                raise ServiceError("请选择您所在组织党代会的在任代表。")
        else:
            d = delegate_of_user(db, actor)
            if d is None or (delegate_id and delegate_id != d.id):
                raise ServiceError("代表只能登记本人提出的询问或质询。")
            if d.status != "serving":
                raise ServiceError("您目前不在任，不能登记询问或质询。")
        inquiry = Inquiry(organisation_id=_org_for(db, actor, d.congress), kind=kind, delegate_id=d.id,
                          department=department, subject=subject, content=content, submitted_on=submitted_on,
                          due_on=due_on, created_by_id=actor.id, created_at=now)
        db.add(inquiry)
        db.flush()
        code = credit_code(db, d, submitted_on, INQUIRY_CODES)
        if code is not None:
            rec = ActivityRecord(delegate_id=d.id, type_code=code, on=submitted_on,
                                 description=f"{INQUIRY_LABELS[kind]}{department}：{subject}",
                                 status="verified" if staff else "pending",
                                 verified_by_id=actor.id if staff else None, verified_at=now if staff else None,
                                 created_by_id=actor.id, created_at=now)
            db.add(rec)
            db.flush()
            inquiry.activity_id = rec.id
        audit(db, actor, "assembly.inquiry.register", inquiry,
              summary=f"{d.name}就“{subject}”向{department}提出{INQUIRY_LABELS[kind]}",
              after={"inquiry_kind": kind, "department": department, "submitted_on": submitted_on, "due_on": due_on},
              now=now)
    return inquiry


def record_inquiry_reply(db: Session, actor, inquiry_id: int, reply: str, replied_on: date | None,
                         now: datetime) -> Inquiry:
    """The department's reply, recorded by the 组织部 (a second record replaces the first, both audited)."""
    require(perm.can_manage_sessions(actor))
    reply = _text(reply, "答复内容", MAX_TEXT)
    if replied_on is None:
        raise ServiceError("请填写答复日期。")
    with transaction(db):
        inquiry = inquiry_or_404(db, actor, inquiry_id, lock=True)
        if replied_on < inquiry.submitted_on:
            raise ServiceError(f"答复日期不能早于提出日期（{cn_date(inquiry.submitted_on)}）。")
        before = {"reply": inquiry.reply, "replied_on": inquiry.replied_on}
        inquiry.reply, inquiry.replied_on = reply, replied_on
        audit(db, actor, "assembly.inquiry.reply", inquiry,
              summary=f"登记{inquiry.department}对“{inquiry.subject}”的答复", before=before,
              after={"reply": reply, "replied_on": replied_on}, now=now)
    return inquiry


def is_inquiry_overdue(inquiry: Inquiry, today: date) -> bool:
    """Late when not answered by the end of the deadline day, or answered after it."""
    if inquiry.replied_on is not None:
        return inquiry.replied_on > inquiry.due_on
    return today > inquiry.due_on


def serving_delegates(db: Session, congress: str) -> list[TermDelegate]:
    return list(db.scalars(select(TermDelegate).where(TermDelegate.congress == congress,
                                                      TermDelegate.status == "serving").order_by(TermDelegate.id)))
